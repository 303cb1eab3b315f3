"""Working-day arithmetic on the official Chinese calendar (holidays and make-up working weekends
调休), shared by every deadline in the product. One module, one calendar.

Where a year's calendar comes from, in order:

1. the holiday table (``presidium.HolidayYear`` / ``HolidayDay``): seeded from ``chinesecalendar``,
   edited by the superuser, loaded from the State Council's notice with ``load_holidays``;
2. the ``chinesecalendar`` package, for a year it knows (the same data the table was seeded from;
   used when the table is empty, e.g. a test database that was flushed);
3. a **provisional** calendar: the statutory holidays fixed by the national holidays regulation
   (元旦, 春节 除夕–初三, 清明, 劳动节 2 days, 端午, 中秋, 国庆 3 days; lunar dates and 清明 from
   ``lunar_python``) on top of Saturday/Sunday. It knows no make-up working days and no
   substitute rest days, so deadlines computed over it are marked provisional and recomputed when
   the year is loaded — never a silent Monday–Friday.

The calendar is cached in the process (two queries load every year); a change to the table bumps a
version in Django's cache so other processes reload within ``_RECHECK_SECONDS``.
"""

import calendar
import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass, field

import chinese_calendar

logger = logging.getLogger(__name__)

_RECHECK_SECONDS = 30
_VERSION_KEY = "presidium:holiday-calendar-version"

# chinesecalendar names its holidays in English; the table keeps the official Chinese names.
PACKAGE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


@dataclass(frozen=True)
class YearCalendar:
    year: int
    rest: frozenset = frozenset()  # official rest days (weekday holidays and holiday weekends)
    work: frozenset = frozenset()  # make-up working days (调休上班), usually a Saturday or Sunday
    names: dict = field(default_factory=dict, compare=False)
    source: str = "table"  # table | package | provisional
    provisional: bool = False

    def is_workday(self, day: dt.date) -> bool:
        if day in self.work:
            return True
        if day in self.rest:
            return False
        return day.weekday() < 5


_lock = threading.Lock()
_cache: dict[int, YearCalendar] = {}
_table: dict[int, YearCalendar] | None = None
_state = {"checked_at": 0.0, "version": None}


def clear_cache() -> None:
    """Forget the cached calendar in this process (tests; after the table changes)."""
    global _table
    with _lock:
        _cache.clear()
        _table = None
        _state["checked_at"] = 0.0


def calendar_changed() -> None:
    """The holiday table changed: reload here now, and in other processes at their next check."""
    clear_cache()
    try:
        from django.core.cache import cache

        cache.set(_VERSION_KEY, time.time_ns(), None)
    except Exception:  # a cache outage must not break an admin save; this process reloaded already
        logger.warning("holiday calendar: could not bump the shared version", exc_info=True)


def _shared_version():
    try:
        from django.core.cache import cache

        return cache.get(_VERSION_KEY)
    except Exception:
        return None


def _recheck() -> None:
    now = time.monotonic()
    if now - _state["checked_at"] < _RECHECK_SECONDS:
        return
    version = _shared_version()
    if _state["checked_at"] and version != _state["version"]:
        clear_cache()
    _state["checked_at"], _state["version"] = time.monotonic(), version


def _load_table() -> dict[int, YearCalendar] | None:
    """Every loaded year from the holiday table, in two queries; None when the database is not
    reachable (then the package and the provisional rule still answer, uncached)."""
    try:
        from presidium.models import HolidayDay, HolidayYear

        years = {y.year: y.source for y in HolidayYear.objects.all()}
        rest: dict[int, set] = {y: set() for y in years}
        work: dict[int, set] = {y: set() for y in years}
        names: dict[int, dict] = {y: {} for y in years}
        for day in HolidayDay.objects.values("year__year", "date", "kind", "name"):
            y = day["year__year"]
            (work if day["kind"] == HolidayDay.Kind.WORK else rest)[y].add(day["date"])
            names[y][day["date"]] = day["name"]
    except Exception:  # no database (yet), table missing before migrate, no db access
        return None
    return {
        y: YearCalendar(y, frozenset(rest[y]), frozenset(work[y]), names[y], source=f"table:{src}")
        for y, src in years.items()
    }


def package_years() -> range:
    return range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)


