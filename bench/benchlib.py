"""What the throw-away benchmarks share: Django on the benchmark's own database (a temporary SQLite
file unless DATABASE_URL names one), and a township with a term, one district, an office user and
its deputies. Imported by the scripts in this folder (``python bench/<script>.py`` puts it on the
path)."""

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


class Rollback(Exception):
    """Raised at the end of a benchmark's transaction so that it leaves nothing behind."""


def setup_django(name: str) -> None:
    """Django set up and migrated; without DATABASE_URL, on ``bench_<name>.sqlite3`` in the temp folder."""
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.gettempdir()}/bench_{name}.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "presidium.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)


def township_with_deputies(code: str, deputies: int, deputy_fields=lambda i: {}):
    """基准县/基准镇 (codes ``code`` and ``code``T), term 1 from 2022, one district seating them all,
    the office user ``bench-staff`` and ``deputies`` deputies 代表000…; ``deputy_fields(i)`` adds
    fields of deputy ``i``. Returns (township, term, staff)."""
    from deputies.models import Deputy, ElectoralDistrict, Term
    from presidium.models import County, Role, Township, User

    county = County.objects.create(name="基准县", code=code)
    township = Township.objects.create(county=county, name="基准镇", code=f"{code}T")
    term = Term.objects.create(township=township, number=1, start_date=dt.date(2022, 1, 1))
    district = ElectoralDistrict.objects.create(township=township, name="第一选区", seats=deputies)
    staff = User.objects.create(username="bench-staff", role=Role.STAFF, township=township)
    rows = []
    for i in range(deputies):
        d = Deputy(
            township=township,
            term=term,
            district=district,
            name=f"代表{i:03d}",
            gender="M",
            **deputy_fields(i),
        )
        d.fill_pinyin()
        rows.append(d)
    Deputy.objects.bulk_create(rows)
    return township, term, staff
