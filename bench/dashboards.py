"""Benchmark: the county dashboard, the township workbench, the suggestion list and every stats
endpoint against the province data set, with one hand-written SQL query each as the floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/presidium_province \\
        .venv/bin/python bench/dashboards.py [--n 50] [--year 2026]

Server time is measured in-process with Django's test client (full middleware, auth, throttles,
rendering), p50/p95 over ``--n`` requests after warm-up; the query count is that of one request.
The SQL floor runs the same figures as one query, ``--n`` times. Prints a table with the ratio.

County scale (issue 20): the county's suggestion list on its first and last (keyset) page, the text
search (a two-character query, which no trigram can serve, and a four-character one, which the
trigram indexes serve), the API list's last page and search, the register export request (a
township's inline; a county's queued as a background job) and, after the table, the CPU the job
spends writing a township's and a county's register. Run it on the province set and on a smaller
one to see what grows with the data:

    DATABASE_URL=…/presidium_small python bench/seed_province.py --reset --counties 8 --suggestions 50

``bench/seed_province.py`` migrates the database and fills the summary table (``--no-figures`` leaves it empty to measure the cold path).
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "presidium.settings")
# Keep the throttles in the request path, with limits a benchmark does not reach.
os.environ.setdefault("THROTTLE_USER", "1000000/min")
os.environ.setdefault("THROTTLE_APIKEY", "1000000/min")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from presidium.models import ApiKey, County, Role, Township, User  # noqa: E402

SUGGESTION_AGG = """
    count(*) AS received,
    count(*) FILTER (WHERE s.accepted_at IS NOT NULL) AS accepted,
    count(*) FILTER (WHERE s.status = 'not_accepted') AS not_accepted,
    count(*) FILTER (WHERE s.assigned_at IS NOT NULL) AS assigned,
    count(*) FILTER (WHERE s.replied_at IS NOT NULL) AS replied,
    count(*) FILTER (WHERE s.replied_at IS NOT NULL AND s.outcome_class = 'A') AS resolved,
    count(*) FILTER (WHERE s.replied_at IS NOT NULL AND s.outcome_class = 'B') AS planned,
    count(*) FILTER (WHERE s.rating <> '') AS evaluated,
    count(*) FILTER (WHERE s.rating IN ('satisfied', 'basic')) AS satisfied,
    count(*) FILTER (WHERE s.replied_on_time) AS on_time,
    count(*) FILTER (WHERE s.status IN ('submitted','accepted','returned','assigned','signed','rehandling')
                     AND s.due_date < %(today)s) AS overdue,
    count(*) FILTER (WHERE s.status IN ('assigned','signed','rehandling')) AS in_handling,
    count(*) FILTER (WHERE s.round >= 2) AS rehandled,
    count(*) FILTER (WHERE s.is_key) AS key,
    count(*) FILTER (WHERE s.status = 'closed') AS closed
"""
SUGGESTION_PERIOD = "s.submitted_at >= %(lo)s AND s.submitted_at < %(hi)s AND s.status <> 'draft'"

SQL_COUNTY_SUGGESTIONS = f"""
SELECT s.township_id, {SUGGESTION_AGG}
FROM suggestions_suggestion s
WHERE s.township_id IN (SELECT id FROM presidium_township WHERE county_id = %(county)s) AND {SUGGESTION_PERIOD}
GROUP BY s.township_id
"""

SQL_TOWNSHIP_SUGGESTIONS = f"""
SELECT {SUGGESTION_AGG} FROM suggestions_suggestion s WHERE s.township_id = %(township)s AND {SUGGESTION_PERIOD}
"""

# Every section of the county at once: suggestions, deputies, sessions and presidium meetings,
# supervision activities and petitions, one row per township.
SQL_TOWNSHIP_BY_CATEGORY = f"""
SELECT s.category, {SUGGESTION_AGG} FROM suggestions_suggestion s
WHERE s.township_id = %(township)s AND {SUGGESTION_PERIOD} GROUP BY s.category ORDER BY received DESC
"""

SQL_COUNTY_ALL = f"""
WITH t AS (SELECT id FROM presidium_township WHERE county_id = %(county)s),
sg AS (SELECT s.township_id, {SUGGESTION_AGG} FROM suggestions_suggestion s
       WHERE s.township_id IN (SELECT id FROM t) AND {SUGGESTION_PERIOD} GROUP BY s.township_id),
