"""Figures that agree with what was just written.

The summary table (``TownshipFigures``) serves county pages and the stats API from one row per
township. A row is only true until the township's data changes, so every committed write to a stats
app's rows marks the township changed (``FiguresChange``) — one upsert per transaction, whatever
the number of rows written — and schedules a refresh of that township (debounced: one task per
township per ``FIGURES_REFRESH_DELAY`` seconds). Until the refresh lands, readers skip the township's
rows older than the change and compute it live (``selectors.app_figures_for_periods``).

Without a worker (the embedded default: no Redis, no beat) the summary table is not used at all
(``settings.FIGURES_SNAPSHOTS`` is off) and every page computes live; these receivers then do
nothing.

Writes are seen through ``presidium.changes`` (the model signals, with the township of each row,
shared with the report copies of ``reports.snapshots``): those of the apps that report figures, and
of the audit log. ``QuerySet.update()`` and ``bulk_create`` send none: services that use them for
figures-relevant changes also save an event row or an audit entry of the same township in the same
transaction, which marks it.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.utils import timezone

from presidium import changes

logger = logging.getLogger(__name__)


def snapshots_enabled() -> bool:
    return bool(getattr(settings, "FIGURES_SNAPSHOTS", False))


def watched_apps() -> set[str]:
    from .selectors import SECTIONS

    return {app for app, _f in SECTIONS.values()}


# --- collecting the townships of one transaction -----------------------------------------------------


class _Flush:
    """The on-commit callback of one transaction: marks every township its writes touched."""

    def __init__(self):
        self.refs = set()

    def __call__(self):
        mark_changed(self.refs)


def _collect(ref, using):
    conn = connections[using]
    if not conn.in_atomic_block:
        mark_changed({ref})
        return
    cached = getattr(conn, "_figures_flush", None)
    if cached is not None and cached[0] is conn.run_on_commit:
        cached[1].refs.add(ref)
        return
    # The callback list was replaced (a new transaction, or a savepoint rolled back): look for ours.
    for _sids, func, *_rest in conn.run_on_commit:
        if isinstance(func, _Flush):
            func.refs.add(ref)
            conn._figures_flush = (conn.run_on_commit, func)
            return
    flush = _Flush()
    flush.refs.add(ref)
    transaction.on_commit(flush, using=using, robust=True)
    conn._figures_flush = (conn.run_on_commit, flush)


# Audit entries name the township of the write they record: services that change figures through
# ``update()``/``bulk_update`` (paper ballots, a term closing, …) audit it, and so mark it too.
WATCHED_MODELS = {"presidium.auditentry"}


def _changed(sender, instance, ref, using):
    if not snapshots_enabled():
        return
    if sender._meta.app_label not in watched_apps() and sender._meta.label_lower not in WATCHED_MODELS:
        return
    if ref is not None:
        _collect(ref, using)


def connect():
    changes.subscribe(_changed)


# --- marking and refreshing --------------------------------------------------------------------------


def mark_changed(refs) -> set[int]:
    """Record that these townships' data changed now and schedule their refresh. Returns the ids."""
    from .models import FiguresChange

    township_ids = changes.resolve(refs)
    if not township_ids:
        return township_ids
    now = timezone.now()
    FiguresChange.objects.bulk_create(
        [FiguresChange(township_id=tid, changed_at=now) for tid in sorted(township_ids)],
        update_conflicts=True,
        unique_fields=["township"],
        update_fields=["changed_at"],
    )
    schedule_refresh(township_ids)
    return township_ids


def schedule_refresh(township_ids) -> list[int]:
    """One refresh task per township per FIGURES_REFRESH_DELAY seconds (the first change starts the
    clock; later ones within the delay ride along). Only with a real worker: eagerly run, the
    refresh would make the user's request wait, and live figures need no refresh."""
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return []
    from .tasks import refresh_figures

    delay = int(getattr(settings, "FIGURES_REFRESH_DELAY", 30))
    scheduled = []
    for tid in sorted(township_ids):
        if cache.add(f"dashboards:figures-refresh:{tid}", 1, timeout=delay):
            refresh_figures.apply_async(kwargs={"township_ids": [tid]}, countdown=delay)
            scheduled.append(tid)
    return scheduled
