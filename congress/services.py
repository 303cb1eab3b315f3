"""Writes of the congress app. Keyword-only, atomic, with the acting user; every workflow transition
writes an event row; rows two people may change at once are locked with
``select_for_update(of=("self",))`` and the loser is told "已被他人修改，请刷新"."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deputies.models import Deputy
from presidium.selectors import can_edit_township
from presidium.services import audit

from . import selectors
from .models import (
    AgendaItem,
    Attendance,
    Candidate,
    Election,
    MeetingAttendance,
    MeetingTopic,
    Motion,
    MotionEvent,
    Observer,
    PresidiumMeeting,
    PresidiumMeetingEvent,
    PresidiumMembership,
    Session,
    SessionEvent,
    Vote,
)

STALE = gettext_lazy("已被他人修改，请刷新")

# ---------------------------------------------------------------- transition tables

SESSION_TRANSITIONS = {
    Session.Status.PLANNED: {Session.Status.PREPARING, Session.Status.CANCELLED},
    Session.Status.PREPARING: {Session.Status.IN_SESSION, Session.Status.PLANNED, Session.Status.CANCELLED},
    Session.Status.IN_SESSION: {Session.Status.CLOSED},
    Session.Status.CLOSED: set(),
    Session.Status.CANCELLED: set(),
}

# Motion workflow (议案): the presidium decides; withdrawal is possible until the vote; a rejected
# motion may still be handled as a suggestion. ADOPTED/REJECTED are reached only by recording the vote.
MOTION_TRANSITIONS = {
    Motion.Status.SUBMITTED: {Motion.Status.ON_AGENDA, Motion.Status.AS_SUGGESTION, Motion.Status.WITHDRAWN},
    Motion.Status.ON_AGENDA: {Motion.Status.WITHDRAWN, Motion.Status.ADOPTED, Motion.Status.REJECTED},
    Motion.Status.REJECTED: {Motion.Status.AS_SUGGESTION},
    Motion.Status.AS_SUGGESTION: set(),
    Motion.Status.WITHDRAWN: set(),
    Motion.Status.ADOPTED: set(),
}

MEETING_TRANSITIONS = {
    PresidiumMeeting.Status.PLANNED: {PresidiumMeeting.Status.HELD, PresidiumMeeting.Status.CANCELLED},
    PresidiumMeeting.Status.HELD: set(),
    PresidiumMeeting.Status.CANCELLED: set(),
}

MARKABLE_SESSION = (Session.Status.PREPARING, Session.Status.IN_SESSION)
OPEN_SESSION = (Session.Status.PLANNED, Session.Status.PREPARING, Session.Status.IN_SESSION)


def _check_staff(actor, township_id: int):
    if not can_edit_township(actor, township_id):
        raise PermissionDenied(_("您无权修改该乡镇的数据。"))


def _lock(model, pk):
    obj = model.objects.select_for_update(of=("self",)).filter(pk=pk).first()
    if obj is None:
        raise ValidationError(STALE)
    return obj


def _expect(obj, expected_status):
    if expected_status is not None and obj.status != expected_status:
        raise ValidationError(STALE)


# ---------------------------------------------------------------- side effects behind small functions


def send_notice(
    *,
    recipients,
    verb: str,
    title: str,
    body: str = "",
    obj=None,
    url: str = "",
    dedupe_key: str | None = None,
) -> bool:
    """Hand a notice to the notifications app (in-app inbox always, plus the users' channels; the app
    itself sends after commit). Returns False when the notifications app offers no ``notify``."""
    try:
        from notifications.services import notify
    except ImportError:
        return False
    recipients = [u for u in recipients if u is not None]
    if recipients:
        notify(
            recipients=recipients, verb=verb, title=title, body=body, obj=obj, url=url, dedupe_key=dedupe_key
        )
    return True


def _create_suggestion(**kwargs):
    try:
        from suggestions.services import suggestion_create_from_source
    except ImportError:
        raise ValidationError(_("建议办理模块尚未启用，暂不能将议案转为建议办理。")) from None
    return suggestion_create_from_source(**kwargs)


# ---------------------------------------------------------------- sessions


@transaction.atomic
def session_create(
    *,
    township,
    term,
    number: int,
    kind: str,
    start_date: dt.date,
    actor,
    end_date: dt.date | None = None,
    place: str = "",
) -> Session:
    """Plan a session (第x届第y次会议) of ``term``."""
    _check_staff(actor, township.pk)
    if term.township_id != township.pk:
        raise ValidationError(_("届次不属于本乡镇。"))
    if end_date and end_date < start_date:
        raise ValidationError({"end_date": _("闭幕日期不能早于开幕日期。")})
    if Session.objects.filter(term=term, number=number).exists():
        raise ValidationError({"number": _("本届已有第%(n)s次会议。") % {"n": number}})
    session = Session.objects.create(
        township=township,
        term=term,
        number=number,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        place=place,
    )
    SessionEvent.objects.create(session=session, actor=actor, to_status=session.status, comment=_("创建"))
    return session


@transaction.atomic
def session_transition(
    *, session: Session, to_status: str, actor, comment: str = "", expected_status: str | None = None
) -> Session:
    _check_staff(actor, session.township_id)
    session = _lock(Session, session.pk)
    _expect(session, expected_status)
    if to_status not in SESSION_TRANSITIONS[session.status]:
        raise ValidationError(
            _("会议当前状态为“%(s)s”，不能改为“%(t)s”。")
            % {"s": session.get_status_display(), "t": Session.Status(to_status).label}
        )
    if to_status == Session.Status.CLOSED:
        # Everyone not marked at closing was absent: the roll is complete for the archive.
        attendance_fill_absent(session=session, actor=actor)
    SessionEvent.objects.create(
        session=session, actor=actor, from_status=session.status, to_status=to_status, comment=comment[:200]
    )
    session.status = to_status
    session.save(update_fields=["status"])
    return session


@transaction.atomic
def session_update(
    *,
    session: Session,
    start_date: dt.date,
    actor,
    end_date: dt.date | None = None,
    place: str = "",
    kind: str | None = None,
    expected_status: str | None = None,
) -> Session:
    """Change the dates, place or kind of a session that has not opened yet."""
    _check_staff(actor, session.township_id)
    session = _lock(Session, session.pk)
    _expect(session, expected_status)
    if session.status not in (Session.Status.PLANNED, Session.Status.PREPARING):
        raise ValidationError(_("会议已开幕或结束，不能再修改日期和地点。"))
    if end_date and end_date < start_date:
        raise ValidationError({"end_date": _("闭幕日期不能早于开幕日期。")})
    if kind is not None and kind not in Session.Kind.values:
        raise ValidationError({"kind": _("请选择会议类型。")})
    before = {
        "start_date": str(session.start_date),
        "end_date": str(session.end_date),
        "place": session.place,
    }
    session.start_date, session.end_date, session.place = start_date, end_date, (place or "")[:100]
    if kind is not None:
        session.kind = kind
    session.save(update_fields=["start_date", "end_date", "place", "kind"])
    audit(
        actor=actor, action="congress.session.update", township=session.township, obj=session, before=before
    )
    return session


@transaction.atomic
def session_set_checklist(*, session: Session, item: str, done: bool, actor) -> Session:
    """Tick or untick one of the "五落实" preparation items."""
    _check_staff(actor, session.township_id)
    if item not in Session.CHECKLIST:
        raise ValidationError(_("未知的筹备事项。"))
    session = _lock(Session, session.pk)
    setattr(session, item, bool(done))
    session.save(update_fields=[item])
    audit(
        actor=actor,
        action="congress.session.checklist",
        township=session.township,
        obj=session,
        item=item,
        done=bool(done),
    )
    return session


@transaction.atomic
def agenda_item_add(
    *, session: Session, kind: str, title: str, actor, document=None, document_sent_on: dt.date | None = None
) -> AgendaItem:
    _check_staff(actor, session.township_id)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写议题。")})
    if kind not in AgendaItem.Kind.values:
        raise ValidationError({"kind": _("请选择议程类型。")})
    if session.status not in OPEN_SESSION:
        raise ValidationError(_("会议已闭会或取消，不能再增加议程。"))
    order = (session.agenda_items.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    item = AgendaItem.objects.create(
        session=session,
        kind=kind,
        title=title,
        order=order,
        document=document or "",
        document_sent_on=document_sent_on,
    )
    audit(actor=actor, action="congress.agenda.add", township=session.township, obj=item, session=session.pk)
    return item


@transaction.atomic
def agenda_item_mark_sent(*, item: AgendaItem, sent_on: dt.date, actor) -> AgendaItem:
    """Record the date the report documents reached the deputies."""
    _check_staff(actor, item.session.township_id)
    if sent_on > timezone.localdate():
        raise ValidationError({"document_sent_on": _("送达日期不能晚于今天。")})
    item = _lock(AgendaItem, item.pk)
    item.document_sent_on = sent_on
    item.save(update_fields=["document_sent_on"])
    audit(
        actor=actor,
        action="congress.agenda.sent",
        township=item.session.township,
        obj=item,
        sent_on=str(sent_on),
    )
    return item


# ---------------------------------------------------------------- attendance


@transaction.atomic
def attendance_mark(*, session: Session, deputy: Deputy, status: str, actor) -> Attendance:
    """Mark one deputy at roll call. Upsert on the (session, deputy) unique constraint, so two tablets
    marking at the door at once end with exactly one row (the later mark wins)."""
    _check_staff(actor, session.township_id)
    if status not in Attendance.Status.values:
        raise ValidationError(_("请选择出席、请假或缺席。"))
    if session.status not in MARKABLE_SESSION:
        raise ValidationError(_("只有筹备中或进行中的会议可以点名。"))
    if not selectors.session_deputies(session).filter(pk=deputy.pk).exists():
        raise ValidationError(_("%(name)s 不是本次会议的在任代表。") % {"name": deputy.name})
    row, _created = Attendance.objects.update_or_create(
        session=session,
        deputy=deputy,
        defaults={"status": status, "marked_by": actor, "marked_at": timezone.now()},
    )
    return row


@transaction.atomic
def attendance_fill_absent(*, session: Session, actor) -> int:
    """Mark every current deputy not yet marked as absent (one INSERT)."""
    _check_staff(actor, session.township_id)
    marked = Attendance.objects.filter(session=session).values("deputy_id")
    rows = [
        Attendance(session=session, deputy_id=pk, status=Attendance.Status.ABSENT, marked_by=actor)
        for pk in selectors.session_deputies(session).exclude(pk__in=marked).values_list("pk", flat=True)
    ]
    Attendance.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def observer_add(
    *,
    actor,
    name: str,
    affiliation: str = "",
    kind: str = Observer.Kind.OFFICIAL,
    session: Session | None = None,
    meeting: PresidiumMeeting | None = None,
) -> Observer:
    """Record a non-voting attendee (列席). Observers never count for quorum or votes."""
    target = session or meeting
    if target is None or (session and meeting):
        raise ValidationError(_("请指定一个会议。"))
    _check_staff(actor, target.township_id)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写列席人员姓名。")})
    if kind not in Observer.Kind.values:
        raise ValidationError({"kind": _("请选择列席人员类别。")})
    obs = Observer.objects.create(
        session=session, meeting=meeting, name=name[:30], affiliation=affiliation[:100], kind=kind
    )
    audit(actor=actor, action="congress.observer.add", township=target.township, obj=obs)
    return obs


# ---------------------------------------------------------------- votes


def _check_tally(votes_for, votes_against, abstentions, present):
    for v in (votes_for, votes_against, abstentions):
        if v is None or v < 0:
            raise ValidationError(_("票数必须是不小于0的整数。"))
    if votes_for + votes_against + abstentions > present:
        raise ValidationError(
            _("赞成、反对、弃权票合计(%(sum)s)超过出席人数(%(present)s)。")
            % {"sum": votes_for + votes_against + abstentions, "present": present}
        )


@transaction.atomic
def vote_record(*, item: AgendaItem, votes_for: int, votes_against: int, abstentions: int, actor) -> Vote:
    """Record the tally of an agenda item. Refused below quorum; the outcome is computed: it passes
    only with more than half of all current deputies (not of those present)."""
    session = item.session
    _check_staff(actor, session.township_id)
    session = _lock(Session, session.pk)
    if session.status != Session.Status.IN_SESSION:
        raise ValidationError(_("只有会议进行中才能表决。"))
    if item.kind not in AgendaItem.VOTABLE_KINDS:
        raise ValidationError(_("该议程不需要表决；选举请在选举中计票。"))
    quorum = selectors.session_quorum(session)
    if not quorum["has_quorum"]:
        raise ValidationError(_("出席代表 %(present)s 人，未达到法定人数 %(needed)s 人，不能表决。") % quorum)
    if Vote.objects.filter(agenda_item=item).exists():
        raise ValidationError(f"{_('该议程已表决。')}{STALE}")
    _check_tally(votes_for, votes_against, abstentions, quorum["present"])
    motion = Motion.objects.select_for_update(of=("self",)).filter(agenda_item=item).first()
    if motion is not None and motion.status != Motion.Status.ON_AGENDA:
        raise ValidationError(_("该议案已撤回或已处理，不能表决。"))
    passed = selectors.passes_majority(votes_for, quorum["total"])
    vote = Vote.objects.create(
        agenda_item=item,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        total_deputies=quorum["total"],
        present=quorum["present"],
        passed=passed,
        recorded_by=actor,
    )
    if motion is not None:
        _motion_move(
            motion,
            Motion.Status.ADOPTED if passed else Motion.Status.REJECTED,
            actor,
            _("表决：赞成%(f)s，反对%(a)s，弃权%(ab)s")
            % {"f": votes_for, "a": votes_against, "ab": abstentions},
        )
    return vote


# ---------------------------------------------------------------- motions


@transaction.atomic
def motion_submit(
    *, session: Session, title: str, grounds: str, plan: str, lead_deputy: Deputy, co_deputies=(), actor
) -> Motion:
    """Register a motion (议案) raised jointly by at least ``motion_min_deputies`` current deputies."""
    _check_staff(actor, session.township_id)
    if session.status not in OPEN_SESSION:
        raise ValidationError(_("会议已闭会或取消，不能再提出议案。"))
    title, grounds, plan = (title or "").strip(), (grounds or "").strip(), (plan or "").strip()
    if not (title and grounds and plan):
        raise ValidationError(_("议案须写明案由、案据和方案。"))
    signers = {lead_deputy.pk, *(d.pk for d in co_deputies)}
    rules = session.township.rules
    if len(signers) < rules.motion_min_deputies:
        raise ValidationError(
            _("议案须由 %(min)s 名以上代表联名提出，目前只有 %(n)s 名。")
            % {"min": rules.motion_min_deputies, "n": len(signers)}
        )
    valid = set(selectors.session_deputies(session).filter(pk__in=signers).values_list("pk", flat=True))
    if valid != signers:
        raise ValidationError(_("联名代表须为本届在任代表。"))
    motion = Motion.objects.create(
        township=session.township,
        session=session,
        title=title[:200],
        grounds=grounds,
        plan=plan,
        lead_deputy=lead_deputy,
        created_by=actor,
    )
    motion.co_deputies.set([pk for pk in signers if pk != lead_deputy.pk])
    MotionEvent.objects.create(motion=motion, actor=actor, to_status=motion.status, comment=_("提出"))
    return motion


def _motion_move(motion: Motion, to_status: str, actor, comment: str = ""):
    if to_status not in MOTION_TRANSITIONS[motion.status]:
        raise ValidationError(
            _("议案当前状态为“%(s)s”，不能改为“%(t)s”。")
            % {"s": motion.get_status_display(), "t": Motion.Status(to_status).label}
        )
    MotionEvent.objects.create(
        motion=motion, actor=actor, from_status=motion.status, to_status=to_status, comment=comment[:300]
    )
    motion.status = to_status
    motion.save(update_fields=["status", "agenda_item", "suggestion_type", "suggestion_id"])


@transaction.atomic
def motion_decide(
    *, motion: Motion, decision: str, actor, comment: str = "", expected_status: str | None = None
) -> Motion:
    """The presidium's decision: put the motion on the agenda, or handle it as a suggestion (a suggestion
    is created in the suggestions app and linked back)."""
    _check_staff(actor, motion.township_id)
    motion = _lock(Motion, motion.pk)
    _expect(motion, expected_status)
    if decision == Motion.Status.ON_AGENDA:
        if Motion.Status.ON_AGENDA not in MOTION_TRANSITIONS[motion.status]:
            raise ValidationError(_("该议案不能列入议程。"))
        motion.agenda_item = agenda_item_add(
            session=motion.session, kind=AgendaItem.Kind.MOTION, title=motion.title, actor=actor
        )
    elif decision == Motion.Status.AS_SUGGESTION:
        if Motion.Status.AS_SUGGESTION not in MOTION_TRANSITIONS[motion.status]:
            raise ValidationError(_("该议案不能转为建议办理。"))
        suggestion = _create_suggestion(
            source=motion,
            township=motion.township,
            title=motion.title,
            content=f"{_('案由')}：{motion.title}\n{_('案据')}：{motion.grounds}\n{_('方案')}：{motion.plan}",
            actor=actor,
            lead_deputy=motion.lead_deputy,
            co_deputies=tuple(motion.co_deputies.all()),
        )
        motion.suggestion_type = ContentType.objects.get_for_model(suggestion)
        motion.suggestion_id = suggestion.pk
    else:
        raise ValidationError(_("请选择主席团的处理决定。"))
    _motion_move(motion, decision, actor, comment)
    return motion


@transaction.atomic
def motion_withdraw(
    *, motion: Motion, actor, comment: str = "", expected_status: str | None = None
) -> Motion:
    """Withdrawal before the vote ends the motion; its agenda item is removed."""
    _check_staff(actor, motion.township_id)
    motion = _lock(Motion, motion.pk)
    _expect(motion, expected_status)
    if motion.agenda_item_id and Vote.objects.filter(agenda_item_id=motion.agenda_item_id).exists():
        raise ValidationError(_("议案已表决，不能撤回。"))
    item_id = motion.agenda_item_id
    _motion_move(motion, Motion.Status.WITHDRAWN, actor, comment or _("领衔代表撤回"))
    if item_id:
        AgendaItem.objects.filter(pk=item_id).delete()
        motion.agenda_item = None
    return motion


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
    audit(actor=actor, action="congress.election.create", township=session.township, obj=election)
    return election


def _elected(votes: dict[int, int], seats: int, total: int) -> set[int]:
    """Candidates with more than half of all deputies' votes, best first, up to ``seats``; a tie on the
    last seat elects nobody of the tied (a further ballot is needed)."""
    ranked = sorted(
        ((v, cid) for cid, v in votes.items() if selectors.passes_majority(v, total)), reverse=True
    )
    if len(ranked) <= seats:
        return {cid for _v, cid in ranked}
    cutoff = ranked[seats - 1][0]
    if ranked[seats][0] == cutoff:
        return {cid for v, cid in ranked if v > cutoff}
    return {cid for _v, cid in ranked[:seats]}


@transaction.atomic
def election_record(*, election: Election, votes: dict[int, int], actor) -> Election:
    """Count an election: votes per candidate id. Refused below quorum; those elected are computed.
    Electing presidium members (or the chair/vice-chairs) updates the presidium roster, within the
    size limits of the county's rules — otherwise nothing is written."""
    session = election.session
    _check_staff(actor, session.township_id)
    session = _lock(Session, session.pk)
    election = _lock(Election, election.pk)
    if election.held_at is not None:
        raise ValidationError(f"{_('该选举已计票。')}{STALE}")
    if session.status != Session.Status.IN_SESSION:
        raise ValidationError(_("只有会议进行中才能选举。"))
    quorum = selectors.session_quorum(session)
    if not quorum["has_quorum"]:
        raise ValidationError(_("出席代表 %(present)s 人，未达到法定人数 %(needed)s 人，不能选举。") % quorum)
    candidates = {c.pk: c for c in election.candidates.select_related("deputy")}
    if set(votes) != set(candidates):
        raise ValidationError(_("请为每位候选人填写得票数。"))
    for v in votes.values():
        if v is None or v < 0 or v > quorum["present"]:
            raise ValidationError(_("每位候选人的得票须在 0 至出席人数(%(present)s)之间。") % quorum)
    elected = _elected(votes, election.seats, quorum["total"])
    for cid, c in candidates.items():
        c.votes, c.elected = votes[cid], cid in elected
    Candidate.objects.bulk_update(candidates.values(), ["votes", "elected"])
    election.held_at, election.total_deputies, election.recorded_by = timezone.now(), quorum["total"], actor
    election.save(update_fields=["held_at", "total_deputies", "recorded_by"])
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
        action="congress.election.record",
        township=session.township,
        obj=election,
        elected=[candidates[cid].name for cid in elected],
    )
    return election


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
    audit(actor=actor, action="congress.presidium.add", township=session.township, obj=deputy, role=role)
    return new[0] if new else selectors.active_members(session.term, session.start_date).get(deputy=deputy)


