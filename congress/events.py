"""The event rows of the congress workflows (sessions, motions, presidium meetings), in the manner of
Saleor's ``order/events.py``: services call these functions; nothing else creates the rows. The
``*_transition`` functions take ``StatusEvent.record``'s keywords (actor, from/to status, action,
comment, details)."""

from django.utils.translation import gettext as _

from .models import Motion, MotionEvent, PresidiumMeeting, PresidiumMeetingEvent, Session, SessionEvent


def session_transition(*, session: Session, **fields) -> SessionEvent:
    return SessionEvent.record(session, **fields)


def session_created(*, session: Session, actor) -> SessionEvent:
    return SessionEvent.record(session, actor=actor, to_status=session.status, comment=_("创建"))


def motion_transition(*, motion: Motion, **fields) -> MotionEvent:
    return MotionEvent.record(motion, **fields)


def motion_submitted(*, motion: Motion, actor) -> MotionEvent:
    return MotionEvent.record(motion, actor=actor, to_status=motion.status, comment=_("提出"))


def meeting_transition(*, meeting: PresidiumMeeting, **fields) -> PresidiumMeetingEvent:
    return PresidiumMeetingEvent.record(meeting, **fields)


def meeting_created(*, meeting: PresidiumMeeting, actor) -> PresidiumMeetingEvent:
    return PresidiumMeetingEvent.record(meeting, actor=actor, to_status=meeting.status, comment=_("创建"))
