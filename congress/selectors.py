"""Reads for the congress app: visibility, who counts as a current deputy, quorum and majority
arithmetic, warnings, and the township figures consumed by dashboards and the annual report."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy, serving_on_q
from presidium.models import CountyRules, Role, Township
from presidium.selectors import principal_role, scope
from presidium.workdays import add_months

from .models import (
    AgendaItem,
    Attendance,
    Election,
    MeetingAttendance,
    MeetingTopic,
    Motion,
    PresidiumMeeting,
    PresidiumMembership,
    Session,
    Vote,
)

READ_ROLES = (Role.STAFF, Role.COUNTY, Role.ADMIN, "api")

# ---------------------------------------------------------------- visibility


def _readable(qs: QuerySet, user) -> QuerySet:
    """Sessions and presidium meetings are read by the township's staff, the county and API keys;
    deputies and unit officers reach them only through their own pages."""
    if principal_role(user) not in READ_ROLES:
        return qs.none()
    return scope(qs, user)


def sessions_visible_to(user) -> QuerySet[Session]:
    return _readable(Session.objects.select_related("township", "term"), user)


def motions_visible_to(user) -> QuerySet[Motion]:
    return _readable(Motion.objects.select_related("session__term", "lead_deputy", "township"), user)


def elections_visible_to(user) -> QuerySet[Election]:
    if principal_role(user) not in READ_ROLES:
        return Election.objects.none()
    return scope(
        Election.objects.select_related("session__term", "session__township"), user, field="session__township"
    )


def election_rounds(election: Election) -> list[Election]:
    """Every round of one election (the first and each 另行选举/重新投票), in order, with candidates."""
    root = election.first_round_id or election.pk
    return list(
        Election.objects.filter(Q(pk=root) | Q(first_round_id=root))
        .prefetch_related("candidates")
        .order_by("round", "pk")
    )


def agenda_items_visible_to(user) -> QuerySet[AgendaItem]:
    if principal_role(user) not in READ_ROLES:
        return AgendaItem.objects.none()
    return scope(
        AgendaItem.objects.select_related("session__term", "session__township"),
        user,
        field="session__township",
    )


def meetings_visible_to(user) -> QuerySet[PresidiumMeeting]:
    return _readable(PresidiumMeeting.objects.select_related("township", "term", "chair"), user)


def memberships_visible_to(user) -> QuerySet[PresidiumMembership]:
    return _readable(PresidiumMembership.objects.select_related("deputy", "term", "township"), user)


def session_list(user, *, q: str = "", status: str = "") -> QuerySet[Session]:
    qs = sessions_visible_to(user).annotate(
        present_count=Count(
            "attendances", filter=Q(attendances__status=Attendance.Status.PRESENT), distinct=True
        ),
        agenda_count=Count("agenda_items", distinct=True),
    )
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(place__icontains=q) | Q(township__name__icontains=q))
    return qs.order_by("-start_date", "-pk")


def meeting_list(user, *, q: str = "", year: int | None = None) -> QuerySet[PresidiumMeeting]:
    qs = meetings_visible_to(user).annotate(topic_count=Count("topics", distinct=True))
    if year:
        qs = qs.filter(date__year=year)
    if q:
        qs = qs.filter(
            Q(place__icontains=q) | Q(minutes__icontains=q) | Q(topics__title__icontains=q)
        ).distinct()
    return qs.order_by("-date", "-pk")


# ---------------------------------------------------------------- current deputies and arithmetic


def current_deputies(term, on_date: dt.date) -> QuerySet[Deputy]:
    """All current deputies of the township congress for ``term`` on ``on_date`` — the base of quorum
    and majority. County/city deputies organised in the township are not members of its congress.

    The deputies' status history (``DeputyStatusChange``) decides when it exists: the last change in
    effect on that day must be "serving" (or, before the first recorded change, that change must start
    from "serving"). Deputies without any history fall back to ``status``/``status_since``."""
    from deputies.models import DeputyStatusChange

    changes = DeputyStatusChange.objects.filter(deputy=OuterRef("pk"))
    last = (
        changes.filter(effective_date__lte=on_date).order_by("-effective_date", "-pk").values("to_status")[:1]
    )
    following = (
        changes.filter(effective_date__gt=on_date).order_by("effective_date", "pk").values("from_status")[:1]
    )
    serving = Deputy.Status.SERVING
    qs = Deputy.objects.filter(term=term, level=Deputy.Level.TOWNSHIP).annotate(
        history=Exists(changes), status_then=Subquery(last), status_before_next=Subquery(following)
    )
    return qs.filter(
        (Q(history=False) & serving_on_q(on_date))
        | Q(history=True, status_then=serving)
        | Q(history=True, status_then__isnull=True, status_before_next=serving)
    )


def session_deputies(session: Session) -> QuerySet[Deputy]:
    return current_deputies(session.term, session.start_date)


# Which CountyRules fractions apply: a congress session or a presidium meeting.
FRACTIONS = {
    "session": ("session_quorum", "resolution_majority"),
    "presidium": ("presidium_quorum", "presidium_majority"),
}


def _fraction(rules, name: str) -> tuple[int, int]:
    return getattr(rules, f"{name}_num"), getattr(rules, f"{name}_den")


def has_quorum(present: int, total: int, rules, kind: str = "session") -> bool:
    """At least num/den of all current deputies (or presidium members) present (≥ 2/3 by default)."""
    if total <= 0:
        return False
    num, den = _fraction(rules, FRACTIONS[kind][0])
    return present * den >= total * num


def quorum_needed(total: int, rules, kind: str = "session") -> int:
    """The smallest head count that makes the quorum."""
    num, den = _fraction(rules, FRACTIONS[kind][0])
    return -(-total * num // den)


def _majority_fraction(rules, kind: str) -> tuple[int, int]:
    return _fraction(rules, FRACTIONS[kind][1]) if rules is not None else (1, 2)


def passes_majority(votes_for: int, total: int, rules=None, kind: str = "session") -> bool:
    """MORE than num/den of **all** current deputies or presidium members (not of those present) —
    地方组织法 art. 18. num/den come from the county's rules for this kind of meeting (1/2 without
    rules). The one majority check: votes, elections, presidium decisions and the livelihood ballot
    all call it."""
    num, den = _majority_fraction(rules, kind)
    return total > 0 and votes_for * den > total * num


def majority_needed(total: int, num: int = 1, den: int = 2) -> int:
    """The smallest number of votes that is MORE than num/den of ``total``."""
    return total * num // den + 1


def majority_for(total: int, rules, kind: str = "session") -> int:
    """Votes needed to pass (shown before a vote), from the county's rules for this kind of meeting:
    the smallest count for which :func:`passes_majority` holds."""
    return majority_needed(total, *_majority_fraction(rules, kind))


def session_quorum(session: Session) -> dict:
    """Live quorum figures for a session: totals counted in the database, never per row in Python."""
    rules = session.township.rules
    deputies = session_deputies(session)
    total = deputies.count()
    counts = dict(
        Attendance.objects.filter(session=session, deputy__in=deputies)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    present = counts.get(Attendance.Status.PRESENT, 0)
    leave = counts.get(Attendance.Status.LEAVE, 0)
    absent = counts.get(Attendance.Status.ABSENT, 0)
    return {
        "total": total,
        "present": present,
        "leave": leave,
        "absent": absent,
        "unmarked": max(total - present - leave - absent, 0),
        "needed": quorum_needed(total, rules),
        "majority": majority_for(total, rules, "session"),
        "has_quorum": has_quorum(present, total, rules),
    }


def roll_call_rows(session: Session, *, q: str = "") -> QuerySet[Deputy]:
    """The roll: every current deputy with their mark (one query)."""
    qs = (
        session_deputies(session)
        .select_related("district")
        .prefetch_related(
            Prefetch(
                "session_attendances", queryset=Attendance.objects.filter(session=session), to_attr="marks"
            )
        )
    )
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(name_pinyin__icontains=q.lower()) | Q(name_initials__icontains=q.lower())
        )
    return qs.order_by("name_pinyin", "pk")


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


# ---------------------------------------------------------------- warnings


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


def township_warnings(township, today: dt.date | None = None) -> list[str]:
    """Warnings shown on the congress pages: sessions behind the yearly number, each finished period of
    the presidium-meeting rule without a held meeting, a presidium outside its size limits."""
    today = today or timezone.localdate()
    rules = township.rules
    out = []
    year_start = dt.date(today.year, 1, 1)
    held = Session.objects.filter(
        township=township,
        kind=Session.Kind.ORDINARY,
        start_date__gte=year_start,
        start_date__lte=today,
        status__in=[Session.Status.IN_SESSION, Session.Status.CLOSED],
    ).count()
    planned = (
        Session.objects.filter(
            township=township,
            kind=Session.Kind.ORDINARY,
            start_date__year=today.year,
            start_date__gt=today,
        )
        .exclude(status=Session.Status.CANCELLED)
        .count()
    )
    if held + planned < rules.sessions_per_year:
        out.append(
            _("今年已召开人代会 %(held)s 次、已安排 %(planned)s 次，少于每年 %(need)s 次的要求。")
            % {"held": held, "planned": planned, "need": rules.sessions_per_year}
        )
    gaps = meeting_gaps([township.pk], dt.date(today.year, 1, 1), today, today)[township.pk]
    for p_start, p_end in gaps:
        out.append(_("%(s)s 至 %(e)s 期间未召开主席团会议。") % {"s": p_start, "e": p_end})
    from deputies.selectors import current_term

    term = current_term(township)
    if term is not None and Session.objects.filter(term=term).exists():
        members = active_members(term, today).count()
        lower, upper = presidium_size_limits(township, term, today)
        if not lower <= members <= upper:
            out.append(
                _("主席团现有成员 %(n)s 人，不在规定的 %(min)s–%(max)s 人之间。")
                % {"n": members, "min": lower, "max": upper}
            )
    return out


def opening_warnings(session: Session) -> list[str]:
    """What is still missing for opening: unfinished 五落实 items, and report items whose documents
    have not reached the deputies before the opening day. Opening with any asks for confirmation."""
    out = [_("五落实未完成：%(l)s") % {"l": label} for _name, label, done in session.checklist if not done]
    for item in session.agenda_items.filter(kind__in=AgendaItem.REPORT_KINDS).order_by("order", "pk"):
        if item.document_late:
            out.append(_("《%(t)s》未在开幕前送达代表") % {"t": item.title})
    return out


def late_documents_q() -> Q:
    """Report items whose documents reached deputies on the opening day, later, or not at all."""
    return Q(kind__in=AgendaItem.REPORT_KINDS) & (
        Q(document_sent_on__isnull=True) | Q(document_sent_on__gte=F("session__start_date"))
    )


# ---------------------------------------------------------------- statistics

STATS_LABELS = {
    "sessions_held": _("召开人代会次数"),
    "sessions_ordinary": _("其中例会"),
    "sessions_extraordinary": _("其中临时会议"),
    "sessions_required": _("应召开人代会次数"),
    "reports_reviewed": _("听取审议工作报告数"),
    "resolutions_passed": _("通过决议决定数"),
    "elections_held": _("选举(补选)次数"),
    "motions_received": _("收到议案数"),
    "presidium_meetings_held": _("召开主席团会议次数"),
    "quarters_without_presidium_meeting": _("未召开主席团会议的季度数"),
    "late_report_documents": _("未提前送达代表的报告数"),
    "sessions_opened_unprepared": _("筹备未落实即开幕的会议次数"),
}

# No rates among the congress figures (see presidium.figures).
STATS_RATES: dict[str, tuple[str, str]] = {}

HELD = [Session.Status.IN_SESSION, Session.Status.CLOSED]


def township_stats(*, township_ids: list[int], start: dt.date, end: dt.date) -> dict[int, dict]:
    """Congress figures per township for [start, end]; grouped queries, never one per township."""
    today = timezone.localdate()
    out = {tid: dict.fromkeys(STATS_LABELS, 0) for tid in township_ids}
    in_range = Q(start_date__gte=start, start_date__lte=end)
    for row in (
        Session.objects.filter(in_range, township_id__in=township_ids, status__in=HELD)
        .values("township_id")
        .annotate(
            n=Count("pk"),
            ordinary=Count("pk", filter=Q(kind=Session.Kind.ORDINARY)),
            extra=Count("pk", filter=Q(kind=Session.Kind.EXTRAORDINARY)),
            unprepared=Count("pk", filter=~Q(opening_flags=[])),
        )
    ):
        o = out[row["township_id"]]
        o["sessions_held"], o["sessions_ordinary"], o["sessions_extraordinary"] = (
            row["n"],
            row["ordinary"],
            row["extra"],
        )
        o["sessions_opened_unprepared"] = row["unprepared"]
    item_range = Q(
        session__start_date__gte=start, session__start_date__lte=end, session__township_id__in=township_ids
    )
    for row in (
        AgendaItem.objects.filter(item_range, session__status__in=HELD)
        .values("session__township_id")
        .annotate(reports=Count("pk", filter=Q(kind__in=AgendaItem.REPORT_KINDS)))
    ):
        out[row["session__township_id"]]["reports_reviewed"] = row["reports"]
    for row in (
        AgendaItem.objects.filter(item_range, session__start_date__lte=today)
        .exclude(session__status=Session.Status.CANCELLED)
        .filter(late_documents_q())
        .values("session__township_id")
        .annotate(n=Count("pk"))
    ):
        out[row["session__township_id"]]["late_report_documents"] = row["n"]
    for row in (
        Vote.objects.filter(
            agenda_item__session__start_date__gte=start,
            agenda_item__session__start_date__lte=end,
            agenda_item__session__township_id__in=township_ids,
            agenda_item__kind=AgendaItem.Kind.RESOLUTION,
            passed=True,
        )
        .values("agenda_item__session__township_id")
        .annotate(n=Count("pk"))
    ):
        out[row["agenda_item__session__township_id"]]["resolutions_passed"] = row["n"]
    for row in (
        Election.objects.filter(item_range, held_at__isnull=False)
        .values("session__township_id")
        .annotate(n=Count("pk"))
    ):
        out[row["session__township_id"]]["elections_held"] = row["n"]
    for row in Motion.objects.filter(item_range).values("session__township_id").annotate(n=Count("pk")):
        out[row["session__township_id"]]["motions_received"] = row["n"]
    for row in (
        PresidiumMeeting.objects.filter(
            township_id__in=township_ids, status=PresidiumMeeting.Status.HELD, date__gte=start, date__lte=end
        )
        .values("township_id")
        .annotate(n=Count("pk"))
    ):
        out[row["township_id"]]["presidium_meetings_held"] = row["n"]
    for tid, gaps in meeting_gaps(township_ids, start, end, today).items():
        out[tid]["quarters_without_presidium_meeting"] = len(gaps)
    # Sessions required: the yearly number, pro rata over the months of the range.
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    for tid, rules in rules_by_township(township_ids).items():
        out[tid]["sessions_required"] = round(rules.sessions_per_year * months / 12)
    return out


# ---------------------------------------------------------------- the deputy's own view


def deputy_meetings(user) -> dict:
    """For a deputy's phone: the sessions of their term (and presidium meetings when they sit on the
    presidium), each with their own attendance mark only — never other deputies' marks."""
    from deputies.selectors import deputy_for_user

    deputy = deputy_for_user(user)
    if deputy is None:
        return {
            "deputy": None,
            "sessions": Session.objects.none(),
            "meetings": PresidiumMeeting.objects.none(),
            "motions": Motion.objects.none(),
        }
    sessions = (
        Session.objects.filter(term_id=deputy.term_id, township_id=deputy.township_id)
        .exclude(status=Session.Status.CANCELLED)
        .select_related("term")
        .prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.filter(deputy=deputy), to_attr="mine")
        )
        .order_by("-start_date", "-pk")
    )
    meetings = PresidiumMeeting.objects.none()
    if PresidiumMembership.objects.filter(deputy=deputy).exists():
        from .models import MeetingAttendance

        meetings = (
            PresidiumMeeting.objects.filter(term_id=deputy.term_id, township_id=deputy.township_id)
            .exclude(status=PresidiumMeeting.Status.CANCELLED)
            .prefetch_related(
                Prefetch(
                    "attendances", queryset=MeetingAttendance.objects.filter(deputy=deputy), to_attr="mine"
                )
            )
            .order_by("-date", "-pk")
        )
    motions = (
        Motion.objects.filter(Q(lead_deputy=deputy) | Q(co_deputies=deputy))
        .distinct()
        .select_related("session__term", "lead_deputy")
        .order_by("-created_at", "-pk")
    )
    return {"deputy": deputy, "sessions": sessions, "meetings": meetings, "motions": motions}


