"""Render the annual work report of a demo township-year and print the time (cold and warm) and size.

    .venv/bin/python bench/report_render.py            # uses a fresh SQLite demo DB in /tmp
    DATABASE_URL=... .venv/bin/python bench/report_render.py --township 城关镇 --year 2025

Targets (issue 8): ≥ 10 pages with charts, ≤ 1.5 s warm, ≤ 2 MB. Issue 15: the preview page
≤ 150 ms p95 with a query count that does not grow with the records, the PDF page ≤ 1.5 s warm.
The pages keep a rendered copy until the records change (reports.snapshots): "cold" times a
request right after a change (a full build), "warm" the requests that follow.
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--township", default="城关镇")
    parser.add_argument("--year", type=int, default=None, help="default: the demo year (this year)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "annual-report.pdf"))
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        import tempfile

        db = Path(tempfile.gettempdir()) / "presidium-bench-reports.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
        fresh = not db.exists()
    else:
        fresh = False

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # a cached demo DB may predate the latest migrations
    if fresh:
        call_command("seed_demo", quiet_logins=True, verbosity=0)

    from django.utils import timezone

    from presidium.models import Role, Township, User
    from presidium.pdf import render_pdf_document
    from reports.content import build_annual_report

    township = Township.objects.get(name=args.township)
    year = args.year or timezone.localdate().year
    reader = User.objects.filter(role=Role.STAFF, township=township).order_by("pk").first()

    stages = {"content": [], "typeset": []}

    def render():
        t0 = time.perf_counter()
        context = build_annual_report(township, year, user=reader)
        t1 = time.perf_counter()
        rendered = render_pdf_document("reports/pdf/annual_report.html", context)
        stages["content"].append(t1 - t0)
        stages["typeset"].append(time.perf_counter() - t1)
        return rendered, context

    t0 = time.perf_counter()
    rendered, context = render()
    cold = time.perf_counter() - t0
    warm, cpu = [], []
    for _ in range(args.runs):
        t0, c0 = time.perf_counter(), time.process_time()
        rendered, context = render()
        warm.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    charts = sum(len(c.charts) for c in context["chapters"])
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(rendered.content)
    size_mb = len(rendered.content) / 1024 / 1024
    print(f"annual report {township.name} {year}: {rendered.pages} pages, {charts} charts")
    print(
        f"cold {cold:.2f} s; warm median {statistics.median(warm):.2f} s (min {min(warm):.2f}, "
        f"max {max(warm):.2f}, {args.runs} runs)"
    )
    print(
        f"warm stages (median): content {statistics.median(stages['content'][1:]):.2f} s, "
        f"typesetting {statistics.median(stages['typeset'][1:]):.2f} s; CPU time median "
        f"{statistics.median(cpu):.2f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(f"size {size_mb:.2f} MB ({len(rendered.content)} bytes) -> {out}")
    ok = statistics.median(warm) <= 1.5 and size_mb <= 2
    print("typesetting targets (<= 1.5 s warm, <= 2 MB):", "met" if ok else "NOT met")
    return 0 if pages_bench(township, year, reader, args.runs) and ok else 1


def _p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def pages_bench(township, year, reader, runs) -> bool:
    """The preview page and the PDF page through the whole Django stack (login, middleware, view)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from reports import snapshots

    client = Client()
    client.force_login(reader)
    ok = True
    for name, view, target in (
        ("preview", "reports:annual_preview", 0.150),
        ("PDF", "reports:annual_pdf", 1.5),
    ):
        url = reverse(view, kwargs={"township_id": township.pk, "year": year})
        cold = []
        for _ in range(max(2, runs // 2)):
            snapshots.bump(township.pk)  # as after any change to the township's records
            t0 = time.perf_counter()
            response = client.get(url)
            cold.append(time.perf_counter() - t0)
        assert response.status_code == 200, response.status_code
        warm = []
        for _ in range(max(20, runs * 4)):
            t0 = time.perf_counter()
            client.get(url)
            warm.append(time.perf_counter() - t0)
        with CaptureQueriesContext(connection) as warm_q:
            client.get(url)
        snapshots.bump(township.pk)
        with CaptureQueriesContext(connection) as cold_q:
            client.get(url)
        met = _p95(warm) <= target
        ok = ok and met
        print(
            f"{name} page: warm p95 {_p95(warm) * 1000:.0f} ms (median {statistics.median(warm) * 1000:.0f} ms,"
            f" {len(warm)} requests, {len(warm_q)} queries); after a change {statistics.median(cold) * 1000:.0f}"
            f" ms median ({len(cold_q)} queries); target p95 <= {target * 1000:.0f} ms: "
            + ("met" if met else "NOT met")
        )
    return ok


if __name__ == "__main__":
    sys.exit(main())
