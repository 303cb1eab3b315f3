"""Measure the roster import as an office's file takes it: a generated 5,000-row roster in the
office layout (title row, "填报单位" line, header on row 3, 序号/备注, year-month dates in three forms,
numeric phones, full-width spaces, 第一选区, a 合计 row) is checked (parse + every row read, the
preview; the parsed rows are kept) and then confirmed (every row read again, all rows committed), as
the page's two steps do. Target: check + confirm ≤ 10 s.

    .venv/bin/python bench/roster_import.py [--rows 5000] [--format xlsx|xls]

Uses ``DATABASE_URL`` when set (the data is rolled back afterwards), else a throwaway SQLite file."""

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build_rows(rows: int) -> list[list]:
    rng = random.Random(7)
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = ["建华", "秀兰", "志明", "桂英", "海涛", "丽华", "国强", "春梅", "永红", "金凤"]
    cn = "一二三四五六七八九十"
    out = []
    for i in range(rows):
        year, month = rng.randint(1960, 1995), rng.randint(1, 12)
        birth = rng.choice(
            [f"{year}.{month:02d}", f"{year}年{month}月", dt.datetime(year, month, 1), f"{year}-{month}"]
        )
        name = rng.choice(surnames) + ("\u3000" if i % 7 == 0 else "") + rng.choice(given)
        out.append(
            [
                i + 1,
                name,
                rng.choice(["男", "女"]),
                "汉族",
                birth,
                rng.choice(["中共党员", "群众", "民盟盟员", "九三学社社员"]),
                rng.choice(["初中", "高中", "大专", "大学本科"]),
                rng.choice(["东岭村党支部书记", "城关中学教师", "兴旺养殖合作社理事长", "某某村村民"]),
                f"第{cn[i % 10]}选区",
                f"B-{i:05d}",
                13800000000 + i,
                rng.choice(["连任", "新任", ""]),
            ]
        )
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--format", choices=("xlsx", "xls"), default="xlsx")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.gettempdir()}/bench_roster_import.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "presidium.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import translation

    from deputies.importing import read_upload, roster_import
    from deputies.models import Deputy, ElectoralDistrict, Term, name_to_pinyin
    from presidium.models import County, Role, Township, User
    from presidium.sheet_reader import dump_sheet, load_sheet
    from tests.deputies.workbooks import messy_xls, messy_xlsx

    translation.activate("zh-hans")
    call_command("migrate", verbosity=0)
    name_to_pinyin("预热")  # a running server has pypinyin loaded already (its import takes ~1 s)
    with transaction.atomic():
        county = County.objects.create(name="基准县", code="BENCH1")
        township = Township.objects.create(county=county, name="基准镇", code="BENCH1T")
        term = Term.objects.create(township=township, number=1, start_date=dt.date(2022, 1, 1))
        for i in range(1, 11):
            ElectoralDistrict.objects.create(township=township, name=f"第{i}选区", seats=1000)
        actor = User.objects.create(username="bench-staff", role=Role.STAFF, township=township)
        rows = build_rows(args.rows)
        content = messy_xlsx(rows) if args.format == "xlsx" else messy_xls(rows)
        name = f"roster.{args.format}"

        started = time.perf_counter()
        # "上传并检查": parse, read every row, keep the parsed rows for the confirmation (as the view does).
        sheet = read_upload(name=name, data=content)
        outcome = roster_import(township=township, term=term, sheet=sheet, actor=actor, commit=False)
        kept = dump_sheet(sheet)
        checked = time.perf_counter()
        # "确认导入": read every row again from the kept rows, then write them all.
        outcome = roster_import(
            township=township,
            term=term,
            sheet=load_sheet(kept),
            actor=actor,
            commit=True,
            accept_inferred=True,
        )
        finished = time.perf_counter()
        imported = Deputy.objects.filter(township=township).count()
        transaction.set_rollback(True)

    total = finished - started
    ok = imported == args.rows and total <= 10
    print(
        f"rows: {args.rows}  file: {name} {len(content) / 1024:.0f} KB  "
        f"database: {os.environ['DATABASE_URL'].split(':')[0]}"
    )
    print(
        f"check (preview): {checked - started:.2f} s  confirm (re-check + commit): {finished - checked:.2f} s"
    )
    print(
        f"imported: {imported}  errors: {len(outcome.errors)}  blockers: {[str(b) for b in outcome.blockers]}"
    )
    print(f"TOTAL check + confirm: {total:.2f} s  (target <= 10 s: {'OK' if ok else 'FAIL'})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
