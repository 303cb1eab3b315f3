"""An outside tester's check: with no SMS gateway configured (the default console backend), issuing
logins or resetting a password by SMS must never leave the temporary password in a log or a file."""

import json
import logging

from django.urls import reverse

from accounts import services
from notifications import sms


def test_the_console_sms_backend_masks_every_password_in_the_log_and_the_file(
    cast, roster, settings, tmp_path, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "notifications.sms.ConsoleSmsBackend"
    sms_file = tmp_path / "sms.jsonl"
    monkeypatch.setenv("SMS_LOG_FILE", str(sms_file))

    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        result = services.deputy_logins_issue(
            township=cast.township_a,
            deputy_ids=roster.ids("王建华", "李秀兰"),
            actor=cast.staff_a,
            send_sms=True,
        )
        reset = services.account_reset(target=result.issued[0].user, actor=cast.staff_a, send_sms=True)

    passwords = [line.password for line in result.issued] + [reset.password]
    assert len(passwords) == 3 and all(passwords)
    written = sms_file.read_text(encoding="utf-8")
    logged = caplog.text
    for password in passwords:
        assert password not in written
        assert password not in logged
    # The message itself still went out, readable, with the password masked.
    lines = [json.loads(x) for x in written.splitlines()]
    assert sorted(x["phone"] for x in lines) == sorted(
        [line.user.phone for line in result.issued] + [reset.user.phone]
    )
    assert all("临时密码：******" in x["text"] and "登录名：138000" in x["text"] for x in lines)
    # A reset is said as a reset, not as a new account.
    assert sorted("密码已由人大办重置" in x["text"] for x in lines) == [False, False, True]
    assert sum("账号已开通" in x["text"] for x in lines) == 2
    assert "临时密码：******" in logged
    assert all(line.sms == "sent" for line in result.issued) and reset.sms == "sent"


def test_the_staff_page_reset_by_sms_leaves_no_password_in_the_log(
    cast, roster, staff_client, settings, caplog, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "notifications.sms.ConsoleSmsBackend"
    user = (
        services.deputy_logins_issue(
            township=cast.township_a, deputy_ids=roster.ids("王建华"), actor=cast.staff_a
        )
        .issued[0]
        .user
    )
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("accounts:reset", args=[user.pk]), {"send_sms": "1"})
    assert response.status_code == 200
    assert "SMS to 13800001111" in caplog.text and "******" in caplog.text
    for record in caplog.records:
        assert "临时密码：******" in record.getMessage() or "临时密码：" not in record.getMessage()


def test_redact_keeps_ordinary_messages_and_masks_passwords_in_either_language():
    assert sms.redact("您有一件建议待签收，请登录查看。") == "您有一件建议待签收，请登录查看。"
    assert sms.redact("请勿将密码告诉他人。") == "请勿将密码告诉他人。"
    assert sms.redact("登录名：138，临时密码：ab3kx9mnpq。") == "登录名：138，临时密码：******。"
    assert "zz9k" not in sms.redact("Login: 138, temporary password: zz9k. Change it")
    assert sms.redact("spin is fine") == "spin is fine"