# ---------------------------------------------------------------- links from presidium-meeting topics


def linkable_activities(township_id: int):
    """The township's supervision activities a topic may link to (latest first)."""
    from supervision.models import SupervisionActivity

    return SupervisionActivity.objects.filter(township_id=township_id).order_by("-start_date", "-pk")[:200]


def suggestion_by_number(township_id: int, number: str):
    """The township's suggestion with that number (e.g. 2025-017), or None."""
    from suggestions.models import Suggestion

    return Suggestion.objects.filter(township_id=township_id, number=number.strip()).first()


def sessions_for_deputy(user) -> QuerySet[Session]:
    """The sessions a deputy sits in (their term, their township, not cancelled): the deputy may read
    their agenda and report documents before the session. Nothing for anyone else."""
    from deputies.selectors import deputy_for_user

    deputy = deputy_for_user(user) if principal_role(user) == "deputy" else None
    if deputy is None:
        return Session.objects.none()
    return (
        Session.objects.filter(term_id=deputy.term_id, township_id=deputy.township_id)
        .exclude(status=Session.Status.CANCELLED)
        .select_related("term", "township")
    )


def agenda_items_for_deputy(user) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(session__in=sessions_for_deputy(user)).select_related("session__term")


def own_attendance(session: Session, user) -> Attendance | None:
    """The user's own attendance mark at a session (a deputy never reads the others')."""
    return Attendance.objects.filter(session=session, deputy__user=user).first()


