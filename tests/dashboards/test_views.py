import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from suggestions.models import Status
from tests import factories as f
from tests.suggestions.helpers import copies, make, make_on

from .conftest import fill


def test_township_staff_land_on_their_workbench(cast):
    response = cast.client_for(cast.staff_a).get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("dashboards:workbench")


def test_county_staff_land_on_the_county_dashboard(cast):
    response = cast.client_for(cast.county_staff_a).get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("dashboards:county")


def test_workbench_counts_what_needs_action_today_in_own_township_only(cast, fake_sources):
    """Every item is brought to its state through the workflow on the day named; due dates are the
    county rules' (5 working days to assign, 3 months to reply) from that day."""
    today = dt.date(2025, 6, 16)  # a Monday
    make_on(cast, Status.SUBMITTED, today)  # to accept; assignment due next Monday: this week
    make_on(cast, Status.ACCEPTED, today)  # to assign; due next Monday: this week
    make_on(cast, Status.SIGNED, dt.date(2025, 3, 19))  # reply due Thursday 19 June: this week
    make_on(cast, Status.SIGNED, dt.date(2025, 3, 10))  # reply was due 10 June: overdue
    make_on(cast, Status.ASSIGNED, dt.date(2025, 1, 10))  # never signed for; due 10 April: overdue
    make_on(cast, Status.REPLIED, dt.date(2025, 1, 10))  # awaits the deputy's rating
    make_on(cast, Status.CLOSED, dt.date(2025, 1, 10))  # closed: nothing to do, never overdue
    for status in (Status.SUBMITTED, Status.REPLIED):
        make_on(cast, status, dt.date(2025, 1, 10), side="b")
    with time_machine.travel(dt.datetime(2025, 6, 16, 9, tzinfo=dt.UTC), tick=False):
        response = cast.client_for(cast.staff_a).get(reverse("dashboards:workbench"))
    assert response.status_code == 200
    counts = {a["item"].key: a["item"].count for a in response.context["actions"]}
    assert counts["intake"] == 1
    assert counts["assign"] == 1
    assert counts["due_week"] == 3
    assert counts["overdue"] == 2
    assert counts["rating"] == 1
    assert counts["extension"] == 0
    assert cast.township_b.name not in response.content.decode()


def test_workbench_shows_this_years_figures_from_the_apps(cast, fake_sources):
    fill(fake_sources, cast.township_a, suggestions={"received": 41})
    fill(fake_sources, cast.township_b, suggestions={"received": 999})
    response = cast.client_for(cast.staff_a).get(reverse("dashboards:workbench"))
    cards = {c["section"]: dict(c["figures"]) for c in response.context["cards"]}
    assert cards["suggestions"]["收到建议"] == "41"
    assert "<svg" in response.content.decode()  # the quarterly trend, inline


