"""Notification routes in the isolation matrix: township B's inbox messages and delivery log rows
with real makers."""

from notifications.models import Delivery, Notification
from presidium.models import Role
from tests import factories as f
from tests.isolation import Listing, Posted, Scoped


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


def notification_to(user, title):
    """A message in the inbox of ``user`` of township A (its peers must not read it)."""
    return Notification.objects.create(
        recipient=user,
        township=user.township,
        county=user.township.county,
        verb="test",
        title=title,
        key=f"test:{user.pk}",
    )


PEERS = {
    "deputy_a2": lambda c: notification_to(c.deputy_a.user, "给甲镇一号代表的提醒QQ"),
    "unit_a2": lambda c: notification_to(c.unit_officer_a, "给甲镇一号单位的提醒QQ"),
}
PEER_MARKERS = {
    "deputy_a2": lambda c: PEERS["deputy_a2"](c).title,
    "unit_a2": lambda c: PEERS["unit_a2"](c).title,
}


ROUTES = {
    "notifications:inbox": Listing(marker=lambda c: notification_b(c).title, peer_markers=PEER_MARKERS),
    "notifications:open": Scoped(make=notification_b, peers=PEERS),
    "notifications:mark_all_read": Posted(
        make=notification_b,
        data=lambda c, n: {},
        unchanged=lambda c, n: Notification.objects.get(pk=n.pk).read_at is None,
        roles=("staff_a", "deputy_a", "unit_a", "county_a"),
    ),
    "notifications:preferences": Listing(),
    "notifications:deliveries": Listing(
        roles=("staff_a", "county_a"), marker=lambda c: delivery_b(c).notification.title
    ),
    "notifications:delivery_resend": Scoped(
        make=delivery_b,
        method="post",
        unchanged=lambda cast, obj: Delivery.objects.get(pk=obj.pk).status == "failed",
    ),
    "notification-list": Listing(marker=lambda c: notification_b(c).title, peer_markers=PEER_MARKERS),
    "notification-detail": Scoped(make=notification_b, peers=PEERS),
}
