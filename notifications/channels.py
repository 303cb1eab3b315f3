"""Outbound channels behind one interface: ``send(delivery) -> provider reference``.

Each raises :class:`~notifications.sms.TransientSendError` or
:class:`~notifications.sms.PermanentSendError`; anything else is treated as transient."""

import os
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from . import sms
from .models import Channel, Delivery
from .sms import PermanentSendError, TransientSendError

SEND_TIMEOUT = 30  # seconds; must stay well below services.SENDING_LEASE


def _absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    base = getattr(settings, "SITE_URL", "") or os.environ.get("SITE_URL", "")
    return base.rstrip("/") + url if base else url


def message_text(delivery: Delivery) -> str:
    n = delivery.notification
    parts = [n.title]
    if n.body:
        parts.append(n.body)
    return "\n".join(parts)


def send_email(delivery: Delivery) -> str:
    n = delivery.notification
    kwargs = {"timeout": SEND_TIMEOUT}
    file_path = os.environ.get("EMAIL_FILE_PATH")
    if file_path and settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        kwargs["file_path"] = file_path
    body = message_text(delivery)
    link = _absolute(n.url)
    if link:
        body += "\n\n" + link
    message_id = f"<delivery-{delivery.pk}@presidium.local>"
    email = EmailMessage(
        subject=n.title,
        body=body,
        to=[delivery.address],
        headers={"Message-ID": message_id},
        connection=get_connection(**kwargs),
    )
    try:
        email.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentSendError(f"recipient refused: {exc}") from exc
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        raise TransientSendError(f"{exc.__class__.__name__}: {exc}") from exc
    return message_id


def send_sms(delivery: Delivery) -> str:
    text = "【人大主席团】" + message_text(delivery)
    return sms.get_backend().send(phone=delivery.address, text=text[:500], reference=f"d{delivery.pk}")


SENDERS = {Channel.EMAIL: send_email, Channel.SMS: send_sms}


def send(delivery: Delivery) -> str:
    return SENDERS[delivery.channel](delivery) or ""
