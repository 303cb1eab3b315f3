"""The event rows of a delivery (claimed, sent, deferred, retried, failed, resent), in the manner of
Saleor's ``order/events.py``: services call these functions; nothing else creates the rows."""

import datetime as dt

from django.utils import timezone

from .models import DeliveryEvent


def transition(
    *,
    delivery_id: int,
    from_status: str,
    to_status: str,
    actor=None,
    comment: str = "",
    at: dt.datetime | None = None,
    action: str = "",
    **extra,
) -> DeliveryEvent:
    """``at``: the moment the worker acted (it stamps the row and the event with one clock)."""
    return DeliveryEvent.objects.create(
        delivery_id=delivery_id,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        extra=extra,
        created_at=at or timezone.now(),
    )
