"""Suggestion reminders at every rule boundary, on a controlled clock (time-machine)."""

import datetime as dt

import pytest
from django.core import mail

from notifications import sms
from notifications.models import Delivery, Notification
from presidium.models import Role
from suggestions.models import Status
from tests import factories as f

from .helpers import at, make_suggestion, rules, sweep

DUE = dt.date(2025, 6, 20)  # a Friday


@pytest.fixture
def officer(cast):
    u = cast.unit_officer_a
    u.email = "unit@example.cn"
    u.save()
    return u


def test_unit_is_reminded_7_and_1_days_before_on_the_day_and_when_overdue(
    cast, officer, django_capture_on_commit_callbacks
):
    make_suggestion(cast.township_a, unit=cast.unit_a, due=DUE)
    cap = django_capture_on_commit_callbacks
    sweep(cap, at(DUE - dt.timedelta(days=8)))
    assert rules(officer) == []
    sweep(cap, at(DUE - dt.timedelta(days=7), 0, 5))
    assert rules(officer) == ["unit_before_due_7"]
    assert Notification.objects.get(recipient=officer).title == "建议办理提醒：还有7天到期"
    sweep(cap, at(DUE - dt.timedelta(days=2), 23, 50))
    assert rules(officer) == ["unit_before_due_7"]
    sweep(cap, at(DUE - dt.timedelta(days=1)))
    assert rules(officer) == ["unit_before_due_7", "unit_before_due_1"]
    sweep(cap, at(DUE, 0, 1))
    assert rules(officer)[-1] == "unit_due_today"
    sweep(cap, at(DUE, 23, 59))
    assert len(rules(officer)) == 3
    sweep(cap, at(DUE + dt.timedelta(days=1)))
    assert rules(officer)[-1] == "unit_overdue"
    assert len(mail.outbox) == 4 and {m.to[0] for m in mail.outbox} == {"unit@example.cn"}
    # Officers of another unit of the same township hear nothing.
    assert rules(cast.unit_officer_a2) == []


def test_overdue_escalates_to_staff_at_once_and_to_the_county_after_15_days(
    cast, officer, django_capture_on_commit_callbacks
):
    s = make_suggestion(cast.township_a, unit=cast.unit_a, due=DUE)
    cap = django_capture_on_commit_callbacks
    sweep(cap, at(DUE))
    assert rules(cast.staff_a) == []
    sweep(cap, at(DUE + dt.timedelta(days=1)))
    assert rules(cast.staff_a) == ["overdue_staff"]
    assert "甲财政所" in Notification.objects.get(recipient=cast.staff_a).title
    sweep(cap, at(DUE + dt.timedelta(days=14)))
    assert rules(cast.county_staff_a) == []
    sweep(cap, at(DUE + dt.timedelta(days=15)))
    assert rules(cast.county_staff_a) == ["overdue_county"]
    n = Notification.objects.get(recipient=cast.county_staff_a)
    assert n.target_id == s.pk and n.due_date == DUE and n.title.startswith("甲镇")
    # Township B's staff and county never hear of township A's item.
    assert rules(cast.staff_b) == [] and rules(cast.county_staff_b) == []


def test_county_rules_change_the_days_and_the_delays(cast, officer, django_capture_on_commit_callbacks):
    county_rules = cast.county_a.rules
    county_rules.reminder_rules = {
        **county_rules.reminder_rules,
        "unit_days_before_due": [3],
        "unit_on_due_day": False,
        "overdue_escalate_staff_after_days": 5,
    }
    county_rules.save()
    make_suggestion(cast.township_a, unit=cast.unit_a, due=DUE)
    cap = django_capture_on_commit_callbacks
    sweep(cap, at(DUE - dt.timedelta(days=7)))
    assert rules(officer) == []
    sweep(cap, at(DUE - dt.timedelta(days=3)))
    assert rules(officer) == ["unit_before_due_3"]
    sweep(cap, at(DUE))
    assert rules(officer) == ["unit_before_due_3"]
    sweep(cap, at(DUE + dt.timedelta(days=4)))
    assert rules(cast.staff_a) == []
    sweep(cap, at(DUE + dt.timedelta(days=5)))
    assert rules(cast.staff_a) == ["overdue_staff"]


def test_item_that_enters_late_gets_only_the_nearest_before_due_reminder(
    cast, officer, django_capture_on_commit_callbacks
):
    make_suggestion(cast.township_a, unit=cast.unit_a, due=DUE)
    sweep(django_capture_on_commit_callbacks, at(DUE - dt.timedelta(days=1)))
    assert rules(officer) == ["unit_before_due_1"]


def test_replied_closed_and_draft_items_are_not_reminded(cast, officer, django_capture_on_commit_callbacks):
    for i, status in enumerate([Status.REPLIED, Status.CLOSED, Status.DRAFT, Status.WITHDRAWN]):
        make_suggestion(cast.township_a, unit=cast.unit_a, due=DUE, status=status, number=f"2025-00{i}")
    sweep(django_capture_on_commit_callbacks, at(DUE + dt.timedelta(days=20)))
    assert Notification.objects.filter(recipient=officer).count() == 0
    assert Notification.objects.filter(recipient=cast.staff_a).count() == 0


