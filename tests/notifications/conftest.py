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
