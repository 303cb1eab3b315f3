"""The deputy's own view (their sessions, meetings, motions and own marks, never the others'), and the
attendance records the deputies' archive reads."""

from django.db.models import Prefetch, Q, QuerySet

from presidium.selectors import principal_role

from ..models import (
    AgendaItem,
    Attendance,
    MeetingAttendance,
    Motion,
    PresidiumMeeting,
    PresidiumMembership,
    Session,
)


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
        from ..models import MeetingAttendance

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
