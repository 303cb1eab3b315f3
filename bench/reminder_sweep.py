"""Benchmark: one reminder sweep over 100,000 open deadlines on PostgreSQL, enqueueing the due
reminders to Redis (target ≤ 10 s).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/presidium_bench_reminders \\
    REDIS_URL=redis://127.0.0.1:6379/3 .venv/bin/python bench/reminder_sweep.py [--n 100000]

Use a Redis database of its own (``/3``): test runs elsewhere flush the cache database (``/0``).

The database is created and migrated if needed. Setup (not timed) bulk-creates a county of 100
townships × 10 handling units (one officer each, with e-mail and phone), two staff per township, two
county staff, and ``--n`` suggestions in handling with reply deadlines spread evenly from 10 days
ago to 80 days ahead — about 1 in 5 is due for some reminder today (7/1 days before, due day,
overdue → unit, staff and county). The timed part is one ``run_sweep()``: the providers' queries,
the exactly-once insert of every due reminder and its deliveries, and the enqueueing of the
delivery tasks on Redis (a private queue, deleted at the end; no worker consumes it). A second
sweep is timed as well: it must insert nothing; then a sweep "tomorrow" (the steady state: only what
became due overnight).
"""

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "presidium.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/presidium_bench_reminders")
QUEUE = "bench-reminder-sweep"
os.environ["CELERY_QUEUE"] = QUEUE


def ensure_database(url: str):
    import psycopg2
    from psycopg2 import sql

    name = url.rsplit("/", 1)[1].split("?")[0]
    base = url.rsplit("/", 1)[0] + "/postgres"
    conn = psycopg2.connect(base)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cur.fetchone():
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000, help="open deadlines (suggestions in handling)")
    parser.add_argument("--townships", type=int, default=100)
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("DATABASE_URL must point at PostgreSQL")
    if not os.environ.get("REDIS_URL"):
        sys.exit("REDIS_URL must be set: the sweep enqueues the delivery tasks on Redis")
    ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0)

    from notifications.engine import run_sweep
    from notifications.models import Delivery, Notification
    from presidium.celery import app
    from presidium.models import County, HandlingUnit, Role, Township, User
    from suggestions.models import Status, Suggestion

    today = timezone.localdate()
    county = County.objects.filter(code="BENCHR").first()
    if county is None or Suggestion.objects.filter(township__county=county).count() != args.n:
        print(f"setting up {args.n:,} open deadlines …", flush=True)
        t0 = time.monotonic()
        if county is not None:
            Notification.objects.filter(county=county).delete()
            Suggestion.objects.filter(township__county=county).delete()
            User.objects.filter(county=county).delete()
            HandlingUnit.objects.filter(township__county=county).delete()
            Township.objects.filter(county=county).delete()
            county.delete()
        county = County.objects.create(name="基准县", code="BENCHR")
        rules = county.rules
        rules.reminder_rules = {**rules.reminder_rules, "sms_quiet_start": "00:00", "sms_quiet_end": "00:00"}
        rules.save()
        townships = Township.objects.bulk_create(
            [Township(county=county, name=f"基准镇{i}", code=f"BR{i:05d}") for i in range(args.townships)]
        )
        units = HandlingUnit.objects.bulk_create(
            [HandlingUnit(township=t, name=f"单位{j}") for t in townships for j in range(10)]
        )
        users = [
            User(
                username=f"br-unit-{u.pk}",
                role=Role.UNIT,
                unit=u,
                township_id=u.township_id,
                county=county,
                email=f"unit{u.pk}@example.cn",
                phone=f"188{u.pk:08d}"[:11],
                notify_channels=["email", "sms"],
            )
            for u in units
        ]
        users += [
            User(
                username=f"br-staff-{t.pk}-{k}",
                role=Role.STAFF,
                township=t,
                county=county,
                email=f"staff{t.pk}-{k}@example.cn",
            )
            for t in townships
            for k in range(2)
        ]
        users += [
            User(username=f"br-county-{k}", role=Role.COUNTY, county=county, email=f"c{k}@example.cn")
            for k in range(2)
        ]
        User.objects.bulk_create(users, batch_size=2000)
        span = 91  # due dates from today-10 to today+80
        rows = []
        for i in range(args.n):
            unit = units[i % len(units)]
            due = today + dt.timedelta(days=(i * 7919) % span - 10)
            rows.append(
                Suggestion(
                    township_id=unit.township_id,
                    lead_unit=unit,
                    status=Status.SIGNED,
                    title=f"基准建议{i}",
                    content="-",
                    number=f"B-{i:06d}",
                    due_date=due,
                    reply_due=due,
                )
            )
        Suggestion.objects.bulk_create(rows, batch_size=5000)
        print(f"  setup took {time.monotonic() - t0:.1f} s", flush=True)
    else:
        with connection.cursor() as cur:  # the bench database is ours: clear earlier reminders at once
            cur.execute(
                "TRUNCATE notifications_deliveryevent, notifications_delivery, notifications_notification"
            )
        print(f"re-using {args.n:,} open deadlines; cleared earlier reminders", flush=True)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")

    open_deadlines = Suggestion.objects.filter(township__county=county, status=Status.SIGNED).count()
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(QUEUE)

    t0, cpu0 = time.monotonic(), time.process_time()
    first = run_sweep()
    first_s, first_cpu = time.monotonic() - t0, time.process_time() - cpu0
    deliveries = Delivery.objects.filter(county=county).count()
    t0 = time.monotonic()
    second = run_sweep()
    second_s = time.monotonic() - t0
    # The steady state: the next day's first sweep adds only what became due overnight.
    t0 = time.monotonic()
    next_day = run_sweep(now=timezone.now() + dt.timedelta(days=1))
    next_day_s = time.monotonic() - t0

    with app.connection_for_write() as conn:
        queued = conn.default_channel.client.llen(QUEUE)
        conn.default_channel.queue_delete(QUEUE)
    from notifications.services import BATCH_SIZE

    print(f"open deadlines:            {open_deadlines:,}")
    print(
        f"first sweep:               {first_s:.2f} s  (target ≤ 10 s; this process's CPU: {first_cpu:.2f} s, "
        f"the rest is PostgreSQL and Redis)"
    )
    print(f"  phases (s):              {first['timings']}")
    print(f"  machine load average:    {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"  reminders (inbox rows):  {first['notifications']:,}")
    print(f"  deliveries created:      {first['deliveries']:,} (in DB: {deliveries:,})")
    print(
        f"  deliveries enqueued:     {first['enqueued']:,} "
        f"(task messages on Redis: {queued:,}; {BATCH_SIZE} deliveries per message)"
    )
    print(f"second sweep:              {second_s:.2f} s, new reminders: {second['notifications']}")
    print(
        f"next day's sweep:          {next_day_s:.2f} s, new reminders: {next_day['notifications']:,}, "
        f"deliveries enqueued: {next_day['enqueued']:,}"
    )
    ok = first_s <= 10 and second["notifications"] == 0
    print("RESULT:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
