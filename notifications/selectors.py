"""Reads of the notifications app. A user's inbox is theirs alone; the delivery log is scoped to the
staff member's township (county staff: their county; superusers: everything)."""

from django.db.models import Count, Q, QuerySet

from presidium.models import Role
from presidium.selectors import principal_role

from .models import Delivery, Notification


def inbox_for(user) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False) or principal_role(user) == "api":
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk)


def unread_count(user) -> int:
    return inbox_for(user).filter(read_at__isnull=True).count()


def deliveries_visible_to(user) -> QuerySet[Delivery]:
    role = principal_role(user)
    qs = Delivery.objects.select_related("notification", "notification__recipient", "township")
    if role == Role.ADMIN:
        return qs
    if role == Role.STAFF and user.township_id:
        return qs.filter(township_id=user.township_id)
    if role == Role.COUNTY and user.county_id:
        return qs.filter(county_id=user.county_id)
    return qs.none()


def delivery_search(qs: QuerySet[Delivery], *, q: str = "", status: str = "", channel: str = "") -> QuerySet:
    if status in Delivery.Status.values:
        qs = qs.filter(status=status)
    if channel in ("email", "sms"):
        qs = qs.filter(channel=channel)
    if q:
        qs = qs.filter(
            Q(address__icontains=q)
            | Q(notification__title__icontains=q)
            | Q(notification__recipient__full_name__icontains=q)
            | Q(notification__recipient__username__icontains=q)
        )
    return qs


def delivery_status_counts(qs: QuerySet[Delivery]) -> dict[str, int]:
    """{status: count} in one grouped query."""
    counts = dict.fromkeys(Delivery.Status.values, 0)
    for row in qs.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts
