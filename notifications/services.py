"""Writes of the notifications app: ``notify`` (used by every app), the exactly-once insertion shared
with the reminder sweep, the delivery workflow (claim → send → sent / retry / failed), recovery of
rows stuck in "sending", staff re-sends, read marks and channel preferences.

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

import contextlib
import contextvars
import dataclasses
import datetime as dt
import io
import logging
import uuid
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from presidium.models import AuditAction, Role
from presidium.workflow import STALE_MESSAGE, TransitionTable

from . import events
from . import rules as rules_mod
from .models import OUTBOUND_CHANNELS, Channel, Delivery, Notification
from .sms import PermanentSendError

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


def default_channels(role: str) -> list[str]:
    """Deputies default to SMS (+ in-app); everyone else to e-mail (+ in-app)."""
    return [Channel.SMS] if role == Role.DEPUTY else [Channel.EMAIL]


def effective_channels(role: str, chosen) -> list[str]:
    """The outbound channels of a user: their choice (``User.notify_channels``) or the role default.
    A choice of only "inapp" means no outbound channel."""
    if isinstance(chosen, list) and chosen:
        return [c for c in OUTBOUND_CHANNELS if c in chosen]
    return default_channels(role)


@dataclasses.dataclass(frozen=True)
class Message:
    """One notification for one recipient, before insertion."""

    recipient_id: int
    key: str
    verb: str
    title: str
    body: str = ""
    url: str = ""
    rule: str = ""
    target_type_id: int | None = None
    target_id: int | None = None
    due_date: dt.date | None = None
    township_id: int | None = None
    county_id: int | None = None
    channels: tuple | None = None  # None: the recipient's own channels


def _event(delivery_id, from_status, to_status, *, comment="", actor=None, at=None):
    events.transition(
        delivery_id=delivery_id,
        from_status=from_status,
        to_status=to_status,
        comment=comment[:500],
        actor=actor,
        at=at,
    )


NOTIFICATION_COLUMNS = (
    "recipient_id",
    "key",
    "verb",
    "title",
    "body",
    "url",
    "rule",
    "target_type_id",
    "target_id",
    "due_date",
    "township_id",
    "county_id",
    "batch",
    "created_at",
)
DELIVERY_COLUMNS = (
    "notification_id",
    "township_id",
    "county_id",
    "channel",
    "address",
    "status",
    "attempts",
    "not_before",
    "enqueued_at",
    "provider_ref",
    "last_error",
    "created_at",
)


def _notification_row(m: Message, batch, now):
    return (
        m.recipient_id,
        m.key[:200],
        m.verb[:60],
        m.title[:200],
        m.body,
        m.url[:300],
        m.rule[:60],
        m.target_type_id,
        m.target_id,
        m.due_date,
        m.township_id,
        m.county_id,
        batch,
        now,
    )


COPY_THRESHOLD = 500  # rows; below it a multi-row INSERT is cheaper than a temporary table


def _csv_line(row) -> str:
    # PostgreSQL CSV: an unquoted empty field is NULL, a quoted one is a (possibly empty) string.
    return ",".join("" if v is None else '"' + str(v).replace('"', '""') + '"' for v in row) + "\n"


def _pg_insert(table: str, columns: tuple, rows: list[tuple], *, returning: str, conflict: str = "") -> list:
    """INSERT many rows and return ``returning`` of those actually inserted. Large sets go through
    COPY into a temporary table and one INSERT … SELECT (a cold-start sweep inserts tens of
    thousands of rows; parsing multi-row VALUES statements dominated the time)."""
    cols = ", ".join(columns)
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        if len(rows) < COPY_THRESHOLD:
            from psycopg2.extras import execute_values

            sql = f"INSERT INTO {table} ({cols}) VALUES %s {conflict} RETURNING {returning}"  # noqa: S608
            return execute_values(cursor, sql, rows, page_size=COPY_THRESHOLD, fetch=True)
        tmp = f"tmp_{table}"
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {tmp} ON COMMIT DROP AS SELECT {cols} FROM {table} WITH NO DATA"  # noqa: S608
        )
        cursor.execute(f"TRUNCATE {tmp}")
        cursor.copy_expert(
            f"COPY {tmp} ({cols}) FROM STDIN WITH (FORMAT csv)",
            io.StringIO("".join(_csv_line(r) for r in rows)),
        )
        cursor.execute(
            f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {tmp} {conflict} RETURNING {returning}"  # noqa: S608
        )
        return cursor.fetchall()


def _insert_notifications(messages: list[Message], now) -> list[tuple]:
    """Insert, ignoring (recipient, key) conflicts; return (id, recipient_id, key, county_id,
    township_id) of the rows actually inserted (PostgreSQL: ON CONFLICT DO NOTHING RETURNING)."""
    batch = uuid.uuid4()
    rows = [_notification_row(m, batch, now) for m in messages]
    if connection.vendor == "postgresql":
        return _pg_insert(
            Notification._meta.db_table,
            NOTIFICATION_COLUMNS,
            rows,
            conflict="ON CONFLICT (recipient_id, key) DO NOTHING",
            returning="id, recipient_id, key, county_id, township_id",
        )
    Notification.objects.bulk_create(
        [Notification(**dict(zip(NOTIFICATION_COLUMNS, row, strict=True))) for row in rows],
        ignore_conflicts=True,
        batch_size=2000,
    )
    return list(
        Notification.objects.filter(batch=batch).values_list(
            "id", "recipient_id", "key", "county_id", "township_id"
        )
    )


def _insert_deliveries(rows: list[tuple]) -> list[int]:
    """Insert delivery rows (tuples in ``DELIVERY_COLUMNS`` order); return the ids of the rows to
    enqueue now (pending with ``enqueued_at`` set), sorted."""
    if not rows:
        return []
    if connection.vendor == "postgresql":
        returned = _pg_insert(
            Delivery._meta.db_table,
            DELIVERY_COLUMNS,
            rows,
            returning="id, (status = 'pending' AND enqueued_at IS NOT NULL)",
        )
        return sorted(pk for pk, ready in returned if ready)
    objs = [Delivery(**dict(zip(DELIVERY_COLUMNS, row, strict=True))) for row in rows]
    Delivery.objects.bulk_create(objs, batch_size=2000)
    return sorted(
        Delivery.objects.filter(
            notification_id__in={r[0] for r in rows}, status=S.PENDING, enqueued_at__isnull=False
        ).values_list("id", flat=True)
    )


def insert_messages(messages: Iterable[Message], *, now: dt.datetime | None = None) -> dict:
    """Insert notifications exactly once (unique recipient + key; conflicts are ignored) and the
    deliveries of the rows actually inserted; enqueue the sendable ones after commit.

    Set-based: a fixed number of statements whatever the number of messages (paged bulk inserts).
    Must run inside a transaction (callers are atomic). Returns counts."""
    from django.contrib.auth import get_user_model

    now = now or timezone.now()
    messages = list(messages)
    if not messages:
        return {"notifications": 0, "deliveries": 0, "enqueued": 0}
    inserted = _insert_notifications(messages, now)
    if not inserted:
        return {"notifications": 0, "deliveries": 0, "enqueued": 0}
    overrides = {(m.recipient_id, m.key[:200]): m.channels for m in messages if m.channels is not None}
    recipient_ids = {r for _id, r, _k, _c, _t in inserted}
    users = {
        u["id"]: u
        for u in get_user_model()
        .objects.filter(id__in=recipient_ids, is_active=True)
        .values("id", "role", "email", "phone", "notify_channels", "county_id")
    }
    county_ids = {c for *_x, c, _t in inserted if c} | {
        u["county_id"] for u in users.values() if u["county_id"]
    }
    county_rules = rules_mod.rules_by_county(county_ids)
    quiet = {cid: rules_mod.quiet_until(r, now) for cid, r in county_rules.items()}
    default_quiet = rules_mod.quiet_until(rules_mod.defaults(), now)
    no_email, no_phone = _("无邮箱地址"), _("无手机号码")
    rows = []
    for notification_id, recipient_id, key, county_id, township_id in inserted:
        user = users.get(recipient_id)
        if user is None:  # inactive: the inbox keeps the message, nothing goes out
            continue
        override = overrides.get((recipient_id, key))
        chosen = (
            [c for c in OUTBOUND_CHANNELS if c in override]
            if override is not None
            else effective_channels(user["role"], user["notify_channels"])
        )
        county_id = county_id or user["county_id"]
        for channel in chosen:
            address = (user["email"] if channel == Channel.EMAIL else user["phone"]) or ""
            status, not_before, enqueued_at, error = S.PENDING, now, None, ""
            if not address:
                status, error = S.SKIPPED, (no_email if channel == Channel.EMAIL else no_phone)
            elif channel == Channel.SMS and (until := quiet.get(county_id, default_quiet)):
                not_before = until  # quiet hours: deferred, picked up by the sweep after they end
            else:
                enqueued_at = now
            rows.append(
                (
                    notification_id,
                    township_id,
                    county_id,
                    str(channel),
                    address,
                    str(status),
                    0,
                    not_before,
                    enqueued_at,
                    "",
                    error,
                    now,
                )
            )
    ready = _insert_deliveries(rows)
    enqueue_after_commit(ready)
    return {"notifications": len(inserted), "deliveries": len(rows), "enqueued": len(ready)}


_hold = contextvars.ContextVar("notifications_hold_deliveries", default=False)


@contextlib.contextmanager
def hold_deliveries():
    """Within this block nothing is enqueued: new deliveries stay pending (``enqueued_at`` empty) and
    the next sweep sends them. Used by the demo data so that seeding sends no SMS or e-mail."""
    token = _hold.set(True)
    try:
        yield
    finally:
        _hold.reset(token)


def enqueue_after_commit(ids: list[int], countdown: int | None = None):
    if ids and _hold.get():
        Delivery.objects.filter(pk__in=ids).update(enqueued_at=None)
        return
    if ids:
        transaction.on_commit(lambda: enqueue(ids, countdown=countdown))


BATCH_SIZE = 200  # deliveries per task message: a cold-start sweep may enqueue tens of thousands


def enqueue(ids: list[int], countdown: int | None = None):
    """Send the delivery tasks over a single broker connection: one ``deliver`` per id when a
    countdown is given (a retry), otherwise ``deliver_batch`` messages of ``BATCH_SIZE`` ids. Each
    row is still claimed on its own, so a batch re-delivered after a crash skips what was sent."""
    from presidium.celery import app

    from .tasks import deliver, deliver_batch

    if not ids:
        return
    ids = list(ids)
    if countdown:
        messages = [(deliver, (pk,), {"countdown": countdown}) for pk in ids]
    else:
        messages = [(deliver_batch, (ids[i : i + BATCH_SIZE],), {}) for i in range(0, len(ids), BATCH_SIZE)]
    if app.conf.task_always_eager:
        for task, args, options in messages:
            task.apply_async(args, **options)
        return
    with app.producer_or_acquire() as producer:
        for task, args, options in messages:
            task.apply_async(args, producer=producer, **options)


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


# --- the delivery workflow -------------------------------------------------------------------


def delivery_attempt(*, delivery_id: int, now: dt.datetime | None = None) -> dict:
    """Claim, send and settle one delivery (called by the ``deliver`` task).

    Deliberately not one transaction: the claim commits before the send so that a second worker
    or a re-delivered message sees "sending"/"sent" and does nothing. Returns
    ``{"outcome": "sent"|"deferred"|"retry"|"failed"|"noop", "countdown": seconds}``."""
    from . import channels

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


# --- inbox ----------------------------------------------------------------------------------


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


@transaction.atomic
def notification_preferences_update(*, user, channels, actor) -> list[str]:
    """Store the outbound channels a user chose (in-app is always on)."""
    from presidium.services import audit

    if actor.pk != user.pk:
        raise PermissionDenied(_("只能修改自己的通知设置。"))
    chosen = [c for c in OUTBOUND_CHANNELS if c in set(channels or ())]
    unknown = set(channels or ()) - set(OUTBOUND_CHANNELS) - {Channel.INAPP}
    if unknown:
        raise ValidationError(_("未知的通知渠道：%(c)s") % {"c": "、".join(sorted(unknown))})
    if Channel.SMS in chosen and not user.phone:
        raise ValidationError(_("选择短信提醒前请先填写手机号码。"))
    if Channel.EMAIL in chosen and not user.email:
        raise ValidationError(_("选择邮件提醒前请先填写邮箱地址。"))
    user.notify_channels = chosen or [Channel.INAPP]
    user.save(update_fields=["notify_channels"])
    audit(
        actor=actor,
        action=AuditAction.NOTIFICATION_PREFERENCES,
        township=user.township,
        obj=user,
        channels=chosen,
    )
    return chosen
