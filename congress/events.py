"""The event rows of the congress workflows (sessions, motions, presidium meetings), in the manner of
Saleor's ``order/events.py``: services call these functions; nothing else creates the rows."""

from django.utils.translation import gettext as _

from .models import Motion, MotionEvent, PresidiumMeeting, PresidiumMeetingEvent, Session, SessionEvent


def session_transition(
    *, session: Session, actor, from_status: str, to_status: str, comment: str = "", action: str = "", **extra
) -> SessionEvent:
    return SessionEvent.objects.create(
        session=session,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        extra=extra,
    )


def session_created(*, session: Session, actor) -> SessionEvent:
    return session_transition(
        session=session, actor=actor, from_status="", to_status=session.status, comment=_("创建")
    )


def motion_transition(
    *, motion: Motion, actor, from_status: str, to_status: str, comment: str = "", action: str = "", **extra
) -> MotionEvent:
    return MotionEvent.objects.create(
        motion=motion,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        extra=extra,
    )


def motion_submitted(*, motion: Motion, actor) -> MotionEvent:
    return motion_transition(
        motion=motion, actor=actor, from_status="", to_status=motion.status, comment=_("提出")
    )


def meeting_transition(
    *,
    meeting: PresidiumMeeting,
    actor,
    from_status: str,
    to_status: str,
    comment: str = "",
    action: str = "",
    **extra,
) -> PresidiumMeetingEvent:
    return PresidiumMeetingEvent.objects.create(
        meeting=meeting,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        extra=extra,
    )


def meeting_created(*, meeting: PresidiumMeeting, actor) -> PresidiumMeetingEvent:
    return meeting_transition(
        meeting=meeting, actor=actor, from_status="", to_status=meeting.status, comment=_("创建")
    )
