"""The presidium: its size limits, who sits on it on a day, meeting quorum and the minutes book, the
presidium-meeting rule (one meeting per period of the county's interval), and topic links."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from deputies.models import Deputy
from presidium.models import CountyRules, Township
from presidium.workdays import add_months

from ..models import (
    Attendance,
    PresidiumMeeting,
    PresidiumMembership,
)
from .sessions import current_deputies, has_quorum, majority_for, quorum_needed


def presidium_size_limits(township, term, on_date: dt.date) -> tuple[int, int]:
    rules = township.rules
    total = current_deputies(term, on_date).count()
    upper = (
        rules.presidium_max_members_large
        if total > rules.presidium_large_threshold
        else rules.presidium_max_members
    )
    return rules.presidium_min_members, upper


# Who sits on the presidium on a day: a membership that started on or before it and has not ended
# (the end date is the first day off the presidium). One rule, as a query condition and, for rows
# already read, as a test; the roster warnings, quorum, notices, reminders and the minutes book use it.


def member_on_q(on_date: dt.date, prefix: str = "") -> Q:
    """Memberships (reached through ``prefix``, e.g. ``"presidium_memberships__"``) serving on the day."""
    return Q(**{f"{prefix}start_date__lte": on_date}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gt": on_date})
    )


def member_on(start_date: dt.date, end_date: dt.date | None, on_date: dt.date) -> bool:
    """:func:`member_on_q` for a membership's dates already read."""
    return start_date <= on_date and (end_date is None or end_date > on_date)


def active_members(term, on_date: dt.date | None = None) -> QuerySet[PresidiumMembership]:
    """The current presidium members of ``term`` on ``on_date`` (today by default)."""
    on_date = on_date or timezone.localdate()
    return PresidiumMembership.objects.filter(member_on_q(on_date), term=term).select_related("deputy")


def member_deputies(term, on_date: dt.date | None = None) -> QuerySet[Deputy]:
    """The deputies who are current presidium members of ``term`` on ``on_date`` (today by default)."""
    on_date = on_date or timezone.localdate()
    return Deputy.objects.filter(
        member_on_q(on_date, "presidium_memberships__"), presidium_memberships__term=term
    ).distinct()


def minutes_book_meetings(meetings) -> list[PresidiumMeeting]:
    """Meetings for the minutes book, each with ``present``, ``away`` ((name, status label) pairs)
    and ``unmarked``: the presidium members serving on the meeting day whom nobody marked present
    or absent — the book lists every member, not only those with a mark. Two queries for the
    memberships of all the meetings' terms, whatever the number of meetings."""
    meetings = list(meetings)
    terms = {m.term_id for m in meetings}
    memberships = list(
        PresidiumMembership.objects.filter(term_id__in=terms)
        .select_related("deputy")
        .order_by("role", "deputy__name_pinyin", "pk")
    )
    labels = dict(Attendance.Status.choices)
    for m in meetings:
        marks = {a.deputy_id: a for a in m.attendances.all()}
        m.present = [a.deputy.name for a in marks.values() if a.status == Attendance.Status.PRESENT]
        m.away = [
            (a.deputy.name, labels.get(a.status, a.status))
            for a in marks.values()
            if a.status != Attendance.Status.PRESENT
        ]
        m.unmarked = [
            ms.deputy.name
            for ms in memberships
            if ms.term_id == m.term_id
            and member_on(ms.start_date, ms.end_date, m.date)
            and ms.deputy_id not in marks
        ]
    return meetings


