"""The printed books (六簿一册) and the annual report as render targets. Each book reads its rows from
the owning app's selectors; the same rows feed the PDF and the Excel export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deputies import selectors as deputies_selectors
from presidium.models import Township
from presidium.pdf import RenderedPdf, render_pdf_document
from suggestions import selectors as suggestions_selectors
from supervision import selectors as supervision_selectors

from .models import JobKind


@dataclass
class Register:
    """A book's content: a title and one table (headers + rows), optionally grouped."""

    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    groups: list[tuple[str, list[list]]] = field(default_factory=list)
    note: str = ""
    pages: list[dict] = field(default_factory=list)  # one-page-per-item books (archive)
    widths: list[int] | None = None  # column widths in percent (fixed table layout)


@dataclass
class Book:
    kind: str
    title: object
    app: str
    template: str
    build: Callable  # build(township, year, user, params) -> Register
    wide: bool = True
    description: object = ""
    # The owning app's own Excel export (URL name, takes ?year=); None: this app exports the rows.
    excel: tuple | None = None


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
        .order_by("district__sort_key", "district__name", "name_pinyin", "pk")
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
                d.party_label,
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
        note=_("在任代表 %(n)s 名（乡镇人大代表 %(t)s 名，编入本镇的县级以上人大代表 %(h)s 名）")
        % {
            "n": len(rows),
            "t": sum(1 for d in deputies if d.level == Deputy.Level.TOWNSHIP),
            "h": sum(1 for d in deputies if d.level != Deputy.Level.TOWNSHIP),
        },
    )


def _local_date(value):
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d") if value else ""


# --- suggestions register with replies (代表议案和建议、批评、意见记录簿) ---------------------------


def build_suggestions(township: Township, year: int, user, params: dict) -> Register:
    from django.db.models import Prefetch

    from suggestions.models import SuggestionReply

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    qs = (
        suggestions_selectors.suggestions_visible_to(user)
        .filter(township=township)
        .filter(suggestions_selectors.received_in(start, end))
        .prefetch_related(
            Prefetch("replies", queryset=SuggestionReply.objects.select_related("unit").order_by("round"))
        )
        .order_by("year", "seq", "pk")
    )
    outcome_labels = {c["code"]: f"{c['code']} {c['label']}" for c in township.rules.outcome_classes}
    rows = []
    for _i, s in enumerate(qs, start=1):
        replies = "\n".join(
            _("第%(r)s次答复（%(u)s，%(d)s，%(o)s）：%(t)s")
            % {
                "r": r.round,
                "u": r.unit.name,
                "d": _local_date(r.replied_at),
                "o": outcome_labels.get(r.outcome_class, r.outcome_class),
                "t": r.text,
            }
            for r in s.replies.all()
        )
        rows.append(
            [
                s.number or "—",
                s.title,
                s.lead_deputy.name if s.lead_deputy_id else "",
                s.category,
                _local_date(s.submitted_at),
                s.lead_unit.name if s.lead_unit_id else "",
                replies,
                s.get_rating_display() if s.rating else "",
                s.get_status_display(),
            ]
        )
    headers = [
        _("编号"),
        _("建议标题"),
        _("领衔代表"),
        _("分类"),
        _("提出日期"),
        _("主办单位"),
        _("答复情况"),
        _("满意度"),
        _("状态"),
    ]
    return Register(
        title=_("%(t)s代表建议、批评和意见记录簿") % {"t": township.name},
        headers=headers,
        rows=rows,
        widths=[7, 17, 7, 7, 8, 10, 30, 7, 7],
        note=_("本年度收到 %(n)s 件") % {"n": len(rows)},
    )


# --- letters and visits register (人民来信来访记录簿) -------------------------------------------


def build_petitions(township: Township, year: int, user, params: dict) -> Register:
    qs = (
        supervision_selectors.petition_list(user, year=year)
        .filter(township=township)
        .order_by("received_on", "pk")
    )
    rows = []
    for i, p in enumerate(qs, start=1):
        forwarded = p.forwarded_unit.name if p.forwarded_unit_id else (p.forwarded_to or "")
        rows.append(
            [
                i,
                _d(p.received_on),
                p.get_channel_display(),
                p.person_name or "",
                p.subject,
                p.content,
                forwarded,
                p.result,
                p.get_status_display(),
            ]
        )
    headers = [
        _("序号"),
        _("收到日期"),
        _("方式"),
        _("信访人"),
        _("事由"),
        _("内容摘要"),
        _("转办单位"),
        _("办理结果"),
        _("状态"),
    ]
    return Register(
        title=_("%(t)s人民来信来访记录簿") % {"t": township.name},
        headers=headers,
        rows=rows,
        widths=[5, 9, 6, 8, 13, 25, 10, 16, 8],
        note=_("本年度受理 %(n)s 件") % {"n": len(rows)},
    )


