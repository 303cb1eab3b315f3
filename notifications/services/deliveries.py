"""The delivery workflow (see ``base``): claim, send and settle one delivery with retries, recovery of
rows stuck in "sending", the sweep's re-enqueue of due pending rows, and staff re-sends."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from presidium.models import AuditAction
from presidium.workflow import STALE_MESSAGE

from .. import rules as rules_mod
from ..models import Channel, Delivery
from ..sms import PermanentSendError
from .base import EARLY_TOLERANCE, REENQUEUE_AFTER, SENDING_LEASE, S, _event, can_transition, logger
from .insert import enqueue_after_commit


def delivery_attempt(*, delivery_id: int, now: dt.datetime | None = None) -> dict:
    """Claim, send and settle one delivery (called by the ``deliver`` task).

    Deliberately not one transaction: the claim commits before the send so that a second worker
    or a re-delivered message sees "sending"/"sent" and does nothing. Returns
    ``{"outcome": "sent"|"deferred"|"retry"|"failed"|"noop", "countdown": seconds}``."""
    from .. import channels

    now = now or timezone.now()
    row = (
        Delivery.objects.filter(pk=delivery_id).values("status", "channel", "county_id", "not_before").first()
    )
    if row is None or row["status"] != S.PENDING:
        return {"outcome": "noop"}
    rules = rules_mod.rules_for_county(row["county_id"])
    if row["channel"] == Channel.SMS and (until := rules_mod.quiet_until(rules, now)):
        with transaction.atomic():
            if Delivery.objects.filter(pk=delivery_id, status=S.PENDING).update(
                not_before=until, enqueued_at=None
            ):
                _event(
                    delivery_id,
                    S.PENDING,
                    S.PENDING,
                    comment=f"quiet hours until {until.isoformat()}",
                    at=now,
                )
        return {"outcome": "deferred"}
    if row["not_before"] > now + EARLY_TOLERANCE:
        return {"outcome": "noop"}
    with transaction.atomic():
        claimed = Delivery.objects.filter(
            pk=delivery_id, status=S.PENDING, not_before__lte=now + EARLY_TOLERANCE
        ).update(status=S.SENDING, claimed_at=now, attempts=F("attempts") + 1)
        if not claimed:
            return {"outcome": "noop"}
        _event(delivery_id, S.PENDING, S.SENDING, at=now)
    delivery = Delivery.objects.select_related("notification").get(pk=delivery_id)
    max_attempts = max(1, int(rules.get("max_attempts") or 5))
    try:
        ref = channels.send(delivery)
    except PermanentSendError as exc:
        _settle(delivery_id, S.FAILED, error=str(exc), now=now)
        return {"outcome": "failed"}
    except Exception as exc:
        error = f"{exc.__class__.__name__}: {exc}"
        if delivery.attempts >= max_attempts:
            _settle(
                delivery_id,
                S.FAILED,
                now=now,
                error=_("已尝试%(n)s次仍失败：%(e)s") % {"n": delivery.attempts, "e": error},
            )
            return {"outcome": "failed"}
        countdown = rules_mod.backoff_seconds(rules, delivery.attempts)
        due = timezone.now() + dt.timedelta(seconds=countdown)
        with transaction.atomic():
            if Delivery.objects.filter(pk=delivery_id, status=S.SENDING).update(
                status=S.PENDING, not_before=due, enqueued_at=due, last_error=error[:500]
            ):
                _event(delivery_id, S.SENDING, S.PENDING, comment=f"retry in {countdown}s: {error}", at=now)
        return {"outcome": "retry", "countdown": countdown}
    _settle(delivery_id, S.SENT, ref=ref, now=now)
    return {"outcome": "sent"}


def _settle(delivery_id, to_status, *, now, error="", ref=""):
    with transaction.atomic():
        fields = {"status": to_status}
        if to_status == S.SENT:
            fields.update(sent_at=timezone.now(), provider_ref=str(ref)[:100], last_error="")
        else:
            fields["last_error"] = error[:500]
        if Delivery.objects.filter(pk=delivery_id, status=S.SENDING).update(**fields):
            _event(delivery_id, S.SENDING, to_status, comment=error, at=now)
        else:
            logger.warning("delivery %s left 'sending' before it was settled as %s", delivery_id, to_status)


def recover_stuck_deliveries(*, now: dt.datetime | None = None) -> int:
    """Rows claimed longer than ``SENDING_LEASE`` ago belong to a worker that died mid-task: put them
    back to pending (at-least-once, see the module docstring), or fail them visibly when their
    attempts are used up. Returns the number of rows recovered or failed."""
    now = now or timezone.now()
    stuck = list(
        Delivery.objects.filter(status=S.SENDING, claimed_at__lt=now - SENDING_LEASE).values_list(
            "id", "attempts", "county_id"
        )
    )
    if not stuck:
        return 0
    county_rules = rules_mod.rules_by_county({c for _i, _a, c in stuck if c})
    done = 0
    for pk, attempts, county_id in stuck:
        max_attempts = int(county_rules.get(county_id, rules_mod.defaults()).get("max_attempts") or 5)
        with transaction.atomic():
            base = Delivery.objects.filter(pk=pk, status=S.SENDING, claimed_at__lt=now - SENDING_LEASE)
            if attempts >= max_attempts:
                msg = _("发送中断（工作进程退出），已达最大尝试次数")
                if base.update(status=S.FAILED, last_error=msg):
                    _event(pk, S.SENDING, S.FAILED, comment=msg, at=now)
                    done += 1
            else:
                msg = _("发送中断（工作进程退出），重新发送")
                if base.update(status=S.PENDING, not_before=now, enqueued_at=None, last_error=msg):
                    _event(pk, S.SENDING, S.PENDING, comment=msg, at=now)
                    done += 1
    return done


def enqueue_due_pending(*, now: dt.datetime | None = None) -> int:
    """Pending rows that are due but have no task message on its way (deferred by quiet hours,
    recovered, or whose message was lost): mark and enqueue them after commit. Set-based."""
    now = now or timezone.now()
    with transaction.atomic():
        qs = Delivery.objects.filter(status=S.PENDING, not_before__lte=now).exclude(
            enqueued_at__gt=now - REENQUEUE_AFTER
        )
        ids = list(qs.order_by("id").values_list("id", flat=True)[:20000])
        if ids:
            Delivery.objects.filter(pk__in=ids).update(enqueued_at=now)
            enqueue_after_commit(ids)
    return len(ids)


@transaction.atomic
def delivery_resend(*, delivery: Delivery, actor) -> Delivery:
    """Staff put a failed or skipped delivery back in the queue (attempts start again)."""
    from presidium.selectors import can_edit_township
    from presidium.services import audit

    locked = Delivery.objects.select_for_update(of=("self",)).filter(pk=delivery.pk).first()
    if locked is None:
        raise ValidationError(STALE_MESSAGE)
    if not (locked.township_id and can_edit_township(actor, locked.township_id)):
        raise PermissionDenied(_("您无权重新发送该消息。"))
    if locked.status != delivery.status or not can_transition(locked.status, S.PENDING):
        raise ValidationError(
            STALE_MESSAGE
            if locked.status != delivery.status
            else _("只有发送失败或未发送的消息可以重新发送。")
        )
    if locked.status == S.SKIPPED or not locked.address:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(pk=locked.notification.recipient_id)
        locked.address = (user.email if locked.channel == Channel.EMAIL else user.phone) or ""
        if not locked.address:
            raise ValidationError(
                _("接收人仍未填写%(what)s，无法发送。")
                % {"what": _("邮箱地址") if locked.channel == Channel.EMAIL else _("手机号码")}
            )
    previous = locked.status
    now = timezone.now()
    locked.status, locked.attempts, locked.not_before, locked.enqueued_at = S.PENDING, 0, now, now
    locked.last_error = ""
    locked.save(update_fields=["status", "attempts", "not_before", "enqueued_at", "last_error", "address"])
    _event(locked.pk, previous, S.PENDING, comment="resend", actor=actor, at=now)
    audit(actor=actor, action=AuditAction.NOTIFICATION_RESEND, township=locked.township, obj=locked)
    enqueue_after_commit([locked.pk])
    return locked
