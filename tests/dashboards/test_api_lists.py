import datetime as dt

import pytest
from django.urls import reverse

from suggestions.models import Status, Suggestion
from tests.suggestions.helpers import copies, make, make_on
from tests.supervision import factories as sf


def test_suggestion_list_shows_only_the_keys_township(cast):
    make(cast, Status.SIGNED, title="甲镇修桥")
    make(cast, Status.SIGNED, side="b", title="乙镇修桥机密")
    body = cast.api_client(township=cast.township_a).get(reverse("stats-suggestions")).json()
    assert [r["title"] for r in body["results"]] == ["甲镇修桥"]
    assert body["count"] == 1


def test_suggestion_list_filters_by_status_category_overdue_and_year(cast):
    today = dt.date.today()
    # Assigned 4 months ago: the 3-month reply is overdue; assigned today: due in 3 months.
    make_on(cast, Status.SIGNED, today - dt.timedelta(days=122), title="逾期", category="道路建设")
    make(cast, Status.SIGNED, title="按期", category="水利设施")
    make_on(cast, Status.CLOSED, dt.date(2024, 5, 6), title="已办结", category="道路建设")
    client = cast.api_client(county=cast.county_a)
    url = reverse("stats-suggestions")

    def titles(**params):
        return sorted(r["title"] for r in client.get(url, params).json()["results"])

    assert titles(overdue="true") == ["逾期"]
    assert titles(category="道路建设") == ["已办结", "逾期"]
    assert titles(status="closed") == ["已办结"]
    assert titles(year=2024) == ["已办结"]
    assert titles(township=cast.township_b.pk) == []  # outside the key's scope: nothing, not an error
    row = client.get(url, {"overdue": "true"}).json()["results"][0]
    assert row["overdue"] is True and row["township"] == "甲镇" and row["status"] == "signed"


@pytest.mark.parametrize("params", [{"year": "abc"}, {"year": "99999"}, {"unit": "x"}, {"township": "-1"}])
def test_bad_list_filters_are_a_400_with_a_chinese_message(cast, params):
    response = cast.api_client(county=cast.county_a).get(reverse("stats-suggestions"), params)
    assert response.status_code == 400
    assert "须" in response.json()["detail"]


def test_suggestion_list_pages_50_rows_with_a_constant_query_count(cast, django_assert_max_num_queries):
    unit = cast.unit_a
    copies(make(cast, Status.SIGNED), 119, title="建议{i}")
    client = cast.api_client(township=cast.township_a)
    with django_assert_max_num_queries(5):  # key lookup, key touch, count, page
        body = client.get(reverse("stats-suggestions")).json()
    assert body["count"] == 120 and len(body["results"]) == 50 and body["next"]
    assert body["results"][0]["lead_unit"] == unit.name


def test_activity_list_is_scoped_and_filterable(cast):
    sf.activity(cast.township_a, topic="甲镇道路视察")
    sf.activity(cast.township_a, kind="law_enforcement", topic="甲镇土地执法检查")
    sf.activity(cast.township_b, topic="乙镇机密视察")
    client = cast.api_client(county=cast.county_a)
    body = client.get(reverse("stats-activities")).json()
    assert sorted(r["topic"] for r in body["results"]) == ["甲镇土地执法检查", "甲镇道路视察"]
    only = client.get(reverse("stats-activities"), {"kind": "law_enforcement"}).json()["results"]
    assert [r["topic"] for r in only] == ["甲镇土地执法检查"]
    assert only[0]["law_checked"]


def test_activity_list_query_count_does_not_grow_with_rows(cast, django_assert_max_num_queries):
    for i in range(12):
        sf.activity(cast.township_a, topic=f"视察{i}")
    client = cast.api_client(township=cast.township_a)
    with django_assert_max_num_queries(5):
        assert len(client.get(reverse("stats-activities")).json()["results"]) == 12


def test_deputies_cannot_use_the_lists(cast):
    assert cast.client_for(cast.deputy_a.user).get(reverse("stats-suggestions")).status_code == 403


def test_suggestion_rows_have_exactly_the_documented_fields(cast):
    from suggestions.api import SuggestionRowSerializer

    make(cast, Status.SIGNED, title="甲镇修桥")
    row = cast.api_client(township=cast.township_a).get(reverse("stats-suggestions")).json()["results"][0]
    assert set(row) == set(SuggestionRowSerializer().fields)
    assert row["status_label"] == "办理中" and row["lead_unit"] == "甲财政所" and row["overdue"] is False


def test_activity_rows_count_findings_and_participants(cast):
    from supervision.api import ActivityRowSerializer

    act = sf.activity(cast.township_a, topic="甲镇道路视察")
    sf.finding(cast.township_a, act=act)
    sf.finding(cast.township_a, act=act)
    sf.finding(cast.township_a, act=act, kind="opinion", content="建议加装护栏")
    row = cast.api_client(township=cast.township_a).get(reverse("stats-activities")).json()["results"][0]
    assert set(row) == set(ActivityRowSerializer().fields)
    assert (row["problems"], row["opinions"], row["participant_count"]) == (2, 1, 0)
    assert row["kind_label"] == "视察" and row["start_date"] == "2024-05-10"


def test_suggestion_list_next_links_walk_every_row_once_across_equal_timestamps(cast):
    """Keyset links keep the response shape (count, next, previous, results); rows received in the
    same instant are neither skipped nor repeated at a page boundary; ``page=N`` still works."""
    from django.utils import timezone

    same = timezone.now()
    copies(make(cast, Status.SIGNED, title="第123条"), 122, title="第{i:03d}条")
    Suggestion.objects.update(created_at=same)  # all received in the same instant
    client = cast.api_client(county=cast.county_a)
    url = reverse("stats-suggestions")
    body = client.get(url).json()
    assert set(body) == {"count", "next", "previous", "results"} and body["count"] == 123
    seen, pages = [], []
    while True:
        pages.append(len(body["results"]))
        seen += [r["id"] for r in body["results"]]
        if not body["next"]:
            break
        assert "after=" in body["next"] and "page=" not in body["next"]
        body = client.get(body["next"]).json()
    assert pages == [50, 50, 23] and len(seen) == len(set(seen)) == 123
    assert seen == sorted(seen, reverse=True)  # equal timestamps: newest id first
    last = client.get(url, {"last": "1"}).json()
    assert [r["id"] for r in last["results"]] == seen[100:] and last["next"] is None
    back = client.get(last["previous"]).json()
    assert [r["id"] for r in back["results"]] == seen[50:100]
    by_number = client.get(url, {"page": "3"}).json()
    assert [r["id"] for r in by_number["results"]] == seen[100:]
