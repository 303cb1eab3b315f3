"""The event rows of a delivery (claimed, sent, deferred, retried, failed, resent), in the manner of
Saleor's ``order/events.py``: services call these functions; nothing else creates the rows."""

import datetime as dt

from .models import DeliveryEvent


def transition(*, delivery_id: int, actor=None, at: dt.datetime | None = None, **fields) -> DeliveryEvent:
    """``at``: the moment the worker acted (it stamps the row and the event with one clock); the
    other keywords are ``StatusEvent.record``'s."""
    return DeliveryEvent.record(delivery_id, actor=actor, created_at=at, **fields)
