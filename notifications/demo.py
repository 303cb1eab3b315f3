"""Demo data for the notifications app (runs after suggestions and supervision): one reminder sweep
over the demo items, a few ordinary notifications, and a delivery log with sent, deferred and failed
rows — without sending anything while seeding (the first real sweep sends what is pending)."""

import datetime as dt

from django.utils import timezone

from presidium.models import Role

from .engine import run_sweep
from .models import Delivery, Notification
from .services import hold_deliveries, notify

ORDER = 50


def seed(ctx):
    users = ctx["users"]
    now = ctx.get("now") or timezone.now()
    # Give the demo logins addresses so the channels have somewhere to go.
    for name, user in users.items():
        changed = []
        if user.role in (Role.STAFF, Role.UNIT, Role.COUNTY) and not user.email:
            user.email = f"{name}@example.cn"
            changed.append("email")
        if user.role == Role.UNIT and not user.phone:
            user.phone = f"1370000{user.pk:04d}"[:11]
            user.notify_channels = ["email", "sms"]
            changed += ["phone", "notify_channels"]
        if changed:
            user.save(update_fields=changed)
    with hold_deliveries():
        result = run_sweep(now=now)
        for i in range(1, len(ctx["townships"]) + 1):
            staff = users.get(f"staff{i}")
            if staff:
                notify(
                    recipients=[staff],
                    verb="system.welcome",
                    title="欢迎使用乡镇人大主席团工作平台",
                    body="到期提醒会在此处和您选择的短信、邮件中通知您。",
                    url="/",
                    channels=[],
                    dedupe_key="demo-welcome",
                )
    # A believable log: most outbound messages already went out, one failed after its retries, and
    # SMS created "last night" waited for the end of the quiet hours.
    pending = list(Delivery.objects.filter(status="pending").order_by("pk").values_list("pk", "channel"))
    sent_ids = [pk for i, (pk, _c) in enumerate(pending) if i % 7 != 3]
    Delivery.objects.filter(pk__in=sent_ids).update(
        status="sent", attempts=1, sent_at=now - dt.timedelta(minutes=5), provider_ref="demo"
    )
    failed = [pk for i, (pk, c) in enumerate(pending) if i % 7 == 3 and c == "sms"][:2]
    Delivery.objects.filter(pk__in=failed).update(
        status="failed", attempts=5, last_error="已尝试5次仍失败：TransientSendError: gateway HTTP 503"
    )
    # Half of the inbox messages have been read.
    ids = list(Notification.objects.order_by("pk").values_list("pk", flat=True))
    Notification.objects.filter(pk__in=ids[::2]).update(read_at=now)
    out = ctx.get("stdout")
    if out is not None:
        out.write(
            f"    reminders: {result['notifications']} inbox messages, {result['deliveries']} deliveries"
        )
