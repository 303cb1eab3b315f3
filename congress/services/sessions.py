"""Session writes: planning, agenda, roll call, votes and motions."""

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
from suggestions.services import suggestion_create_from_source

from .. import events, selectors
from ..models import (
    AgendaItem,
    Attendance,
    Motion,
    Observer,
    PresidiumMeeting,
    Session,
    Vote,
)
from .base import (
    MARKABLE_SESSION,
    MOTION_TRANSITIONS,
    OPEN_SESSION,
    SESSION_TRANSITIONS,
    _check_staff,
    _check_tally,
    _expect,
    _lock,
)

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
    events.session_created(session=session, actor=actor)
    return session


@transaction.atomic
def session_transition(
    *,
    session: Session,
    to_status: str,
    actor,
    comment: str = "",
    expected_status: str | None = None,
    confirm_warnings: bool = False,
) -> Session:
    """Move a session along its workflow. Opening (进行中) is refused before the session's date; with
    an unfinished 五落实 or a report not delivered before the opening day it needs
    ``confirm_warnings``, and what was missing is kept on the session (``opening_flags``) and counted
    in the township's figures."""
    _check_staff(actor, session.township_id)
    session = _lock(Session, session.pk)
    _expect(session, expected_status)
    if to_status not in SESSION_TRANSITIONS.targets(session.status):
        raise ValidationError(
            _("会议当前状态为“%(s)s”，不能改为“%(t)s”。")
            % {"s": session.get_status_display(), "t": Session.Status(to_status).label}
        )
    flags = []
    if to_status == Session.Status.IN_SESSION:
        if timezone.localdate() < session.start_date:
            raise ValidationError(
                _("会议定于 %(d)s 开幕，不能提前开幕。") % {"d": session.start_date.isoformat()}
            )
        flags = selectors.opening_warnings(session)
        if flags and not confirm_warnings:
            raise ValidationError(
                _("开幕前尚有未落实事项：%(w)s。如确需开幕，请确认后再试。") % {"w": "；".join(flags)},
                code="needs_confirmation",
            )
        if flags:
            session.opening_flags = flags
            session.save(update_fields=["opening_flags"])
            comment = (comment + " " + _("未落实即开幕：%(w)s") % {"w": "；".join(flags)}).strip()
    if to_status == Session.Status.CLOSED:
        # Everyone not marked at closing was absent: the roll is complete for the archive.
        attendance_fill_absent(session=session, actor=actor)
    events.session_transition(
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
        actor=actor, action=AuditAction.SESSION_UPDATE, township=session.township, obj=session, before=before
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
        action=AuditAction.SESSION_CHECKLIST,
        township=session.township,
        obj=session,
        item=item,
        done=bool(done),
    )
    return session


def _check_sent_on(sent_on: dt.date | None) -> None:
    """The date the documents reached the deputies is a fact already past: never in the future."""
    if sent_on is not None and sent_on > timezone.localdate():
        raise ValidationError({"document_sent_on": _("送达日期不能晚于今天。")})


