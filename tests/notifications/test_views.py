"""Inbox, header badge, preferences and the staff delivery log, through the pages and the API."""

import pytest
from django.urls import reverse

from notifications.models import Delivery, Notification
from presidium.models import AuditEntry

from .isolation import delivery_b


def _note(user, title="提醒", url="/suggestions/1/", read=False, **kw):
    from django.utils import timezone

    return Notification.objects.create(
        recipient=user,
        township_id=user.township_id,
        verb="test",
        title=title,
        url=url,
        key=f"t:{title}:{Notification.objects.count()}",
        read_at=timezone.now() if read else None,
        **kw,
    )


def _delivery(cast, user, status="sent", title="到期提醒"):
    n = _note(user, title=title)
    return Delivery.objects.create(
        notification=n,
        township=cast.township_a,
        county=cast.county_a,
        channel="sms",
        address=user.phone or "13900000000",
        status=status,
        attempts=1,
    )


def test_header_badge_shows_the_unread_count_and_links_to_the_inbox(cast):
    user = cast.deputy_a.user
    _note(user, "甲")
    _note(user, "乙")
    _note(user, "丙", read=True)
    _note(cast.deputy_a2.user, "别人的")
    body = cast.client_for(user).get(reverse("notifications:inbox")).content.decode()
    assert 'data-testid="inbox-unread">2<' in body
    assert reverse("notifications:inbox") in body


def test_inbox_lists_only_the_users_own_messages_with_unread_filter_and_search(cast):
    user = cast.deputy_a.user
    _note(user, "修路建议到期")
    _note(user, "已读的消息", read=True)
    _note(cast.deputy_a2.user, "另一位代表的消息")
    client = cast.client_for(user)
    body = client.get(reverse("notifications:inbox")).content.decode()
    assert "修路建议到期" in body and "已读的消息" in body and "另一位代表的消息" not in body
    body = client.get(reverse("notifications:inbox"), {"unread": "1"}).content.decode()
    assert "修路建议到期" in body and "已读的消息" not in body
    body = client.get(reverse("notifications:inbox"), {"q": "修路"}).content.decode()
    assert "修路建议到期" in body and "已读的消息" not in body


def test_empty_inbox_says_so(cast):
    body = cast.client_for(cast.staff_a).get(reverse("notifications:inbox")).content.decode()
    assert "暂无消息" in body


def test_inbox_query_count_does_not_grow_with_messages(cast, django_assert_max_num_queries):
    user = cast.deputy_a.user
    client = cast.client_for(user)
    _note(user, "一")
    with django_assert_max_num_queries(12) as ctx:
        client.get(reverse("notifications:inbox"))
    few = len(ctx.captured_queries)
    for i in range(40):
        _note(user, f"消息{i}")
    with django_assert_max_num_queries(few):
        assert client.get(reverse("notifications:inbox")).status_code == 200


