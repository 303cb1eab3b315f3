"""Reading the county's reminder rules (``CountyRules.reminder_rules``) with defaults for every key,
and the SMS quiet-hours arithmetic."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from presidium.models import CountyRules, default_reminder_rules

# Keys this app reads beyond presidium.models.default_reminder_rules (read with these defaults).
EXTRA_DEFAULTS = {
    "retry_base_seconds": 60,  # first retry after a transient failure; doubles each attempt
    "retry_max_seconds": 6 * 3600,
    "rehandle_days_before_due": [3],
}


def defaults() -> dict:
    return {**default_reminder_rules(), **EXTRA_DEFAULTS}


def merged(raw: dict | None) -> dict:
    out = defaults()
    if isinstance(raw, dict):
        out.update({k: v for k, v in raw.items() if v is not None})
    return out


def rules_by_county(county_ids=None) -> dict[int, dict]:
    """{county_id: merged reminder rules} in one query; counties without a rules row get defaults."""
    qs = CountyRules.objects.all()
    if county_ids is not None:
        qs = qs.filter(county_id__in=list(county_ids))
    return {cid: merged(raw) for cid, raw in qs.values_list("county_id", "reminder_rules")}


def rules_for_county(county_id: int | None) -> dict:
    if county_id is None:
        return defaults()
    return rules_by_county([county_id]).get(county_id) or defaults()


def _parse_hhmm(value, fallback: str) -> dt.time:
    try:
        hours, minutes = str(value).split(":")
        return dt.time(int(hours), int(minutes))
    except (TypeError, ValueError):
        hours, minutes = fallback.split(":")
        return dt.time(int(hours), int(minutes))


def int_list(value, fallback) -> list[int]:
    """A rule value given as a number or a list of numbers → sorted distinct non-negative ints."""
    if isinstance(value, int | float):
        value = [value]
    try:
        out = sorted({int(v) for v in value if int(v) >= 0}, reverse=True)
    except (TypeError, ValueError):
        return list(fallback)
    return out


def quiet_until(rules: dict, at: dt.datetime) -> dt.datetime | None:
    """If ``at`` falls in the county's SMS quiet hours, the (aware) moment they end; else None.

    Quiet hours may wrap midnight (21:00–08:00) or not (12:00–14:00); start == end means none."""
    tz = ZoneInfo(settings.TIME_ZONE)
    local = timezone.localtime(at, tz)
    start = _parse_hhmm(rules.get("sms_quiet_start"), "21:00")
    end = _parse_hhmm(rules.get("sms_quiet_end"), "08:00")
    if start == end:
        return None
    now_t = local.time()
    if start < end:
        inside = start <= now_t < end
        end_day = local.date()
    else:
        inside = now_t >= start or now_t < end
        end_day = local.date() + dt.timedelta(days=1) if now_t >= start else local.date()
    if not inside:
        return None
    return dt.datetime.combine(end_day, end, tzinfo=tz)


def backoff_seconds(rules: dict, attempts: int) -> int:
    base = int(rules.get("retry_base_seconds") or 60)
    cap = int(rules.get("retry_max_seconds") or 6 * 3600)
    return min(cap, base * 2 ** max(0, attempts - 1))
