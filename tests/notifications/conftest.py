import pytest

from notifications import sms


@pytest.fixture(autouse=True)
def _sms_and_mail(settings):
    """In-process tests: SMS into notifications.sms.outbox, e-mail into django.core.mail.outbox."""
    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _eager_tasks():
    """Run delivery tasks in-process even when REDIS_URL is set (the real-worker tests switch this
    off for themselves), so nothing from these tests lands on a shared queue."""
    from presidium.celery import app

    previous = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous
