"""The exactly-once insertion shared by ``notify`` and the reminder sweep (notifications and their
deliveries, set-based, COPY for large sets on PostgreSQL) and the enqueueing of delivery tasks after
commit (``hold_deliveries`` keeps them pending)."""

import contextlib
import contextvars
import dataclasses
import datetime as dt
import io
import uuid
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules as rules_mod
from ..models import OUTBOUND_CHANNELS, Channel, Delivery, Notification
from .base import S
from .preferences import effective_channels


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

    from ..tasks import deliver, deliver_batch

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
