"""Deadlines from the county's rules on the official calendar, across Spring Festival and National Day
with their make-up working weekends (调休)."""

import datetime as dt

import pytest

from presidium.models import CountyRules
from suggestions.deadlines import due_date
from suggestions.models import Status

from .helpers import make

D = dt.date


@pytest.fixture
def rules(db):
    return CountyRules()  # statutory defaults, unsaved


@pytest.mark.parametrize(
    ("stage", "start", "expected"),
    [
        # 2024 Spring Festival: 10–17 Feb off, Sun 4 Feb and Sun 18 Feb are working days.
        ("assign", D(2024, 2, 8), D(2024, 2, 21)),  # 9, 18(Sun, make-up), 19, 20, 21
        ("assign", D(2024, 2, 2), D(2024, 2, 8)),  # 4(Sun, make-up), 5, 6, 7, 8
        # 2024 National Day: 1–7 Oct off, Sun 29 Sep and Sat 12 Oct are working days.
        ("assign", D(2024, 9, 27), D(2024, 10, 10)),  # 29(Sun), 30, 8, 9, 10
        ("return", D(2024, 9, 27), D(2024, 10, 12)),  # 29, 30, 8, 9, 10, 11, 12(Sat, make-up)
        # 2025 Spring Festival: 28 Jan–4 Feb off, Sun 26 Jan and Sat 8 Feb are working days.
        ("assign", D(2025, 1, 24), D(2025, 2, 7)),  # 26(Sun), 27, 5, 6, 7
        ("return", D(2025, 1, 24), D(2025, 2, 10)),  # 26, 27, 5, 6, 7, 8(Sat, make-up), 10
        # Month stages: same day N months later, moved off a holiday to the next working day.
        ("reply", D(2024, 7, 5), D(2024, 10, 8)),  # 5 Oct is in the National Day holiday
        ("reply", D(2023, 11, 14), D(2024, 2, 18)),  # 14 Feb is in the holiday; 18 Feb is a make-up Sunday
        ("reply", D(2024, 3, 4), D(2024, 6, 4)),
        ("rehandle", D(2024, 9, 1), D(2024, 10, 8)),
        ("co_input", D(2024, 1, 31), D(2024, 2, 29)),  # clamped to the month's last day
        ("extension_max", D(2024, 3, 4), D(2024, 9, 4)),
    ],
)
def test_due_dates_follow_the_chinese_calendar(rules, stage, start, expected):
    assert due_date(rules=rules, stage=stage, start=start) == expected


def test_due_dates_follow_the_countys_own_numbers(rules):
    rules.assign_within_workdays = 3
    rules.reply_within_months = 2
    assert due_date(rules=rules, stage="assign", start=D(2024, 9, 27)) == D(2024, 10, 8)
    assert due_date(rules=rules, stage="reply", start=D(2024, 3, 4)) == D(
        2024, 5, 6
    )  # 4 May: holiday → 6 May


def test_submission_before_spring_festival_gets_its_assignment_due_after_the_holiday(cast, time_machine):
    time_machine.move_to(dt.datetime(2024, 2, 8, 10, 0))
    s = make(cast, Status.SUBMITTED)
    assert s.assign_due == D(2024, 2, 21) and s.due_date == D(2024, 2, 21)


def test_assignment_before_national_day_sets_return_and_reply_dues(cast, time_machine):
    time_machine.move_to(dt.datetime(2024, 9, 27, 10, 0))
    s = make(cast, Status.ASSIGNED)
    assert s.return_due == D(2024, 10, 12)
    assert s.reply_due == D(2024, 12, 27) and s.due_date == s.reply_due
    assert s.co_input_due == D(2024, 10, 28)  # 27 Oct is a Sunday


def test_items_received_during_the_session_have_no_working_day_clock(cast):
    from suggestions.services import suggestion_create_paper

    s = suggestion_create_paper(
        township=cast.township_a,
        actor=cast.staff_a,
        lead_deputy=cast.deputy_a,
        title="会上提出",
        content="内容",
        during_session=True,
    )
    assert s.status == Status.SUBMITTED and s.assign_due is None


def test_overdue_reply_is_recorded_as_late(cast, time_machine):
    time_machine.move_to(dt.datetime(2024, 3, 4, 10, 0))
    s = make(cast, Status.SIGNED)
    time_machine.move_to(dt.datetime(2024, 6, 20, 10, 0))
    assert s.is_overdue()
    from suggestions import services

    services.suggestion_record_contact(
        suggestion=s, actor=cast.unit_officer_a, contacted_on=D(2024, 6, 19), method="phone", summary="电话"
    )
    services.suggestion_reply(suggestion=s, actor=cast.unit_officer_a, outcome_class="A", text="迟到的答复")
    s.refresh_from_db()
    assert s.replied_on_time is False and not s.is_overdue()
