"""The printed books (六簿一册) and the annual report as render targets. Each book reads its rows from
the owning app's selectors; the same rows feed the PDF and the Excel export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presidium.models import Township
from presidium.pdf import RenderedPdf, render_pdf_document

from .models import JobKind
from .selectors import app_selectors


@dataclass
class Register:
    """A book's content: a title and one table (headers + rows), optionally grouped."""

    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    groups: list[tuple[str, list[list]]] = field(default_factory=list)
    note: str = ""
    pages: list[dict] = field(default_factory=list)  # one-page-per-item books (archive)


@dataclass
class Book:
    kind: str
    title: object
    app: str
    template: str
    build: Callable  # build(township, year, user, params) -> Register
    available: Callable  # available() -> bool
    wide: bool = True
    description: object = ""


def _selectors(app: str):
    return app_selectors().get(app)


def _has(app: str, *names: str) -> bool:
    mod = _selectors(app)
    return mod is not None and all(callable(getattr(mod, n, None)) for n in names)


def _d(value, fmt="Y-m-d"):
    from django.utils.dateformat import format as date_format

    return date_format(value, fmt) if value else ""


# --- deputy roster book (代表花名册) ------------------------------------------------------------


def build_roster(township: Township, year: int, user, params: dict) -> Register:
    from deputies.models import Deputy
    from deputies.selectors import deputies_visible_to

    deputies = (
        deputies_visible_to(user)
        .filter(township=township, status=Deputy.Status.SERVING)
        .order_by("district__name", "name_pinyin", "pk")
    )
    headers = [
        _("序号"),
        _("姓名"),
        _("性别"),
        _("民族"),
        _("出生年月"),
        _("政治面貌"),
        _("文化程度"),
        _("代表结构类别"),
        _("代表层级"),
        _("选区"),
        _("代表证号"),
        _("工作单位及职务"),
        _("联系电话"),
    ]
    rows = []
    for i, d in enumerate(deputies, start=1):
        rows.append(
            [
                i,
                d.name,
                d.get_gender_display(),
                d.ethnicity,
                _d(d.birth_date, "Y.m"),
                d.get_party_display(),
                d.get_education_display(),
                d.get_occupation_display(),
                d.get_level_display(),
                d.district.name if d.district_id else "",
                d.certificate_no,
                d.workplace,
                d.phone,
            ]
        )
    return Register(
        title=_("%(t)s人大代表花名册") % {"t": township.name},
        headers=headers,
        rows=rows,
        note=_("在任代表 %(n)s 名") % {"n": len(rows)},
    )


def build_pending(township, year, user, params) -> Register:  # pragma: no cover - guarded by available()
    return Register(title="", headers=[], note=_("本簿数据尚未接入"))


BOOKS: dict[str, Book] = {
    JobKind.ROSTER_BOOK: Book(
        JobKind.ROSTER_BOOK,
        gettext_lazy("代表分组情况及代表花名册"),
        "deputies",
        "reports/pdf/register.html",
        build_roster,
        lambda: _has("deputies", "deputies_visible_to"),
        description=gettext_lazy("在任代表的基本情况，按选区排列。"),
    ),
    JobKind.SUGGESTIONS_REGISTER: Book(
        JobKind.SUGGESTIONS_REGISTER,
        gettext_lazy("代表议案和建议、批评、意见记录簿"),
        "suggestions",
        "reports/pdf/register.html",
        build_pending,
        lambda: False,
        description=gettext_lazy("全年建议的编号、领衔代表、类别、承办单位、答复与测评。"),
    ),
    JobKind.PETITIONS_REGISTER: Book(
        JobKind.PETITIONS_REGISTER,
        gettext_lazy("人民来信来访记录簿"),
        "supervision",
        "reports/pdf/register.html",
        build_pending,
        lambda: False,
        description=gettext_lazy("全年来信来访的登记、转办与办理结果。"),
    ),
    JobKind.ARCHIVE_BOOK: Book(
        JobKind.ARCHIVE_BOOK,
        gettext_lazy("代表履职档案"),
        "deputies",
        "reports/pdf/archive.html",
        build_pending,
        lambda: False,
        wide=False,
        description=gettext_lazy("每名代表一页：会议、活动、联系选民、建议、培训、述职。"),
    ),
}


def render_job_pdf(job, *, progress=lambda p: None) -> RenderedPdf:
    """Build and typeset the content a job asks for (called from the task, via the service)."""
    if job.kind == JobKind.ANNUAL_REPORT:
        from .content import build_annual_report

        context = build_annual_report(job.township, job.year, user=job.created_by)
        progress(40)
        rendered = render_pdf_document("reports/pdf/annual_report.html", context)
        progress(95)
        return rendered
    book = BOOKS[job.kind]
    if not book.available():
        raise LookupError(f"book {job.kind} has no data source yet")
    register = book.build(job.township, job.year, job.created_by, job.params or {})
    progress(40)
    rendered = render_pdf_document(book.template, book_context(book, register, job.township, job.year))
    progress(95)
    return rendered


def book_context(book: Book, register: Register, township: Township, year: int) -> dict:
    from django.utils import timezone

    return {
        "book": book,
        "register": register,
        "township": township,
        "year": year,
        "title": register.title,
        "generated_at": timezone.localtime(),
    }
