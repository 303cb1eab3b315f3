"""Test SMS backends. Also used by the real-worker tests (the worker imports them by dotted path)."""

import json
import os
import time

from notifications.sms import (
    BaseSmsBackend,
    ConsoleSmsBackend,
    PermanentSendError,
    TransientSendError,
    outbox,
)

calls: list[str] = []


class FlakySmsBackend(BaseSmsBackend):
    """Fails transiently every time (in-process)."""

    def send(self, *, phone, text, reference):
        calls.append(reference)
        raise TransientSendError("gateway HTTP 503")


class RefusingSmsBackend(BaseSmsBackend):
    def send(self, *, phone, text, reference):
        calls.append(reference)
        raise PermanentSendError("invalid number")


class RecordingSmsBackend(BaseSmsBackend):
    def send(self, *, phone, text, reference):
        outbox.append({"phone": phone, "text": text, "reference": reference})
        return "ok"


class SlowSmsBackend(ConsoleSmsBackend):
    """Announces the send has started (file SMS_STARTED_FILE), then takes SMS_SLOW_SECONDS before the
    message really goes out — a window in which a test kills the worker."""

    def send(self, *, phone, text, reference):
        started = os.environ.get("SMS_STARTED_FILE")
        if started:
            with open(started, "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"reference": reference}) + "\n")
        time.sleep(float(os.environ.get("SMS_SLOW_SECONDS", "30")))
        return super().send(phone=phone, text=text, reference=reference)