@transaction.atomic
def agenda_item_add(
    *,
    session: Session,
    kind: str,
    title: str,
    actor,
    document=None,
    document_sent_on: dt.date | None = None,
    deputy: Deputy | None = None,
) -> AgendaItem:
    """Add an agenda item. A resignation item (接受代表辞职) names the township deputy who resigned
    in writing; the congress accepts it by voting on the item (:func:`vote_record`)."""
    _check_staff(actor, session.township_id)
    title = (title or "").strip()
    if kind == AgendaItem.Kind.RESIGNATION:
        if deputy is None or not selectors.session_deputies(session).filter(pk=deputy.pk).exists():
            raise ValidationError({"deputy": _("请选择提出辞职的本届在任乡镇人大代表。")})
        if AgendaItem.objects.filter(session=session, kind=kind, deputy=deputy).exists():
            raise ValidationError({"deputy": _("本次会议已安排该代表的辞职议程。")})
        title = title or _("关于接受%(n)s辞去镇人民代表大会代表职务的决定") % {"n": deputy.name}
    else:
        deputy = None
    if not title:
        raise ValidationError({"title": _("请填写议题。")})
    if kind not in AgendaItem.Kind.values:
        raise ValidationError({"kind": _("请选择议程类型。")})
    if session.status not in OPEN_SESSION:
        raise ValidationError(_("会议已闭会或取消，不能再增加议程。"))
    _check_sent_on(document_sent_on)
    order = (session.agenda_items.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    item = AgendaItem.objects.create(
        session=session,
        kind=kind,
        title=title,
        order=order,
        document=document or "",
        document_sent_on=document_sent_on,
        deputy=deputy,
    )
    audit(actor=actor, action=AuditAction.AGENDA_ADD, township=session.township, obj=item, session=session.pk)
    return item


@transaction.atomic
def agenda_item_mark_sent(*, item: AgendaItem, sent_on: dt.date, actor) -> AgendaItem:
    """Record the date the report documents reached the deputies."""
    _check_staff(actor, item.session.township_id)
    _check_sent_on(sent_on)
    item = _lock(AgendaItem, item.pk)
    item.document_sent_on = sent_on
    item.save(update_fields=["document_sent_on"])
    audit(
        actor=actor,
        action=AuditAction.AGENDA_SENT,
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
    audit(actor=actor, action=AuditAction.OBSERVER_ADD, township=target.township, obj=obs)
    return obs


# ---------------------------------------------------------------- votes


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
        raise ValidationError(f"{_('该议程已表决。')}{STALE_MESSAGE}")
    _check_tally(votes_for, votes_against, abstentions, quorum["present"])
    motion = Motion.objects.select_for_update(of=("self",)).filter(agenda_item=item).first()
    if motion is not None and motion.status != Motion.Status.ON_AGENDA:
        raise ValidationError(_("该议案已撤回或已处理，不能表决。"))
    passed = selectors.passes_majority(votes_for, quorum["total"], session.township.rules, "session")
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
    if item.kind == AgendaItem.Kind.RESIGNATION and passed and item.deputy_id:
        # 代表法 art. 49: accepted by more than half of all deputies — the resignation takes effect.
        from deputies.services import deputy_change_status

        deputy_change_status(
            deputy=item.deputy,
            to_status=Deputy.Status.RESIGNED,
            effective_date=timezone.localdate(),
            actor=actor,
            document_ref=str(session),
            note=_("人民代表大会表决接受辞职：赞成%(f)s票") % {"f": votes_for},
            accepted_by_congress=True,
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
    *,
    session: Session,
    title: str,
    grounds: str,
    plan: str,
    lead_deputy: Deputy,
    co_deputies=(),
    actor,
    received_on: dt.date | None = None,
    category: str = "",
    level: str = "",
    original=None,
) -> Motion:
    """Register a motion (议案) raised jointly by at least ``motion_min_deputies`` current deputies,
    as it arrived on paper: the day it was received, its category and level, the scanned original."""
    _check_staff(actor, session.township_id)
    if session.status not in OPEN_SESSION:
        raise ValidationError(_("会议已闭会或取消，不能再提出议案。"))
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise ValidationError(_("收到日期不能晚于今天。"))
    category = (category or "").strip()
    if category and category not in session.township.rules.categories:
        raise ValidationError(_("分类“%(c)s”不在本县的建议分类中。") % {"c": category})
    if level and level not in MOTION_LEVELS:
        raise ValidationError(_("请选择办理层级。"))
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
        received_on=received_on,
        category=category,
        level=level or "",
        original=original or "",
    )
    motion.co_deputies.set([pk for pk in signers if pk != lead_deputy.pk])
    events.motion_submitted(motion=motion, actor=actor)
    return motion


# The levels a motion handled as a suggestion may take (the suggestions app's Level values).
MOTION_LEVELS = ("township", "county", "village")


def _motion_move(motion: Motion, to_status: str, actor, comment: str = ""):
    if to_status not in MOTION_TRANSITIONS.targets(motion.status):
        raise ValidationError(
            _("议案当前状态为“%(s)s”，不能改为“%(t)s”。")
            % {"s": motion.get_status_display(), "t": Motion.Status(to_status).label}
        )
    events.motion_transition(
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
        if Motion.Status.ON_AGENDA not in MOTION_TRANSITIONS.targets(motion.status):
            raise ValidationError(_("该议案不能列入议程。"))
        motion.agenda_item = agenda_item_add(
            session=motion.session, kind=AgendaItem.Kind.MOTION, title=motion.title, actor=actor
        )
    elif decision == Motion.Status.AS_SUGGESTION:
        if Motion.Status.AS_SUGGESTION not in MOTION_TRANSITIONS.targets(motion.status):
            raise ValidationError(_("该议案不能转为建议办理。"))
        suggestion = suggestion_create_from_source(
            source=motion,
            township=motion.township,
            title=motion.title,
            content=f"{_('案由')}：{motion.title}\n{_('案据')}：{motion.grounds}\n{_('方案')}：{motion.plan}",
            actor=actor,
            lead_deputy=motion.lead_deputy,
            co_deputies=tuple(motion.co_deputies.all()),
            category=motion.category,
            # Made at the session: counted "during the session", numbered by the day it arrived.
            during_session=True,
            session=motion.session,
            received_on=motion.received_on,
            level=motion.level,
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
