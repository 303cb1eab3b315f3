"""Report routes in the isolation matrix: every A role must be refused township B's report, books,
jobs and exports; deputies and unit officers are refused reports altogether."""

from reports.models import JobKind, JobStatus, ReportJob, ReportNarrative
from tests.isolation import Listing, Scoped

STAFF_COUNTY = ("staff_a", "county_a")
YEAR = 2025


def _township_b(cast):
    return cast.township_b


def _job_b(cast):
    return ReportJob.objects.create(
        township=cast.township_b,
        kind=JobKind.ANNUAL_REPORT,
        year=YEAR,
        status=JobStatus.DONE,
        created_by=cast.staff_b,
    )


def _year_kwargs(t):
    return {"township_id": t.pk, "year": YEAR}


def _narrative_unchanged(cast, township):
    return not ReportNarrative.objects.filter(township=township).exists()


def _jobs_unchanged(cast, township):
    return not ReportJob.objects.filter(township=township).exists()


ROUTES = {
    "reports:index": Listing(roles=STAFF_COUNTY, marker=lambda c: c.township_b.name),
    "reports:annual": Scoped(make=_township_b, kwargs=_year_kwargs),
    "reports:annual_preview": Scoped(make=_township_b, kwargs=_year_kwargs),
    "reports:annual_pdf": Scoped(make=_township_b, kwargs=_year_kwargs),
    "reports:annual_docx": Scoped(make=_township_b, kwargs=_year_kwargs),
    "reports:briefing_docx": Scoped(make=_township_b, kwargs=lambda t: {"township_id": t.pk}),
    "reports:narrative_save": Scoped(
        make=_township_b,
        kwargs=lambda t: {"township_id": t.pk, "year": YEAR, "section": "overview"},
        method="post",
        data=lambda cast, t: {"text": "乙镇正文被篡改", "version": 0},
        unchanged=_narrative_unchanged,
    ),
    "reports:books": Scoped(make=_township_b, kwargs=lambda t: {"township_id": t.pk}),
    "reports:book_pdf": Scoped(
        make=_township_b, kwargs=lambda t: {"township_id": t.pk, "kind": "roster_book"}
    ),
    "reports:export_xlsx": Scoped(
        make=_township_b, kwargs=lambda t: {"township_id": t.pk, "kind": "archive_book"}
    ),
    "reports:job_create": Scoped(
        make=_township_b,
        kwargs=lambda t: {"township_id": t.pk},
        method="post",
        data=lambda cast, t: {"kind": "annual_report", "year": YEAR},
        unchanged=_jobs_unchanged,
    ),
    "reports:job_detail": Scoped(make=_job_b),
    # deputy_a may reach their own page only; B's deputy is refused to every A role.
    "reports:deputy_archive_pdf": Scoped(
        make=lambda c: c.deputy_b, kwargs=lambda d: {"deputy_id": d.pk, "year": YEAR}
    ),
    "reports:job_download": Scoped(make=_job_b),
    "reports-annual-pdf": Scoped(make=_township_b, kwargs=_year_kwargs),
}
