"""Input checks shared by the services (a clear Chinese message, nothing saved)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# A record of the platform is dated between the founding of the township congresses and a few
# years ahead (a deadline in 9999 is a typing mistake, not a plan).
EARLIEST_DATE = dt.date(1949, 10, 1)
YEARS_AHEAD = 5


def latest_date(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return today.replace(year=today.year + YEARS_AHEAD, day=min(today.day, 28))


def check_date(value: dt.date | None, *, label: str, today: dt.date | None = None) -> None:
    """Refuse a date outside ``EARLIEST_DATE`` – today + ``YEARS_AHEAD`` years."""
    if value is None:
        return
    high = latest_date(today)
    if not EARLIEST_DATE <= value <= high:
        raise ValidationError(
            _("%(label)s“%(date)s”超出合理范围（%(low)s 至 %(high)s）。")
            % {
                "label": label,
                "date": value.isoformat(),
                "low": EARLIEST_DATE.isoformat(),
                "high": high.isoformat(),
            }
        )