def test_workbench_query_count_does_not_grow_with_suggestions(cast, fake_sources, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = cast.client_for(cast.staff_a)
    client.get(reverse("dashboards:workbench"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("dashboards:workbench"))
    copies(make(cast, Status.SIGNED), 30)
    with django_assert_num_queries(len(few)):
        assert client.get(reverse("dashboards:workbench")).status_code == 200
    assert len(few) <= 20


def test_county_dashboard_lists_own_county_townships_side_by_side_sorted(cast, fake_sources):
    a2 = f.TownshipFactory(county=cast.county_a, name="丙镇")
    fill(
        fake_sources,
        cast.township_a,
        suggestions={"received": 5, "assigned": 5, "replied": 5, "completion_rate": 100.0},
    )
    fill(fake_sources, a2, suggestions={"received": 9, "assigned": 6, "replied": 3, "completion_rate": 50.0})
    fill(fake_sources, cast.township_b, suggestions={"received": 77})
    client = cast.client_for(cast.county_staff_a)
    response = client.get(reverse("dashboards:county"), {"sort": "completion_rate", "year": 2024})
    assert response.status_code == 200
    names = [r["row"].township.name for r in response.context["rows"]]
    assert names == ["甲镇", "丙镇"]
    body = response.content.decode()
    assert "乙镇" not in body and "<svg" in body
    assert response.context["total_cells"] == ["14", "11", "8", f"{100 * 8 / 11:.1f}"]  # replied/assigned
    ascending = client.get(reverse("dashboards:county"), {"sort": "received", "dir": "asc"})
    assert [r["row"].township.name for r in ascending.context["rows"]] == ["甲镇", "丙镇"]


def test_county_dashboard_shows_each_section_as_a_tab(cast, fake_sources):
    fill(fake_sources, cast.township_a, supervision={"activities": 4, "petitions_received": 2})
    client = cast.client_for(cast.county_staff_a)
    response = client.get(reverse("dashboards:county"), {"section": "petitions"})
    assert [c["key"] for c in response.context["columns"]] == ["petitions_received"]
    assert response.context["rows"][0]["cells"] == ["2"]


def test_county_dashboard_bad_year_shows_a_message_and_this_year(cast, fake_sources):
    response = cast.client_for(cast.county_staff_a).get(reverse("dashboards:county"), {"year": "20x4"})
    assert response.status_code == 200
    assert response.context["period"].year == dt.date.today().year
    assert "年份须为数字" in response.content.decode()


def test_county_dashboard_query_count_does_not_grow_with_townships(
    cast, fake_sources, django_assert_num_queries
):
    client = cast.client_for(cast.county_staff_a)
    client.get(reverse("dashboards:county"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("dashboards:county"))
    for i in range(8):
        f.TownshipFactory(county=cast.county_a, name=f"新镇{i}")
    with django_assert_num_queries(len(few)):
        assert client.get(reverse("dashboards:county")).status_code == 200


def test_county_export_is_an_excel_workbook_with_every_section(cast, fake_sources):
    fill(fake_sources, cast.township_a, suggestions={"received": 12}, deputies={"serving": 50})
    fill(fake_sources, cast.township_b, suggestions={"received": 99})
    response = cast.client_for(cast.county_staff_a).get(reverse("dashboards:county_export"), {"year": 2024})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["代表建议", "代表履职", "会议", "监督活动", "信访"]
    rows = list(wb["代表建议"].iter_rows(values_only=True))
    assert rows[1][:3] == ("乡镇(街道)", "代码", "收到建议")
    assert rows[2][0] == "甲镇" and rows[2][2] == 12
    assert all("乙镇" not in str(r) for r in rows)
    assert list(wb["代表履职"].iter_rows(values_only=True))[2][2] == 50


def test_county_staff_drill_down_into_a_township_read_only(cast, fake_sources):
    fill(fake_sources, cast.township_a, suggestions={"received": 7})
    response = cast.client_for(cast.county_staff_a).get(
        reverse("dashboards:township", args=[cast.township_a.pk])
    )
    assert response.status_code == 200
    cards = {c["section"]: dict(c["figures"]) for c in response.context["cards"]}
    assert cards["suggestions"]["收到建议"] == "7"
    assert '<form method="post"' not in response.content.decode().split("<footer")[0].split("</nav>", 1)[1]


@pytest.mark.parametrize("who", ["county_staff_a", "staff_a", "county_staff_b"])
def test_drill_down_into_another_countys_township_is_not_found(cast, fake_sources, who):
    other = f.TownshipFactory(county=cast.county_b) if who == "county_staff_b" else cast.township_b
    if who == "county_staff_b":
        other = cast.township_a
    response = cast.client_for(getattr(cast, who)).get(reverse("dashboards:township", args=[other.pk]))
    assert response.status_code == 404


def test_deputies_and_units_are_refused_the_dashboards(cast, fake_sources):
    for user in (cast.deputy_a.user, cast.unit_officer_a):
        client = cast.client_for(user)
        assert client.get(reverse("dashboards:county")).status_code == 403
        assert client.get(reverse("dashboards:workbench")).status_code == 403


@pytest.mark.parametrize("route", ["dashboards:county_export", "dashboards:township"])
def test_export_and_drill_down_query_counts_do_not_grow_with_townships_or_rows(
    cast, fake_sources, route, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = cast.client_for(cast.county_staff_a)
    url = reverse(route, args=[cast.township_a.pk] if route == "dashboards:township" else None)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(6):
        f.TownshipFactory(county=cast.county_a, name=f"新镇{i}")
        make(cast, Status.SIGNED)
    with django_assert_num_queries(len(few)):
        assert client.get(url).status_code == 200


def test_drill_down_breaks_suggestions_down_by_category_and_unit(cast):
    for category in ("道路建设", "道路建设", "水利设施"):
        make(cast, Status.SIGNED, category=category)
    response = cast.client_for(cast.county_staff_a).get(
        reverse("dashboards:township", args=[cast.township_a.pk])
    )
    by = {b["label"]: {r["key"]: r["cells"][0] for r in b["rows"]} for b in response.context["breakdowns"]}
    assert by["按分类"] == {"道路建设": "2", "水利设施": "1"}
    assert by["按主办单位"] == {"甲财政所": "3"}


def test_the_workbench_asks_for_a_presidium_meeting_by_the_congress_rule(cast):
    from congress.models import PresidiumMeeting
    from congress.selectors import meeting_period
    from dashboards.selectors import township_actions
    from tests.congress import factories as cf

    today = dt.date(2025, 6, 20)
    # Held on the last day of the first quarter: the old rolling window ("a meeting in the last
    # three months") saw it and asked for nothing, though the second quarter had no meeting.
    cf.meeting(cast.township_a, date=dt.date(2025, 3, 31), status=PresidiumMeeting.Status.HELD)
    assert meeting_period(today, cast.township_a.rules.presidium_meeting_interval_months)[0] == dt.date(
        2025, 4, 1
    )
    counts = {a.key: a.count for a in township_actions(township=cast.township_a, today=today)}
    assert counts["presidium_meeting"] == 1
    cf.meeting(cast.township_a, date=dt.date(2025, 6, 10), status=PresidiumMeeting.Status.HELD)
    counts = {a.key: a.count for a in township_actions(township=cast.township_a, today=today)}
    assert counts["presidium_meeting"] == 0
