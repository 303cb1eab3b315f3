"""Reads for the dashboards and the statistics API.

Every figure comes from the domain apps' ``township_stats(*, township_ids, start, end)`` (see
docs/DEVELOPING.md); this module only chooses the townships a user may see, the period, merges the
apps' answers into sections, ranks and sums them. It never recounts a domain figure itself.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress import selectors as congress_selectors
from deputies.models import ReceptionDay
from livelihood.selectors import overdue_milestones
from presidium.figures import is_rate, stats_modules
from presidium.models import County, Township
from presidium.selectors import FIRST_RECORD_YEAR, counties_visible_to, townships_visible_to

# Section → (app label, key filter). Letters and visits (信访) are kept by the supervision app; its
# keys that start with "petition" form their own section so that clients can ask for them alone.
SECTIONS: dict[str, tuple[str, str]] = {
    "suggestions": ("suggestions", "all"),
    "deputies": ("deputies", "all"),
    "meetings": ("congress", "all"),
    "supervision": ("supervision", "not_petition"),
    "petitions": ("supervision", "petition"),
    "livelihood": ("livelihood", "all"),
}
SECTION_LABELS = {
    "suggestions": gettext_lazy("代表建议"),
    "deputies": gettext_lazy("代表履职"),
    "meetings": gettext_lazy("会议"),
    "supervision": gettext_lazy("监督活动"),
    "petitions": gettext_lazy("信访"),
    "livelihood": gettext_lazy("民生实事"),
}
PETITION_PREFIXES = ("petition", "letters", "visits")

# Month labels are formatted when shown (in the reader's language), not once at import.
_month_label = lazy(lambda m: _("%(m)d月") % {"m": m}, str)

PERIOD_CHOICES = [
    ("year", gettext_lazy("全年")),
    ("h1", gettext_lazy("上半年")),
    ("h2", gettext_lazy("下半年")),
    ("q1", gettext_lazy("第一季度")),
    ("q2", gettext_lazy("第二季度")),
    ("q3", gettext_lazy("第三季度")),
    ("q4", gettext_lazy("第四季度")),
    *[(f"m{m:02d}", _month_label(m)) for m in range(1, 13)],
]
PERIOD_CODES = [code for code, _label in PERIOD_CHOICES]
MIN_YEAR = FIRST_RECORD_YEAR


@dataclass(frozen=True)
class Period:
    """A calendar year or a part of it; ``start`` and ``end`` are inclusive dates."""

    year: int
    code: str
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return _("%(year)s年%(period)s") % {"year": self.year, "period": dict(PERIOD_CHOICES)[self.code]}

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "period": self.code,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


def period_for(year=None, code=None, *, today: dt.date | None = None) -> Period:
    """Parse a year and a period code (year, h1, h2, q1–q4, m01–m12) into dates.

    Raises ``ValidationError`` with a Chinese message for anything a user could type wrongly.
    """
    today = today or timezone.localdate()
    if year in (None, ""):
        year = today.year
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError(_("年份须为数字，例如 %(y)s。") % {"y": today.year}, code="year") from None
    if not MIN_YEAR <= year <= today.year + 1:
        raise ValidationError(
            _("年份须在 %(a)s 至 %(b)s 之间。") % {"a": MIN_YEAR, "b": today.year + 1}, code="year"
        )
    code = (code or "year").strip().lower()
    if code not in PERIOD_CODES:
        raise ValidationError(_("统计区间无效，可选：全年、上/下半年、季度或月份。"), code="period")
    if code == "year":
        start_month, months = 1, 12
    elif code[0] == "h":
        start_month, months = (1 if code == "h1" else 7), 6
    elif code[0] == "q":
        start_month, months = (int(code[1]) - 1) * 3 + 1, 3
    else:
        start_month, months = int(code[1:]), 1
    end_month = start_month + months - 1
    start = dt.date(year, start_month, 1)
    end = dt.date(year, end_month, calendar.monthrange(year, end_month)[1])
    return Period(year=year, code=code, start=start, end=end)


# --- the apps' figures -------------------------------------------------------------------------


def stats_sources() -> dict[str, object]:
    """App label → its selectors module, for every app that provides township figures
    (``presidium.figures.STATS_APPS``)."""
    sections_apps = {app for app, _f in SECTIONS.values()}
    return {label: mod for label, mod in stats_modules().items() if label in sections_apps}


def _keep(key: str, key_filter: str) -> bool:
    if key_filter == "all":
        return True
    is_petition = key.startswith(PETITION_PREFIXES)
    return is_petition if key_filter == "petition" else not is_petition


def available_sections() -> list[str]:
    sources = stats_sources()
    return [s for s, (app, _f) in SECTIONS.items() if app in sources]


def section_labels(section: str) -> dict[str, str]:
    """Key → Chinese label for one section, in the order the app declares them."""
    app, key_filter = SECTIONS[section]
    mod = stats_sources().get(app)
    if mod is None:
        return {}
    labels = mod.STATS_LABELS
    return {k: str(v) for k, v in labels.items() if _keep(k, key_filter)}


def all_labels() -> dict[str, dict[str, str]]:
    return {s: section_labels(s) for s in available_sections()}


def app_figures_for_periods(
    *,
    apps: list[str],
    township_ids: list[int],
    periods: list[tuple[dt.date, dt.date]],
    use_snapshots: bool | None = None,
    meta: dict | None = None,
) -> dict[tuple, dict[str, dict[int, dict]]]:
    """{(start, end): {app: {township_id: {key: number}}}}: rows of the summary table where they
    are fresh (one query for every app and period), the app's own ``township_stats`` for the
    townships that have none (one call per app and period, each a fixed number of grouped queries,
    whatever the number of townships).

    A row is fresh when it is younger than FIGURES_MAX_AGE and was computed after the township's
    last committed change (``FiguresChange``, see dashboards/freshness.py): a figure someone just
    changed is never served from the table. Without a worker (``FIGURES_SNAPSHOTS`` off, the
    embedded default) the table is not read at all. ``meta``, when given, receives ``as_of``: the
    oldest summary row used (None when every figure was computed live now)."""
    from django.conf import settings

    sources = stats_sources()
    apps = [a for a in apps if a in sources]
    out = {p: {a: {} for a in apps} for p in periods}
    as_of = None
    if use_snapshots is None:
        use_snapshots = bool(getattr(settings, "FIGURES_SNAPSHOTS", False))
    if township_ids and apps and periods and use_snapshots:
        from django.db.models import Exists, OuterRef, Q

        from .models import FiguresChange, TownshipFigures

        fresh_after = timezone.now() - dt.timedelta(seconds=getattr(settings, "FIGURES_MAX_AGE", 1800))
        when = Q()
        for start, end in periods:
            when |= Q(start=start, end=end)
        changed_since = FiguresChange.objects.filter(
            township_id=OuterRef("township_id"), changed_at__gte=OuterRef("computed_at")
        )
        for app, tid, start, end, values, computed_at in (
            TownshipFigures.objects.filter(
                when, app__in=apps, township_id__in=township_ids, computed_at__gte=fresh_after
            )
            .exclude(Exists(changed_since))
            .values_list("app", "township_id", "start", "end", "values", "computed_at")
        ):
            out[(start, end)][app][tid] = values
            as_of = computed_at if as_of is None else min(as_of, computed_at)
    if township_ids and apps and periods:
        for (start, end), per_app in out.items():
            for app in apps:
                missing = [tid for tid in township_ids if tid not in per_app[app]]
                if missing:
                    per_app[app].update(
                        sources[app].township_stats(township_ids=missing, start=start, end=end)
                    )
    if meta is not None:
        meta["as_of"] = as_of
    return out


def app_figures(
    *,
    apps: list[str],
    township_ids: list[int],
    start: dt.date,
    end: dt.date,
    use_snapshots: bool | None = None,
    meta: dict | None = None,
) -> dict[str, dict[int, dict]]:
    """{app: {township_id: {key: number}}} for one period (see ``app_figures_for_periods``)."""
    return app_figures_for_periods(
        apps=apps, township_ids=township_ids, periods=[(start, end)], use_snapshots=use_snapshots, meta=meta
    )[(start, end)]


def figures(
    *, township_ids: list[int], period: Period, sections=None, meta: dict | None = None
) -> dict[int, dict[str, dict]]:
    """{township_id: {section: {key: number}}} for the given townships and period.

    Keys an app declares in STATS_LABELS but omits for a township are 0. ``meta`` receives
    ``as_of`` (see ``app_figures_for_periods``).
    """
    township_ids = list(township_ids)
    wanted = [s for s in (sections or available_sections()) if s in SECTIONS]
    out: dict[int, dict[str, dict]] = {tid: {} for tid in township_ids}
    apps = list(dict.fromkeys(SECTIONS[s][0] for s in wanted))
    by_app = app_figures(apps=apps, township_ids=township_ids, start=period.start, end=period.end, meta=meta)
    for section in wanted:
        app, key_filter = SECTIONS[section]
        if app not in by_app:
            continue
        labels = section_labels(section)
        for tid in township_ids:
            raw = by_app[app].get(tid, {}) or {}
            row = dict.fromkeys(labels, 0)
            row.update({k: v for k, v in raw.items() if _keep(k, key_filter)})
            out[tid][section] = row
    return out


# Apps whose figures are costly to compute (the deputies' archive walks every serving deputy) keep
# only the year periods in the summary table; their other periods are computed live on demand.
SNAPSHOT_CODES_BY_APP = {"deputies": ("year",)}


def snapshot_periods(today: dt.date | None = None, app: str | None = None) -> list[Period]:
    """The periods the summary table keeps: this year, its halves, quarters and current month (the
    dashboards' defaults and the workbench trend), and last year."""
    today = today or timezone.localdate()
    codes = ["year", "h1", "h2", "q1", "q2", "q3", "q4", f"m{today.month:02d}"]
    allowed = SNAPSHOT_CODES_BY_APP.get(app)
    if allowed:
        codes = [c for c in codes if c in allowed]
    return [period_for(today.year, c, today=today) for c in codes] + [
        period_for(today.year - 1, "year", today=today)
    ]


def rate_definitions(section: str) -> dict[str, tuple[str, str]]:
    """Rate key → (numerator key, denominator key) as declared by the app (``STATS_RATES``)."""
    app, _f = SECTIONS[section]
    mod = stats_sources().get(app)
    if mod is None:
        return {}
    return dict(mod.STATS_RATES)


def totals(rows: dict[int, dict[str, dict]]) -> dict[str, dict]:
    """Sum the townships' counts per section. A rate is recomputed from its numerator and
    denominator when the app declares them (``STATS_RATES``); otherwise it is left out (None),
    because an average of rates would be wrong."""
    out: dict[str, dict] = {}
    for per_section in rows.values():
        for section, values in per_section.items():
            acc = out.setdefault(section, {})
            for key, value in values.items():
                if is_rate(key):
                    acc.setdefault(key, None)
                    continue
                if isinstance(value, int | float):
                    acc[key] = (acc.get(key) or 0) + value
    for section, acc in out.items():
        for key, (num, den) in rate_definitions(section).items():
            if key in acc and acc.get(den):
                acc[key] = round(100.0 * (acc.get(num) or 0) / acc[den], 1)
            elif key in acc:
                acc[key] = None
    return out


# --- visibility --------------------------------------------------------------------------------


def dashboard_townships(user, county: County | None = None) -> QuerySet[Township]:
    qs = townships_visible_to(user).order_by("code")
    if county is not None:
        qs = qs.filter(county_id=county.pk)
    return qs


def county_for(user, county_id: int | None = None) -> County | None:
    """The county whose dashboard the user reads: their own (county staff, county-scoped API keys),
    or any for a superuser when asked by id."""
    qs = counties_visible_to(user)
    if county_id is not None:
        return qs.filter(pk=county_id).first()
    own = getattr(user, "county_id", None)
    return qs.filter(pk=own).first() if own else qs.order_by("code").first()


# --- the county table -------------------------------------------------------------------------


@dataclass
class CountyRow:
    township: Township
    values: dict
    rank: int = 0


def county_table(
    *,
    user,
    county: County,
    period: Period,
    section: str,
    sort: str | None = None,
    descending: bool = True,
    meta: dict | None = None,
) -> tuple[list[CountyRow], dict[str, str], str]:
    """Townships of the county side by side for one section, sorted and ranked by ``sort``.

    Returns (rows, labels, sort key). Ties share a rank (1, 2, 2, 4 …).
    """
    townships = list(dashboard_townships(user, county))
    labels = section_labels(section)
    data = figures(township_ids=[t.pk for t in townships], period=period, sections=[section], meta=meta)
    rows = [CountyRow(township=t, values=data[t.pk].get(section, {})) for t in townships]
    if sort not in labels:
        sort = next(iter(labels), None)
    if sort:

        def key(row):
            v = row.values.get(sort)
            return (v is not None, v if v is not None else 0)

        rows.sort(key=lambda r: r.township.code)
        rows.sort(key=key, reverse=descending)
        previous, rank = object(), 0
        for position, row in enumerate(rows, start=1):
            value = row.values.get(sort)
            if value != previous:
                rank, previous = position, value
            row.rank = rank
    return rows, labels, sort


def trend(*, township_ids: list[int], year: int, section: str, key: str) -> list[tuple[str, float]]:
    """One figure per quarter of ``year`` for the given townships (summed): the trend line."""
    quarters = [period_for(year, f"q{q}") for q in range(1, 5)]
    app, _f = SECTIONS[section]
    data = app_figures_for_periods(
        apps=[app], township_ids=township_ids, periods=[(p.start, p.end) for p in quarters]
    )
    points = []
    for q, p in enumerate(quarters, start=1):
        per_township = data[(p.start, p.end)].get(app, {})
        points.append((f"Q{q}", sum((per_township.get(t, {}).get(key) or 0) for t in township_ids)))
    return points


def suggestion_breakdowns(*, township: Township, period: Period, dimensions=("category", "unit")) -> dict:
    """{dimension: [row, …]} from the suggestions app's own grouped figures (its stats_breakdown)."""
    from suggestions.selectors import stats_breakdown

    return {
        d: stats_breakdown(township=township, start=period.start, end=period.end, by=d) for d in dimensions
    }


# --- the township workbench -------------------------------------------------------------------


@dataclass
class ActionItem:
    """One line of "what needs action today": a count and where to act on it."""

    key: str
    label: str
    count: int
    url_name: str = ""
    query: str = ""
    level: str = "primary"  # bootstrap colour: danger for overdue, warning for due soon


def _suggestion_actions(township_id: int, today: dt.date) -> list[ActionItem]:
    from suggestions.selectors import office_action_counts

    counts = office_action_counts(township_id=township_id, today=today)
    return [
        ActionItem("intake", _("建议待审查立案"), counts["intake"], "suggestions:list", "status=submitted"),
        ActionItem("assign", _("建议待交办/改派"), counts["assign"], "suggestions:list", "status=accepted"),
        ActionItem(
            "due_week", _("本周到期的建议"), counts["due_week"], "suggestions:list", "status=open", "warning"
        ),
        ActionItem(
            "overdue", _("已逾期未办结的建议"), counts["overdue"], "suggestions:list", "overdue=1", "danger"
        ),
        ActionItem("rating", _("已答复待代表测评"), counts["rating"], "suggestions:list", "status=replied"),
        ActionItem(
            "extension",
            _("延期申请待审批"),
            counts["extension"],
            "suggestions:list",
            "status=signed",
            "warning",
        ),
    ]


def township_actions(*, township: Township, today: dt.date | None = None) -> list[ActionItem]:
    """What the township's presidium office has to act on today."""
    today = today or timezone.localdate()
    items = _suggestion_actions(township.pk, today)
    reception = ReceptionDay.objects.filter(
        township_id=township.pk, date__gte=today, date__lte=today + dt.timedelta(days=14)
    ).count()
    items.append(ActionItem("reception", _("两周内的接待选民日"), reception, "deputies:reception_days"))
    late = overdue_milestones([township.pk], today).count()
    items.append(
        ActionItem("livelihood_overdue", _("民生实事项目逾期节点"), late, "livelihood:index", level="danger")
    )
    items.append(
        ActionItem(
            "presidium_meeting",
            _("主席团会议应召开（本期尚未召开）"),
            int(congress_selectors.presidium_meeting_due(township=township, today=today)),
            "congress:meetings",
            level="warning",
        )
    )
    return items
