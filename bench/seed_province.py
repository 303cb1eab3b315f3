"""A province-sized data set for measuring the dashboards and the stats API (PostgreSQL only).

Default size: 64 counties × 16 townships (1,024), 60 deputies each (61,440), 500 suggestions each
(512,000) over last year and this year with one event row per workflow step (~2.4 million), plus
handling units, sessions, presidium meetings and supervision activities. Rows are written with
PostgreSQL COPY, ids assigned here, sequences moved on afterwards.

A suggestion's steps are read from the workflow's transition table (``suggestions.workflow``): each
final status is reached by a list of actions, and the table says where each action leads from
where the suggestion stands, so the events and statuses written are ones the workflow can produce
(a changed table stops the seeder instead of writing impossible histories).

Run it against a database of its own, never a test database (the script migrates it first):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/presidium_province \\
        .venv/bin/python bench/seed_province.py --reset
"""

import datetime as dt
import io
import json
import random
import sys
import time
from functools import lru_cache

from benchlib import setup_django

if __name__ == "__main__":
    setup_django("seed_province")

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from deputies.models import natural_sort_key
from presidium.models import CountyRules, default_categories
from suggestions.deadlines import due_date
from suggestions.workflow import RATING_ACTIONS, TRANSITIONS

CHUNK = 200_000
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = [
    "建华",
    "秀兰",
    "志明",
    "桂英",
    "海涛",
    "丽华",
    "国强",
    "春梅",
    "永红",
    "金凤",
    "德胜",
    "小军",
    "玉兰",
    "文斌",
]
UNITS = [
    "政府办公室",
    "财政所",
    "派出所",
    "国土所",
    "民政办",
    "林业站",
    "村建所",
    "交管站",
    "中心学校",
    "卫生院",
    "农业服务中心",
    "水利站",
]
PLACES = ["东村", "西村", "南岭", "北湾", "石桥", "白沙", "龙泉", "杨柳", "桃源", "河口", "新街", "高坪"]
ISSUES = [
    "道路硬化",
    "路灯安装",
    "桥梁加固",
    "水渠清淤",
    "垃圾清运",
    "广播维修",
    "饮水安全",
    "校车安全",
    "卫生室建设",
    "集市秩序",
]
OCCUPATIONS = [
    "cadre",
    "worker",
    "farmer",
    "farmer",
    "farmer",
    "intellectual",
    "professional",
    "business",
    "village_cadre",
    "village_cadre",
    "other",
]
ACTIVITY_KINDS = [
    "inspection",
    "inspection",
    "law_enforcement",
    "research",
    "special_report",
    "special_oversight",
    "appraisal",
    "three_accounts",
]
TZ = "+08"


