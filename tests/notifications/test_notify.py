"""notify(): the inbox always, plus each recipient's channels; deduplicated when asked."""

import datetime as dt

import time_machine
from django.core import mail

from notifications import sms
from notifications.models import Delivery, Notification
from notifications.services import notify
from presidium.models import Role
from tests import factories as f

DAYTIME = dt.datetime(2025, 3, 12, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
NIGHT = dt.datetime(2025, 3, 12, 22, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@time_machine.travel(DAYTIME, tick=False)
def test_deputy_gets_inbox_message_and_one_sms_by_default(cast, django_capture_on_commit_callbacks):
    deputy_user = cast.deputy_a.user
    with django_capture_on_commit_callbacks(execute=True):
        created = notify(
            recipients=[deputy_user],
            verb="suggestion.replied",
            title="您的建议已答复",
            body="请查看并测评",
            url="/suggestions/1/",
        )
    assert created == 1
    n = Notification.objects.get(recipient=deputy_user)
    assert n.title == "您的建议已答复" and n.read_at is None and n.township_id == cast.township_a.pk
    assert [(m["phone"], m["text"]) for m in sms.outbox] == [
        (deputy_user.phone, "【人大主席团】您的建议已答复\n请查看并测评")
    ]
    assert mail.outbox == []
    d = Delivery.objects.get()
    assert (d.channel, d.status, d.attempts, d.address) == ("sms", "sent", 1, deputy_user.phone)
    assert list(d.events.values_list("from_status", "to_status")) == [
        ("pending", "sending"),
        ("sending", "sent"),
    ]


@time_machine.travel(DAYTIME, tick=False)
def test_unit_officer_gets_an_email_by_default(cast, django_capture_on_commit_callbacks):
    officer = cast.unit_officer_a
    officer.email = "caizheng@example.cn"
    officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[officer], verb="suggestion.assigned", title="新交办建议 2025-001", url="/s/1/")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["caizheng@example.cn"] and mail.outbox[0].subject == "新交办建议 2025-001"
    assert sms.outbox == []


@time_machine.travel(DAYTIME, tick=False)
def test_user_without_address_gets_inbox_only_and_a_visible_skipped_delivery(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[cast.staff_a], verb="x", title="通知")
    assert Notification.objects.filter(recipient=cast.staff_a).count() == 1
    d = Delivery.objects.get()
    assert d.status == "skipped" and d.last_error == "无邮箱地址"
    assert mail.outbox == []


@time_machine.travel(DAYTIME, tick=False)
def test_chosen_channels_replace_the_role_default(cast, django_capture_on_commit_callbacks):
    user = cast.deputy_a.user
    user.notify_channels = ["inapp"]
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], verb="x", title="只要站内消息")
    assert Notification.objects.count() == 1 and Delivery.objects.count() == 0 and sms.outbox == []


@time_machine.travel(DAYTIME, tick=False)
def test_explicit_channels_override_preferences(cast, django_capture_on_commit_callbacks):
    user = f.UserFactory(role=Role.STAFF, township=cast.township_a, email="a@example.cn", phone="13900000001")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], verb="x", title="紧急", channels=["sms", "email"])
    assert len(sms.outbox) == 1 and len(mail.outbox) == 1


@time_machine.travel(DAYTIME, tick=False)
def test_dedupe_key_sends_once_however_often_notify_is_called(cast, django_capture_on_commit_callbacks):
    user = cast.deputy_a.user
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            notify(recipients=[user, user.pk], verb="x", title="同一事件", dedupe_key="suggestion:7:replied")
    assert Notification.objects.filter(recipient=user).count() == 1
    assert len(sms.outbox) == 1


@time_machine.travel(DAYTIME, tick=False)
def test_nothing_is_sent_when_the_callers_transaction_rolls_back(cast, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify(recipients=[cast.deputy_a.user], verb="x", title="回滚")
                raise RuntimeError
        except RuntimeError:
            pass
    assert Notification.objects.count() == 0 and sms.outbox == []


@time_machine.travel(NIGHT, tick=False)
def test_sms_in_quiet_hours_is_deferred_to_the_morning_not_dropped(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[cast.deputy_a.user], verb="x", title="夜间消息")
    d = Delivery.objects.get()
    assert sms.outbox == [] and d.status == "pending"
    assert d.not_before == dt.datetime(2025, 3, 13, 8, 0, tzinfo=DAYTIME.tzinfo)
    assert Notification.objects.count() == 1  # the inbox does not wait


def test_notify_with_no_recipients_creates_nothing(db):
    assert notify(recipients=[], verb="x", title="t") == 0
    assert Notification.objects.count() == 0
