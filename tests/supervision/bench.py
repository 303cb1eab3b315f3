"""Measure the supervision pages and figures on a county-sized data set.

    createdb -h 127.0.0.1 -U postgres presidium_supervision_bench   # once
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/presidium_supervision_bench \\
        .venv/bin/python manage.py migrate -v0
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/presidium_supervision_bench \\
        .venv/bin/python -m tests.supervision.bench

16 townships × 60 deputies; per township 150 activities (each 8 participants, 6 findings),
150 rectifications and 300 petitions. Rows are bulk-inserted (not through the services) because
only reading is measured."""

import datetime as dt
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "presidium.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from deputies.models import Deputy, Term  # noqa: E402
from presidium.models import County, HandlingUnit, Role, Township, User  # noqa: E402
from presidium.registry import archive_sources  # noqa: E402
from supervision.models import (  # noqa: E402
    ActivityKind,
    ActivityParticipant,
    Finding,
    Petition,
    Rectification,
    SupervisionActivity,
)
from supervision.selectors import township_stats  # noqa: E402

TOWNSHIPS, DEPUTIES, ACTIVITIES, RECTS, PETITIONS = 16, 60, 150, 150, 300


def build():
    if County.objects.filter(code="BENCH").exists():
        return
    with transaction.atomic():
        county = County.objects.create(name="测速县", code="BENCH")
        kinds = ActivityKind.values
        for t in range(TOWNSHIPS):
            town = Township.objects.create(county=county, name=f"测速镇{t}", code=f"B{t:04d}")
            units = HandlingUnit.objects.bulk_create(
                [HandlingUnit(township=town, name=f"站所{i}") for i in range(12)]
            )
            staff = User.objects.create(
                username=f"bench_staff{t}", role=Role.STAFF, township=town, county=county
            )
            User.objects.create(
                username=f"bench_unit{t}", role=Role.UNIT, unit=units[0], township=town, county=county
            )
            term = Term.objects.create(township=town, number=10, start_date=dt.date(2021, 12, 28))
            deps = Deputy.objects.bulk_create(
                [
                    Deputy(township=town, term=term, name=f"代表{t}-{i}", name_pinyin=f"d{i:03d}", gender="M")
                    for i in range(DEPUTIES)
                ]
            )
            acts = SupervisionActivity.objects.bulk_create(
                [
                    SupervisionActivity(
                        township=town,
                        kind=kinds[i % len(kinds)],
                        topic=f"活动{i}",
                        created_by=staff,
                        start_date=dt.date(2024, 1, 1) + dt.timedelta(days=i * 2),
                        voters_visited=i % 30,
                    )
                    for i in range(ACTIVITIES)
                ]
            )
            ActivityParticipant.objects.bulk_create(
                [
                    ActivityParticipant(activity=a, deputy=deps[(j * 7 + k) % DEPUTIES])
                    for j, a in enumerate(acts)
                    for k in range(8)
                ]
            )
            findings = Finding.objects.bulk_create(
                [
                    Finding(
                        activity=a,
                        township=town,
                        kind="problem" if k % 2 else "opinion",
                        content=f"问题{k}",
                        created_by=staff,
                    )
                    for a in acts
                    for k in range(6)
                ]
            )
            Rectification.objects.bulk_create(
                [
                    Rectification(
                        township=town,
                        unit=units[i % 12],
                        finding=findings[i],
                        title=f"整改{i}",
                        assigned_on=dt.date(2024, 3, 1),
                        deadline=dt.date(2024, 3, 1) + dt.timedelta(days=i),
                        status=["assigned", "in_progress", "submitted", "verified"][i % 4],
                        created_by=staff,
                    )
                    for i in range(RECTS)
                ]
            )
            Petition.objects.bulk_create(
                [
                    Petition(
                        township=town,
                        received_on=dt.date(2024, 1, 1) + dt.timedelta(days=i % 360),
                        channel="letter",
                        subject=f"信访{i}",
                        content="内容",
                        created_by=staff,
                        status=["registered", "forwarded", "closed"][i % 3],
                    )
                    for i in range(PETITIONS)
                ]
            )


def analyze():
    # Fresh bulk-loaded tables have no planner statistics yet; autovacuum would gather them in production.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def timed(label, fn, runs=7):
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
    print(f"{label:<58} median {statistics.median(times):7.1f} ms  {queries:3d} queries")


def main():
    build()
    analyze()
    staff = User.objects.get(username="bench_staff0")
    unit = User.objects.get(username="bench_unit0")
    c = Client()
    c.force_login(staff)
    u = Client()
    u.force_login(unit)

    def get(client, url):
        def run():
            assert client.get(url).status_code == 200

        return run

    timed("staff: activity list (150 activities, page of 50)", get(c, "/supervision/"))
    timed("staff: activity list filtered by kind and year", get(c, "/supervision/?kind=inspection&year=2024"))
    act = SupervisionActivity.objects.filter(township=staff.township).first()
    timed("staff: activity detail", get(c, f"/supervision/activities/{act.pk}/"))
    timed(
        "staff: activity report PDF (8 deputies, 6 findings)",
        get(c, f"/supervision/activities/{act.pk}/pdf/"),
    )
    timed("staff: rectification list, overdue only", get(c, "/supervision/rectifications/?overdue=1"))
    timed("unit: own rectification list", get(u, "/supervision/rectifications/"))
    timed("staff: petition list with counts (300 rows)", get(c, "/supervision/petitions/"))
    timed("staff: rectification ledger Excel (150 rows)", get(c, "/supervision/rectifications/export/"))
    ids = list(Township.objects.filter(county__code="BENCH").values_list("pk", flat=True))
    timed(
        f"township_stats for {len(ids)} townships, one year",
        lambda: township_stats(township_ids=ids, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)),
    )
    dep_ids = list(Deputy.objects.filter(township_id__in=ids).values_list("pk", flat=True))
    source = archive_sources()["supervision"]
    timed(
        f"archive source for {len(dep_ids)} deputies, one year",
        lambda: source(dep_ids, dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    )


if __name__ == "__main__":
    main()
