"""The delivery workflow's table, timings and event log, shared by the notifications services.

Delivery workflow (``DELIVERY_TRANSITIONS``)::

    pending ──claim──▶ sending ──ok──▶ sent
       ▲  │              │  └──permanent error / attempts exhausted──▶ failed ──staff resend──▶ pending
       │  └─quiet hours (stays pending, not_before moves)             skipped (no address) ──resend─▶ pending
       └──── transient error (backoff) / lease expired (worker died) ◀┘

Exactly once and the crash window. A task first *claims* its row with a conditional UPDATE
(``status='pending' → 'sending'``) committed before anything is sent; a duplicate message (a second
sweep, a re-delivered message after a worker was killed — ``acks_late`` is on —, or a second
worker) finds the row no longer pending (or already sent) and does nothing. After the send the row
is marked sent at once. A worker killed between claim and "sent" leaves the row in "sending"; the
sweep recovers rows whose claim is older than ``SENDING_LEASE`` (far longer than any channel's
timeout, so the first worker is certainly gone) by putting them back to pending, counted as an
attempt. That choice is **at-least-once for the few milliseconds between the gateway accepting a
message and the "sent" commit**: a reminder must not be silently lost, and the window is tiny (a
kill during the send itself — the slow part — sent nothing). SMS carries the delivery id as the
gateway's ``out_id`` so gateways that de-duplicate close even that window; e-mail carries a stable
Message-ID. Recovered rows are visible in the staff view (last error "发送中断").
"""

import datetime as dt
import logging

from presidium.workflow import TransitionTable

from .. import events
from ..models import Delivery

logger = logging.getLogger("notifications")

SENDING_LEASE = dt.timedelta(minutes=10)

# A pending row whose task message has not run this long after it was due is enqueued again.
REENQUEUE_AFTER = dt.timedelta(minutes=10)

# Tolerance for a retry message that arrives a little before its row's not_before.
EARLY_TOLERANCE = dt.timedelta(seconds=5)

S = Delivery.Status

# The action is the target status (``presidium.workflow.TransitionTable.moves``).
DELIVERY_TRANSITIONS = TransitionTable.moves(
    {
        S.PENDING: (S.SENDING, S.PENDING),  # claim; defer (quiet hours)
        S.SENDING: (S.SENT, S.PENDING, S.FAILED),  # sent; retry/recover; give up
        S.FAILED: (S.PENDING,),  # staff resend
        S.SKIPPED: (S.PENDING,),  # staff resend after the address was added
    }
)


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in DELIVERY_TRANSITIONS.targets(from_status)


def _event(delivery_id, from_status, to_status, *, comment="", actor=None, at=None):
    events.transition(
        delivery_id=delivery_id,
        from_status=from_status,
        to_status=to_status,
        comment=comment[:500],
        actor=actor,
        at=at,
    )
