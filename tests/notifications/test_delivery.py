"""The delivery workflow: claim, retries with backoff, giving up visibly, recovery after a worker
died mid-send, quiet hours, and the staff re-send."""

import datetime as dt

import pytest
import time_machine

from notifications import services, sms
from notifications.engine import Candidate, run_sweep
from notifications.models import Delivery, DeliveryEvent, Notification
from notifications.services import delivery_attempt, notify, recover_stuck_deliveries
from presidium.models import AuditEntry, Township

from . import backends
from .helpers import at, sweep

DAY = dt.date(2025, 3, 12)


@pytest.fixture(autouse=True)
def _reset_calls():
    backends.calls.clear()


def _pending_sms(cast, capture, when=None):
    """One pending SMS delivery for deputy A, created at ``when`` without running its task."""
    with time_machine.travel(when or at(DAY), tick=False), capture(execute=False):
        notify(recipients=[cast.deputy_a.user], verb="x", title="测试短信")
    return Delivery.objects.get()


def test_a_second_attempt_on_a_sent_delivery_does_nothing(cast, django_capture_on_commit_callbacks):
    d = _pending_sms(cast, django_capture_on_commit_callbacks)
    with time_machine.travel(at(DAY), tick=False):
        assert delivery_attempt(delivery_id=d.pk)["outcome"] == "sent"
        assert delivery_attempt(delivery_id=d.pk)["outcome"] == "noop"
    assert len(sms.outbox) == 1
    d.refresh_from_db()
    assert d.status == "sent" and d.attempts == 1


def test_a_delivery_claimed_by_another_worker_is_not_sent_again(cast, django_capture_on_commit_callbacks):
    d = _pending_sms(cast, django_capture_on_commit_callbacks)
    Delivery.objects.filter(pk=d.pk).update(status="sending", claimed_at=at(DAY))
    with time_machine.travel(at(DAY, 10, 1), tick=False):
        assert delivery_attempt(delivery_id=d.pk)["outcome"] == "noop"
    assert sms.outbox == []