# --- deputy performance archive (代表履职档案), one page per deputy ------------------------------


def build_archive(township: Township, year: int, user, params: dict) -> Register:
    from deputies.models import Deputy

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    qs = deputies_selectors.deputies_visible_to(user).filter(township=township, status=Deputy.Status.SERVING)
    if params.get("deputy"):
        qs = qs.filter(pk=params["deputy"])
    deputies = list(qs.order_by("district__sort_key", "district__name", "name_pinyin", "pk"))
    rows = deputies_selectors.archive_rows(
        deputies, start=start, end=end, rules=township.rules, today=min(end, timezone_today())
    )
    pages = [
        {
            "deputy": r["deputy"],
            "lines": r["lines"],
            "six_ones": r["six_ones"],
            "score": r["score"],
            "dormant": r["dormant"],
            "extra": r["extra_metrics"],
            "six_ones_met": r["six_ones_met"],
        }
        for r in rows
    ]
    summary = [
        [
            r["deputy"].name,
            r["deputy"].district.name if r["deputy"].district_id else "",
            r["score"],
            f"{r['six_ones_met']}/{len(r['six_ones'])}",
            _("是") if r["dormant"] else "",
        ]
        for r in rows
    ]
    return Register(
        title=_("%(t)s人大代表履职档案") % {"t": township.name},
        headers=[_("姓名"), _("选区"), _("履职积分"), _("“六个一”完成"), _("无履职记录")],
        rows=summary,
        pages=pages,
        note=_("在任代表 %(n)s 名") % {"n": len(pages)},
    )


# --- deputy group activity register (代表小组活动记录簿), one part per group ---------------------


