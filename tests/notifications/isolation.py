"""Notification routes in the isolation matrix: township B's inbox messages and delivery log rows
with real makers."""

from notifications.models import Delivery, Notification
from presidium.models import Role
from tests import factories as f
from tests.isolation import Listing, Scoped


def notification_b(cast, title="乙镇私密提醒甲乙丙"):
    user_b = f.UserFactory(role=Role.DEPUTY, township=cast.township_b, phone=None)
    return Notification.objects.create(
        recipient=user_b,
        township=cast.township_b,
        county=cast.county_b,
        verb="test",
        title=title,
        key=f"test:{user_b.pk}",
    )


def delivery_b(cast, status="failed", title="乙镇发送记录丁戊己"):
    n = notification_b(cast, title=title)
    return Delivery.objects.create(
        notification=n,
        township=cast.township_b,
        county=cast.county_b,
        channel="sms",
        address="13999990000",
        status=status,
        attempts=5,
        last_error="gateway 503",
    )


ROUTES = {
    "notifications:inbox": Listing(marker=lambda c: notification_b(c).title),
    "notifications:open": Scoped(make=notification_b),
    "notifications:mark_all_read": Listing(method="post"),
    "notifications:preferences": Listing(),
    "notifications:deliveries": Listing(
        roles=("staff_a", "county_a"), marker=lambda c: delivery_b(c).notification.title
    ),
    "notifications:delivery_resend": Scoped(
        make=delivery_b,
        method="post",
        unchanged=lambda cast, obj: Delivery.objects.get(pk=obj.pk).status == "failed",
    ),
    "notification-list": Listing(marker=lambda c: notification_b(c).title),
    "notification-detail": Scoped(make=notification_b),
}