def test_transient_failures_retry_with_exponential_backoff_then_fail_visibly(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "tests.notifications.backends.FlakySmsBackend"
    rules = cast.county_a.rules
    rules.reminder_rules = {**rules.reminder_rules, "max_attempts": 3}
    rules.save()
    d = _pending_sms(cast, django_capture_on_commit_callbacks)
    now = at(DAY)
    with time_machine.travel(now, tick=False):
        assert delivery_attempt(delivery_id=d.pk) == {"outcome": "retry", "countdown": 60}
    d.refresh_from_db()
    assert (d.status, d.attempts, d.not_before, d.last_error) == (
        "pending",
        1,
        now + dt.timedelta(seconds=60),
        "TransientSendError: gateway HTTP 503",
    )
    with time_machine.travel(now + dt.timedelta(seconds=30), tick=False):
        assert delivery_attempt(delivery_id=d.pk)["outcome"] == "noop"  # too early: backoff respected
    with time_machine.travel(now + dt.timedelta(seconds=60), tick=False):
        assert delivery_attempt(delivery_id=d.pk) == {"outcome": "retry", "countdown": 120}
    with time_machine.travel(now + dt.timedelta(seconds=180), tick=False):
        assert delivery_attempt(delivery_id=d.pk)["outcome"] == "failed"
    d.refresh_from_db()
    assert d.status == "failed" and d.attempts == 3 and "已尝试3次仍失败" in d.last_error
    assert len(backends.calls) == 3
    with time_machine.travel(now + dt.timedelta(hours=5), tick=False):
        assert delivery_attempt(delivery_id=d.pk)["outcome"] == "noop"
    assert len(backends.calls) == 3
    assert list(DeliveryEvent.objects.filter(delivery=d).values_list("to_status", flat=True)) == [
        "sending",
        "pending",
        "sending",
        "pending",
        "sending",
        "failed",
    ]


def test_a_permanent_failure_is_not_retried(cast, settings, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "tests.notifications.backends.RefusingSmsBackend"
    d = _pending_sms(cast, django_capture_on_commit_callbacks)
    with time_machine.travel(at(DAY), tick=False):
        assert delivery_attempt(delivery_id=d.pk)["outcome"] == "failed"
    d.refresh_from_db()
    assert d.status == "failed" and d.attempts == 1 and d.last_error == "invalid number"


def test_the_sweep_enqueues_a_retry_whose_message_was_lost(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "tests.notifications.backends.FlakySmsBackend"
    d = _pending_sms(cast, django_capture_on_commit_callbacks)
    with time_machine.travel(at(DAY), tick=False):
        delivery_attempt(delivery_id=d.pk)
    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    # The retry message (countdown 60 s) never arrived; 10 minutes after it was due the sweep re-sends.
    sweep(django_capture_on_commit_callbacks, at(DAY, 10, 5), providers=[])
    assert sms.outbox == []
    sweep(django_capture_on_commit_callbacks, at(DAY, 10, 12), providers=[])
    assert len(sms.outbox) == 1
    d.refresh_from_db()
    assert d.status == "sent" and d.attempts == 2


def test_a_row_left_sending_by_a_dead_worker_is_recovered_after_the_lease_and_sent_once(
    cast, django_capture_on_commit_callbacks
):
    d = _pending_sms(cast, django_capture_on_commit_callbacks)
    Delivery.objects.filter(pk=d.pk).update(status="sending", claimed_at=at(DAY), attempts=1)
    sweep(django_capture_on_commit_callbacks, at(DAY, 10, 9), providers=[])
    assert sms.outbox == []  # within the lease: the worker may still be sending
    sweep(django_capture_on_commit_callbacks, at(DAY, 10, 11), providers=[])
    assert len(sms.outbox) == 1
    d.refresh_from_db()
    assert d.status == "sent" and d.attempts == 2
    assert DeliveryEvent.objects.filter(delivery=d, comment__contains="发送中断").count() == 1
    sweep(django_capture_on_commit_callbacks, at(DAY, 12), providers=[])
    assert len(sms.outbox) == 1


def test_a_stuck_row_with_no_attempts_left_fails_visibly_instead_of_sending(
    cast, django_capture_on_commit_callbacks
):
    d = _pending_sms(cast, django_capture_on_commit_callbacks)
    Delivery.objects.filter(pk=d.pk).update(status="sending", claimed_at=at(DAY), attempts=5)
    with time_machine.travel(at(DAY, 11), tick=False):
        assert recover_stuck_deliveries() == 1
    d.refresh_from_db()
    assert d.status == "failed" and "最大尝试次数" in d.last_error and sms.outbox == []


def test_sms_created_in_quiet_hours_goes_out_after_they_end(cast, django_capture_on_commit_callbacks):
    night = at(DAY, 22, 30)
    provider = _one_reminder_provider(cast)
    sweep(django_capture_on_commit_callbacks, night, providers=[provider])
    assert sms.outbox == [] and Notification.objects.count() == 1
    sweep(django_capture_on_commit_callbacks, at(DAY + dt.timedelta(days=1), 7, 59), providers=[provider])
    assert sms.outbox == []
    sweep(django_capture_on_commit_callbacks, at(DAY + dt.timedelta(days=1), 8, 0), providers=[provider])
    assert len(sms.outbox) == 1 and Notification.objects.count() == 1


def test_a_retry_that_falls_in_quiet_hours_is_deferred_not_dropped(cast, django_capture_on_commit_callbacks):
    d = _pending_sms(cast, django_capture_on_commit_callbacks, when=at(DAY, 20, 59))
    with time_machine.travel(at(DAY, 21, 0), tick=False):
        assert delivery_attempt(delivery_id=d.pk)["outcome"] == "deferred"
    d.refresh_from_db()
    assert d.status == "pending" and d.not_before == at(DAY + dt.timedelta(days=1), 8, 0)


def test_county_quiet_hours_are_configurable(cast, django_capture_on_commit_callbacks):
    rules = cast.county_a.rules
    rules.reminder_rules = {**rules.reminder_rules, "sms_quiet_start": "12:00", "sms_quiet_end": "14:00"}
    rules.save()
    d = _pending_sms(cast, django_capture_on_commit_callbacks, when=at(DAY, 12, 30))
    assert d.not_before == at(DAY, 14, 0)
    with time_machine.travel(at(DAY, 22), tick=False):  # evening is not quiet in this county
        d2 = _pending_sms_for(cast.deputy_a2.user, django_capture_on_commit_callbacks)
        assert delivery_attempt(delivery_id=d2.pk)["outcome"] == "sent"


def _pending_sms_for(user, capture):
    with capture(execute=False):
        notify(recipients=[user], verb="x", title="测试")
    return Delivery.objects.filter(notification__recipient=user).get()


def _one_reminder_provider(cast):
    def provider(ctx):
        yield Candidate(
            rule="test",
            model=Township,
            object_id=cast.township_a.pk,
            due_date=DAY,
            recipient_id=cast.deputy_a.user.pk,
            township_id=cast.township_a.pk,
            title="测试提醒",
        )

    return provider


def test_a_broken_provider_does_not_stop_the_others(cast, django_capture_on_commit_callbacks):
    def broken(ctx):
        raise RuntimeError("boom")
        yield  # pragma: no cover

    result = sweep(
        django_capture_on_commit_callbacks, at(DAY), providers=[broken, _one_reminder_provider(cast)]
    )
    assert result["provider_errors"] == 1 and result["notifications"] == 1 and len(sms.outbox) == 1


def test_two_sweeps_at_the_same_moment_insert_each_reminder_once(cast, django_capture_on_commit_callbacks):
    provider = _one_reminder_provider(cast)
    first = sweep(django_capture_on_commit_callbacks, at(DAY), providers=[provider, provider])
    second = sweep(django_capture_on_commit_callbacks, at(DAY), providers=[provider])
    assert (first["notifications"], second["notifications"]) == (1, 0)
    assert len(sms.outbox) == 1 and Delivery.objects.count() == 1


def test_staff_resend_a_failed_delivery_and_it_is_audited(cast, settings, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "tests.notifications.backends.RefusingSmsBackend"
    d = _pending_sms(cast, django_capture_on_commit_callbacks)
    with time_machine.travel(at(DAY), tick=False):
        delivery_attempt(delivery_id=d.pk)
    d.refresh_from_db()
    assert d.status == "failed"
    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    with time_machine.travel(at(DAY, 11), tick=False), django_capture_on_commit_callbacks(execute=True):
        services.delivery_resend(delivery=d, actor=cast.staff_a)
    d.refresh_from_db()
    assert d.status == "sent" and len(sms.outbox) == 1
    assert AuditEntry.objects.filter(action="notification.resend", actor=cast.staff_a).count() == 1


def test_staff_of_another_township_cannot_resend(cast, settings, django_capture_on_commit_callbacks):
    from django.core.exceptions import PermissionDenied

    settings.SMS_BACKEND = "tests.notifications.backends.RefusingSmsBackend"
    d = _pending_sms(cast, django_capture_on_commit_callbacks)
    with time_machine.travel(at(DAY), tick=False):
        delivery_attempt(delivery_id=d.pk)
    d.refresh_from_db()
    assert d.status == "failed"
    with pytest.raises(PermissionDenied):
        services.delivery_resend(delivery=d, actor=cast.staff_b)
    d.refresh_from_db()
    assert d.status == "failed"


def test_a_stale_resend_gets_the_refresh_message(cast, settings, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    settings.SMS_BACKEND = "tests.notifications.backends.RefusingSmsBackend"
    d = _pending_sms(cast, django_capture_on_commit_callbacks)
    with time_machine.travel(at(DAY), tick=False):
        delivery_attempt(delivery_id=d.pk)
    d.refresh_from_db()
    assert d.status == "failed"
    stale = Delivery.objects.get(pk=d.pk)
    with django_capture_on_commit_callbacks(execute=False):
        services.delivery_resend(delivery=d, actor=cast.staff_a)
    with pytest.raises(ValidationError) as exc:
        services.delivery_resend(delivery=stale, actor=cast.staff_a)
    assert "已被他人修改，请刷新后重试。" in exc.value.messages[0]


def test_sweep_result_reports_what_it_did(cast, django_capture_on_commit_callbacks):
    with time_machine.travel(at(DAY), tick=False), django_capture_on_commit_callbacks(execute=True):
        result = run_sweep(providers=[_one_reminder_provider(cast)])
    assert result["candidates"] == 1 and result["deliveries"] == 1 and result["enqueued"] == 1


def test_a_large_sweep_inserts_each_reminder_once_even_when_yielded_twice(
    cast, django_capture_on_commit_callbacks
):
    """Above COPY_THRESHOLD the PostgreSQL path copies through a temporary table."""
    user = cast.deputy_a.user

    def many(ctx):
        for i in range(600):
            for _twice in range(2):
                yield Candidate(
                    rule="bulk",
                    model=Township,
                    object_id=i + 1,
                    due_date=DAY,
                    recipient_id=user.pk,
                    township_id=cast.township_a.pk,
                    title=f'批量提醒 {i}, "引号"',
                )

    first = sweep(django_capture_on_commit_callbacks, at(DAY), providers=[many])
    second = sweep(django_capture_on_commit_callbacks, at(DAY, 11), providers=[many])
    assert (first["candidates"], first["notifications"], first["deliveries"]) == (1200, 600, 600)
    assert second["notifications"] == 0
    assert Notification.objects.filter(recipient=user).count() == 600
    assert Notification.objects.filter(title='批量提醒 7, "引号"').count() == 1
    assert Delivery.objects.filter(status="sent").count() == 600 and len(sms.outbox) == 600