def package_days(year: int) -> list[tuple[dt.date, str, str]]:
    """(date, kind, name) of ``year`` as chinesecalendar knows it; [] for a year it does not know."""
    out = [
        (d, "rest", PACKAGE_NAMES.get(str(n), str(n)))
        for d, n in chinese_calendar.holidays.items()
        if d.year == year
    ]
    out += [
        (d, "work", PACKAGE_NAMES.get(str(n), str(n)))
        for d, n in chinese_calendar.workdays.items()
        if d.year == year
    ]
    return sorted(out)


def statutory_rest_days(year: int) -> dict[dt.date, str]:
    """The national holidays fixed in advance by the regulation (全国年节及纪念日放假办法, 2025
    revision): 元旦 1 day, 春节 除夕 to 初三, 清明 1, 劳动节 1–2 May, 端午 1, 中秋 1, 国庆 1–3 Oct."""
    from lunar_python import Lunar, Solar

    def solar(s) -> dt.date:
        return dt.date(s.getYear(), s.getMonth(), s.getDay())

    days = {dt.date(year, 1, 1): "元旦"}
    new_year = solar(Lunar.fromYmd(year, 1, 1).getSolar())
    for offset in range(-1, 3):  # 除夕 … 初三
        days[new_year + dt.timedelta(days=offset)] = "春节"
    days[solar(Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()["清明"])] = "清明节"
    days[dt.date(year, 5, 1)] = days[dt.date(year, 5, 2)] = "劳动节"
    days[solar(Lunar.fromYmd(year, 5, 5).getSolar())] = "端午节"
    days[solar(Lunar.fromYmd(year, 8, 15).getSolar())] = "中秋节"
    for d in (1, 2, 3):
        days[dt.date(year, 10, d)] = "国庆节"
    # Only the days of ``year`` (除夕 of a late-January New Year is still in the same year).
    return {d: n for d, n in days.items() if d.year == year}


def _build(year: int, table: dict[int, YearCalendar] | None) -> YearCalendar:
    if table and year in table:
        return table[year]
    days = package_days(year)
    if days:
        return YearCalendar(
            year,
            frozenset(d for d, k, _n in days if k == "rest"),
            frozenset(d for d, k, _n in days if k == "work"),
            {d: n for d, _k, n in days},
            source="package",
        )
    statutory = statutory_rest_days(year)
    return YearCalendar(year, frozenset(statutory), frozenset(), statutory, "provisional", provisional=True)


def year_calendar(year: int) -> YearCalendar:
    global _table
    _recheck()
    cal = _cache.get(year)
    if cal is not None:
        return cal
    with _lock:
        if _table is None:
            _table = _load_table()
        table = _table
        cal = _build(year, table)
        if table is not None:  # don't cache an answer given without the table
            _cache[year] = cal
        else:
            _table = None
    return cal


def is_provisional(year: int) -> bool:
    """True while ``year``'s official calendar is not loaded (statutory holidays only)."""
    return year_calendar(year).provisional


def span_is_provisional(start: dt.date, end: dt.date) -> bool:
    """Whether a date computed from ``start`` to ``end`` crossed a provisional year."""
    lo, hi = sorted((start, end))
    return any(is_provisional(y) for y in range(lo.year, hi.year + 1))


def is_workday(day: dt.date) -> bool:
    return year_calendar(day.year).is_workday(day)


def add_workdays(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (start itself not counted)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_workday(current):
            remaining -= 1
    return current


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    if end <= start:
        return 0
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if is_workday(current):
            count += 1
    return count


def add_months(start: dt.date, months: int) -> dt.date:
    """Calendar months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def next_workday_on_or_after(day: dt.date) -> dt.date:
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


@dataclass(frozen=True)
class Due:
    date: dt.date
    provisional: bool  # computed over a year whose official calendar is not loaded yet


def due_after(start: dt.date, *, workdays: int | None = None, months: int | None = None) -> Due:
    """THE deadline rule: ``workdays`` working days after ``start``, or the same day ``months``
    calendar months later moved to the next working day when it falls on a rest day. Every due
    date in the product comes from here (suggestions.deadlines.due_date, supervision's
    rectification deadlines)."""
    if (workdays is None) == (months is None):
        raise ValueError("give workdays or months")
    if workdays is not None:
        day = add_workdays(start, int(workdays))
    else:
        day = next_workday_on_or_after(add_months(start, int(months)))
    return Due(day, span_is_provisional(start, day))


def next_year_missing(today: dt.date) -> bool:
    """From 1 November, next year's official calendar should be loaded."""
    return today.month >= 11 and is_provisional(today.year + 1)
