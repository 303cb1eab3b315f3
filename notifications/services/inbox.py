"""``notify`` (used by every app: an inbox message always, plus the recipients' channels) and the
inbox read marks."""

import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Notification
from .insert import Message, insert_messages


def _recipient_list(recipients) -> list:
    from django.contrib.auth import get_user_model

    out, ids = [], []
    for r in recipients or ():
        if r is None:
            continue
        if isinstance(r, int):
            ids.append(r)
        else:
            out.append(r)
    if ids:
        out.extend(get_user_model().objects.filter(id__in=ids))
    seen, unique = set(), []
    for u in out:
        if u.pk not in seen:
            seen.add(u.pk)
            unique.append(u)
    return unique


@transaction.atomic
def notify(
    *,
    recipients,
    verb: str,
    title: str,
    body: str = "",
    obj=None,
    url: str = "",
    channels=None,
    dedupe_key: str | None = None,
) -> int:
    """Notify users: an inbox message always, plus each recipient's outbound channels (their
    ``notify_channels``; deputies default to SMS, others to e-mail) or exactly ``channels`` when given
    (e.g. ``["sms"]``; ``[]`` means in-app only). With ``dedupe_key`` a recipient gets the message at
    most once ever for that key. Sends happen after commit, through the delivery tasks.
    Returns the number of inbox messages created."""
    users = _recipient_list(recipients)
    if not users or not title:
        return 0
    target_type_id = target_id = None
    township_id = county_id = None
    if obj is not None and getattr(obj, "pk", None) is not None:
        target_type_id = ContentType.objects.get_for_model(obj).pk
        target_id = obj.pk
        township_id = getattr(obj, "township_id", None)
        if township_id is None and obj.__class__.__name__ == "Township":
            township_id = obj.pk
    if township_id is not None:
        from presidium.models import Township

        county_id = Township.objects.filter(pk=township_id).values_list("county_id", flat=True).first()
    if channels is not None:
        channels = tuple(str(c) for c in channels)
    url = str(url or "")
    if not url and obj is not None and hasattr(obj, "get_absolute_url"):
        try:
            url = obj.get_absolute_url()
        except Exception:
            url = ""
    messages = [
        Message(
            recipient_id=u.pk,
            key=f"k:{dedupe_key}" if dedupe_key else f"n:{uuid.uuid4().hex}",
            verb=verb,
            title=str(title),
            body=str(body or ""),
            url=url,
            target_type_id=target_type_id,
            target_id=target_id,
            township_id=township_id or u.township_id,
            county_id=county_id or u.county_id,
            channels=channels,
        )
        for u in users
    ]
    return insert_messages(messages)["notifications"]


@transaction.atomic
def notification_mark_read(*, notification: Notification, actor) -> Notification:
    if notification.recipient_id != actor.pk:
        raise PermissionDenied(_("只能标记自己的消息。"))
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
        notification.refresh_from_db(fields=["read_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, actor) -> int:
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