@transaction.atomic
def membership_end(*, membership: PresidiumMembership, end_date: dt.date, actor) -> PresidiumMembership:
    _check_staff(actor, membership.township_id)
    membership = _lock(PresidiumMembership, membership.pk)
    if membership.end_date is not None:
        raise ValidationError(STALE)
    if end_date < membership.start_date:
        raise ValidationError(_("终止日期不能早于起始日期。"))
    membership.end_date = end_date
    membership.save(update_fields=["end_date"])
    audit(
        actor=actor,
        action="congress.presidium.end",
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
    PresidiumMeetingEvent.objects.create(
        meeting=meeting, actor=actor, to_status=meeting.status, comment=_("创建")
    )
    return meeting


@transaction.atomic
def meeting_transition(
    *, meeting: PresidiumMeeting, to_status: str, actor, comment: str = "", expected_status: str | None = None
) -> PresidiumMeeting:
    _check_staff(actor, meeting.township_id)
    meeting = _lock(PresidiumMeeting, meeting.pk)
    _expect(meeting, expected_status)
    if to_status not in MEETING_TRANSITIONS[meeting.status]:
        raise ValidationError(
            _("会议当前状态为“%(s)s”，不能改为“%(t)s”。")
            % {"s": meeting.get_status_display(), "t": PresidiumMeeting.Status(to_status).label}
        )
    if to_status == PresidiumMeeting.Status.HELD:
        if meeting.date > timezone.localdate():
            raise ValidationError(_("会议日期未到，不能标记为已召开。"))
        meeting.member_count = selectors.active_members(meeting.term, meeting.date).count()
    PresidiumMeetingEvent.objects.create(
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
    audit(actor=actor, action="congress.meeting.topic", township=meeting.township, obj=topic)
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
        raise ValidationError(f"{_('该议题已表决。')}{STALE}")
    if meeting.status == PresidiumMeeting.Status.CANCELLED:
        raise ValidationError(_("会议已取消。"))
    quorum = selectors.meeting_quorum(meeting)
    if not quorum["has_quorum"]:
        raise ValidationError(_("出席成员 %(present)s 人，未达到法定人数 %(needed)s 人，不能表决。") % quorum)
    _check_tally(votes_for, votes_against, abstentions, quorum["present"])
    topic.votes_for, topic.votes_against, topic.abstentions = votes_for, votes_against, abstentions
    topic.passed = selectors.passes_majority(votes_for, quorum["total"])
    if decision:
        topic.decision = decision
    topic.save(update_fields=["votes_for", "votes_against", "abstentions", "passed", "decision"])
    audit(
        actor=actor, action="congress.meeting.vote", township=meeting.township, obj=topic, passed=topic.passed
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
        raise ValidationError(STALE)
    meeting.minutes, meeting.recorder = minutes, (recorder or "")[:30]
    meeting.save(update_fields=["minutes", "recorder"])
    audit(actor=actor, action="congress.meeting.minutes", township=meeting.township, obj=meeting)
    return meeting


# ---------------------------------------------------------------- notices


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
    if not send_notice(
        recipients=users,
        verb="congress.session_notice",
        title=title,
        body=body,
        obj=session,
        url=url,
        dedupe_key=f"congress.session.{session.pk}.{session.start_date}",
    ):
        raise ValidationError(_("通知模块尚未启用，暂不能发送会议通知。"))
    audit(
        actor=actor,
        action="congress.session.notice",
        township=session.township,
        obj=session,
        recipients=len(users),
    )
    return len(users)


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
    if not send_notice(
        recipients=users,
        verb="congress.meeting_notice",
        title=title,
        body=body,
        obj=meeting,
        url=url,
        dedupe_key=f"congress.meeting.{meeting.pk}.{meeting.date}",
    ):
        raise ValidationError(_("通知模块尚未启用，暂不能发送会议通知。"))
    audit(
        actor=actor,
        action="congress.meeting.notice",
        township=meeting.township,
        obj=meeting,
        recipients=len(users),
    )
    return len(users)
