"""Writes of the dashboards app: only the summary table (the figures themselves belong to the apps)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from presidium.models import Township

from . import selectors
from .models import TownshipFigures

BATCH = 2000


@transaction.atomic
def refresh_figures(
    *,
    periods: list[selectors.Period] | None = None,
    township_ids: list[int] | None = None,
    apps: list[str] | None = None,
) -> int:
    """Recompute the apps' township figures for the standard periods and upsert the summary rows.

    One ``township_stats`` call per app, period and batch of townships (set-based); returns the
    number of rows written. Safe to run concurrently: rows are upserted on their unique key.
    """
    periods = periods or selectors.snapshot_periods()
    if township_ids is None:
        township_ids = list(Township.objects.order_by("pk").values_list("pk", flat=True))
    apps = apps or list(selectors.stats_sources())
    written = 0
    now = timezone.now()
    for start in range(0, len(township_ids), BATCH):
        batch = township_ids[start : start + BATCH]
        for period in periods:
            data = selectors.app_figures(
                apps=apps, township_ids=batch, start=period.start, end=period.end, use_snapshots=False
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
                for app, per_township in data.items()
                for tid, values in per_township.items()
            ]
            TownshipFigures.objects.bulk_create(
                rows,
                batch_size=1000,
                update_conflicts=True,
                unique_fields=["app", "start", "end", "township"],
                update_fields=["values", "computed_at"],
            )
            written += len(rows)
    return written


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
