"""Benchmark: what fresh figures cost. The workbench, the county dashboard and the county stats API,
timed (median of ``--n``) with their query counts, in three states: computed live (the embedded
default), served from a just-refreshed summary table, and with the first township just changed
(its figures bypass the table until the refresh lands).

    DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python bench/figures_freshness.py [--n 5]

Run it on a seeded database (``manage.py seed_demo``, or the province data set on PostgreSQL). It
writes summary rows and one FiguresChange row (what any write would), nothing else.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "presidium.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from dashboards import freshness, services  # noqa: E402
from presidium.models import Role, User  # noqa: E402


def measure(n):
    staff = User.objects.filter(role=Role.STAFF, township__isnull=False).order_by("pk").first()
    county = User.objects.filter(role=Role.COUNTY, county__isnull=False).order_by("pk").first()
    targets = [
        ("workbench", staff, "/dashboards/"),
        ("county dashboard", county, "/dashboards/county/"),
        ("stats API (county)", county, f"/api/v1/stats/counties/{county.county_id}/"),
    ]
    rows = []
    for label, user, url in targets:
        client = Client()
        client.force_login(user)
        client.get(url)
        times, queries = [], 0
        for _ in range(n):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - start)
            queries = len(ctx.captured_queries)
            assert response.status_code == 200, (url, response.status_code)
        rows.append((label, statistics.median(times) * 1000, queries))
    return staff.township_id, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=5)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    settings.CELERY_TASK_ALWAYS_EAGER = True  # measure the request, not a queued refresh

    settings.FIGURES_SNAPSHOTS = False
    township_id, live = measure(args.n)
    settings.FIGURES_SNAPSHOTS = True
    services.refresh_figures()
    _tid, cached = measure(args.n)
    freshness.mark_changed({township_id})
    _tid, changed = measure(args.n)
    print(f"{'page':<22}{'live':>16}{'summary table':>18}{'one township changed':>24}")
    for (label, t1, q1), (_l2, t2, q2), (_l3, t3, q3) in zip(live, cached, changed, strict=True):
        print(f"{label:<22}{t1:>9.0f} ms {q1:>3}q{t2:>11.0f} ms {q2:>3}q{t3:>17.0f} ms {q3:>3}q")


if __name__ == "__main__":
    main()
