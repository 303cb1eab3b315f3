"""Writes of the dashboards app: only the summary table (the figures themselves belong to the apps)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from presidium.models import Township

from . import selectors
from .models import TownshipFigures

BATCH = 64


def refresh_figures(
    *,
    periods: list[selectors.Period] | None = None,
    township_ids: list[int] | None = None,
    apps: list[str] | None = None,
) -> int:
    """Recompute the apps' township figures for the standard periods and upsert the summary rows.

    One ``township_stats`` call per app, period and batch of townships (set-based; batches of about
    a county keep each call small); returns the number of rows written. Each batch commits on its
    own, and rows are upserted on their unique key, so concurrent refreshes are harmless.
    """
    if township_ids is None:
        township_ids = list(Township.objects.order_by("county_id", "pk").values_list("pk", flat=True))
    apps = apps or list(selectors.stats_sources())
    written = 0
    for app in apps:
        app_periods = periods or selectors.snapshot_periods(app=app)
        for start in range(0, len(township_ids), BATCH):
            batch = township_ids[start : start + BATCH]
            for period in app_periods:
                written += _refresh_batch(app=app, township_ids=batch, period=period)
    return written


@transaction.atomic
def _refresh_batch(*, app, township_ids, period) -> int:
    # The row is stamped with the moment counting began: a change committed after it (which the
    # counts may have missed) is newer than the row, so readers skip the row (FiguresChange).
    now = timezone.now()
    data = selectors.app_figures(
        apps=[app], township_ids=township_ids, start=period.start, end=period.end, use_snapshots=False
    )
    rows = [
        TownshipFigures(
            township_id=tid,
            app=app,
            start=period.start,
            end=period.end,
            values=_jsonable(values),
            computed_at=now,
        )
        for tid, values in data.get(app, {}).items()
    ]
    TownshipFigures.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["app", "start", "end", "township"],
        update_fields=["values", "computed_at"],
    )
    return len(rows)


def _jsonable(values: dict) -> dict:
    out = {}
    for k, v in values.items():
        if isinstance(v, dt.date):
            v = v.isoformat()
        elif hasattr(v, "__float__") and not isinstance(v, int | float | bool):
            v = float(v)
        out[k] = v
    return out


def prune_figures(*, older_than_days: int = 2) -> int:
    cutoff = timezone.now() - dt.timedelta(days=older_than_days)
    deleted, _by_model = TownshipFigures.objects.filter(computed_at__lt=cutoff).delete()
    return deleted
