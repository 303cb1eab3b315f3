"""Helpers for the reminder tests: a clock-controlled sweep and minimal suggestion rows."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from notifications.engine import run_sweep
from notifications.models import Notification
from suggestions.models import Status, Suggestion

TZ = ZoneInfo("Asia/Shanghai")


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def sweep(capture, when: dt.datetime, providers=None) -> dict:
    """Run one sweep at ``when`` with the delivery tasks executed (eagerly) after commit."""
    with time_machine.travel(when, tick=False), capture(execute=True):
        return run_sweep(providers=providers)


def make_suggestion(
    township,
    *,
    unit=None,
    status=Status.SIGNED,
    due=None,
    deputy=None,
    number="2025-001",
    title="修建村道",
    **extra,
) -> Suggestion:
    return Suggestion.objects.create(
        township=township,
        lead_unit=unit,
        status=status,
        due_date=due,
        reply_due=due,
        lead_deputy=deputy,
        number=number,
        title=title,
        content="内容",
        **extra,
    )


def inbox(user) -> list[tuple[str, str]]:
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("rule", "title"))


def rules(user_or_township) -> list[str]:
    return [r for r, _t in inbox(user_or_township)]
