"""What the annual work report says: chapters assembled from the staff's narrative and from each
app's own figures (``township_stats`` and list selectors). Reads only; nothing is counted here."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from presidium.figures import is_rate
from presidium.models import Township

from . import charts, fonts
from .models import Section
from .selectors import narratives_for, township_figures

CN_NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]
PETITION_PREFIXES = ("petition", "letters", "visits")
PRESIDIUM_MARKERS = ("presidium",)
SUBHEADING = re.compile(r"^（[一二三四五六七八九十]+）")

APP_LABELS = {
    "congress": "会议",
    "deputies": "代表",
    "suggestions": "建议",
    "supervision": "监督与信访",
    "livelihood": "民生实事",
}


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
    number: int = 0  # 表n, numbered through the document

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
    number: int = 0  # 图n, numbered through the document

    def png(self, scale: float = 2.0) -> bytes:
        """The chart as PNG (for the Word file): cairosvg draws pygal's SVG offline."""
        return charts.to_png(self.svg, scale=scale)

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
    app: str = ""
    saved_text: str = ""
    # Generated from the records (never stored): sentences stating the figures, and named facts
    # (who was elected, the most and least satisfied unit …) that enrichers add before/after them.
    opening: list[str] = field(default_factory=list)
    lead_facts: list[str] = field(default_factory=list)
    after_first: list[str] = field(default_factory=list)  # facts that follow the first figure sentence
    facts: list[str] = field(default_factory=list)
    extra_values: dict = field(default_factory=dict)  # {app: {key: value}} for phrases
    # Figures typed in the saved narrative that no longer match the records.
    stale: list = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"ch-{self.section}"

    @property
    def blocks(self) -> list[dict]:
        """The saved narrative as print blocks: a line opening with "（一）" is a second-level heading."""
        return [{"heading": bool(SUBHEADING.match(p)), "text": p} for p in self.paragraphs]


# Section → (owning app, key filter). Sessions and presidium meetings both come from congress;
# letters and visits are kept by the supervision app (keys starting with "petition"/"letters"/"visits").
SECTION_SOURCES = {
    Section.SESSIONS: ("congress", lambda k: not is_presidium(k)),
    Section.PRESIDIUM_MEETINGS: ("congress", is_presidium),
    Section.SUPERVISION: ("supervision", lambda k: not is_petition(k)),
    Section.SUGGESTIONS: ("suggestions", lambda k: True),
    Section.DEPUTIES: ("deputies", lambda k: True),
    Section.PETITIONS: ("supervision", is_petition),
    Section.LIVELIHOOD: ("livelihood", lambda k: True),
}


def _figures(app_figures: dict, key_filter) -> list[Figure]:
    values, labels = app_figures["values"], app_figures["labels"]
    keys = [k for k in labels if k in values] + [k for k in values if k not in labels]
    return [Figure(k, str(labels.get(k, k)), values[k], fmt(k, values[k])) for k in keys if key_filter(k)]


def _count_chart(figures: list[Figure], title: str) -> Chart | None:
    counts = [f for f in figures if not is_rate(f.key) and isinstance(f.value, int | float) and f.value][:8]
    if len(counts) < 2:
        return None
    return Chart(title, charts.bar([f.label for f in counts], [f.value for f in counts], title=title))


def _place_word(township: Township) -> str:
    """全镇 / 全乡 / 全街道, as the seeds' reports say it."""
    for suffix in ("街道", "乡", "镇"):
        if township.name.endswith(suffix):
            return suffix
    return "镇"


