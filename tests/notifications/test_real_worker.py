"""The exactly-once promise against a real Celery worker consuming from Redis (PostgreSQL only: the
worker process must share the test database). E-mail goes to Django's file backend and SMS to the
console backend's JSON-lines log, both written by the worker process, so the test counts what
really went out."""

import json
import time
import uuid
from pathlib import Path

import pytest
from django.utils import timezone

from notifications.engine import run_sweep
from notifications.models import Delivery, Notification
from presidium.models import Role
from suggestions.models import Status
from tests import factories as f
from tests.conftest import WorkerProcess, _test_database_url, requires_redis

from .helpers import make_suggestion

pytestmark = [requires_redis, pytest.mark.worker]


@pytest.fixture
def outboxes(tmp_path, monkeypatch):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    sms_log = tmp_path / "sms.jsonl"
    monkeypatch.setenv("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    monkeypatch.setenv("EMAIL_FILE_PATH", str(mail_dir))
    monkeypatch.setenv("SMS_BACKEND", "notifications.sms.ConsoleSmsBackend")
    monkeypatch.setenv("SMS_LOG_FILE", str(sms_log))
    return mail_dir, sms_log


@pytest.fixture
def worker_factory(transactional_db, monkeypatch):
    """Start real workers on a private queue of this test; every one is stopped at the end."""
    from presidium.celery import app

    db_url = _test_database_url()
    if not db_url:
        pytest.skip("the real-worker tests need PostgreSQL (a worker process cannot share SQLite's test DB)")
    queue = f"test-notif-{uuid.uuid4().hex[:8]}"
    previous = (app.conf.task_default_queue, app.conf.task_always_eager)
    app.conf.task_default_queue, app.conf.task_always_eager = queue, False
    started = []

    def start(**env):
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        worker = WorkerProcess(queue, db_url).start()
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in started:
            worker.stop(kill=True)
        app.conf.task_default_queue, app.conf.task_always_eager = previous


def _emails(mail_dir: Path) -> int:
    return sum(
        1 for p in mail_dir.iterdir() for line in p.read_text().splitlines() if line.startswith("Subject: ")
    )


def _sms(sms_log: Path) -> list[dict]:
    if not sms_log.exists():
        return []
    return [json.loads(line) for line in sms_log.read_text(encoding="utf-8").splitlines() if line]


def _wait(condition, timeout=40.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _due_suggestion_with_reachable_officer():
    """A suggestion due today whose unit officer wants e-mail and SMS; quiet hours off (the worker
    runs on the real clock)."""
    township = f.TownshipFactory()
    rules = township.county.rules
    rules.reminder_rules = {**rules.reminder_rules, "sms_quiet_start": "00:00", "sms_quiet_end": "00:00"}
    rules.save()
    unit = f.HandlingUnitFactory(township=township)
    officer = f.UserFactory(
        role=Role.UNIT,
        unit=unit,
        email="officer@example.cn",
        phone="13911112222",
        notify_channels=["email", "sms"],
    )
    suggestion = make_suggestion(township, unit=unit, status=Status.SIGNED, due=timezone.localdate())
    return suggestion, officer


def _settle_quietly(seconds=2.0):
    time.sleep(seconds)


def test_a_due_suggestion_produces_exactly_one_email_and_one_sms_however_often_swept(
    outboxes, worker_factory
):
    mail_dir, sms_log = outboxes
    suggestion, officer = _due_suggestion_with_reachable_officer()
    worker_factory()

    first = run_sweep()
    assert first["notifications"] == 1 and first["enqueued"] == 2
    _wait(lambda: Delivery.objects.filter(status="sent").count() == 2, what="both deliveries sent")
    assert _emails(mail_dir) == 1
    assert [m["phone"] for m in _sms(sms_log)] == ["13911112222"]

    assert run_sweep()["notifications"] == 0
    assert run_sweep()["notifications"] == 0
    # A duplicated task message (what a broker re-delivery looks like) finds the rows already sent.
    from notifications.tasks import deliver_batch

    deliver_batch.delay(list(Delivery.objects.values_list("pk", flat=True)))
    _settle_quietly()
    assert _emails(mail_dir) == 1 and len(_sms(sms_log)) == 1
    assert Notification.objects.filter(recipient=officer).count() == 1
    assert Delivery.objects.filter(status="sent").count() == 2
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}
    assert Notification.objects.get(recipient=officer).target_id == suggestion.pk


def test_killing_the_worker_mid_send_and_restarting_it_adds_no_second_message(
    outboxes, worker_factory, tmp_path
):
    mail_dir, sms_log = outboxes
    started_file = tmp_path / "sms-started.jsonl"
    _suggestion, _officer = _due_suggestion_with_reachable_officer()
    slow = worker_factory(
        SMS_BACKEND="tests.notifications.backends.SlowSmsBackend",
        SMS_STARTED_FILE=str(started_file),
        SMS_SLOW_SECONDS="60",
    )

    run_sweep()
    _wait(started_file.exists, what="the SMS send to start")
    slow.stop(kill=True)  # SIGKILL in the middle of the SMS send (acks_late: the message stays unacked)
    sms_row = Delivery.objects.get(channel="sms")
    assert sms_row.status == "sending" and _sms(sms_log) == []
    assert Delivery.objects.get(channel="email").status == "sent" and _emails(mail_dir) == 1

    worker_factory(SMS_BACKEND="notifications.sms.ConsoleSmsBackend")
    run_sweep()
    run_sweep()
    _settle_quietly()
    # Within the lease nobody touches the claimed row: nothing new went out.
    assert _sms(sms_log) == [] and _emails(mail_dir) == 1
    assert Delivery.objects.get(channel="sms").status == "sending"

    # The lease expires (the killed worker is certainly gone): the sweep recovers the row once.
    Delivery.objects.filter(pk=sms_row.pk).update(claimed_at=timezone.now() - timezone.timedelta(minutes=11))
    result = run_sweep()
    assert result["recovered"] == 1
    _wait(lambda: Delivery.objects.get(pk=sms_row.pk).status == "sent", what="the recovered SMS")
    run_sweep()
    run_sweep()
    _settle_quietly()
    assert len(_sms(sms_log)) == 1 and _emails(mail_dir) == 1
    sms_row.refresh_from_db()
    assert sms_row.attempts == 2 and "发送中断" in sms_row.events.filter(to_status="pending").get().comment