def _esc(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    s = str(value)
    if "\\" in s or "\t" in s or "\n" in s:
        s = s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    return s


# The actions that bring a suggestion to each final status the data set holds.
_ASSIGNED = ("submit", "accept", "assign")
_REPLIED = (*_ASSIGNED, "sign", "reply")
_REPLIED_ROUTE = "replied"
ACTIONS_TO = {
    "submitted": ("submit",),
    "not_accepted": ("submit", "not_accept"),
    "accepted": ("submit", "accept"),
    "assigned": _ASSIGNED,
    "returned": (*_ASSIGNED, "return"),
    "signed": (*_ASSIGNED, "sign"),
    "replied": _REPLIED,
    "rehandling": (*_REPLIED, "rate_unsatisfied"),
    # Unsatisfied twice: handled again, replied again, the second rating closes it.
    "closed_unsatisfied": (*_REPLIED, "rate_unsatisfied", "reply", "rate_unsatisfied_final"),
    **{"closed_" + str(rating): (*_REPLIED, action) for rating, action in RATING_ACTIONS.items()},
    "withdrawn_accepted": ("submit", "accept", "withdraw"),
    "withdrawn": ("submit", "withdraw"),
}


@lru_cache(maxsize=64)
def workflow_path(actions: tuple[str, ...], status: str) -> tuple[tuple[str, str, str], ...]:
    """(action, from status, to status) of each action in turn from a draft, as the suggestion
    workflow's transition table says; it must end at ``status``."""
    path, at = [], "draft"
    for action in actions:
        transition = TRANSITIONS.get((at, action))
        if transition is None:
            raise CommandError(f"the suggestion workflow has no {action!r} from {at!r}")
        path.append((action, at, str(transition.to)))
        at = str(transition.to)
    if at != status:
        raise CommandError(f"the suggestion workflow takes {actions} to {at!r}, not {status!r}")
    return tuple(path)


class Copier:
    """COPY rows into a model's table. Columns not given take the field's Python default once."""

    def __init__(self, cursor, out):
        self.cursor = cursor
        self.out = out
        self.counts = {}

    def columns(self, model, given):
        fields = list(model._meta.concrete_fields)
        by_attname = {f.attname: f for f in fields}
        unknown = [g for g in given if g not in by_attname]
        if unknown:
            raise CommandError(f"{model.__name__}: unknown columns {unknown}")
        pk = model._meta.pk
        # An id not given is left to the database's identity column.
        rest = [f for f in fields if f.attname not in given and f is not pk]
        suffix = []
        for f in rest:
            default = f.get_default() if f.has_default() else (None if f.null else f.get_default())
            if hasattr(default, "pk"):
                default = default.pk
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                default = timezone.now()
            suffix.append(_esc(default))
        cols = [by_attname[g].column for g in given] + [f.column for f in rest]
        return cols, ("\t" + "\t".join(suffix)) if suffix else ""

    def copy(self, model, given: list[str], rows):
        """``rows`` yields tuples of already-escaped strings in ``given`` order."""
        cols, suffix = self.columns(model, given)
        table = model._meta.db_table
        sql = f'COPY "{table}" ({", ".join(chr(34) + c + chr(34) for c in cols)}) FROM STDIN'
        buf, n, total = io.StringIO(), 0, 0
        for row in rows:
            buf.write("\t".join(row))
            buf.write(suffix)
            buf.write("\n")
            n += 1
            if n >= CHUNK:
                buf.seek(0)
                self.cursor.copy_expert(sql, buf)
                total += n
                buf, n = io.StringIO(), 0
        if n:
            buf.seek(0)
            self.cursor.copy_expert(sql, buf)
            total += n
        self.counts[model.__name__] = self.counts.get(model.__name__, 0) + total
        return total


def _ts(day: dt.date, seconds: int) -> str:
    h, rem = divmod(8 * 3600 + seconds % (9 * 3600), 3600)
    return f"{day.isoformat()} {h:02d}:{rem // 60:02d}:{rem % 60:02d}{TZ}"


class Command(BaseCommand):
    help = "Generate a province-sized data set with COPY (PostgreSQL). See the module docstring."

    def add_arguments(self, parser):
        parser.add_argument("--counties", type=int, default=64)
        parser.add_argument("--townships", type=int, default=16, help="townships per county")
        parser.add_argument("--deputies", type=int, default=60, help="deputies per township")
        parser.add_argument(
            "--suggestions", type=int, default=500, help="suggestions per township (two years)"
        )
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--reset", action="store_true", help="empty every table of the project first")
        parser.add_argument(
            "--no-figures", action="store_true", help="leave the dashboards' summary table empty"
        )

    def handle(self, *args, **opts):
        if connection.vendor != "postgresql":
            raise CommandError(
                "seed_province needs PostgreSQL (COPY); set DATABASE_URL to a database of its own."
            )
        name = connection.settings_dict["NAME"]
        if name.startswith("test_"):
            raise CommandError("refusing to fill a test database")
        County = apps.get_model("presidium", "County")
        if County.objects.exists() and not opts["reset"]:
            raise CommandError(f"database {name} already has counties; pass --reset to empty it first")
        started = time.monotonic()
        self.rng = random.Random(opts["seed"])
        self.today = timezone.localdate()
        with transaction.atomic(), connection.cursor() as cursor:
            if opts["reset"]:
                self.reset(cursor)
            self.copier = Copier(cursor, self.stdout)
            self.seed(cursor, opts)
            self.stdout.write("  · sequences …")
            self.fix_sequences(cursor)
        self.stdout.write("  · ANALYZE …")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        if not opts["no_figures"]:
            # The dashboards read the summary table; a data set without it measures the cold path.
            from dashboards.services import refresh_figures

            self.stdout.write("  · summary table (dashboards.refresh_figures) …")
            rows = refresh_figures()
            self.stdout.write(f"    TownshipFigures          {rows:>10,}")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE dashboards_townshipfigures")
        elapsed = time.monotonic() - started
        for model, n in self.copier.counts.items():
            self.stdout.write(f"    {model:<24} {n:>10,}")
        self.stdout.write(self.style.SUCCESS(f"province data set ready in {elapsed:.0f} s"))

    # -------------------------------------------------------------------------------------

    def reset(self, cursor):
        tables = [
            m._meta.db_table
            for m in apps.get_models()
            if m._meta.app_label
            in (
                "presidium",
                "deputies",
                "congress",
                "suggestions",
                "supervision",
                "notifications",
                "reports",
                "dashboards",
                "axes",
                "admin",
            )
        ]
        cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")

    def fix_sequences(self, cursor):
        for model in apps.get_models():
            pk = model._meta.pk
            if pk.get_internal_type() not in ("AutoField", "BigAutoField"):
                continue
            table, col = model._meta.db_table, pk.column
            # Identifiers come from the models' own metadata, not from input.
            sql = f'SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE(MAX("{col}"), 0) + 1, false) FROM "{table}"'
            cursor.execute(sql, [table, col])

    def seed(self, cursor, opts):
        rng, cp = self.rng, self.copier
        m = apps.get_model
        County, Township, Unit, User = (
            m("presidium", "County"),
            m("presidium", "Township"),
            m("presidium", "HandlingUnit"),
            m("presidium", "User"),
        )
        Term, District, Deputy = (
            m("deputies", "Term"),
            m("deputies", "ElectoralDistrict"),
            m("deputies", "Deputy"),
        )
        n_counties, per_county = opts["counties"], opts["townships"]
        n_deputies, n_suggestions = opts["deputies"], opts["suggestions"]

        self.stdout.write("  · counties, townships, units, users …")
        cp.copy(
            County,
            ["id", "name", "code", "province"],
            ((str(c), f"第{c}县", f"P{c:05d}", "江西省") for c in range(1, n_counties + 1)),
        )
        CountyRules.objects.bulk_create([CountyRules(county_id=c) for c in range(1, n_counties + 1)])
        townships = [(t, (t - 1) // per_county + 1) for t in range(1, n_counties * per_county + 1)]
        cp.copy(
            Township,
            ["id", "county_id", "name", "code", "kind"],
            ((str(t), str(c), f"{PLACES[t % len(PLACES)]}{t}镇", f"P{t:07d}", "town") for t, c in townships),
        )
        unit_ids = {}
        rows = []
        uid = 0
        for t, _c in townships:
            unit_ids[t] = []
            for name in UNITS:
                uid += 1
                unit_ids[t].append(uid)
                rows.append((str(uid), str(t), name, "分管副镇长", "t"))
        cp.copy(Unit, ["id", "township_id", "name", "responsible_leader", "is_active"], rows)
        password = make_password(None)
        user_rows = [("1", "admin", "admin", password, "t", "t", "t", r"\N", r"\N")]
        uid = 1
        for c in range(1, n_counties + 1):
            uid += 1
            user_rows.append((str(uid), f"county{c}", "county", password, "f", "f", "t", str(c), r"\N"))
        for t, c in townships:
            uid += 1
            user_rows.append((str(uid), f"staff{t}", "staff", password, "f", "f", "t", str(c), str(t)))
        self.first_staff_id = n_counties + 2
        cp.copy(
            User,
            [
                "id",
                "username",
                "role",
                "password",
                "is_superuser",
                "is_staff",
                "is_active",
                "county_id",
                "township_id",
            ],
            user_rows,
        )

        self.stdout.write("  · terms, districts, deputies …")
        cp.copy(
            Term,
            ["id", "township_id", "number", "start_date"],
            ((str(t), str(t), "10", "2021-12-28") for t, _c in townships),
        )
        cp.copy(
            District,
            ["id", "township_id", "name", "sort_key", "seats"],
            (
                (str((t - 1) * 12 + i + 1), str(t), f"第{i + 1}选区", natural_sort_key(f"第{i + 1}选区"), "5")
                for t, _c in townships
                for i in range(12)
            ),
        )
        deputy_ids = {}

        def deputies():
            did = 0
            for t, _c in townships:
                deputy_ids[t] = range(did + 1, did + n_deputies + 1)
                for i in range(n_deputies):
                    did += 1
                    name = rng.choice(SURNAMES) + rng.choice(GIVEN)
                    yield (
                        str(did),
                        str(t),
                        str(t),
                        name,
                        f"p{did}",
                        "p",
                        rng.choice("MMF"),
                        f"{rng.randint(1960, 1995)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                        rng.choice(("cpc", "cpc", "masses", "democratic")),
                        rng.choice(OCCUPATIONS),
                        str((t - 1) * 12 + i % 12 + 1),
                        f"P{t}-{i + 1:03d}",
                        f"13{did:09d}",
                        "serving" if rng.random() > 0.03 else "resigned",
                        "t" if rng.random() < 0.4 else "f",
                    )

        cp.copy(
            Deputy,
            [
                "id",
                "township_id",
                "term_id",
                "name",
                "name_pinyin",
                "name_initials",
                "gender",
                "birth_date",
                "party",
                "occupation",
                "district_id",
                "certificate_no",
                "phone",
                "status",
                "is_reelected",
            ],
            deputies(),
        )
        self.seed_suggestions(townships, unit_ids, deputy_ids, n_suggestions)
        self.seed_meetings(townships, deputy_ids)

    # -------------------------------------------------------------------------------------

    def seed_suggestions(self, townships, unit_ids, deputy_ids, per_township):
        self.stdout.write("  · suggestions and their events …")
        rng, cp, today = self.rng, self.copier, self.today
        m = apps.get_model
        Suggestion, Event = m("suggestions", "Suggestion"), m("suggestions", "SuggestionEvent")
        rules = CountyRules()  # statutory defaults: every county of the data set uses them
        categories = default_categories()

        @lru_cache(maxsize=4096)
        def due(stage, start):
            return due_date(rules=rules, stage=stage, start=start)

        first_day = dt.date(today.year - 1, 1, 1)
        span = (today - first_day).days
        events: list[tuple] = []
        counters: dict[tuple[int, int], int] = {}
        sid = 0
        eid = 0

        def ev(action, frm, to, at):
            nonlocal eid
            eid += 1
            events.append((str(eid), str(sid), action, frm, to, at, "{}"))

        def suggestions():
            nonlocal sid
            for t, _c in townships:
                units = unit_ids[t]
                deps = deputy_ids[t]
                for _i in range(per_township):
                    sid += 1
                    day = first_day + dt.timedelta(days=int(span * rng.random() ** 0.8))
                    age = (today - day).days
                    sec = rng.randrange(9 * 3600)
                    submitted = _ts(day, sec)
                    r = rng.random()
                    if age > 150:
                        status = (
                            "closed"
                            if r < 0.86
                            else "replied"
                            if r < 0.90
                            else "signed"
                            if r < 0.93
                            else "not_accepted"
                            if r < 0.97
                            else "withdrawn"
                        )
                    elif age > 40:
                        status = (
                            "signed"
                            if r < 0.45
                            else "replied"
                            if r < 0.62
                            else "closed"
                            if r < 0.88
                            else "assigned"
                            if r < 0.93
                            else "rehandling"
                            if r < 0.97
                            else "returned"
                        )
                    elif age > 10:
                        status = (
                            "assigned"
                            if r < 0.35
                            else "signed"
                            if r < 0.80
                            else "accepted"
                            if r < 0.92
                            else "not_accepted"
                        )
                    else:
                        status = "submitted" if r < 0.45 else "accepted" if r < 0.75 else "assigned"
                    category = rng.choice(categories)
                    place = rng.choice(PLACES)
                    title = f"关于{place}{rng.choice(ISSUES)}的建议"
                    accepted = status not in ("submitted", "not_accepted", "withdrawn") or (
                        status == "withdrawn" and r < 0.985
                    )
                    year = seq = number = None
                    if accepted:
                        year = day.year
                        seq = counters[(t, year)] = counters.get((t, year), 0) + 1
                        number = f"{year}-{seq:03d}"
                    assign_due = due("assign", day)
                    acc_day = day + dt.timedelta(days=rng.randint(0, 3))
                    asg_day = acc_day + dt.timedelta(days=rng.randint(0, 6))
                    # The workflow steps reached (a closed one's rating, drawn below, adds its own).
                    route = {"withdrawn": "withdrawn_accepted" if accepted else "withdrawn"}.get(
                        status, status
                    )
                    steps = set(ACTIONS_TO[route if status != "closed" else _REPLIED_ROUTE])
                    reached_assign = "assign" in steps
                    reply_due = due("reply", asg_day) if reached_assign else None
                    sgn_day = asg_day + dt.timedelta(days=rng.randint(0, 4))
                    rep_day = asg_day + dt.timedelta(days=rng.randint(20, 110))
                    if rep_day > today:
                        rep_day = today
                    replied = "reply" in steps
                    cls_day = rep_day + dt.timedelta(days=rng.randint(1, 20))
                    if cls_day > today:
                        cls_day = today
                    outcome = rating = first_rating = ""
                    on_time = None
                    rnd = 1
                    if replied:
                        x = rng.random()
                        outcome = "A" if x < 0.62 else "B" if x < 0.88 else "C"
                        on_time = rep_day <= reply_due
                    if status == "closed":
                        x = rng.random()
                        rating = "satisfied" if x < 0.78 else "basic" if x < 0.95 else "unsatisfied"
                        first_rating = rating
                        if rating == "unsatisfied":
                            first_rating, rnd = "unsatisfied", 2
                    if status == "rehandling":
                        first_rating, rnd = "unsatisfied", 2
                    if status in ("submitted", "accepted", "returned"):
                        current_due = assign_due
                    elif status in ("assigned", "signed", "rehandling"):
                        current_due = reply_due
                    else:
                        current_due = None
                    lead_unit = str(rng.choice(units)) if reached_assign else r"\N"
                    if status == "closed":
                        route = f"closed_{rating}"
                    # events: one row per workflow step, as the transition table leads
                    when = {
                        "submit": (day, sec),
                        "accept": (acc_day, sec + 600),
                        "not_accept": (acc_day, sec + 600),
                        "withdraw": (acc_day, sec + 900),
                        "assign": (asg_day, sec + 1200),
                        "return": (sgn_day, sec + 1800),
                        "sign": (sgn_day, sec + 1800),
                        "reply": (rep_day, sec + 2400),
                    }
                    for action, frm, to in workflow_path(ACTIONS_TO[route], status):
                        if action.startswith("rate_"):
                            # Unsatisfied twice: rated, replied again and rated again that day.
                            when["reply"] = (cls_day, sec + 2800)
                            at = (
                                cls_day,
                                sec + (2600 if to == "rehandling" and route != "rehandling" else 3000),
                            )
                        else:
                            at = when[action]
                        ev(action, frm, to, _ts(*at))
                    yield (
                        str(sid),
                        str(t),
                        _esc(year),
                        _esc(seq),
                        _esc(number or ""),
                        title,
                        f"{place}村民反映{title[2:-3]}问题，影响群众生产生活，建议尽快解决。",
                        category,
                        status,
                        "1",
                        rng.choice(("online", "online", "paper_session", "reception_day")),
                        str(rng.choice(deps)),
                        "t" if rng.random() < 0.05 else "f",
                        lead_unit,
                        str(rnd),
                        outcome,
                        rating,
                        first_rating,
                        submitted,
                        submitted,
                        _ts(acc_day, sec + 600) if accepted else r"\N",
                        _ts(asg_day, sec + 1200) if reached_assign else r"\N",
                        _ts(sgn_day, sec + 1800) if "sign" in steps else r"\N",
                        _ts(rep_day, sec + 2400) if replied else r"\N",
                        _ts(cls_day, sec + 3000) if status == "closed" else r"\N",
                        assign_due.isoformat(),
                        _esc(reply_due),
                        _esc(current_due),
                        _esc(on_time),
                        submitted,
                    )
                if len(events) > CHUNK:
                    self.flush_events(Event, events)

        cp.copy(
            Suggestion,
            [
                "id",
                "township_id",
                "year",
                "seq",
                "number",
                "title",
                "content",
                "category",
                "status",
                "version",
                "source_kind",
                "lead_deputy_id",
                "is_key",
                "lead_unit_id",
                "round",
                "outcome_class",
                "rating",
                "first_rating",
                "created_at",
                "submitted_at",
                "accepted_at",
                "assigned_at",
                "signed_at",
                "replied_at",
                "closed_at",
                "assign_due",
                "reply_due",
                "due_date",
                "replied_on_time",
                "updated_at",
            ],
            suggestions(),
        )
        self.flush_events(Event, events)
        Counter = m("suggestions", "SuggestionCounter")
        cp.copy(
            Counter,
            ["township_id", "year", "last"],
            ((str(t), str(y), str(n)) for (t, y), n in counters.items()),
        )

    def flush_events(self, Event, events):
        if events:
            self.copier.copy(
                Event,
                ["id", "suggestion_id", "action", "from_status", "to_status", "created_at", "extra"],
                iter(events),
            )
            events.clear()

    # -------------------------------------------------------------------------------------

    def seed_meetings(self, townships, deputy_ids):
        """Sessions (twice a year), presidium meetings (quarterly, some missed) and supervision
        activities (about one a month), so every section of the dashboards has figures."""
        self.stdout.write("  · sessions, presidium meetings, supervision activities …")
        rng, cp, today = self.rng, self.copier, self.today
        m = apps.get_model
        years = [today.year - 1, today.year]
        session_rows, meeting_rows, activity_rows = [], [], []
        for t, _c in townships:
            number = 0
            for y in years:
                for month in (1, 7):
                    day = dt.date(y, month, rng.randint(5, 25))
                    if day > today:
                        continue
                    number += 1
                    session_rows.append(
                        (
                            str(t),
                            str(t),
                            str(number),
                            "ordinary",
                            day.isoformat(),
                            (day + dt.timedelta(days=1)).isoformat(),
                            "closed",
                        )
                    )
                for q in range(4):
                    day = dt.date(y, q * 3 + rng.randint(1, 3), rng.randint(1, 28))
                    if day > today or rng.random() < 0.12:
                        continue
                    meeting_rows.append((str(t), str(t), day.isoformat(), "held"))
                for month in range(1, 13):
                    day = dt.date(y, month, rng.randint(1, 28))
                    if day > today or rng.random() < 0.3:
                        continue
                    activity_rows.append(
                        (
                            str(t),
                            rng.choice(ACTIVITY_KINDS),
                            f"{rng.choice(ISSUES)}专项监督",
                            day.isoformat(),
                            str(self.first_staff_id + t - 1),
                            str(rng.randint(0, 40)),
                            str(rng.randint(0, 3)),
                        )
                    )
        cp.copy(
            m("congress", "Session"),
            ["township_id", "term_id", "number", "kind", "start_date", "end_date", "status"],
            session_rows,
        )
        cp.copy(m("congress", "PresidiumMeeting"), ["township_id", "term_id", "date", "status"], meeting_rows)
        cp.copy(
            m("supervision", "SupervisionActivity"),
            ["township_id", "kind", "topic", "start_date", "created_by_id", "voters_visited", "forums_held"],
            activity_rows,
        )


if __name__ == "__main__":
    Command().run_from_argv([sys.argv[0], "seed_province", *sys.argv[1:]])
