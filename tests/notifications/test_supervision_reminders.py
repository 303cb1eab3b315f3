"""Rectification (整改) reminders at their boundaries, on a controlled clock."""

import datetime as dt

from notifications.models import Notification
from supervision.models import Rectification

from .helpers import at, rules, sweep

DEADLINE = dt.date(2025, 6, 20)


def _rect(cast, status=Rectification.Status.IN_PROGRESS, unit=None, township=None, deadline=DEADLINE):
    return Rectification.objects.create(
        township=township or cast.township_a,
        unit=unit or cast.unit_a,
        title="村道护栏整改",
        assigned_on=deadline - dt.timedelta(days=30),
        deadline=deadline,
        status=status,
        created_by=cast.staff_a,
    )


def test_unit_is_reminded_before_on_and_after_the_rectification_deadline(
    cast, django_capture_on_commit_callbacks
):
    officer = cast.unit_officer_a
    cap = django_capture_on_commit_callbacks
    _rect(cast)
    sweep(cap, at(DEADLINE - dt.timedelta(days=8)))
    assert rules(officer) == []
    sweep(cap, at(DEADLINE - dt.timedelta(days=7)))
    sweep(cap, at(DEADLINE - dt.timedelta(days=1)))
    sweep(cap, at(DEADLINE))
    sweep(cap, at(DEADLINE, 18))
    assert rules(officer) == ["rect_before_due_7", "rect_before_due_1", "rect_due_today"]
    sweep(cap, at(DEADLINE + dt.timedelta(days=1)))
    assert rules(officer)[-1] == "rect_overdue"
    assert rules(cast.staff_a) == ["rect_overdue_staff"]
    assert "甲财政所" in Notification.objects.get(recipient=cast.staff_a).title
    assert rules(cast.unit_officer_a2) == []


def test_county_hears_of_an_overdue_rectification_after_15_days(cast, django_capture_on_commit_callbacks):
    _rect(cast)
    cap = django_capture_on_commit_callbacks
    sweep(cap, at(DEADLINE + dt.timedelta(days=14)))
    assert rules(cast.county_staff_a) == []
    sweep(cap, at(DEADLINE + dt.timedelta(days=15)))
    assert rules(cast.county_staff_a) == ["rect_overdue_county"]
    assert rules(cast.county_staff_b) == []


def test_submitted_and_verified_rectifications_are_not_reminded(cast, django_capture_on_commit_callbacks):
    _rect(cast, status=Rectification.Status.SUBMITTED)
    _rect(cast, status=Rectification.Status.VERIFIED)
    sweep(django_capture_on_commit_callbacks, at(DEADLINE + dt.timedelta(days=20)))
    assert Notification.objects.count() == 0


def test_township_b_rectification_reaches_only_township_b(cast, django_capture_on_commit_callbacks):
    _rect(cast, unit=cast.unit_b, township=cast.township_b)
    sweep(django_capture_on_commit_callbacks, at(DEADLINE + dt.timedelta(days=2)))
    assert rules(cast.unit_officer_b) == ["rect_overdue"] and rules(cast.staff_b) == ["rect_overdue_staff"]
    assert rules(cast.unit_officer_a) == [] and rules(cast.staff_a) == []
