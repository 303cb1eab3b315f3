"""Reception-day reminders: deputies on duty 5 and 3 days ahead; the office to announce it."""

import datetime as dt

from deputies.models import ReceptionDay, Station

from .helpers import at, rules, sweep

DAY = dt.date(2025, 7, 10)


def _reception(cast, *, announced=False, township=None, deputies=()):
    township = township or cast.township_a
    station, _new = Station.objects.get_or_create(township=township, name="东村代表联络站")
    rd = ReceptionDay.objects.create(
        township=township,
        station=station,
        date=DAY,
        announced_on=DAY - dt.timedelta(days=5) if announced else None,
    )
    rd.deputies.set(deputies)
    return rd


def test_deputies_on_duty_are_reminded_5_and_3_days_before(cast, django_capture_on_commit_callbacks):
    _reception(cast, deputies=[cast.deputy_a], announced=True)
    user, cap = cast.deputy_a.user, django_capture_on_commit_callbacks
    sweep(cap, at(DAY - dt.timedelta(days=6)))
    assert rules(user) == []
    sweep(cap, at(DAY - dt.timedelta(days=5)))
    sweep(cap, at(DAY - dt.timedelta(days=4)))
    assert rules(user) == ["reception_duty_5"]
    sweep(cap, at(DAY - dt.timedelta(days=3)))
    sweep(cap, at(DAY))
    assert rules(user) == ["reception_duty_5", "reception_duty_3"]
    assert rules(cast.deputy_a2.user) == []  # not on duty


def test_office_is_asked_to_announce_an_unannounced_reception_day(cast, django_capture_on_commit_callbacks):
    _reception(cast)
    cap = django_capture_on_commit_callbacks
    sweep(cap, at(DAY - dt.timedelta(days=6)))
    assert rules(cast.staff_a) == []
    sweep(cap, at(DAY - dt.timedelta(days=5)))
    sweep(cap, at(DAY - dt.timedelta(days=2)))
    assert rules(cast.staff_a) == ["reception_announce"]
    assert rules(cast.staff_b) == []


def test_an_announced_or_cancelled_reception_day_needs_no_announcement_reminder(
    cast, django_capture_on_commit_callbacks
):
    _reception(cast, announced=True)
    cancelled = _reception(cast)
    cancelled.status = ReceptionDay.Status.CANCELLED
    cancelled.save()
    sweep(django_capture_on_commit_callbacks, at(DAY - dt.timedelta(days=3)))
    assert rules(cast.staff_a) == []