def meeting_quorum(meeting: PresidiumMeeting) -> dict:
    rules = meeting.township.rules
    total = (
        meeting.member_count
        if meeting.member_count is not None
        else active_members(meeting.term, meeting.date).count()
    )
    counts = dict(
        meeting.attendances.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    present = counts.get(Attendance.Status.PRESENT, 0)
    return {
        "total": total,
        "present": present,
        "leave": counts.get(Attendance.Status.LEAVE, 0),
        "absent": counts.get(Attendance.Status.ABSENT, 0),
        "needed": quorum_needed(total, rules, "presidium"),
        "majority": majority_for(total, rules, "presidium"),
        "has_quorum": has_quorum(present, total, rules, "presidium"),
    }


def meeting_markable_deputies(meeting: PresidiumMeeting) -> QuerySet[Deputy]:
    """Deputies whose attendance may be marked at a meeting: the meeting's township's (the service
    checks that they sit on the presidium)."""
    return Deputy.objects.filter(township_id=meeting.township_id)


# The presidium-meeting rule (乡镇人大主席团会议, "每季度至少召开一次"): the presidium holds at least
# one meeting in every calendar period of N months counted from 1 January, N being the county's
# ``presidium_meeting_interval_months`` (3: every quarter). One rule for every reader: the warnings on
# the congress pages and the county figures count the finished periods without a held meeting
# (``meeting_gaps``), the workbench asks for a meeting while the running period has none
# (``presidium_meeting_due``), and the annual report prints the figures.


def _periods(year: int, months: int):
    """Calendar periods of ``months`` months from 1 January (quarters by default)."""
    months = max(1, min(12, months))
    start = dt.date(year, 1, 1)
    while start.year == year:
        end = add_months(start, months)
        yield start, min(end, dt.date(year + 1, 1, 1)) - dt.timedelta(days=1)
        start = end


def meeting_period(day: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """The period of the presidium-meeting rule that contains ``day``."""
    return next(p for p in _periods(day.year, months) if p[0] <= day <= p[1])


def presidium_meeting_due(*, township, today: dt.date | None = None) -> bool:
    """True while no presidium meeting has been held in the running period of the county's rule
    (this quarter by default), whenever the last one was."""
    today = today or timezone.localdate()
    start, _end = meeting_period(today, township.rules.presidium_meeting_interval_months)
    return not PresidiumMeeting.objects.filter(
        township=township, status=PresidiumMeeting.Status.HELD, date__gte=start, date__lte=today
    ).exists()


def rules_by_township(township_ids: list[int]) -> dict:
    """{township_id: CountyRules} in two queries; a county without a saved rules row gets the defaults."""
    counties = dict(Township.objects.filter(pk__in=township_ids).values_list("pk", "county_id"))
    saved = {r.county_id: r for r in CountyRules.objects.filter(county_id__in=set(counties.values()))}
    return {tid: saved.get(cid) or CountyRules(county_id=cid) for tid, cid in counties.items()}


def meeting_gaps(township_ids: list[int], start: dt.date, end: dt.date, today: dt.date | None = None) -> dict:
    """{township_id: [(period_start, period_end), …]} for finished periods in [start, end] without a
    held presidium meeting. Two queries whatever the number of townships."""
    today = today or timezone.localdate()
    held = defaultdict(list)
    for tid, day in PresidiumMeeting.objects.filter(
        township_id__in=township_ids,
        status=PresidiumMeeting.Status.HELD,
        date__gte=start,
        date__lte=end,
    ).values_list("township_id", "date"):
        held[tid].append(day)
    interval = {
        tid: r.presidium_meeting_interval_months for tid, r in rules_by_township(township_ids).items()
    }
    gaps = {}
    for tid in township_ids:
        months = interval.get(tid, 3)
        out = []
        for year in range(start.year, end.year + 1):
            for p_start, p_end in _periods(year, months):
                if p_start < start or p_end > end or p_end >= today:
                    continue
                if not any(p_start <= d <= p_end for d in held[tid]):
                    out.append((p_start, p_end))
        gaps[tid] = out
    return gaps


def linkable_activities(township_id: int):
    """The township's supervision activities a topic may link to (latest first)."""
    from supervision.models import SupervisionActivity

    return SupervisionActivity.objects.filter(township_id=township_id).order_by("-start_date", "-pk")[:200]


def suggestion_by_number(township_id: int, number: str):
    """The township's suggestion with that number (e.g. 2025-017), or None."""
    from suggestions.models import Suggestion

    return Suggestion.objects.filter(township_id=township_id, number=number.strip()).first()
