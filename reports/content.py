"""What the annual work report says: chapters assembled from the staff's narrative and from each
app's own figures (``township_stats`` and list selectors). Reads only; nothing is counted here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from presidium.models import Township

from . import charts
from .models import Section
from .selectors import narratives_for, township_figures

CN_NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]
PETITION_PREFIXES = ("petition", "letters", "visits")
RATE_SUFFIXES = ("_rate", "_pct", "_percent")
PRESIDIUM_MARKERS = ("presidium",)
OVERVIEW_PER_CHAPTER = 4

APP_LABELS = {
    "congress": "会议",
    "deputies": "代表",
    "suggestions": "建议",
    "supervision": "监督与信访",
}


def is_rate(key: str) -> bool:
    return key.endswith(RATE_SUFFIXES)


def is_petition(key: str) -> bool:
    return key.startswith(PETITION_PREFIXES)


def is_presidium(key: str) -> bool:
    return any(m in key for m in PRESIDIUM_MARKERS)


def fmt(key: str, value) -> str:
    if value is None:
        return "—"
    if is_rate(key):
        return f"{float(value):.1f}%"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value)) if isinstance(value, int | float) else str(value)


def _text_width(value) -> int:
    """Printed width in half-em units: a Chinese character is twice as wide as a digit."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(value))


@dataclass
class Figure:
    key: str
    label: str
    value: object
    display: str


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list]
    widths: list[int] | None = None  # column widths in percent; tables use the fixed layout algorithm

    def colgroup(self) -> list[int]:
        """Column widths for the fixed table layout: given, or in proportion to the header and the
        typical length of the column's text (long titles get room, numbers stay narrow)."""
        if self.widths and len(self.widths) == len(self.headers):
            return self.widths
        weights = []
        for i, header in enumerate(self.headers):
            cells = [_text_width(row[i]) for row in self.rows[:50] if len(row) > i]
            typical = sum(cells) / len(cells) if cells else 0
            weights.append(min(60, max(6, _text_width(header), typical)))
        total = sum(weights) or 1
        return [round(100 * w / total) for w in weights]


@dataclass
class Chart:
    caption: str
    svg: str

    @property
    def src(self) -> str:
        return charts.data_uri(self.svg)


@dataclass
class Chapter:
    section: str
    number: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    pending: str = ""
    summary: str = ""
    app: str = ""

    @property
    def anchor(self) -> str:
        return f"ch-{self.section}"


# Section → (owning app, key filter). Sessions and presidium meetings both come from congress;
# letters and visits are kept by the supervision app (keys starting with "petition"/"letters"/"visits").
SECTION_SOURCES = {
    Section.SESSIONS: ("congress", lambda k: not is_presidium(k)),
    Section.PRESIDIUM_MEETINGS: ("congress", is_presidium),
    Section.SUPERVISION: ("supervision", lambda k: not is_petition(k)),
    Section.SUGGESTIONS: ("suggestions", lambda k: True),
    Section.DEPUTIES: ("deputies", lambda k: True),
    Section.PETITIONS: ("supervision", is_petition),
}


def _figures(app_figures: dict, key_filter) -> list[Figure]:
    values, labels = app_figures["values"], app_figures["labels"]
    keys = [k for k in labels if k in values] + [k for k in values if k not in labels]
    return [Figure(k, str(labels.get(k, k)), values[k], fmt(k, values[k])) for k in keys if key_filter(k)]


def _summary(figures: list[Figure]) -> str:
    """One sentence of the year's figures, so that no figure in the narrative is typed by hand."""
    parts = [f"{f.label}{f.display}" for f in figures if f.value not in (None, "", 0)]
    return ("，".join(parts) + "。") if parts else ""


def _count_chart(figures: list[Figure], title: str) -> Chart | None:
    counts = [f for f in figures if not is_rate(f.key) and isinstance(f.value, int | float) and f.value][:8]
    if len(counts) < 2:
        return None
    return Chart(title, charts.bar([f.label for f in counts], [f.value for f in counts], title=title))


def build_annual_report(township: Township, year: int, *, user, extras=None) -> dict:
    """The whole report as a template context: cover data and the chapters in print order. ``user``
    is the reader (staff, county staff, API key, or the job's requester): the owning apps' list
    selectors apply their visibility to it."""
    figures_by_app = township_figures(township, year)
    narratives = narratives_for(township, year)
    chapters: list[Chapter] = []
    for index, section in enumerate(Section):
        title = str(section.label)
        if section == Section.NEXT_YEAR:
            title = _("%(year)s年工作安排") % {"year": year + 1}
        chapter = Chapter(section=section.value, number=CN_NUMERALS[index], title=title)
        narrative = narratives.get(section.value)
        chapter.paragraphs = narrative.paragraphs() if narrative else []
        source = SECTION_SOURCES.get(section)
        if source:
            app, key_filter = source
            chapter.app = app
            if app not in figures_by_app:
                chapter.pending = _("本节数据尚未接入（%(app)s模块尚未提供统计）。") % {
                    "app": APP_LABELS[app]
                }
            else:
                chapter.figures = _figures(figures_by_app[app], key_filter)
                chapter.summary = _summary(chapter.figures)
        chapters.append(chapter)

    overview = chapters[0]
    rows = []
    for chapter in chapters[1:]:
        # The most telling figures of each chapter (the apps list them first in STATS_LABELS).
        rows += [[chapter.title, f.label, f.display] for f in chapter.figures[:OVERVIEW_PER_CHAPTER]]
    if rows:
        overview.tables.append(
            Table(
                _("%(year)s年主要工作数据一览") % {"year": year},
                [_("类别"), _("指标"), _("数值")],
                rows,
                widths=[35, 45, 20],
            )
        )
    overview.summary = _summary([f for c in chapters[1:] for f in c.figures if not is_rate(f.key)][:12])

    if extras is None:
        from .enrich import ENRICHERS as extras
    by_section = {c.section: c for c in chapters}
    for enrich in extras:
        enrich(township=township, year=year, chapters=by_section, figures=figures_by_app, user=user)
    for chapter in chapters:
        # A chapter whose app offers no chart of its own gets one of its main counts.
        if chapter.figures and not chapter.charts:
            chart = _count_chart(chapter.figures, _("%(title)s主要数据") % {"title": chapter.title})
            if chart:
                chapter.charts.append(chart)

    return {
        "township": township,
        "year": year,
        "title": _("%(township)s人民代表大会主席团工作报告") % {"township": township.name},
        "subtitle": _("（%(year)s年度）") % {"year": year},
        "issuer": _("%(township)s人大主席团") % {"township": township.name},
        "generated_at": timezone.localtime(),
        "report_date": min(timezone.localdate(), dt.date(year + 1, 1, 31)),
        "chapters": chapters,
    }
