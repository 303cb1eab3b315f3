"""Report routes in the isolation matrix: every A role must be refused township B's report, books,
jobs and exports; deputies and unit officers are refused reports altogether."""

import datetime as dt

from reports.models import Document, ExemplaryDeed, JobKind, JobStatus, ReportJob, ReportNarrative
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


def _document_b(cast):
    from django.core.files.base import ContentFile

    from reports.models import Document

    doc = Document(
        township=cast.township_b, issuer="乙县人大常委会", date=dt.date(YEAR, 3, 1), title="乙镇文件不应出现"
    )
    doc.copy.save("b.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    doc.save()
    return doc


def _deed_b(cast):
    from reports.models import ExemplaryDeed

    return ExemplaryDeed.objects.create(
        township=cast.township_b,
        deputy=cast.deputy_b,
        date=dt.date(YEAR, 3, 1),
        title="乙镇事迹",
        verified_by="乙",
    )


def _unchanged_title(model, title):
    def check(cast, obj):
        return model.objects.get(pk=obj.pk).title == title

    return check


def _documents_unchanged(cast, township):
    from reports.models import Document

    return not Document.objects.filter(township=township).exists()


def _deeds_unchanged(cast, township):
    from reports.models import ExemplaryDeed

    return not ExemplaryDeed.objects.filter(township=township).exists()


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
    "reports:documents": Scoped(make=_township_b, kwargs=lambda t: {"township_id": t.pk}),
    "reports:document_create": Scoped(
        make=_township_b,
        kwargs=lambda t: {"township_id": t.pk},
        method="post",
        data=lambda cast, t: {
            "direction": "incoming",
            "issuer": "县人大",
            "date": f"{YEAR}-03-01",
            "title": "篡改",
        },
        unchanged=_documents_unchanged,
    ),
    "reports:document_edit": Scoped(
        make=_document_b,
        method="post",
        data=lambda cast, d: {
            "direction": "incoming",
            "issuer": "x",
            "date": f"{YEAR}-03-01",
            "title": "篡改",
        },
        unchanged=_unchanged_title(Document, "乙镇文件不应出现"),
    ),
    "reports:document_copy": Scoped(make=_document_b),
    "reports:deeds": Scoped(make=_township_b, kwargs=lambda t: {"township_id": t.pk}),
    "reports:deed_create": Scoped(
        make=_township_b,
        kwargs=lambda t: {"township_id": t.pk},
        method="post",
        data=lambda cast, t: {
            "deputy": cast.deputy_b.pk,
            "date": f"{YEAR}-03-01",
            "title": "篡改",
            "source": "voters",
            "verified_by": "某",
        },
        unchanged=_deeds_unchanged,
    ),
    "reports:deed_edit": Scoped(
        make=_deed_b,
        method="post",
        data=lambda cast, d: {
            "deputy": cast.deputy_b.pk,
            "date": f"{YEAR}-03-01",
            "title": "篡改",
            "source": "voters",
            "verified_by": "某",
        },
        unchanged=_unchanged_title(ExemplaryDeed, "乙镇事迹"),
    ),
    "reports-annual-pdf": Scoped(make=_township_b, kwargs=_year_kwargs),
}