def test_an_extended_due_date_starts_its_own_reminders(cast, officer, django_capture_on_commit_callbacks):
    s = make_suggestion(cast.township_a, unit=cast.unit_a, due=DUE)
    cap = django_capture_on_commit_callbacks
    sweep(cap, at(DUE - dt.timedelta(days=1)))
    s.due_date = DUE + dt.timedelta(days=30)
    s.save()
    sweep(cap, at(DUE + dt.timedelta(days=29)))
    assert rules(officer) == ["unit_before_due_1", "unit_before_due_1"]
    assert list(
        Notification.objects.filter(recipient=officer).order_by("pk").values_list("due_date", flat=True)
    ) == [DUE, DUE + dt.timedelta(days=30)]


def test_deputy_is_asked_to_rate_a_reply_and_reminded_once_more_after_7_days(
    cast, django_capture_on_commit_callbacks
):
    replied = at(dt.date(2025, 6, 2), 15)
    make_suggestion(
        cast.township_a,
        unit=cast.unit_a,
        due=DUE,
        status=Status.REPLIED,
        deputy=cast.deputy_a,
        replied_at=replied,
    )
    user = cast.deputy_a.user
    cap = django_capture_on_commit_callbacks
    sweep(cap, at(dt.date(2025, 6, 2), 16))
    assert rules(user) == ["rating_wait"]
    sweep(cap, at(dt.date(2025, 6, 8), 20))
    assert rules(user) == ["rating_wait"]
    sweep(cap, at(dt.date(2025, 6, 9), 9))
    assert rules(user) == ["rating_wait", "rating_repeat"]
    sweep(cap, at(dt.date(2025, 6, 30), 9))
    assert len(rules(user)) == 2
    # Deputies default to SMS: one SMS per reminder, none to the other deputy.
    assert [m["phone"] for m in sms.outbox] == [user.phone, user.phone]
    assert rules(cast.deputy_a2.user) == []


def test_office_is_reminded_of_items_waiting_for_intake_counting_working_days_over_national_day(
    cast, django_capture_on_commit_callbacks
):
    # Submitted on Monday 29 September 2025; 1–8 October are holidays, so the third working day
    # after it is 10 October, not 2 October.
    make_suggestion(
        cast.township_a, status=Status.SUBMITTED, submitted_at=at(dt.date(2025, 9, 29), 9), number=""
    )
    cap = django_capture_on_commit_callbacks
    sweep(cap, at(dt.date(2025, 10, 2)))
    sweep(cap, at(dt.date(2025, 10, 9), 18))
    assert rules(cast.staff_a) == []
    sweep(cap, at(dt.date(2025, 10, 10), 8))
    assert rules(cast.staff_a) == ["intake_wait"]
    assert Notification.objects.get(recipient=cast.staff_a).due_date == dt.date(2025, 10, 10)
    sweep(cap, at(dt.date(2025, 10, 20)))
    assert rules(cast.staff_a) == ["intake_wait"]


def test_office_is_reminded_when_an_accepted_item_passes_its_assignment_deadline(
    cast, django_capture_on_commit_callbacks
):
    make_suggestion(cast.township_a, status=Status.ACCEPTED, assign_due=DUE)
    cap = django_capture_on_commit_callbacks
    sweep(cap, at(DUE, 23))
    assert rules(cast.staff_a) == []
    sweep(cap, at(DUE + dt.timedelta(days=1)))
    assert rules(cast.staff_a) == ["assign_overdue"]


def test_every_staff_member_of_the_township_is_escalated_to_but_only_once(
    cast, officer, django_capture_on_commit_callbacks
):
    chair = f.UserFactory(role=Role.STAFF, township=cast.township_a, email="chair@example.cn")
    make_suggestion(cast.township_a, unit=cast.unit_a, due=DUE)
    for _ in range(3):
        sweep(django_capture_on_commit_callbacks, at(DUE + dt.timedelta(days=2)))
    assert rules(chair) == ["overdue_staff"] and rules(cast.staff_a) == ["overdue_staff"]
    assert Delivery.objects.filter(notification__recipient=chair, status="sent").count() == 1
    assert [m.to for m in mail.outbox].count(["chair@example.cn"]) == 1


def test_repeated_sweeps_do_not_grow_the_number_of_queries(
    cast, officer, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    for i in range(30):
        make_suggestion(
            cast.township_a, unit=cast.unit_a, due=DUE + dt.timedelta(days=i % 10 - 5), number=f"2025-{i:03d}"
        )
    sweep(django_capture_on_commit_callbacks, at(DUE))
    with django_assert_max_num_queries(40):
        result = sweep(django_capture_on_commit_callbacks, at(DUE, 11))
    assert result["notifications"] == 0
