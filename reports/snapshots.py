"""Rendered copies of the annual report (preview HTML, PDF) kept until the records change.

Building the report reads every app's figures and lists (~100 queries, ~0.4–0.8 s) and typesetting
the PDF takes WeasyPrint another second or more. Both are kept in the cache under a key made of the
township, the year, the reader, today's date (figures such as "overdue" change with the day) and a
data version. The version is bumped by every write to a model of the domain apps, as
``presidium.changes`` reports it (shared with the figures summary table of
``dashboards.freshness``): per township when the row carries its township, for every township when
it does not (a candidate, an agenda item …). Writes that send no signal (``QuerySet.update``,
``bulk_update``) are almost always accompanied by a saved row of the same service (its event or
audit entry); ``SNAPSHOT_TTL`` bounds what remains, and with several processes and no shared cache
(no ``REDIS_URL``) each process holds its own copy for at most that long."""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone

SNAPSHOT_TTL = 300  # seconds
WATCHED_APPS = ("presidium", "deputies", "congress", "suggestions", "supervision", "livelihood", "reports")
IGNORED_MODELS = {("reports", "reportjob"), ("reports", "reportjobevent")}
ALL = "all"


def _key(scope) -> str:
    return f"reports:version:{scope}"


def bump(township_id=None) -> None:
    key = _key(township_id if township_id else ALL)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=None)


def data_version(township_id: int) -> str:
    values = cache.get_many([_key(township_id), _key(ALL)])
    return f"{values.get(_key(township_id), 0)}.{values.get(_key(ALL), 0)}"


def cached(kind: str, township, year: int, user, build):
    """The stored copy of ``kind`` for this township-year-reader, or ``build()`` stored now."""
    key = ":".join(
        str(part)
        for part in (
            "reports:snapshot",
            kind,
            township.pk,
            year,
            getattr(user, "pk", None) or "-",
            timezone.localdate().isoformat(),
            data_version(township.pk),
        )
    )
    hit = cache.get(key)
    if hit is not None:
        return hit
    value = build()
    cache.set(key, value, SNAPSHOT_TTL)
    return value


def report_context(township, year: int, user) -> dict:
    """The built report (``build_annual_report``) for this reader, kept like the rendered copies:
    the preview, the PDF, the Word file and the editor share one build per change."""
    from .content import build_annual_report

    return cached("context", township, year, user, lambda: build_annual_report(township, year, user=user))


def _changed(sender, instance, ref, using):
    meta = type(instance)._meta
    if meta.app_label not in WATCHED_APPS or (meta.app_label, meta.model_name) in IGNORED_MODELS:
        return
    # A row that names its township renews that township's copies; any other row, every township's.
    bump(ref if isinstance(ref, int) else None)


def connect() -> None:
    from presidium import changes

    changes.subscribe(_changed)
