"""Who reads what in the congress app (applied once): sessions, motions, elections, agenda items,
presidium meetings, memberships and topics, and the pages' lists built on them."""

from django.db.models import Count, Q, QuerySet

from presidium.models import Role
from presidium.selectors import principal_role, scope

from ..models import (
    AgendaItem,
    Attendance,
    Election,
    MeetingTopic,
    Motion,
    PresidiumMeeting,
    PresidiumMembership,
    Session,
)

READ_ROLES = (Role.STAFF, Role.COUNTY, Role.ADMIN, "api")


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


def topics_visible_to(user) -> QuerySet[MeetingTopic]:
    return MeetingTopic.objects.filter(meeting__in=meetings_visible_to(user)).select_related(
        "meeting__township", "meeting__term"
    )


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