dp AS (SELECT township_id, count(*) AS serving, count(*) FILTER (WHERE gender = 'F') AS female,
              count(*) FILTER (WHERE party = 'cpc') AS cpc, count(*) FILTER (WHERE is_reelected) AS reelected
       FROM deputies_deputy WHERE status = 'serving' AND township_id IN (SELECT id FROM t) GROUP BY township_id),
se AS (SELECT township_id, count(*) AS sessions FROM congress_session
       WHERE status IN ('in_session','closed') AND start_date BETWEEN %(start)s AND %(end)s
         AND township_id IN (SELECT id FROM t) GROUP BY township_id),
pm AS (SELECT township_id, count(*) AS meetings FROM congress_presidiummeeting
       WHERE status = 'held' AND date BETWEEN %(start)s AND %(end)s
         AND township_id IN (SELECT id FROM t) GROUP BY township_id),
sv AS (SELECT township_id, count(*) AS activities, sum(voters_visited) AS voters
       FROM supervision_supervisionactivity WHERE start_date BETWEEN %(start)s AND %(end)s
         AND township_id IN (SELECT id FROM t) GROUP BY township_id),
pt AS (SELECT township_id, count(*) AS petitions FROM supervision_petition
       WHERE township_id IN (SELECT id FROM t) GROUP BY township_id)
SELECT t.id, sg.*, dp.*, se.sessions, pm.meetings, sv.activities, sv.voters, pt.petitions
FROM t LEFT JOIN sg ON sg.township_id = t.id LEFT JOIN dp ON dp.township_id = t.id
LEFT JOIN se ON se.township_id = t.id LEFT JOIN pm ON pm.township_id = t.id
LEFT JOIN sv ON sv.township_id = t.id LEFT JOIN pt ON pt.township_id = t.id
"""

SQL_TOWNSHIP_ALL = SQL_COUNTY_ALL.replace(
    "SELECT id FROM presidium_township WHERE county_id = %(county)s", "SELECT %(township)s::int AS id"
)

SQL_WORKBENCH = f"""
SELECT
  count(*) FILTER (WHERE s.status = 'submitted') AS intake,
  count(*) FILTER (WHERE s.status IN ('accepted','returned')) AS assign,
  count(*) FILTER (WHERE s.status IN ('submitted','accepted','returned','assigned','signed','rehandling')
                   AND s.due_date BETWEEN %(today)s AND %(week)s) AS due_week,
  count(*) FILTER (WHERE s.status IN ('submitted','accepted','returned','assigned','signed','rehandling')
                   AND s.due_date < %(today)s) AS overdue,
  count(*) FILTER (WHERE s.status = 'replied') AS rating,
  count(*) FILTER (WHERE s.status IN ('assigned','signed','rehandling') AND s.extension_status = 'pending') AS ext,
  count(*) FILTER (WHERE {SUGGESTION_PERIOD}) AS received_this_year
FROM suggestions_suggestion s WHERE s.township_id = %(township)s
"""

SQL_SUGGESTION_LIST = """
SELECT s.id, s.number, s.title, s.status, s.category, s.due_date, s.created_at, t.name, u.name, d.name,
       count(*) OVER () AS total
FROM suggestions_suggestion s
JOIN presidium_township t ON t.id = s.township_id
LEFT JOIN presidium_handlingunit u ON u.id = s.lead_unit_id
LEFT JOIN deputies_deputy d ON d.id = s.lead_deputy_id
WHERE s.township_id = ANY(%(townships)s) AND s.status = %(status)s AND s.category = %(category)s
  AND s.status <> 'draft'
