"""SMS backends behind one interface, chosen by ``settings.SMS_BACKEND``.

- :class:`ConsoleSmsBackend` (default): writes each message to the log and, when the environment
  variable ``SMS_LOG_FILE`` names a file, appends one JSON line per message there (useful for a
  worker running in another process, e.g. in tests and demos). Passwords in the text (account
  SMS carry a temporary one) are masked by :func:`redact` first: a log or file never holds one.
- :class:`HttpGatewaySmsBackend`: POSTs JSON to ``settings.SMS_GATEWAY_URL`` with a bearer token
  ``settings.SMS_GATEWAY_TOKEN``; the delivery's reference is sent as ``out_id`` so a gateway that
  de-duplicates on it (most Chinese SMS platforms do) never sends the same reminder twice.
- :class:`LocmemSmsBackend`: keeps messages in ``notifications.sms.outbox`` (in-process tests).

A backend raises :class:`TransientSendError` when a retry may help (timeouts, 5xx, rate limits)
and :class:`PermanentSendError` when it cannot (invalid number, 4xx).
"""

import json
import logging
import os
import re
import threading

import requests
from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("notifications.sms")

outbox: list[dict] = []
_file_lock = threading.Lock()


# "临时密码：ab3k…", "密码: …", "password: …", "口令 …" — whatever follows up to a space or punctuation.
_SECRET = re.compile(
    r"((?:临时密码|初始密码|新密码|密码|口令|验证码|(?<![A-Za-z])(?:password|passcode|pin))"
    r"(?:\s*[：:=]\s*|\s+is\s+|\s*[是为]\s*|\s+))"
    r"([^\s，。；;,.、！!）)】]+)",
    re.IGNORECASE,
)
MASK = "******"


def redact(text: str) -> str:
    """``text`` with every password (or code) replaced by ``******``, for logs and files."""
    return _SECRET.sub(lambda m: m.group(1) + MASK, text or "")


class TransientSendError(Exception):
    """The channel failed in a way that a later retry may fix."""


class PermanentSendError(Exception):
    """The channel refused the message; retrying will not help."""


class BaseSmsBackend:
    def send(self, *, phone: str, text: str, reference: str) -> str:
        """Send ``text`` to ``phone``; return the provider's message id (or "")."""
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    def send(self, *, phone, text, reference):
        # A log line or a file must never hold a password: the text is masked before either sees it.
        text = redact(text)
        logger.warning("SMS to %s [%s]: %s", phone, reference, text)
        path = os.environ.get("SMS_LOG_FILE")
        if path:
            line = json.dumps({"phone": phone, "text": text, "reference": reference}, ensure_ascii=False)
            with _file_lock, open(path, "a", encoding="utf-8") as fh:
                fh.write(line + "\n")
        return f"console-{reference}"


class LocmemSmsBackend(BaseSmsBackend):
    def send(self, *, phone, text, reference):
        outbox.append({"phone": phone, "text": text, "reference": reference})
        return f"locmem-{len(outbox)}"


class HttpGatewaySmsBackend(BaseSmsBackend):
    timeout = 10

    def __init__(self, url: str | None = None, token: str | None = None):
        self.url = url or settings.SMS_GATEWAY_URL
        self.token = token if token is not None else settings.SMS_GATEWAY_TOKEN
        if not self.url:
            raise PermanentSendError("SMS_GATEWAY_URL is not configured")

    def send(self, *, phone, text, reference):
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            response = requests.post(
                self.url,
                json={"phone": phone, "text": text, "out_id": reference},
                headers=headers,
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise TransientSendError(f"gateway unreachable: {exc.__class__.__name__}") from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise TransientSendError(f"gateway HTTP {response.status_code}")
        if response.status_code >= 400:
            raise PermanentSendError(f"gateway refused: HTTP {response.status_code} {response.text[:200]}")
        try:
            data = response.json()
        except ValueError:
            data = {}
        return str(data.get("id") or data.get("message_id") or "")[:100]


def get_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
