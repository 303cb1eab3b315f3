"""Create a believable demo county: townships, handling units, one login per role, then every
app's own demo data (``<app>/demo.py``: ``seed(ctx)``, run in ``ORDER``). Safe to run twice."""

import datetime as dt
import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from presidium.models import County, HandlingUnit, Role, StaffTitle, Township, User
from presidium.registry import app_modules

DEMO_PASSWORD = "demo12345"
COUNTY_CODE = "360000"
TOWNSHIPS = [
    ("城关镇", "360001", Township.Kind.TOWN),
    ("白沙镇", "360002", Township.Kind.TOWN),
    ("石桥乡", "360003", Township.Kind.TOWNSHIP),
    ("龙泉街道", "360004", Township.Kind.SUBDISTRICT),
]
UNITS = [
    "镇政府办公室",
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
STAFF_NAMES = ["李建国", "王秀英", "张志强", "刘海燕"]


class Command(BaseCommand):
    help = "Create demo data (a county with townships, units, deputies, suggestions …) and print demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, **options):
        if County.objects.filter(code=COUNTY_CODE).exists():
            self.stdout.write(self.style.WARNING("演示数据已存在，跳过创建。/ Demo data already present."))
        else:
            with transaction.atomic():
                ctx = self.seed_core()
                modules = sorted(
                    (m for _label, m in app_modules("demo")),
                    key=lambda m: m.ORDER,
                )
                for module in modules:
                    self.stdout.write(f"  · {module.__name__} …")
                    module.seed(ctx)
            self.stdout.write(self.style.SUCCESS("演示数据已创建。/ Demo data created."))
        if not options["quiet_logins"]:
            self.print_logins()

    def seed_core(self):
        rng = random.Random(20241)
        county = County.objects.create(name="青山县", code=COUNTY_CODE, province="江西省")
        county.rules  # create the rules row with statutory defaults  # noqa: B018
        townships = [Township.objects.create(county=county, name=n, code=c, kind=k) for n, c, k in TOWNSHIPS]
        units = {}
        for t in townships:
            units[t.pk] = [
                HandlingUnit(
                    township=t,
                    name=(u if u != "镇政府办公室" or t.kind == "town" else f"{t.name}政府办公室"),
                    contact_person=rng.choice(["陈", "周", "吴", "郑"])
                    + rng.choice(["明", "华", "军", "丽"]),
                    contact_phone=f"1390000{t.pk:02d}{i:02d}",
                    responsible_leader="分管副镇长",
                )
                for i, u in enumerate(UNITS)
            ]
            HandlingUnit.objects.bulk_create(units[t.pk])
            units[t.pk] = list(HandlingUnit.objects.filter(township=t).order_by("pk"))
        users = {}

        def make(username, **kw):
            u = User(username=username, **kw)
            u.set_password(DEMO_PASSWORD)
            u.save()
            users[username] = u
            return u

        make("admin", role=Role.ADMIN, full_name="系统管理员", is_superuser=True, is_staff=True)
        make("county", role=Role.COUNTY, full_name="赵县人大", county=county)
        for i, t in enumerate(townships, start=1):
            make(
                f"staff{i}",
                role=Role.STAFF,
                staff_title=StaffTitle.SECRETARY,
                full_name=STAFF_NAMES[i - 1],
                township=t,
            )
            make(
                f"chair{i}",
                role=Role.STAFF,
                staff_title=StaffTitle.CHAIR,
                full_name=f"{STAFF_NAMES[i - 1][0]}主席",
                township=t,
            )
            make(f"unit{i}", role=Role.UNIT, full_name=f"{units[t.pk][1].name}经办人", unit=units[t.pk][1])
            make(f"unit{i}b", role=Role.UNIT, full_name=f"{units[t.pk][3].name}经办人", unit=units[t.pk][3])
        return {
            "county": county,
            "townships": townships,
            "units": units,
            "users": users,
            "rng": rng,
            "today": timezone.localdate(),
            "now": timezone.now(),
            "year": timezone.localdate().year,
            "stdout": self.stdout,
            "password": DEMO_PASSWORD,
            "date": dt.date,
        }

    def print_logins(self):
        rows = [("角色 Role", "用户名 Username", "说明")]
        rows.append(("系统管理员 admin", "admin", "/admin/"))
        rows.append(("县人大 county staff", "county", "全县看板"))
        for i, t in enumerate(Township.objects.filter(county__code=COUNTY_CODE).order_by("code"), start=1):
            rows.append(("人大办 staff", f"staff{i}", t.name))
            if i == 1:
                rows.append(("人大主席 chair", f"chair{i}", t.name))
                rows.append(("承办单位 unit", f"unit{i}", t.name))
                deputy = User.objects.filter(township=t, role=Role.DEPUTY).order_by("pk").first()
                if deputy:
                    rows.append(
                        ("代表 deputy", deputy.phone or deputy.username, f"{t.name} {deputy.full_name}")
                    )
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"演示账号（密码均为 {DEMO_PASSWORD}）/ Demo logins (password {DEMO_PASSWORD}):"
            )
        )
        for role, username, note in rows:
            self.stdout.write(f"  {role:<22} {username:<14} {note}")