def build_annual_report(
    township: Township, year: int, *, user, extras=None, charts_wanted: bool = True
) -> dict:
    """The whole report as a template context: the speech (chapters of generated sentences and the
    staff's narrative) and its appendix (tables and charts numbered through the document). ``user``
    is the reader (staff, county staff, API key, or the job's requester): the owning apps' list
    selectors apply their visibility to it. ``charts_wanted=False`` skips drawing the charts (the
    browser editor does not show them)."""
    from . import prose

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
        chapter.saved_text = narrative.text if narrative else ""
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
        chapters.append(chapter)

    if extras is None:
        from .enrich import ENRICHERS as extras
    by_section = {c.section: c for c in chapters}
    for enrich in extras:
        enrich(township=township, year=year, chapters=by_section, figures=figures_by_app, user=user)

    extra_values: dict = {}
    for chapter in chapters:
        for app, more in chapter.extra_values.items():
            extra_values.setdefault(app, {}).update(more)
    values = prose.figure_values(figures_by_app, extra_values)
    place = _place_word(township)
    for chapter in chapters:
        stated = prose.figure_sentences(chapter.section, values)
        sentences = chapter.lead_facts + stated[:1] + chapter.after_first + stated[1:] + chapter.facts
        chapter.opening = [s.replace("全镇", f"全{place}") for s in sentences if s]
        chapter.stale = prose.stale_figures(chapter.section, chapter.saved_text, values)

    # The appendix (附件): every figure in one table, then each chapter's charts and tables.
    rows = [[chapter.title, f.label, f.display] for chapter in chapters[1:] for f in chapter.figures]
    overview = chapters[0]
    if rows:
        overview.tables.insert(
            0,
            Table(
                _("%(year)s年主要工作数据一览") % {"year": year},
                [_("类别"), _("指标"), _("数值")],
                rows,
                widths=[30, 52, 18],
            ),
        )
    for chapter in chapters:
        if not charts_wanted:
            chapter.charts = []
        elif chapter.figures and not chapter.charts:
            # A chapter whose app offers no chart of its own gets one of its main counts.
            chart = _count_chart(chapter.figures, _("%(title)s主要数据") % {"title": chapter.title})
            if chart:
                chapter.charts.append(chart)
    appendix = []
    table_no = chart_no = 0
    for chapter in chapters:
        for table in chapter.tables:
            table_no += 1
            table.number = table_no
            appendix.append({"kind": "table", "item": table, "chapter": chapter})
        for chart in chapter.charts:
            chart_no += 1
            chart.number = chart_no
            appendix.append({"kind": "chart", "item": chart, "chapter": chapter})

    session = next_session_name(township, year)
    return {
        "township": township,
        "year": year,
        "title": _("%(township)s人民代表大会主席团工作报告") % {"township": township.name},
        "subtitle": _("（%(year)s年度）") % {"year": year},
        "session_name": session,
        "opening": prose.opening_sentence(session),
        "issuer": _("%(township)s人大主席团") % {"township": township.name},
        "generated_at": timezone.localtime(),
        "report_date": min(timezone.localdate(), dt.date(year + 1, 1, 31)),
        "chapters": chapters,
        "appendix": appendix,
        "appendix_title": _("%(year)s年主要工作数据图表") % {"year": year},
        "stale": [s for c in chapters for s in c.stale],
        "fonts": fonts.stacks(),
        "font_css": fonts.font_css(),
    }


def next_session_name(township: Township, year: int) -> str:
    """The session the report of ``year`` is read to: the first session recorded after the year,
    else the next number of the term of the year's last session ("第十届…第三次会议"). Without any
    session on record, the township's congress plainly."""
    from congress.models import Session

    from . import prose

    model = Session.objects
    after = (
        model.filter(township=township, start_date__gt=dt.date(year, 12, 31))
        .exclude(status="cancelled")
        .select_related("term")
        .order_by("start_date", "pk")
        .first()
    )
    if after is not None:
        return prose.session_name(after.term.number, after.number, township_name=township.name)
    last = (
        model.filter(township=township, start_date__lte=dt.date(year, 12, 31))
        .exclude(status="cancelled")
        .select_related("term")
        .order_by("-start_date", "-pk")
        .first()
    )
    if last is not None:
        return prose.session_name(last.term.number, last.number + 1, township_name=township.name)
    return _("%(t)s人民代表大会") % {"t": township.name}