def build_group_activities(township: Township, year: int, user, params: dict) -> Register:
    """Every recorded activity of a deputy group in the year, grouped by group, in date order. The
    deputies app records no place for an activity: the group's area (联系片区) is printed instead."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    acts = (
        deputies_selectors.activities_visible_to(user)
        .filter(township=township, group__isnull=False, date__gte=start, date__lte=end)
        .prefetch_related("deputies")
        .order_by("group__name", "date", "pk")
    )
    groups: dict[str, list[list]] = {}
    for a in acts:
        rows = groups.setdefault(a.group.name, [])
        rows.append(
            [
                len(rows) + 1,
                _d(a.date),
                a.group.area,
                a.title,
                "、".join(d.name for d in a.deputies.all()),
                a.note,
            ]
        )
    total = sum(len(r) for r in groups.values())
    return Register(
        title=_("%(t)s代表小组活动记录簿") % {"t": township.name},
        headers=[_("序号"), _("日期"), _("地点（联系片区）"), _("活动主题"), _("参加代表"), _("活动内容")],
        groups=list(groups.items()),
        widths=[5, 10, 14, 20, 20, 31],
        note=_("%(g)s个代表小组，全年活动 %(n)s 次") % {"g": len(groups), "n": total},
    )


# --- documents register (各级文件登记簿) -------------------------------------------------------


def build_documents(township: Township, year: int, user, params: dict) -> Register:
    from .selectors import documents_visible_to

    docs = documents_visible_to(user).filter(township=township, date__year=year).order_by("date", "pk")
    rows = [
        [
            i,
            d.get_direction_display(),
            _d(d.date),
            d.number,
            d.issuer,
            d.title,
            d.handling,
            _("有") if d.copy else "",
        ]
        for i, d in enumerate(docs, start=1)
    ]
    return Register(
        title=_("%(t)s各级文件登记簿") % {"t": township.name},
        headers=[
            _("序号"),
            _("收发"),
            _("日期"),
            _("文号"),
            _("发文机关"),
            _("文件标题"),
            _("办理情况"),
            _("存档"),
        ],
        rows=rows,
        widths=[5, 6, 9, 13, 15, 25, 21, 6],
        note=_("本年度登记文件 %(n)s 件") % {"n": len(rows)},
    )


# --- exemplary deeds book (代表先进事迹记录簿) --------------------------------------------------


def build_deeds(township: Township, year: int, user, params: dict) -> Register:
    from .selectors import deeds_visible_to

    deeds = deeds_visible_to(user).filter(township=township, date__year=year).order_by("date", "pk")
    rows = [
        [
            i,
            d.deputy.name,
            d.deputy.district.name if d.deputy.district_id else "",
            _d(d.date),
            d.title + (f"\n{d.content}" if d.content else ""),
            d.get_source_display() + (f"（{d.source_note}）" if d.source_note else ""),
            d.verified_by,
        ]
        for i, d in enumerate(deeds, start=1)
    ]
    return Register(
        title=_("%(t)s代表先进事迹记录簿") % {"t": township.name},
        headers=[_("序号"), _("代表"), _("选区"), _("日期"), _("先进事迹"), _("来源"), _("核实人")],
        rows=rows,
        widths=[5, 8, 10, 9, 46, 13, 9],
        note=_("本年度记录先进事迹 %(n)s 件") % {"n": len(rows)},
    )


def timezone_today():
    from django.utils import timezone

    return timezone.localdate()


BOOKS: dict[str, Book] = {
    JobKind.ROSTER_BOOK: Book(
        JobKind.ROSTER_BOOK,
        gettext_lazy("代表分组情况及代表花名册"),
        "deputies",
        "reports/pdf/register.html",
        build_roster,
        description=gettext_lazy("在任代表的基本情况，按选区排列。"),
        excel=("deputies:export_roster", False),
    ),
    JobKind.SUGGESTIONS_REGISTER: Book(
        JobKind.SUGGESTIONS_REGISTER,
        gettext_lazy("代表议案和建议、批评、意见记录簿"),
        "suggestions",
        "reports/pdf/register.html",
        build_suggestions,
        description=gettext_lazy("全年建议的编号、领衔代表、类别、承办单位、答复与测评。"),
        excel=("suggestions:export_register", True),
    ),
    JobKind.PETITIONS_REGISTER: Book(
        JobKind.PETITIONS_REGISTER,
        gettext_lazy("人民来信来访记录簿"),
        "supervision",
        "reports/pdf/register.html",
        build_petitions,
        description=gettext_lazy("全年来信来访的登记、转办与办理结果。"),
        # The supervision app exports no register of its own: these rows are the Excel.
    ),
    JobKind.ARCHIVE_BOOK: Book(
        JobKind.ARCHIVE_BOOK,
        gettext_lazy("代表履职档案"),
        "deputies",
        "reports/pdf/archive.html",
        build_archive,
        wide=False,
        description=gettext_lazy("每名代表一页：会议、活动、联系选民、建议、培训、述职、“六个一”与积分。"),
    ),
    JobKind.GROUP_ACTIVITY_BOOK: Book(
        JobKind.GROUP_ACTIVITY_BOOK,
        gettext_lazy("代表小组活动记录簿"),
        "deputies",
        "reports/pdf/register.html",
        build_group_activities,
        description=gettext_lazy("按代表小组排列的全年小组活动：日期、地点、主题、参加代表、内容。"),
    ),
    JobKind.DOCUMENTS_REGISTER: Book(
        JobKind.DOCUMENTS_REGISTER,
        gettext_lazy("各级文件登记簿"),
        "reports",
        "reports/pdf/register.html",
        build_documents,
        description=gettext_lazy("收文、发文的文号、发文机关、日期、标题、办理情况和存档文件。"),
    ),
    JobKind.DEEDS_BOOK: Book(
        JobKind.DEEDS_BOOK,
        gettext_lazy("代表先进事迹记录簿"),
        "reports",
        "reports/pdf/register.html",
        build_deeds,
        description=gettext_lazy("每件事迹一条：代表、日期、事迹、来源、核实人。"),
    ),
}

# Books whose rows staff keep on a page of this app (linked from the books page).
BOOK_PAGES = {JobKind.DOCUMENTS_REGISTER: "reports:documents", JobKind.DEEDS_BOOK: "reports:deeds"}


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
