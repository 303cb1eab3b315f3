"""Presidium writes: elections and the roster, presidium meetings, notices."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import Deputy
from presidium.models import AuditAction
from presidium.services import audit
from presidium.workflow import STALE_MESSAGE

from .. import events, selectors
from ..models import (
    Attendance,
    Candidate,
    Election,
    MeetingAttendance,
    MeetingTopic,
    PresidiumMeeting,
    PresidiumMembership,
    Session,
)
from .base import (
    MEETING_TRANSITIONS,
    OPEN_SESSION,
    _check_staff,
    _check_tally,
    _expect,
    _lock,
    send_notice,
)

# ---------------------------------------------------------------- elections and the presidium roster

ROSTER_POSITIONS = {
    Election.Position.CHAIR: PresidiumMembership.Role.CHAIR,
    Election.Position.VICE_CHAIR: PresidiumMembership.Role.VICE_CHAIR,
    Election.Position.PRESIDIUM_MEMBER: PresidiumMembership.Role.MEMBER,
}


@transaction.atomic
def election_create(*, session: Session, position: str, kind: str, seats: int, candidates, actor) -> Election:
    """``candidates``: iterable of (name, deputy or None)."""
    _check_staff(actor, session.township_id)
    if session.status not in OPEN_SESSION:
        raise ValidationError(_("会议已闭会或取消，不能再安排选举。"))
    if position not in Election.Position.values or kind not in Election.Kind.values:
        raise ValidationError(_("请选择职务和选举类型。"))
    candidates = [(name.strip(), deputy) for name, deputy in candidates if (name or "").strip()]
    if seats < 1:
        raise ValidationError({"seats": _("应选名额至少为1。")})
    if len(candidates) < seats:
        raise ValidationError(_("候选人人数不能少于应选名额。"))
    if position in ROSTER_POSITIONS and any(d is None for _n, d in candidates):
        raise ValidationError(_("主席团成员、主席、副主席的候选人须为本届代表。"))
    deputy_ids = {d.pk for _n, d in candidates if d is not None}
    if deputy_ids and selectors.session_deputies(session).filter(pk__in=deputy_ids).count() != len(
        deputy_ids
    ):
        raise ValidationError(_("候选代表须为本届在任代表。"))
    election = Election.objects.create(session=session, position=position, kind=kind, seats=seats)
    Candidate.objects.bulk_create(
        [Candidate(election=election, name=n[:30], deputy=d) for n, d in candidates]
    )
    audit(actor=actor, action=AuditAction.ELECTION_CREATE, township=session.township, obj=election)
    return election


def _elected(votes: dict[int, int], seats: int, *, total: int, rules) -> set[int]:
    """Candidates with a majority of all deputies (:func:`congress.selectors.passes_majority`, the
    county's rule), best first, up to ``seats``; a tie on the last seat elects nobody of the tied (a
    further ballot is needed)."""
    ranked = sorted(
        ((v, cid) for cid, v in votes.items() if selectors.passes_majority(v, total, rules, "session")),
        reverse=True,
    )
    if len(ranked) <= seats:
        return {cid for _v, cid in ranked}
    cutoff = ranked[seats - 1][0]
    if ranked[seats][0] == cutoff:
        return {cid for v, cid in ranked if v > cutoff}
    return {cid for _v, cid in ranked[:seats]}


BALLOT_FIELDS = ("issued", "returned", "valid", "invalid")


def check_ballots(*, ballots: dict | None, votes: dict[int, int], seats: int, present: int) -> bool:
    """The Election Law's arithmetic on one count (选举法 ch. 8, applied by 地方组织法 to the
    township congress). Raises ValidationError for a count that cannot be true; returns True when
    the election is void because more ballots came back than were handed out."""
    if not ballots or any(ballots.get(k) is None for k in BALLOT_FIELDS):
        raise ValidationError(_("请填写发出选票、收回选票、有效票和无效票的张数。"))
    issued, returned, valid, invalid = (int(ballots[k]) for k in BALLOT_FIELDS)
    if min(issued, returned, valid, invalid) < 0:
        raise ValidationError(_("选票张数不能为负数。"))
    if issued > present:
        raise ValidationError(_("发出选票 %(i)s 张，多于出席代表 %(p)s 人。") % {"i": issued, "p": present})
    if valid + invalid != returned:
        raise ValidationError(
            _("有效票 %(v)s 张与无效票 %(x)s 张之和须等于收回选票 %(r)s 张。")
            % {"v": valid, "x": invalid, "r": returned}
        )
    if returned > issued:
        return True  # 每次选举所投的票数多于投票人数的无效: recorded as void, counted no further
    for v in votes.values():
        if v is None or v < 0 or v > valid:
            raise ValidationError(_("每位候选人的得票须在 0 至有效票数(%(v)s)之间。") % {"v": valid})
    total = sum(votes.values())
    if total > valid * seats:
        raise ValidationError(
            _(
                "候选人得票合计 %(t)s 票，超过有效票 %(v)s 张 × 应选名额 %(s)s 名 = %(m)s 票"
                "（每张选票所选人数不能多于应选名额，多选的选票作废）。"
            )
            % {"t": total, "v": valid, "s": seats, "m": valid * seats}
        )
    return False


@transaction.atomic
def election_record(
    *, election: Election, votes: dict[int, int], actor, ballots: dict | None = None
) -> Election:
    """Count an election: ballots issued, returned, valid and invalid (``ballots``) and votes per
    candidate id. Refused below quorum or when the totals cannot be true (:func:`check_ballots`);
    more ballots returned than issued records the election as void (nobody elected, vote again).
    Those elected are computed: more than half of ALL deputies (the county's rule), best first up
    to the seats, a tie on the last seat electing none of the tied. Electing presidium members (or
    the chair/vice-chairs) updates the presidium roster, within the size limits of the county's
    rules — otherwise nothing is written."""
    session = election.session
    _check_staff(actor, session.township_id)
    session = _lock(Session, session.pk)
    election = _lock(Election, election.pk)
    if election.held_at is not None:
        raise ValidationError(f"{_('该选举已计票。')}{STALE_MESSAGE}")
    if session.status != Session.Status.IN_SESSION:
        raise ValidationError(_("只有会议进行中才能选举。"))
    quorum = selectors.session_quorum(session)
    if not quorum["has_quorum"]:
        raise ValidationError(_("出席代表 %(present)s 人，未达到法定人数 %(needed)s 人，不能选举。") % quorum)
    candidates = {c.pk: c for c in election.candidates.select_related("deputy")}
    if set(votes) != set(candidates):
        raise ValidationError(_("请为每位候选人填写得票数。"))
    void = check_ballots(ballots=ballots, votes=votes, seats=election.seats, present=quorum["present"])
    elected = (
        set()
        if void
        else _elected(votes, election.seats, total=quorum["total"], rules=session.township.rules)
    )
    for cid, c in candidates.items():
        c.votes, c.elected = (None if void else votes[cid]), cid in elected
    Candidate.objects.bulk_update(candidates.values(), ["votes", "elected"])
    election.held_at, election.total_deputies, election.recorded_by = timezone.now(), quorum["total"], actor
    election.present, election.void = quorum["present"], void
    election.ballots_issued, election.ballots_returned, election.ballots_valid, election.ballots_invalid = (
        int(ballots[k]) for k in BALLOT_FIELDS
    )
    election.save(
        update_fields=[
            "held_at",
            "total_deputies",
            "recorded_by",
            "present",
            "void",
            "ballots_issued",
            "ballots_returned",
            "ballots_valid",
            "ballots_invalid",
        ]
    )
    role = ROSTER_POSITIONS.get(election.position)
    if role and elected:
        _roster_add(
            session=session,
            deputies=[candidates[cid].deputy for cid in elected],
            role=role,
            election=election,
            start=session.start_date,
        )
    audit(
        actor=actor,
        action=AuditAction.ELECTION_RECORD,
        township=session.township,
        obj=election,
        elected=[candidates[cid].name for cid in elected],
        void=void,
        ballots=dict(ballots),
    )
    return election


@transaction.atomic
def election_next_round(*, election: Election, actor) -> Election:
    """Record the next round of an election that did not fill its seats: 另行选举 for the seats
    still open, among the candidates not elected (a tie on the last seat goes to the tied), or,
    after a void count, the same ballot again. The next round is counted like any election."""
    session = election.session
    _check_staff(actor, session.township_id)
    session = _lock(Session, session.pk)
    election = _lock(Election, election.pk)
    if session.status not in OPEN_SESSION:
        raise ValidationError(_("会议已闭会或取消，不能再安排选举。"))
    if not election.is_held:
        raise ValidationError(_("本轮选举尚未计票。"))
    if not election.needs_another_round:
        raise ValidationError(_("本轮选举已选足应选名额，或已安排下一轮。"))
    remaining = election.seats if election.void else election.seats - election.elected_count
    pool = [c for c in election.candidates.all() if election.void or not c.elected]
    if len(pool) < remaining:
        raise ValidationError(_("未当选的候选人不足应选名额，请另行提名后安排选举。"))
    nxt = Election.objects.create(
        session=session,
        position=election.position,
        kind=election.kind,
        seats=remaining,
        round=election.round + 1,
        first_round_id=election.first_round_id or election.pk,
    )
    Candidate.objects.bulk_create([Candidate(election=nxt, name=c.name, deputy=c.deputy) for c in pool])
    audit(
        actor=actor,
        action=AuditAction.ELECTION_NEXT_ROUND,
        township=session.township,
        obj=nxt,
        round=nxt.round,
    )
    return nxt


def _roster_add(*, session, deputies, role, election=None, start):
    term = session.term
    active = {m.deputy_id: m for m in selectors.active_members(term, start).select_for_update(of=("self",))}
    new = []
    for deputy in deputies:
        if deputy.pk in active:
            m = active[deputy.pk]
            if role != PresidiumMembership.Role.MEMBER and m.role != role:
                m.role, m.election = role, election
                m.save(update_fields=["role", "election"])
        else:
            new.append(
                PresidiumMembership(
                    township=session.township,
                    term=term,
                    deputy=deputy,
                    role=role,
                    start_date=start,
                    election=election,
                )
            )
    _lower, upper = selectors.presidium_size_limits(session.township, term, start)
    if len(active) + len(new) > upper:
        raise ValidationError(
            _("主席团成员将达 %(n)s 人，超过规定上限 %(max)s 人。")
            % {"n": len(active) + len(new), "max": upper}
        )
    PresidiumMembership.objects.bulk_create(new)
    return new


@transaction.atomic
def membership_add(*, session: Session, deputy: Deputy, role: str, actor) -> PresidiumMembership:
    """Enter an existing presidium member (elected before the system was used) on the roster."""
    _check_staff(actor, session.township_id)
    if role not in PresidiumMembership.Role.values:
        raise ValidationError(_("请选择职务。"))
    if not selectors.session_deputies(session).filter(pk=deputy.pk).exists():
        raise ValidationError(_("主席团成员须为本届在任代表。"))
    new = _roster_add(session=session, deputies=[deputy], role=role, start=session.start_date)
    audit(actor=actor, action=AuditAction.PRESIDIUM_ADD, township=session.township, obj=deputy, role=role)
    return new[0] if new else selectors.active_members(session.term, session.start_date).get(deputy=deputy)


@transaction.atomic
def membership_end(*, membership: PresidiumMembership, end_date: dt.date, actor) -> PresidiumMembership:
    _check_staff(actor, membership.township_id)
    membership = _lock(PresidiumMembership, membership.pk)
    if membership.end_date is not None:
        raise ValidationError(STALE_MESSAGE)
    if end_date < membership.start_date:
        raise ValidationError(_("终止日期不能早于起始日期。"))
    membership.end_date = end_date
    membership.save(update_fields=["end_date"])
    audit(
        actor=actor,
        action=AuditAction.PRESIDIUM_END,
        township=membership.township,
        obj=membership,
        end_date=str(end_date),
    )
    return membership


# ---------------------------------------------------------------- presidium meetings


@transaction.atomic
def meeting_create(
    *, township, term, date: dt.date, actor, place: str = "", chair: Deputy | None = None
) -> PresidiumMeeting:
    _check_staff(actor, township.pk)
    if term.township_id != township.pk:
        raise ValidationError(_("届次不属于本乡镇。"))
    if chair is not None and not selectors.active_members(term, date).filter(deputy=chair).exists():
        raise ValidationError({"chair": _("主持人须为主席团成员。")})
    meeting = PresidiumMeeting.objects.create(
        township=township, term=term, date=date, place=place, chair=chair
    )
    events.meeting_created(meeting=meeting, actor=actor)
    return meeting


@transaction.atomic
def meeting_transition(
    *, meeting: PresidiumMeeting, to_status: str, actor, comment: str = "", expected_status: str | None = None
) -> PresidiumMeeting:
    _check_staff(actor, meeting.township_id)
    meeting = _lock(PresidiumMeeting, meeting.pk)
    _expect(meeting, expected_status)
    if to_status not in MEETING_TRANSITIONS.targets(meeting.status):
        raise ValidationError(
            _("会议当前状态为“%(s)s”，不能改为“%(t)s”。")
            % {"s": meeting.get_status_display(), "t": PresidiumMeeting.Status(to_status).label}
        )
    if to_status == PresidiumMeeting.Status.HELD:
        if meeting.date > timezone.localdate():
            raise ValidationError(_("会议日期未到，不能标记为已召开。"))
        meeting.member_count = selectors.active_members(meeting.term, meeting.date).count()
    events.meeting_transition(
        meeting=meeting, actor=actor, from_status=meeting.status, to_status=to_status, comment=comment[:200]
    )
    meeting.status = to_status
    meeting.save(update_fields=["status", "member_count"])
    return meeting


@transaction.atomic
def meeting_mark_attendance(
    *, meeting: PresidiumMeeting, deputy: Deputy, status: str, actor
) -> MeetingAttendance:
    _check_staff(actor, meeting.township_id)
    if status not in Attendance.Status.values:
        raise ValidationError(_("请选择出席、请假或缺席。"))
    if meeting.status == PresidiumMeeting.Status.CANCELLED:
        raise ValidationError(_("会议已取消。"))
    if not selectors.active_members(meeting.term, meeting.date).filter(deputy=deputy).exists():
        raise ValidationError(
            _("%(name)s 不是主席团成员；列席人员请在列席名单中登记。") % {"name": deputy.name}
        )
    row, _created = MeetingAttendance.objects.update_or_create(
        meeting=meeting,
        deputy=deputy,
        defaults={"status": status, "marked_by": actor, "marked_at": timezone.now()},
    )
    return row


@transaction.atomic
def topic_add(
    *,
    meeting: PresidiumMeeting,
    title: str,
    actor,
    kind: str = MeetingTopic.Kind.OTHER,
    reference: str = "",
    link=None,
    decision: str = "",
) -> MeetingTopic:
    """A topic; ``link`` may be any object of the same township (a suggestion, a supervision activity …)."""
    _check_staff(actor, meeting.township_id)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写议题。")})
    if kind not in MeetingTopic.Kind.values:
        raise ValidationError({"kind": _("请选择议题类型。")})
    if link is not None and getattr(link, "township_id", meeting.township_id) != meeting.township_id:
        raise ValidationError(_("关联事项不属于本乡镇。"))
    order = (meeting.topics.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    topic = MeetingTopic.objects.create(
        meeting=meeting,
        order=order,
        kind=kind,
        title=title[:200],
        reference=reference[:200],
        decision=decision,
        link_type=ContentType.objects.get_for_model(link) if link is not None else None,
        link_id=link.pk if link is not None else None,
    )
    audit(actor=actor, action=AuditAction.MEETING_TOPIC, township=meeting.township, obj=topic)
    return topic


@transaction.atomic
def topic_record_vote(
    *, topic: MeetingTopic, votes_for: int, votes_against: int, abstentions: int, actor, decision: str = ""
) -> MeetingTopic:
    """A presidium decision passes with a majority of **all** members; refused below the members' quorum."""
    meeting = topic.meeting
    _check_staff(actor, meeting.township_id)
    topic = _lock(MeetingTopic, topic.pk)
    if topic.passed is not None:
        raise ValidationError(f"{_('该议题已表决。')}{STALE_MESSAGE}")
    if meeting.status == PresidiumMeeting.Status.CANCELLED:
        raise ValidationError(_("会议已取消。"))
    quorum = selectors.meeting_quorum(meeting)
    if not quorum["has_quorum"]:
        raise ValidationError(_("出席成员 %(present)s 人，未达到法定人数 %(needed)s 人，不能表决。") % quorum)
    _check_tally(votes_for, votes_against, abstentions, quorum["present"])
    topic.votes_for, topic.votes_against, topic.abstentions = votes_for, votes_against, abstentions
    topic.passed = selectors.passes_majority(votes_for, quorum["total"], meeting.township.rules, "presidium")
    if decision:
        topic.decision = decision
    topic.save(update_fields=["votes_for", "votes_against", "abstentions", "passed", "decision"])
    audit(
        actor=actor,
        action=AuditAction.MEETING_VOTE,
        township=meeting.township,
        obj=topic,
        passed=topic.passed,
    )
    return topic


def minutes_fingerprint(minutes: str) -> str:
    """A short fingerprint of the minutes as loaded in the editor, to detect a concurrent edit."""
    import hashlib

    return hashlib.sha256((minutes or "").encode()).hexdigest()[:16]


@transaction.atomic
def meeting_save_minutes(
    *, meeting: PresidiumMeeting, minutes: str, recorder: str, actor, expected_fingerprint: str | None = None
) -> PresidiumMeeting:
    """Save the minutes. With ``expected_fingerprint`` (the minutes the editor started from), a save
    over someone else's newer text is refused instead of silently overwriting it."""
    _check_staff(actor, meeting.township_id)
    meeting = _lock(PresidiumMeeting, meeting.pk)
    if expected_fingerprint and expected_fingerprint != minutes_fingerprint(meeting.minutes):
        raise ValidationError(STALE_MESSAGE)
    meeting.minutes, meeting.recorder = minutes, (recorder or "")[:30]
    meeting.save(update_fields=["minutes", "recorder"])
    audit(actor=actor, action=AuditAction.MEETING_MINUTES, township=meeting.township, obj=meeting)
    return meeting


# ---------------------------------------------------------------- notices


# The notices this module sends, by what the notice is for: the notification verb and the audit action.
_NOTICES = {
    "session": "congress.session_notice",
    "meeting": "congress.meeting_notice",
}
NOTICE_AUDIT_ACTIONS = {
    "session": AuditAction.SESSION_NOTICE,
    "meeting": AuditAction.MEETING_NOTICE,
}


def _notify(obj, users, title, body, *, actor, url, kind, on) -> int:
    """Send one meeting notice of ``obj`` (held ``on``) to ``users`` and audit it; once per date.
    Returns the number of recipients."""
    verb = _NOTICES[kind]
    key = f"congress.{kind}.{obj.pk}.{on}"
    send_notice(recipients=users, verb=verb, title=title, body=body, obj=obj, url=url, dedupe_key=key)
    audit(
        actor=actor, action=NOTICE_AUDIT_ACTIONS[kind], township=obj.township, obj=obj, recipients=len(users)
    )
    return len(users)


@transaction.atomic
def session_send_notice(*, session: Session, actor, url: str = "") -> int:
    """Meeting notice to every current deputy with a login. Returns the number of recipients."""
    _check_staff(actor, session.township_id)
    users = [
        d.user for d in selectors.session_deputies(session).filter(user__isnull=False).select_related("user")
    ]
    title = _("会议通知：%(s)s") % {"s": session}
    body = _("定于 %(d)s 在 %(p)s 召开，请准时出席；因故不能出席的请向主席团请假。") % {
        "d": session.start_date,
        "p": session.place or _("另行通知的地点"),
    }
    return _notify(session, users, title, body, actor=actor, url=url, kind="session", on=session.start_date)


@transaction.atomic
def meeting_send_notice(*, meeting: PresidiumMeeting, actor, url: str = "") -> int:
    _check_staff(actor, meeting.township_id)
    members = selectors.active_members(meeting.term, meeting.date).filter(deputy__user__isnull=False)
    users = [m.deputy.user for m in members.select_related("deputy__user")]
    title = _("主席团会议通知：%(d)s") % {"d": meeting.date}
    body = _("定于 %(d)s 在 %(p)s 召开主席团会议，请准时出席。") % {
        "d": meeting.date,
        "p": meeting.place or _("另行通知的地点"),
    }
    return _notify(meeting, users, title, body, actor=actor, url=url, kind="meeting", on=meeting.date)