def test_opening_a_message_marks_it_read_and_goes_to_the_object(cast):
    user = cast.deputy_a.user
    n = _note(user, url="/suggestions/7/")
    response = cast.client_for(user).get(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/suggestions/7/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_an_offsite_link_is_not_followed(cast):
    user = cast.deputy_a.user
    n = _note(user, url="https://evil.example.com/")
    response = cast.client_for(user).get(reverse("notifications:open", args=[n.pk]))
    assert response["Location"] == reverse("notifications:inbox")


def test_deputy_cannot_open_another_deputys_message(cast):
    n = _note(cast.deputy_a2.user)
    response = cast.client_for(cast.deputy_a.user).get(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_all_read_touches_only_ones_own_messages(cast):
    mine, other = _note(cast.deputy_a.user), _note(cast.deputy_a2.user)
    response = cast.client_for(cast.deputy_a.user).post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.read_at is not None and other.read_at is None


def test_deputy_chooses_channels_and_the_choice_is_audited(cast):
    user = cast.deputy_a.user
    client = cast.client_for(user)
    assert client.get(reverse("notifications:preferences")).status_code == 200
    response = client.post(reverse("notifications:preferences"), {"channels": []})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.notify_channels == ["inapp"]
    assert AuditEntry.objects.filter(action="notification.preferences", actor=user).exists()


def test_choosing_email_without_an_address_is_refused_with_a_message(cast):
    user = cast.deputy_a.user
    response = cast.client_for(user).post(
        reverse("notifications:preferences"), {"channels": ["email"]}, follow=True
    )
    assert "选择邮件提醒前请先填写邮箱地址" in response.content.decode()
    user.refresh_from_db()
    assert user.notify_channels == []


def test_unknown_channel_is_a_form_error_not_a_500(cast):
    response = cast.client_for(cast.deputy_a.user).post(
        reverse("notifications:preferences"), {"channels": ["pigeon"]}
    )
    assert response.status_code == 200
    cast.deputy_a.user.refresh_from_db()
    assert cast.deputy_a.user.notify_channels == []


def test_staff_see_their_townships_deliveries_with_failures_and_counts(cast):
    _delivery(cast, cast.deputy_a.user, status="failed", title="甲镇失败的提醒")
    _delivery(cast, cast.deputy_a.user, status="sent", title="甲镇已发的提醒")
    delivery_b(cast, title="乙镇的提醒")
    client = cast.client_for(cast.staff_a)
    body = client.get(reverse("notifications:deliveries")).content.decode()
    assert "甲镇失败的提醒" in body and "甲镇已发的提醒" in body and "乙镇的提醒" not in body
    assert "重新发送" in body
    body = client.get(reverse("notifications:deliveries"), {"status": "failed"}).content.decode()
    assert "甲镇失败的提醒" in body and "甲镇已发的提醒" not in body


def test_county_staff_read_the_countys_log_but_cannot_resend(cast):
    d = _delivery(cast, cast.deputy_a.user, status="failed", title="甲镇失败的提醒")
    client = cast.client_for(cast.county_staff_a)
    body = client.get(reverse("notifications:deliveries")).content.decode()
    assert "甲镇失败的提醒" in body and "重新发送" not in body
    assert client.post(reverse("notifications:delivery_resend", args=[d.pk])).status_code == 403


@pytest.mark.parametrize("role", ["deputy", "unit"])
def test_deputies_and_units_have_no_delivery_log(cast, role):
    user = cast.deputy_a.user if role == "deputy" else cast.unit_officer_a
    assert cast.client_for(user).get(reverse("notifications:deliveries")).status_code == 403


def test_delivery_log_query_count_does_not_grow_with_rows(cast, django_assert_max_num_queries):
    client = cast.client_for(cast.staff_a)
    _delivery(cast, cast.deputy_a.user)
    with django_assert_max_num_queries(15) as ctx:
        client.get(reverse("notifications:deliveries"))
    few = len(ctx.captured_queries)
    for i in range(30):
        _delivery(cast, cast.deputy_a2.user if i % 2 else cast.deputy_a.user, title=f"提醒{i}")
    with django_assert_max_num_queries(few):
        assert client.get(reverse("notifications:deliveries")).status_code == 200


def test_staff_resend_through_the_page(cast, django_capture_on_commit_callbacks):
    d = _delivery(cast, cast.deputy_a.user, status="failed")
    with django_capture_on_commit_callbacks(execute=False):
        response = cast.client_for(cast.staff_a).post(reverse("notifications:delivery_resend", args=[d.pk]))
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == "pending" and d.attempts == 0


def test_resending_a_sent_delivery_is_refused_with_a_message(cast):
    d = _delivery(cast, cast.deputy_a.user, status="sent")
    response = cast.client_for(cast.staff_a).post(
        reverse("notifications:delivery_resend", args=[d.pk]), follow=True
    )
    assert "只有发送失败或未发送的消息可以重新发送" in response.content.decode()
    d.refresh_from_db()
    assert d.status == "sent"


def test_api_lists_only_the_users_own_messages(cast):
    _note(cast.deputy_a.user, "我的消息")
    _note(cast.deputy_a2.user, "别人的消息")
    data = cast.client_for(cast.deputy_a.user).get("/api/v1/notifications/").json()
    assert [n["title"] for n in data["results"]] == ["我的消息"]
    other = Notification.objects.get(title="别人的消息")
    assert cast.client_for(cast.deputy_a.user).get(f"/api/v1/notifications/{other.pk}/").status_code == 404


def test_django_admin_lists_notifications_and_deliveries_for_superusers(cast, admin_client):
    _delivery(cast, cast.deputy_a.user, status="failed", title="管理后台可见")
    for name in ("notification", "delivery"):
        response = admin_client.get(reverse(f"admin:notifications_{name}_changelist"))
        assert response.status_code == 200
    assert (
        "管理后台可见"
        in admin_client.get(reverse("admin:notifications_notification_changelist")).content.decode()
    )