ORDER BY s.created_at DESC, s.id DESC LIMIT 50
"""

SQL_ACTIVITY_LIST = """
SELECT a.id, a.kind, a.topic, a.start_date, t.name,
       (SELECT count(*) FROM supervision_finding f WHERE f.activity_id = a.id) AS findings,
       (SELECT count(*) FROM supervision_activityparticipant p WHERE p.activity_id = a.id) AS participants,
       count(*) OVER () AS total
FROM supervision_supervisionactivity a JOIN presidium_township t ON t.id = a.township_id
WHERE t.county_id = %(county)s AND a.start_date BETWEEN %(start)s AND %(end)s
ORDER BY a.start_date DESC, a.id DESC LIMIT 50
"""


# The floor of a county list page: the 50 rows of one page, with the names it shows and the count.
SQL_COUNTY_LIST = """
WITH page AS (
  SELECT s.id FROM suggestions_suggestion s
  WHERE s.township_id IN (SELECT id FROM presidium_township WHERE county_id = %(county)s) AND s.status <> 'draft'
  ORDER BY s.created_at DESC, s.id DESC LIMIT 51)
SELECT s.id, s.number, s.title, s.status, s.category, s.due_date, t.name, u.name, d.name,
       (SELECT count(*) FROM suggestions_suggestion c WHERE c.status <> 'draft'
          AND c.township_id IN (SELECT id FROM presidium_township WHERE county_id = %(county)s)) AS total
FROM page JOIN suggestions_suggestion s ON s.id = page.id JOIN presidium_township t ON t.id = s.township_id
LEFT JOIN presidium_handlingunit u ON u.id = s.lead_unit_id LEFT JOIN deputies_deputy d ON d.id = s.lead_deputy_id
"""
SQL_COUNTY_LIST_LAST = SQL_COUNTY_LIST.replace(
    "ORDER BY s.created_at DESC, s.id DESC", "ORDER BY s.created_at, s.id"
)
SQL_COUNTY_SEARCH = """
SELECT s.id, s.title, count(*) OVER () AS total FROM suggestions_suggestion s
WHERE s.township_id IN (SELECT id FROM presidium_township WHERE county_id = %(county)s) AND s.status <> 'draft'
  AND (s.title ILIKE %(q)s OR s.number ILIKE %(q)s OR s.content ILIKE %(q)s
       OR s.lead_deputy_id IN (SELECT id FROM deputies_deputy WHERE name ILIKE %(q)s
           AND township_id IN (SELECT id FROM presidium_township WHERE county_id = %(county)s)))
