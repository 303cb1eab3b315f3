"""Writes of the notifications app, by concern: ``inbox`` (``notify``, used by every app, and read
marks), ``insert`` (the exactly-once insertion shared with the reminder sweep, and enqueueing the
delivery tasks), ``deliveries`` (the delivery workflow: claim → send → sent / retry / failed, recovery
of rows stuck in "sending", re-enqueue of due rows, staff re-sends; its table and the exactly-once
reasoning are in ``base``) and ``preferences`` (channel defaults and choices). Every public name is
re-exported here, so ``from notifications.services import x`` and ``notifications.services.x`` read the
same function."""

from .base import (
    DELIVERY_TRANSITIONS,
    EARLY_TOLERANCE,
    REENQUEUE_AFTER,
    SENDING_LEASE,
    S,
    can_transition,
)
from .deliveries import (
    delivery_attempt,
    delivery_resend,
    enqueue_due_pending,
    recover_stuck_deliveries,
)
from .inbox import (
    notification_mark_all_read,
    notification_mark_read,
    notify,
)
from .insert import (
    BATCH_SIZE,
    COPY_THRESHOLD,
    DELIVERY_COLUMNS,
    NOTIFICATION_COLUMNS,
    Message,
    enqueue,
    enqueue_after_commit,
    hold_deliveries,
    insert_messages,
)
from .preferences import (
    default_channels,
    effective_channels,
    notification_preferences_update,
)

__all__ = [
    "BATCH_SIZE",
    "COPY_THRESHOLD",
    "DELIVERY_COLUMNS",
    "DELIVERY_TRANSITIONS",
    "EARLY_TOLERANCE",
    "NOTIFICATION_COLUMNS",
    "REENQUEUE_AFTER",
    "SENDING_LEASE",
    "Message",
    "S",
    "can_transition",
    "default_channels",
    "delivery_attempt",
    "delivery_resend",
    "effective_channels",
    "enqueue",
    "enqueue_after_commit",
    "enqueue_due_pending",
    "hold_deliveries",
    "insert_messages",
    "notification_mark_all_read",
    "notification_mark_read",
    "notification_preferences_update",
    "notify",
    "recover_stuck_deliveries",
]
