"""Benchmark: issuing deputy logins for a whole township at once (the "all serving deputies without
a login" button), with the production password hasher, then the account pages' query counts.

    .venv/bin/python bench/account_issue.py [--deputies 160]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/presidium_bench .venv/bin/python bench/account_issue.py

Everything is created inside one transaction that is rolled back at the end (the SQLite default
is a throw-away file). Prints the time of the issue (dominated by one password hash per login)
and the queries of the list, roster-login and checklist pages.
"""

import argparse
import datetime as dt
import time

from benchlib import Rollback, setup_django, township_with_deputies


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--deputies", type=int, default=160)
    args = parser.parse_args()
    setup_django("account_issue")
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts import services
    from deputies.models import Deputy, DeputyStatusChange

    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    print(f"database: {connection.vendor}; hasher: {settings.PASSWORD_HASHERS[0].rsplit('.', 1)[-1]}")
    try:
        with transaction.atomic():
            township, term, staff = township_with_deputies(
                "BENCHACC",
                args.deputies,
                lambda i: {
                    "phone": "" if i % 40 == 7 else f"139{i:08d}",
                    "status_since": dt.date(2022, 1, 1),
                },
            )
            DeputyStatusChange.objects.bulk_create(
                DeputyStatusChange(
                    township=township, deputy=d, to_status="serving", effective_date=term.start_date
                )
                for d in Deputy.objects.filter(township=township)
            )
            ids = list(Deputy.objects.filter(township=township).values_list("pk", flat=True))
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                with transaction.atomic():
                    result = services.deputy_logins_issue(
                        township=township, deputy_ids=ids, actor=staff, send_sms=True
                    )
                elapsed = time.perf_counter() - start
            print(
                f"issue {len(ids)} deputies: {elapsed:.1f} s, {len(queries)} queries, "
                f"{len(result.issued)} issued, {len(result.skipped)} skipped "
                f"({elapsed / max(len(result.issued), 1) * 1000:.0f} ms per login)"
            )
            client = Client()
            client.force_login(staff)
            for name in ("accounts:list", "accounts:deputies", "accounts:checklist"):
                client.get(reverse(name))  # warm-up: templates, catalogs
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    status = client.get(reverse(name)).status_code
                    elapsed = time.perf_counter() - start
                print(f"{name}: HTTP {status}, {len(queries)} queries, {elapsed * 1000:.0f} ms")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
