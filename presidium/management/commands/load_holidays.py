"""Load a year's official holiday calendar (国务院办公厅节假日安排通知) from a simple file.

    python manage.py load_holidays 2027.csv [--note "国办发明电〔2026〕X号"]

One day a line: ``date, kind, name`` — kind 休 (rest) or 班 (make-up working day). Weekends need
no line; list the holiday block's days and every 调休 working Saturday/Sunday. A year already
loaded is replaced. Deadlines computed provisionally over the year are recomputed.

    python manage.py load_holidays --from-package   # (re)seed every year chinesecalendar knows
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from presidium import workdays
from presidium.services import holiday_year_load, parse_holiday_rows


class Command(BaseCommand):
    help = "载入某年国务院节假日安排（日期, 休/班, 节日名）"

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="CSV/TSV file: date, kind (休/班), name")
        parser.add_argument("--note", default="", help="the notice the file comes from")
        parser.add_argument(
            "--from-package", action="store_true", help="seed the years chinesecalendar knows"
        )

    def handle(self, *args, path=None, note="", from_package=False, **options):
        if from_package:
            for year in workdays.package_years():
                holiday_year_load(year=year, days=workdays.package_days(year), source="package")
            self.stdout.write(f"seeded {len(workdays.package_years())} years from chinesecalendar")
            return
        if not path:
            raise CommandError("give a file path or --from-package")
        try:
            with open(path, encoding="utf-8-sig") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        try:
            by_year = parse_holiday_rows(text)
            for year, days in sorted(by_year.items()):
                _hy, recomputed = holiday_year_load(year=year, days=days, source="file", note=note)
                self.stdout.write(f"{year}: {len(days)} days loaded; deadlines recomputed: {recomputed}")
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