def attendance_marks(session: Session, deputy) -> list[Attendance]:
    return list(Attendance.objects.filter(session=session, deputy=deputy))


def latest_session(term) -> Session | None:
    """The term's most recent session (where the presidium members are elected)."""
    if term is None:
        return None
    return Session.objects.filter(term=term).order_by("-start_date").first()


def topics_visible_to(user) -> QuerySet[MeetingTopic]:
    return MeetingTopic.objects.filter(meeting__in=meetings_visible_to(user)).select_related(
        "meeting__township", "meeting__term"
    )


def meeting_markable_deputies(meeting: PresidiumMeeting) -> QuerySet[Deputy]:
    """Deputies whose attendance may be marked at a meeting: the meeting's township's (the service
    checks that they sit on the presidium)."""
    return Deputy.objects.filter(township_id=meeting.township_id)


def data_year_queries(township_ids) -> list:
    """Years with sessions or presidium meetings (planned ones included)."""
    from django.db.models.functions import ExtractYear

    return [
        Session.objects.filter(township_id__in=township_ids)
        .annotate(y=ExtractYear("start_date"))
        .values_list("y", flat=True)
        .distinct(),
        PresidiumMeeting.objects.filter(township_id__in=township_ids)
        .annotate(y=ExtractYear("date"))
        .values_list("y", flat=True)
        .distinct(),
    ]


# ---------------------------------------------------------------- the deputies' archive


def deputy_attendance_records(lo, hi) -> list[tuple[QuerySet, str]]:
    """(rows, deputy field) of the attendances that make the congress archive source report a deputy
    active in [lo, hi]: present at a session not cancelled, or at a held presidium meeting (leave and
    absence are passive). ``lo`` and ``hi`` are dates or expressions (``OuterRef``)."""
    return [
        (
            Attendance.objects.filter(
                status=Attendance.Status.PRESENT, session__start_date__gte=lo, session__start_date__lte=hi
            ).exclude(session__status=Session.Status.CANCELLED),
            "deputy",
        ),
        (
            MeetingAttendance.objects.filter(
                status=Attendance.Status.PRESENT,
                meeting__date__gte=lo,
                meeting__date__lte=hi,
                meeting__status=PresidiumMeeting.Status.HELD,
            ),
            "deputy",
        ),
    ]
