"""Measure the roster import: a generated 2,000-row .xlsx is parsed, every row validated and all rows
committed (the path the "确认导入" button takes). Target: ≤ 10 s.

    .venv/bin/python bench/roster_import.py [--rows 2000]

Uses ``DATABASE_URL`` when set (the data is rolled back afterwards), else a throwaway SQLite file."""

import argparse
import datetime as dt
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build_xlsx(rows: int, districts: list[str], groups: list[str]) -> bytes:
    from openpyxl import Workbook

    from deputies.resources import RosterResource

    rng = random.Random(7)
    wb = Workbook()
    ws = wb.active
    ws.append(RosterResource.headers())
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = ["建华", "秀兰", "志明", "桂英", "海涛", "丽华", "国强", "春梅", "永红", "金凤"]
    for i in range(rows):
        ws.append(
            [
                rng.choice(surnames) + rng.choice(given),
                rng.choice(["男", "女"]),
                "汉族",
                f"{rng.randint(1960, 1995)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                rng.choice(["中共党员", "群众", "民主党派"]),
                rng.choice(["初中", "高中/中专", "大专", "本科"]),
                rng.choice(["农民", "工人", "党政干部", "村(社区)干部", "专业技术人员"]),
                rng.choice(districts),
                rng.choice(groups),
                f"B-{i:05d}",
                f"138{i:08d}",
                "某某村村民",
                "乡镇人大代表",
                rng.choice(["是", "否"]),
            ]
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
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
    from deputies.models import Deputy, DeputyGroup, ElectoralDistrict, Term
    from presidium.models import County, Role, Township, User

    translation.activate("zh-hans")
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        county = County.objects.create(name="基准县", code="BENCH1")
        township = Township.objects.create(county=county, name="基准镇", code="BENCH1T")
        term = Term.objects.create(township=township, number=1, start_date=dt.date(2022, 1, 1))
        districts = [
            ElectoralDistrict.objects.create(township=township, name=f"第{i}选区", seats=200).name
            for i in range(1, 21)
        ]
        groups = [DeputyGroup.objects.create(township=township, name=f"第{i}小组").name for i in range(1, 9)]
        actor = User.objects.create(username="bench-staff", role=Role.STAFF, township=township)
        content = build_xlsx(args.rows, districts, groups)

        started = time.perf_counter()
        dataset = read_upload(name="roster.xlsx", data=content)
        parsed = time.perf_counter()
        outcome = roster_import(township=township, term=term, dataset=dataset, actor=actor, commit=True)
        finished = time.perf_counter()
        imported = Deputy.objects.filter(township=township).count()
        transaction.set_rollback(True)

    total = finished - started
    print(
        f"rows: {args.rows}  file: {len(content) / 1024:.0f} KB  database: {os.environ['DATABASE_URL'].split(':')[0]}"
    )
    print(f"parse .xlsx: {parsed - started:.2f} s  validate + commit: {finished - parsed:.2f} s")
    print(f"imported: {imported}  errors: {len(outcome.errors)}")
    print(
        f"TOTAL: {total:.2f} s  (target <= 10 s: {'OK' if total <= 10 and imported == args.rows else 'FAIL'})"
    )
    return 0 if total <= 10 and imported == args.rows else 1


if __name__ == "__main__":
    sys.exit(main())
