"""The official holiday calendar as data: seeded years, a year loaded from the State Council's
notice, a provisional year from the statutory holidays, and deadlines that follow all three."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from presidium import workdays
from presidium.models import CountyRules, HolidayDay, HolidayYear
from suggestions.deadlines import due_date
from suggestions.models import Status
from tests.suggestions.helpers import make
from tests.supervision import factories as sf

D = dt.date
FILE_2027 = Path(__file__).parent / "data" / "holidays_2027.csv"


@pytest.fixture
def rules(db):
    return CountyRules()  # statutory defaults, unsaved


def load_2027():
    call_command("load_holidays", str(FILE_2027), stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_years_chinesecalendar_knows_are_seeded_into_the_table(db):
    assert HolidayYear.objects.filter(year=2026, source="package").exists()
    national_day = HolidayDay.objects.get(date=D(2026, 10, 1))
    assert national_day.kind == "rest" and national_day.name == "国庆节"
    assert HolidayDay.objects.get(date=D(2026, 2, 28)).kind == "work"  # a make-up Saturday
    assert not HolidayYear.objects.filter(year=2027).exists()


def test_a_year_not_published_counts_the_statutory_holidays_not_monday_to_friday(db):
    assert workdays.is_provisional(2027)
    for day in [D(2027, 1, 1), D(2027, 2, 5), D(2027, 2, 8), D(2027, 4, 5), D(2027, 5, 1)]:
        assert not workdays.is_workday(day), day
    for day in [D(2027, 6, 9), D(2027, 9, 15), D(2027, 10, 1), D(2027, 10, 2), D(2027, 10, 3)]:
        assert not workdays.is_workday(day), day
    # 2027-02-05 is 除夕 and 2027-02-08 is 初三 (a Friday and a Monday): computed, not guessed.
    assert workdays.statutory_rest_days(2027)[D(2027, 2, 5)] == "春节"
    assert workdays.is_workday(D(2027, 2, 9)) and workdays.is_workday(D(2027, 1, 4))
    assert not workdays.is_provisional(2026)


@pytest.mark.parametrize(
    ("stage", "start", "expected"),
    [
        # 2025 National Day: 1–8 Oct off, Sun 28 Sep and Sat 11 Oct are working days.
        ("assign", D(2025, 9, 26), D(2025, 10, 10)),  # 28(Sun), 29, 30, 9, 10
        ("return", D(2025, 9, 26), D(2025, 10, 13)),  # 28, 29, 30, 9, 10, 11(Sat), 13
        # 2026 Spring Festival: 15–23 Feb off, Sat 14 Feb and Sat 28 Feb are working days.
        ("assign", D(2026, 2, 12), D(2026, 2, 26)),  # 13, 14(Sat), 24, 25, 26
        ("return", D(2026, 2, 12), D(2026, 2, 28)),  # 13, 14, 24, 25, 26, 27, 28(Sat)
        # 2026 National Day: 1–7 Oct off, Sun 20 Sep and Sat 10 Oct are working days.
        ("assign", D(2026, 9, 18), D(2026, 9, 24)),  # 20(Sun), 21, 22, 23, 24
        ("assign", D(2026, 9, 28), D(2026, 10, 10)),  # 29, 30, 8, 9, 10(Sat)
        # Month stages landing on a rest day move to the next working day.
        ("reply", D(2026, 7, 1), D(2026, 10, 8)),  # 3 months → 1 Oct, National Day
        ("rehandle", D(2026, 1, 15), D(2026, 2, 24)),  # 1 month → 15 Feb, Spring Festival
        ("extension_max", D(2025, 11, 4), D(2026, 5, 6)),  # 6 months → 4 May, Labour Day
        ("reply", D(2026, 3, 7), D(2026, 6, 8)),  # 7 Jun is a Sunday
        ("rehandle", D(2025, 9, 6), D(2025, 10, 9)),  # 6 Oct is 中秋 inside National Day
    ],
)
def test_deadlines_across_the_2025_and_2026_holidays(rules, stage, start, expected):
    assert due_date(rules=rules, stage=stage, start=start) == expected


def test_the_unsatisfied_rating_of_1_december_is_not_due_on_new_years_day(rules):
    # The bug this fixes: 2026-12-01 + 1 month fell on 2027-01-01 (a Friday) and stayed there.
    assert due_date(rules=rules, stage="rehandle", start=D(2026, 12, 1)) == D(2027, 1, 4)
    assert workdays.due_after(D(2026, 12, 1), months=1).provisional


@pytest.mark.parametrize(
    ("stage", "start", "expected"),
    [
        ("assign", D(2027, 2, 1), D(2027, 2, 16)),  # 2, 3, 4, (5–12 off), 15, 16
        ("return", D(2027, 2, 12), D(2027, 2, 22)),  # 15–19, 20 (make-up Saturday), 22
        ("assign", D(2027, 9, 24), D(2027, 9, 30)),  # 26 (make-up Sunday), 27, 28, 29, 30
        ("return", D(2027, 9, 28), D(2027, 10, 13)),  # 29, 30, 8, 9 (Saturday), 11, 12, 13
        ("reply", D(2027, 7, 3), D(2027, 10, 8)),  # 3 Oct is in the National Day holiday
        ("rehandle", D(2026, 12, 1), D(2027, 1, 4)),
    ],
)
def test_deadlines_into_a_2027_loaded_from_the_state_councils_file(rules, stage, start, expected):
    load_2027()
    assert not workdays.is_provisional(2027)
    assert due_date(rules=rules, stage=stage, start=start) == expected


def test_a_provisional_deadline_is_marked_and_recomputed_when_the_year_is_loaded(cast, time_machine):
    time_machine.move_to(dt.datetime(2027, 2, 1, 10, 0))
    s = make(cast, Status.SUBMITTED)
    # Provisional 2027: only 除夕 (5 Feb) and 初三 (8 Feb) fall on weekdays.
    assert s.assign_due == D(2027, 2, 10) and s.deadlines_provisional
    load_2027()
    s.refresh_from_db()
    assert s.assign_due == D(2027, 2, 16) and s.due_date == D(2027, 2, 16)
    assert not s.deadlines_provisional


def test_an_assignment_recomputes_reply_and_return_dues_after_loading(cast, time_machine):
    time_machine.move_to(dt.datetime(2027, 2, 1, 10, 0))
    s = make(cast, Status.ASSIGNED)
    assert s.return_due == D(2027, 2, 12) and s.reply_due == D(2027, 5, 3) and s.deadlines_provisional
    load_2027()
    s.refresh_from_db()
    assert s.return_due == D(2027, 2, 18)  # 2, 3, 4, 15, 16, 17, 18
    assert s.reply_due == D(2027, 5, 6) and s.due_date == s.reply_due  # 1 May → after Labour Day
    assert not s.deadlines_provisional


def test_an_approved_extension_keeps_its_chosen_date_when_the_year_is_loaded(cast, time_machine):
    from suggestions import services

    time_machine.move_to(dt.datetime(2027, 2, 1, 10, 0))
    s = make(cast, Status.SIGNED)
    services.suggestion_request_extension(
        suggestion=s, actor=cast.unit_officer_a, until=D(2027, 6, 30), reason="需协调资金"
    )
    services.suggestion_decide_extension(suggestion=s, actor=cast.staff_a, approve=True)
    s.refresh_from_db()
    load_2027()
    s.refresh_from_db()
    assert s.reply_due == D(2027, 6, 30) and s.due_date == D(2027, 6, 30)


def test_a_rectification_in_working_days_is_provisional_until_the_year_is_loaded(cast):
    rect = sf.rectification(cast.township_a, cast.unit_a, assigned_on=D(2027, 2, 1), workdays=5)
    assert rect.deadline == D(2027, 2, 10) and rect.deadline_provisional
    load_2027()
    rect.refresh_from_db()
    assert rect.deadline == D(2027, 2, 16) and not rect.deadline_provisional


def test_a_bad_holiday_file_is_refused_and_changes_nothing(db, tmp_path):
    bad = tmp_path / "2027.csv"
    bad.write_text("date,kind,name\n2027-01-01,休,元旦\n2027-13-40,休,春节\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第3行"):
        call_command("load_holidays", str(bad))
    bad.write_text("2027-01-01,放风筝,元旦\n", encoding="utf-8")
    with pytest.raises(CommandError, match="类型"):
        call_command("load_holidays", str(bad))
    assert not HolidayYear.objects.filter(year=2027).exists() and workdays.is_provisional(2027)


def test_reloading_a_year_replaces_its_days(db, tmp_path):
    load_2027()
    fix = tmp_path / "2027.csv"
    fix.write_text("2027-01-01,休,元旦\n2027-01-04,休,元旦（更正）\n", encoding="utf-8")
    call_command("load_holidays", str(fix), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert HolidayDay.objects.filter(date__year=2027).count() == 2
    assert not workdays.is_workday(D(2027, 1, 4)) and workdays.is_workday(D(2027, 2, 8))


def test_the_calendar_is_cached_so_a_deadline_does_not_query_per_day(db, django_assert_max_num_queries):
    workdays.clear_cache()
    with django_assert_max_num_queries(2):
        workdays.add_workdays(D(2025, 1, 1), 500)  # two years of days, two queries


@pytest.mark.parametrize(
    ("today", "shown"),
    [(D(2026, 10, 31), False), (D(2026, 11, 1), True), (D(2026, 12, 20), True)],
)
def test_staff_see_a_banner_from_november_while_next_year_is_missing(
    cast, client, time_machine, today, shown
):
    time_machine.move_to(dt.datetime.combine(today, dt.time(10)))
    client.force_login(cast.staff_a)
    page = client.get(reverse("dashboards:workbench")).content.decode()
    assert ("2027年国务院节假日安排尚未载入" in page) is shown
    if shown:
        load_2027()
        assert (
            "2027年国务院节假日安排尚未载入"
            not in client.get(reverse("dashboards:workbench")).content.decode()
        )


def test_deputies_do_not_see_the_holiday_banner(cast, client, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 1, 10))
    client.force_login(cast.deputy_a.user)
    assert "节假日安排尚未载入" not in client.get("/", follow=True).content.decode()


def test_only_the_superuser_edits_the_holiday_table_in_the_admin(cast, client, admin_user):
    url = reverse("admin:presidium_holidayyear_changelist")
    client.force_login(admin_user)
    assert client.get(url).status_code == 200
    cast.staff_a.is_staff = True
    cast.staff_a.save()
    client.force_login(cast.staff_a)
    assert client.get(url).status_code in (302, 403)


def test_the_item_page_says_the_deadline_is_provisional_until_the_year_is_loaded(cast, client, time_machine):
    time_machine.move_to(dt.datetime(2027, 2, 1, 10, 0))
    s = make(cast, Status.ASSIGNED)
    client.force_login(cast.staff_a)
    url = reverse("suggestions:detail", args=[s.pk])
    assert "暂定" in client.get(url).content.decode()
    load_2027()
    assert "暂定" not in client.get(url).content.decode()
