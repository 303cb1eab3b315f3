"""Years: the selector offers every year with data plus the current one; a record counts in the year
of its own date; open items of earlier years carry over and say so."""

import datetime as dt

from django.urls import reverse

from presidium.selectors import selectable_years
from suggestions.models import Status, Suggestion
from supervision import services as supervision_services
from supervision.models import ActivityKind
from tests.congress import factories as cf
from tests.suggestions.helpers import make
from tests.supervision import factories as sf


def test_the_year_selector_lists_every_year_with_data_and_the_current_one(cast, time_machine):
    time_machine.move_to(dt.datetime(2019, 4, 2, 10))
    make(cast, Status.SUBMITTED, title="二〇一九年的建议")
    time_machine.move_to(dt.datetime(2026, 12, 1, 10))
    cf.session(cast.township_a, start_date=dt.date(2027, 1, 12))  # planned for next year
    sf.activity(cast.township_b, start_date=dt.date(2012, 5, 1))  # another township's year
    assert selectable_years(cast.staff_a) == [2027, 2026, 2019]
    page = cast.client_for(cast.staff_a).get(reverse("suggestions:list")).content.decode()
    assert "<option>2019</option>" in page and "<option>2012</option>" not in page


def test_the_year_selector_costs_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    for year in (2018, 2020, 2022):
        sf.activity(cast.township_a, start_date=dt.date(year, 3, 1))
    with django_assert_max_num_queries(1):
        years = selectable_years(cast.staff_a)
    assert {2018, 2020, 2022} <= set(years)


def test_an_open_item_of_last_year_carries_over_and_shows_as_carried_over(cast, time_machine):
    time_machine.move_to(dt.datetime(2025, 11, 20, 10))
    open_item = make(cast, Status.ASSIGNED, title="去年未办结的建议")
    make(cast, Status.CLOSED, title="去年已办结的建议")
    time_machine.move_to(dt.datetime(2026, 2, 3, 10))
    this_year = make(cast, Status.SUBMITTED, title="今年的建议")
    client = cast.client_for(cast.staff_a)
    page = client.get(reverse("suggestions:list"), {"year": "2026"}).content.decode()
    assert "去年未办结的建议" in page and "2025年结转" in page and "今年的建议" in page
    assert "去年已办结的建议" not in page
    last_year = client.get(reverse("suggestions:list"), {"year": "2025"}).content.decode()
    assert "去年未办结的建议" in last_year and "结转" not in last_year and "今年的建议" not in last_year
    # Counted in its own year: the carried-over item keeps 2025.
    assert Suggestion.objects.get(pk=open_item.pk).year == 2025 and this_year.submitted_at.year == 2026


def test_a_rectification_from_closing_an_appraisal_takes_the_appraisals_date(cast, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 1, 10))
    sf.serving_deputies(cast.township_a, 10)
    act = sf.activity(
        cast.township_a, kind=ActivityKind.APPRAISAL, topic="评议站所工作", start_date=dt.date(2026, 6, 10)
    )
    appraisal = supervision_services.appraisal_create(
        activity=act, actor=cast.staff_a, targets=[(cast.unit_a, "", "述职报告")], low_score_threshold=80
    )
    target = appraisal.targets.get()
    supervision_services.appraisal_enter_paper(
        appraisal=appraisal, actor=cast.staff_a, counts={target.pk: (2, 2, 6)}
    )
    (rect,) = supervision_services.appraisal_close(appraisal=appraisal, actor=cast.staff_a)
    assert rect.assigned_on == dt.date(2026, 6, 10)
    assert rect.deadline == dt.date(2026, 7, 9)  # 20 working days (Dragon Boat holiday 19 June off)