ORDER BY s.created_at DESC, s.id DESC LIMIT 51
"""


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def time_request(client, url, n, headers=None):
    headers = headers or {}
    for _ in range(3):
        r = client.get(url, **headers)
        # A large export answers with a redirect to its background job's page.
        assert r.status_code in (200, 302), (url, r.status_code, r.content[:300])
    executed = []

    def counter(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    # An execute wrapper, not CaptureQueriesContext: request_started resets the queries log.
    with connection.execute_wrapper(counter):
        client.get(url, **headers)
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        r = client.get(url, **headers)
        samples.append((time.perf_counter() - t0) * 1000)
        assert r.status_code in (200, 302)
    return samples, len(executed)


def time_sql(sql, params, n):
    with connection.cursor() as cur:
        for _ in range(3):
            cur.execute(sql, params)
            cur.fetchall()
        samples = []
        for _ in range(n):
            t0 = time.perf_counter()
            cur.execute(sql, params)
            cur.fetchall()
            samples.append((time.perf_counter() - t0) * 1000)
    return samples


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--year", type=int, default=timezone.localdate().year)
    parser.add_argument("--only", default="", help="semicolon-separated target names")
    parser.add_argument(
        "--live",
        action="store_true",
        help="ignore the summary table (dashboards.TownshipFigures): every figure computed live",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("run against the PostgreSQL province data set (DATABASE_URL=…/presidium_province)")
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    if args.live:
        settings.FIGURES_MAX_AGE = -1  # no snapshot is ever fresh enough
    settings.FIGURES_SNAPSHOTS = not args.live  # the bench measures the deployment with a worker
    # A large export is queued for the worker, never run inside the measured request.
    from presidium.celery import app as celery_app

    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = "memory://"

    county = County.objects.order_by("pk").first()
    townships = list(Township.objects.filter(county=county).order_by("pk"))
    township = townships[0]
    county_user = User.objects.filter(role=Role.COUNTY, county=county).first()
    staff = User.objects.filter(role=Role.STAFF, township=township).first()
    from presidium.services import api_key_create

    ApiKey.objects.filter(name="bench").delete()
    _key, raw = api_key_create(name="bench", actor=county_user, county=county)
    api = {"HTTP_AUTHORIZATION": f"Api-Key {raw}"}
    county_client, staff_client, api_client = Client(), Client(), Client()
    county_client.force_login(county_user)
    staff_client.force_login(staff)

    import datetime as dt

    tz = timezone.get_current_timezone()
    year = args.year
    today = timezone.localdate()
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    params = {
        "county": county.pk,
        "township": township.pk,
        "today": today,
        "week": today + dt.timedelta(days=7),
        "start": start,
        "end": end,
        "lo": dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        "hi": dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
        "townships": [township.pk],
        "status": "signed",
        "category": "道路建设",
    }
    county_params = dict(params, townships=[t.pk for t in townships])
    q = f"year={year}"
    targets = [
        ("county dashboard", county_client, f"/dashboards/county/?{q}", None, SQL_COUNTY_SUGGESTIONS, params),
        ("township workbench", staff_client, f"/dashboards/?{q}", None, SQL_WORKBENCH, params),
        (
            "suggestion list (staff, filtered)",
            staff_client,
            "/suggestions/?status=signed&category=道路建设",
            None,
            SQL_SUGGESTION_LIST,
            params,
        ),
        (
            "api stats county",
            api_client,
            f"/api/v1/stats/counties/{county.pk}/?{q}",
            api,
            SQL_COUNTY_ALL,
            params,
        ),
        (
            "api stats county/suggestions",
            api_client,
            f"/api/v1/stats/counties/{county.pk}/suggestions/?{q}",
            api,
            SQL_COUNTY_SUGGESTIONS,
            params,
        ),
        (
            "api stats township",
            api_client,
            f"/api/v1/stats/townships/{township.pk}/?{q}",
            api,
            SQL_TOWNSHIP_ALL,
            params,
        ),
        (
            "api stats township/suggestions",
            api_client,
            f"/api/v1/stats/townships/{township.pk}/suggestions/?{q}",
            api,
            SQL_TOWNSHIP_SUGGESTIONS,
            params,
        ),
        (
            "api township suggestions by category",
            api_client,
            f"/api/v1/stats/townships/{township.pk}/suggestions/breakdown/?by=category&{q}",
            api,
            SQL_TOWNSHIP_BY_CATEGORY,
            params,
        ),
        (
            "api suggestions list (county, filtered)",
            api_client,
            "/api/v1/stats/suggestions/?status=signed&category=道路建设",
            api,
            SQL_SUGGESTION_LIST,
            county_params,
        ),
        (
            "api activities list (county)",
            api_client,
            f"/api/v1/stats/activities/?{q}",
            api,
            SQL_ACTIVITY_LIST,
            params,
        ),
        ("api stats labels", api_client, "/api/v1/stats/labels/", api, None, None),
        # Deep lists and search at county scale (keyset pages, trigram indexes; issue 20).
        (
            "suggestion list (county, first page)",
            county_client,
            "/suggestions/",
            None,
            SQL_COUNTY_LIST,
            params,
        ),
        (
            "suggestion list (county, last page)",
            county_client,
            "/suggestions/?last=1",
            None,
            SQL_COUNTY_LIST_LAST,
            params,
        ),
        (
            "suggestion search (county, ?q=道路)",
            county_client,
            "/suggestions/?q=道路",
            None,
            SQL_COUNTY_SEARCH,
            dict(params, q="%道路%"),
        ),
        (
            "suggestion search (county, ?q=道路硬化)",
            county_client,
            "/suggestions/?q=道路硬化",
            None,
            SQL_COUNTY_SEARCH,
            dict(params, q="%道路硬化%"),
        ),
        (
            "api suggestions list (county, last page)",
            api_client,
            "/api/v1/stats/suggestions/?last=1",
            api,
            SQL_COUNTY_LIST_LAST,
            params,
        ),
        (
            "api suggestions search (county, ?q=道路)",
            api_client,
            "/api/v1/stats/suggestions/?q=道路",
            api,
            SQL_COUNTY_SEARCH,
            dict(params, q="%道路%"),
        ),
        (
            "register export (staff, inline)",
            staff_client,
            "/suggestions/export/register.xlsx",
            None,
            None,
            None,
        ),
        (
            "register export (county, request → job)",
            county_client,
            "/suggestions/export/register.xlsx",
            None,
            None,
            None,
        ),
    ]
    for section in ("deputies", "meetings", "supervision", "petitions"):
        targets.append(
            (
                f"api stats county/{section}",
                api_client,
                f"/api/v1/stats/counties/{county.pk}/{section}/?{q}",
                api,
                SQL_COUNTY_ALL,
                params,
            )
        )
    only = {s.strip() for s in args.only.split(";") if s.strip()}
    counts = {"townships": Township.objects.count(), "counties": County.objects.count()}
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM suggestions_suggestion")
        counts["suggestions"] = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM deputies_deputy")
        counts["deputies"] = cur.fetchone()[0]
    print(
        f"data set: {counts['counties']} counties, {counts['townships']} townships, {counts['deputies']:,} "
        f"deputies, {counts['suggestions']:,} suggestions; county {county.name} ({len(townships)} townships), "
        f"year {year}, n={args.n}, " + ("live figures" if args.live else "summary table when fresh")
    )
    header = f"{'target':<42} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'SQL p50':>8} {'SQL p95':>8} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    for name, client, url, headers, sql, sql_params in targets:
        if only and name not in only:
            continue
        samples, nq = time_request(client, url, args.n, headers)
        p50, p95 = percentile(samples, 0.5), percentile(samples, 0.95)
        if sql:
            floor = time_sql(sql, sql_params, args.n)
            f50, f95 = percentile(floor, 0.5), percentile(floor, 0.95)
            ratio = f"{p95 / f95:6.1f}"
            print(f"{name:<42} {p50:8.1f} {p95:8.1f} {nq:8d} {f50:8.1f} {f95:8.1f} {ratio}")
        else:
            print(f"{name:<42} {p50:8.1f} {p95:8.1f} {nq:8d} {'—':>8} {'—':>8} {'—':>6}")
    print("ratio = endpoint p95 / SQL floor p95")
    if not only or "register export job" in only:
        export_job_cpu(county_user, staff)


def export_job_cpu(county_user, staff):
    """What the background job spends writing a register (CPU, process time), once per size."""
    from suggestions import exports
    from suggestions.selectors import suggestions_visible_to

    print()
    print(
        f"{'register export job (streamed, write-only)':<42} {'rows':>8} {'CPU s':>8} {'wall s':>8} {'MB':>6}"
    )
    for who, user in (("staff", staff), ("county", county_user)):
        qs = suggestions_visible_to(user)
        rows = qs.count()
        c0, w0 = time.process_time(), time.perf_counter()
        content = exports.register_bytes(qs)
        cpu, wall = time.process_time() - c0, time.perf_counter() - w0
        print(f"{'  ' + who:<42} {rows:8d} {cpu:8.2f} {wall:8.2f} {len(content) / 1e6:6.1f}")


if __name__ == "__main__":
    main()
