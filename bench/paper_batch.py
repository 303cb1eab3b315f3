"""Benchmark: a stack of paper suggestions entered after a session on the batch page (one row each,
accepted on entry), then the page that lists them for batch assignment, and the detail page of an
item with its 代录 panels.

    .venv/bin/python bench/paper_batch.py [--rows 100] [--deputies 120]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/presidium_bench .venv/bin/python bench/paper_batch.py

Everything is created inside one transaction that is rolled back at the end (the SQLite default
is a throw-away file). Prints the save time and query count of the whole stack, per row, and the
queries of the follow-up pages.
"""

import argparse
import datetime as dt
import time

from benchlib import Rollback, setup_django, township_with_deputies


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100)
    parser.add_argument("--deputies", type=int, default=120)
    args = parser.parse_args()
    setup_django("paper_batch")
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from congress.models import Session
    from presidium.models import HandlingUnit
    from suggestions.models import Suggestion

    print(f"database: {connection.vendor}")
    try:
        with transaction.atomic():
            township, term, staff = township_with_deputies(
                "BENCHPB", args.deputies, lambda i: {"level": "county" if i % 10 == 0 else "township"}
            )
            HandlingUnit.objects.create(township=township, name="基准财政所")
            session = Session.objects.create(
                township=township, term=term, number=1, start_date=dt.date.today(), status="in_session"
            )
            category = township.rules.categories[0]
            data = {
                "rows": str(args.rows),
                "received_on": dt.date.today().isoformat(),
                "session": str(session.pk),
                "accept": "on",
            }
            for i in range(1, args.rows + 1):
                data |= {
                    f"r{i}-lead": f"代表{i % args.deputies:03d}",
                    f"r{i}-co": f"代表{(i + 1) % args.deputies:03d}、代表{(i + 2) % args.deputies:03d}",
                    f"r{i}-title": f"第{i}号书面建议：村道维修",
                    f"r{i}-content": "村道坑洼，雨天积水，群众出行困难。",
                    f"r{i}-category": category,
                    f"r{i}-level": "township",
                }
            client = Client()
            client.force_login(staff)
            url = reverse("suggestions:paper_batch")
            client.get(url)  # warm-up
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.post(url, data)
                elapsed = time.perf_counter() - start
            saved = Suggestion.objects.filter(township=township).count()
            print(
                f"batch of {args.rows} rows: HTTP {response.status_code}, {saved} saved and numbered, "
                f"{elapsed:.2f} s, {len(queries)} queries ({len(queries) / max(saved, 1):.0f} per row, "
                f"{elapsed / max(saved, 1) * 1000:.0f} ms per row)"
            )
            for label, page in (
                ("batch page (empty, 100 rows)", f"{url}?rows=100"),
                (
                    "batch page listing the stack",
                    response["Location"] if response.status_code == 302 else url,
                ),
                (
                    "detail with 代录 panels",
                    reverse(
                        "suggestions:detail", args=[Suggestion.objects.filter(township=township).first().pk]
                    ),
                ),
            ):
                client.get(page)
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    status = client.get(page).status_code
                    elapsed = time.perf_counter() - start
                print(f"{label}: HTTP {status}, {len(queries)} queries, {elapsed * 1000:.0f} ms")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
