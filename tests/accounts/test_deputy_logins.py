"""Deputy logins issued in bulk from the roster: who gets one, who is skipped and why, the slip shown
once, SMS through the backend exactly once, the forced change at first login, and the audit."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services
from notifications.models import Delivery, Notification
from presidium.models import AuditEntry, Role, User


def _issue(client, roster, *names, **extra):
    return client.post(reverse("accounts:deputies_issue"), {"deputy": roster.ids(*names), **extra})


def test_staff_issue_logins_for_selected_deputies_and_each_skip_has_a_reason(cast, roster, staff_client):
    response = _issue(staff_client, roster, *roster.deputies)
    assert response.status_code == 200
    html = response.content.decode()

    # (Only the roster's logins: the cast's own deputies may share these common names.)
    issued = {u.full_name: u for u in User.objects.filter(deputy__in=roster.deputies.values())}
    assert set(issued) >= {"王建华", "李秀兰"}
    for name in ("张志明", "刘桂英", "陈海涛", "杨丽华", "孙玉梅"):
        assert name not in issued, f"{name} should have been skipped"
    wang = issued["王建华"]
    assert wang.username == wang.phone == "13800001111"
    assert wang.must_change_password and wang.is_active and wang.last_login is None
    assert roster.deputies["王建华"].__class__.objects.get(pk=roster.deputies["王建华"].pk).user_id == wang.pk

    # The reasons, in words the secretary can act on.
    assert "花名册中没有手机号码" in html  # 张志明
    assert "手机号码13800003333与代表陈海涛相同" in html and "与代表刘桂英相同" in html
    assert "该代表已不在任（辞职）" in html  # 杨丽华
    assert "已被账号“林业站老周”使用" in html  # 孙玉梅
    assert "no-store" in response["Cache-Control"]


def test_the_temporary_password_is_shown_once_and_only_its_hash_is_kept(cast, roster, staff_client):
    result = services.deputy_logins_issue(
        township=cast.township_a, deputy_ids=roster.ids("王建华"), actor=cast.staff_a
    )
    (line,) = result.issued
    user = User.objects.get(pk=line.user.pk)
    assert user.password != line.password and user.check_password(line.password)
    assert not AuditEntry.objects.filter(detail__icontains=line.password).exists()
    assert line.password not in str(list(AuditEntry.objects.values_list("detail", "object_repr")))

    # Pages after the slip never show it again.
    for url in (reverse("accounts:list"), reverse("accounts:deputies"), reverse("presidium:audit")):
        assert line.password not in staff_client.get(url).content.decode()

    # Issuing again skips the deputy: a second slip would mean a second password.
    again = services.deputy_logins_issue(
        township=cast.township_a, deputy_ids=roster.ids("王建华"), actor=cast.staff_a
    )
    assert again.issued == [] and "已有登录账号" in again.skipped[0].reason
    assert User.objects.get(pk=user.pk).check_password(line.password)


def test_issuing_is_audited_per_login_and_per_batch(cast, roster):
    services.deputy_logins_issue(
        township=cast.township_a, deputy_ids=roster.ids("王建华", "李秀兰", "张志明"), actor=cast.staff_a
    )
    created = AuditEntry.objects.filter(action="user.create", township=cast.township_a, actor=cast.staff_a)
    assert sorted(e.object_repr for e in created) == ["李秀兰", "王建华"]
    batch = AuditEntry.objects.get(action="user.bulk_create", township=cast.township_a)
    assert batch.detail["issued"] == 2 and batch.detail["skipped"] == 1


def test_new_deputy_logs_in_with_mobile_number_and_must_change_the_password_first(cast, roster, client):
    (line,) = services.deputy_logins_issue(
        township=cast.township_a, deputy_ids=roster.ids("李秀兰"), actor=cast.staff_a
    ).issued
    response = client.post(reverse("login"), {"username": "13800002222", "password": line.password})
    assert response.status_code == 302
    response = client.get(reverse("suggestions:my"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    new = "Lixiulan-2026!"
    client.post(
        reverse("password_change"),
        {"old_password": line.password, "new_password1": new, "new_password2": new},
    )
    user = User.objects.get(pk=line.user.pk)
    assert not user.must_change_password and user.check_password(new) and user.last_login is not None
    assert client.get(reverse("suggestions:my")).status_code == 200
    assert AuditEntry.objects.filter(action="user.password_change", object_repr="李秀兰").exists()


def test_deputies_who_never_log_in_show_as_such_in_the_lists(cast, roster, staff_client, client):
    result = services.deputy_logins_issue(
        township=cast.township_a, deputy_ids=roster.ids("王建华", "李秀兰"), actor=cast.staff_a
    )
    wang = next(line for line in result.issued if line.name == "王建华")
    client.post(reverse("login"), {"username": "13800001111", "password": wang.password})

    never = staff_client.get(reverse("accounts:list"), {"state": "never"}).content.decode()
    # (Logins are the phone numbers: the cast's own deputies share common names.)
    assert "13800002222" in never and "13800001111" not in never
    waiting = staff_client.get(reverse("accounts:list"), {"state": "must_change"}).content.decode()
    assert "13800001111" in waiting and "13800002222" not in waiting
    page = staff_client.get(reverse("accounts:deputies"), {"login": "never"}).content.decode()
    assert "13800002222" in page and "13800001111" not in page


def test_all_missing_button_issues_for_every_serving_deputy_without_a_login(cast, roster, staff_client):
    response = staff_client.post(reverse("accounts:deputies_issue"), {"all_missing": "1"})
    assert response.status_code == 200
    names = set(User.objects.filter(deputy__in=roster.deputies.values()).values_list("full_name", flat=True))
    assert {"王建华", "李秀兰"} <= names and "杨丽华" not in names
    # A resigned deputy is not even offered.
    assert "杨丽华" not in response.content.decode()


def test_sms_goes_through_the_backend_exactly_once_per_login_and_never_into_notifications(
    cast, roster, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.deputy_logins_issue(
            township=cast.township_a,
            deputy_ids=roster.ids("王建华", "李秀兰", "张志明"),
            actor=cast.staff_a,
            send_sms=True,
        )
    assert sorted(m["phone"] for m in sms_outbox) == ["13800001111", "13800002222"]
    for line in result.issued:
        (message,) = [m for m in sms_outbox if m["phone"] == line.user.phone]
        assert line.password in message["text"] and line.login in message["text"]
        assert line.sms == "sent"
    assert AuditEntry.objects.filter(action="user.password_sms").count() == 2
    # The in-app/outbound notification tables keep message text: the password must not go there.
    assert not Notification.objects.exists() and not Delivery.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.deputy_logins_issue(
            township=cast.township_a, deputy_ids=roster.ids("王建华"), actor=cast.staff_a, send_sms=True
        )
    assert len(sms_outbox) == 2


class BrokenGateway:
    calls = 0

    def send(self, *, phone, text, reference):
        from notifications.sms import TransientSendError

        BrokenGateway.calls += 1
        raise TransientSendError("gateway HTTP 503")


# Real commits: the SMS goes out when the service's transaction commits, before the slip renders.
@pytest.mark.django_db(transaction=True)
def test_a_failed_sms_is_reported_and_audited_and_the_slip_still_shows_the_password(
    cast, roster, settings, staff_client
):
    settings.SMS_BACKEND = "tests.accounts.test_deputy_logins.BrokenGateway"
    BrokenGateway.calls = 0
    response = _issue(staff_client, roster, "王建华", "李秀兰", send_sms="1")
    html = response.content.decode()
    assert html.count("短信发送失败") == 2 and "临时密码" in html
    for line in response.context["issued"]:
        assert line.password in html
    failed = AuditEntry.objects.filter(action="user.password_sms_failed")
    assert sorted(failed.values_list("object_repr", flat=True)) == ["李秀兰", "王建华"]
    # A dead gateway costs one timeout, not one per deputy.
    assert BrokenGateway.calls == 1


def test_nothing_selected_or_junk_ids_give_a_message_and_change_nothing(cast, roster, staff_client):
    for data in ({}, {"deputy": "abc"}, {"deputy": str(cast.deputy_b.pk)}):
        response = staff_client.post(reverse("accounts:deputies_issue"), data, follow=True)
        assert response.status_code == 200
        assert response.context["messages"] and not response.context.get("issued")
    assert not User.objects.filter(
        role=Role.DEPUTY, township=cast.township_a, phone__startswith="138"
    ).exists()


def test_staff_of_another_township_cannot_issue_logins_for_our_deputies(cast, roster):
    client = cast.client_for(cast.staff_b)
    response = client.post(reverse("accounts:deputies_issue"), {"deputy": roster.ids("王建华")}, follow=True)
    assert "不属于本乡镇" in response.content.decode()
    assert not User.objects.filter(phone="13800001111").exists()
    with pytest.raises(services.PermissionDenied):
        services.deputy_logins_issue(
            township=cast.township_a, deputy_ids=roster.ids("王建华"), actor=cast.staff_b
        )
    with pytest.raises(services.PermissionDenied):
        services.deputy_logins_issue(
            township=cast.township_a, deputy_ids=roster.ids("王建华"), actor=cast.county_staff_a
        )


def test_a_re_elected_deputy_keeps_the_login_they_know_after_the_term_changes(cast, roster, client):
    from deputies import services as deputy_services
    from deputies.models import Deputy

    first = services.deputy_logins_issue(
        township=cast.township_a, deputy_ids=roster.ids("王建华", "李秀兰"), actor=cast.staff_a
    )
    line = next(x for x in first.issued if x.name == "王建华")
    old_record = roster.deputies["王建华"]
    today = timezone.localdate()
    deputy_services.term_close(term=roster.term, actor=cast.staff_a, effective_date=today)
    new_term = deputy_services.term_create(
        township=cast.township_a, actor=cast.staff_a, number=11, start_date=today
    )
    again = deputy_services.deputy_create(
        township=cast.township_a,
        term=new_term,
        actor=cast.staff_a,
        fields={"name": "王建华", "gender": "F", "phone": "13800001111", "is_reelected": True},
        effective_date=today,
    )
    # A number that now belongs to someone else is not carried over to them.
    stranger = deputy_services.deputy_create(
        township=cast.township_a,
        term=new_term,
        actor=cast.staff_a,
        fields={"name": "马新民", "gender": "M", "phone": "13800002222"},
        effective_date=today,
    )
    result = services.deputy_logins_issue(
        township=cast.township_a, deputy_ids=[again.pk, stranger.pk], actor=cast.staff_a
    )
    assert result.issued == []
    assert [r.name for r in result.relinked] == ["王建华"] and "密码不变" in result.relinked[0].reason
    assert [s.name for s in result.skipped] == ["马新民"]
    assert Deputy.objects.get(pk=again.pk).user_id == line.user.pk
    assert Deputy.objects.get(pk=old_record.pk).user_id is None
    assert AuditEntry.objects.filter(action="user.relink", detail__to_deputy_id=again.pk).exists()

    client.post(reverse("login"), {"username": "13800001111", "password": line.password})
    User.objects.filter(pk=line.user.pk).update(must_change_password=False)
    assert client.get(reverse("suggestions:my")).status_code == 200


def test_temporary_passwords_use_fewer_rounds_and_get_full_strength_at_first_login(
    cast, roster, settings, client
):
    """160 hashes at the full PBKDF2 cost would time out the issue request; the generated password's
    hash is upgraded by Django at the first login (and replaced by the forced change)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    (line,) = services.deputy_logins_issue(
        township=cast.township_a, deputy_ids=roster.ids("王建华"), actor=cast.staff_a
    ).issued
    stored = User.objects.get(pk=line.user.pk).password
    assert stored.startswith(f"pbkdf2_sha256${services.TEMPORARY_PASSWORD_ITERATIONS}$")
    assert (
        client.post(reverse("login"), {"username": "13800001111", "password": line.password}).status_code
        == 302
    )
    upgraded = User.objects.get(pk=line.user.pk).password
    assert upgraded.startswith(f"pbkdf2_sha256${PBKDF2PasswordHasher.iterations}$")


def test_the_page_warns_when_no_sms_gateway_is_configured(cast, staff_client, settings):
    settings.SMS_BACKEND = "notifications.sms.ConsoleSmsBackend"
    assert "未配置短信网关" in staff_client.get(reverse("accounts:deputies")).content.decode()
    settings.SMS_BACKEND = "notifications.sms.HttpGatewaySmsBackend"
    assert "未配置短信网关" not in staff_client.get(reverse("accounts:deputies")).content.decode()
