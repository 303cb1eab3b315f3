"""Reads for the reports app: who may render which township's report, the render jobs a user sees,
the saved narrative, and every app's figures read through its own ``township_stats`` (never
recounted here)."""

import datetime as dt

from django.db.models import Q, QuerySet

from presidium.figures import stats_modules
from presidium.models import Role, Township
from presidium.selectors import principal_role, record_year, scope, townships_visible_to

from .models import EXPORT_KINDS, Document, ExemplaryDeed, ReportJob, ReportNarrative

# Roles that may render and download a township's report or books: the township's presidium staff,
# county staff (read-only, every township of their county), superusers and county/township API keys.
REPORT_ROLES = (Role.STAFF, Role.COUNTY, Role.ADMIN, "api")


def may_use_reports(user) -> bool:
    return principal_role(user) in REPORT_ROLES


def report_townships_visible_to(user) -> QuerySet[Township]:
    if not may_use_reports(user):
        return Township.objects.none()
    return townships_visible_to(user)


def valid_year(year: int) -> bool:
    return record_year(year) is not None


def year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def jobs_visible_to(user) -> QuerySet[ReportJob]:
    """Render jobs of the user's townships; an export job (rows chosen by its requester's own
    visibility and filters, possibly a whole county) only to the user who asked for it."""
    if not may_use_reports(user):
        return ReportJob.objects.none()
    qs = scope(ReportJob.objects.select_related("township", "created_by"), user)
    return qs.exclude(Q(kind__in=EXPORT_KINDS) & ~Q(created_by_id=user.pk))


def recent_jobs(user, township: Township, limit: int = 20) -> list[ReportJob]:
    return list(jobs_visible_to(user).filter(township=township)[:limit])


def narratives_for(township: Township, year: int) -> dict[str, ReportNarrative]:
    return {n.section: n for n in ReportNarrative.objects.filter(township=township, year=year)}


def app_selectors() -> dict[str, object]:
    """{app label: selectors module} of the apps whose figures and lists the report reads: the
    providers of township figures (``presidium.figures.STATS_APPS``), imported directly."""
    return stats_modules()


def stats_sources() -> dict[str, tuple]:
    """{app label: (township_stats function, STATS_LABELS)} for the apps that provide figures."""
    return {label: (mod.township_stats, dict(mod.STATS_LABELS)) for label, mod in app_selectors().items()}


def township_figures(township: Township, year: int) -> dict[str, dict]:
    """{app label: {"values": {key: number}, "labels": {key: label}}} for one township-year, read from
    each app's ``township_stats``. An app without it is absent from the result."""
    start, end = year_range(year)
    out = {}
    for label, (fn, labels) in stats_sources().items():
        values = fn(township_ids=[township.pk], start=start, end=end).get(township.pk, {})
        out[label] = {"values": dict(values), "labels": labels}
    return out


def documents_visible_to(user) -> QuerySet[Document]:
    """The documents register of the townships the user may read (staff: own; county: county's)."""
    if not may_use_reports(user):
        return Document.objects.none()
    return scope(Document.objects.select_related("township", "created_by"), user)


def deeds_visible_to(user) -> QuerySet[ExemplaryDeed]:
    if not may_use_reports(user):
        return ExemplaryDeed.objects.none()
    return scope(ExemplaryDeed.objects.select_related("township", "deputy", "deputy__district"), user)


def in_year(qs: QuerySet, year: int | None, field: str = "date") -> QuerySet:
    return qs.filter(**{f"{field}__year": year}) if year else qs


def deputy_deed_records(lo, hi) -> list[tuple[QuerySet, str]]:
    """(rows, deputy field) of the exemplary deeds dated in [lo, hi] that the archive source counts
    for a deputy. ``lo`` and ``hi`` are dates or expressions (``OuterRef``)."""
    return [(ExemplaryDeed.objects.filter(date__gte=lo, date__lte=hi), "deputy")]
