import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from dashboards import selectors
from tests import factories as f

from .conftest import fill


def test_township_stats_equal_the_apps_figures_for_the_period(cast, fake_sources):
    fill(
        fake_sources,
        cast.township_a,
        suggestions={"received": 12, "assigned": 12, "replied": 9, "completion_rate": 75.0},
        congress={"sessions_held": 2},
        supervision={"activities": 3, "petitions_received": 4},
    )
    client = cast.api_client(township=cast.township_a)
    response = client.get(
        reverse("stats-township", args=[cast.township_a.pk]), {"year": 2024, "period": "h1"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"year": 2024, "period": "h1", "start": "2024-01-01", "end": "2024-06-30"}
    assert body["sections"]["suggestions"] == {
        "received": 12,
        "assigned": 12,
        "replied": 9,
        "completion_rate": 75.0,
    }
    assert body["sections"]["meetings"]["sessions_held"] == 2
    assert body["sections"]["petitions"] == {"petitions_received": 4}
    assert fake_sources["suggestions"].calls[-1] == (
        (cast.township_a.pk,),
        dt.date(2024, 1, 1),
        dt.date(2024, 6, 30),
    )


def test_one_section_of_a_township(cast, fake_sources):
    fill(fake_sources, cast.township_a, deputies={"serving": 48, "dormant": 3})
    client = cast.api_client(township=cast.township_a)
    body = client.get(reverse("stats-township-section", args=[cast.township_a.pk, "deputies"])).json()
    assert body["sections"] == {"deputies": {"serving": 48, "dormant": 3}}
    assert client.get(reverse("stats-township-section", args=[cast.township_a.pk, "nope"])).status_code == 404


def test_county_stats_list_every_township_with_totals(cast, fake_sources):
    a2 = f.TownshipFactory(county=cast.county_a, name="丙镇")
    fill(fake_sources, cast.township_a, suggestions={"received": 12, "assigned": 10, "replied": 10})
    fill(fake_sources, a2, suggestions={"received": 30, "assigned": 30, "replied": 0})
    fill(fake_sources, cast.township_b, suggestions={"received": 1000})
    client = cast.api_client(county=cast.county_a)
    body = client.get(reverse("stats-county", args=[cast.county_a.pk])).json()
    assert [t["name"] for t in body["townships"]] == sorted(
        ["甲镇", "丙镇"], key=lambda n: {"甲镇": cast.township_a.code, "丙镇": a2.code}[n]
    )
    assert body["totals"]["suggestions"]["received"] == 42
    assert body["totals"]["suggestions"]["completion_rate"] == 25.0  # replied 10 of 40 assigned
    section = client.get(reverse("stats-county-section", args=[cast.county_a.pk, "suggestions"])).json()
    assert set(section["totals"]) == {"suggestions"}


def test_stats_api_figures_equal_the_real_apps_selectors(cast):
    """The API repeats every app's township_stats exactly."""
    from suggestions.models import Status
    from tests.suggestions.helpers import make
    from tests.supervision import factories as sf

    sources = selectors.stats_sources()
    for status in (Status.SUBMITTED, Status.SIGNED, Status.CLOSED):
        make(cast, status)
    sf.activity(cast.township_a, start_date=dt.date.today())
    period = selectors.period_for(dt.date.today().year)
    client = cast.client_for(cast.county_staff_a)
    body = client.get(reverse("stats-county", args=[cast.county_a.pk])).json()
    assert {app for app, _flt in selectors.SECTIONS.values()} <= set(sources)  # every section's app
    for section, (app, _flt) in selectors.SECTIONS.items():
        direct = sources[app].township_stats(
            township_ids=[cast.township_a.pk], start=period.start, end=period.end
        )
        api_values = body["townships"][0]["sections"][section]
        for key, value in api_values.items():
            assert direct[cast.township_a.pk].get(key, 0) == value, (section, key)
    suggestions = body["townships"][0]["sections"]["suggestions"]
    assert (suggestions["received"], suggestions["assigned"], suggestions["replied"]) == (3, 2, 1)
    assert body["townships"][0]["sections"]["supervision"]["activities"] == 1


def test_api_key_of_one_township_cannot_read_another_township_or_county(cast, fake_sources):
    fill(fake_sources, cast.township_b, suggestions={"received": 4242})
    client = cast.api_client(township=cast.township_a)
    assert client.get(reverse("stats-township", args=[cast.township_b.pk])).status_code == 404
    assert client.get(reverse("stats-county", args=[cast.county_b.pk])).status_code == 404
    # Its own county's figures show only its township.
    own = client.get(reverse("stats-county", args=[cast.county_a.pk])).json()
    assert [t["id"] for t in own["townships"]] == [cast.township_a.pk]
    assert "4242" not in str(own)


def test_county_key_reads_its_townships_but_not_another_county(cast, fake_sources):
    client = cast.api_client(county=cast.county_a)
    assert client.get(reverse("stats-township", args=[cast.township_a.pk])).status_code == 200
    assert client.get(reverse("stats-township", args=[cast.township_b.pk])).status_code == 404


def test_deputies_and_unit_officers_are_refused_the_stats_api(cast, fake_sources):
    for user in (cast.deputy_a.user, cast.unit_officer_a):
        response = cast.client_for(user).get(reverse("stats-township", args=[cast.township_a.pk]))
        assert response.status_code == 403


def test_anonymous_callers_get_401_or_403(cast):
    response = Client().get(reverse("stats-township", args=[cast.township_a.pk]))
    assert response.status_code in (401, 403)


@pytest.mark.parametrize(
    ("params", "word"), [({"year": "x"}, "年份"), ({"period": "q9"}, "区间"), ({"year": "1800"}, "年份")]
)
def test_bad_period_is_a_400_with_a_chinese_message(cast, fake_sources, params, word):
    client = cast.api_client(township=cast.township_a)
    response = client.get(reverse("stats-township", args=[cast.township_a.pk]), params)
    assert response.status_code == 400
    assert word in response.json()["detail"]


def test_stats_carry_an_etag_and_answer_304_when_unchanged(cast, fake_sources):
    client = cast.api_client(township=cast.township_a)
    url = reverse("stats-township", args=[cast.township_a.pk])
    first = client.get(url)
    assert first["Cache-Control"] == "private, no-cache" and first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    fill(fake_sources, cast.township_a, suggestions={"received": 1})
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_labels_name_every_field_in_chinese(cast, fake_sources):
    body = cast.client_for(cast.staff_a).get(reverse("stats-labels")).json()
    assert body["sections"]["suggestions"]["fields"]["received"] == "收到建议"
    assert body["sections"]["petitions"]["label"] == "信访"


def test_county_stats_query_count_does_not_grow_with_townships(cast, fake_sources, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = cast.api_client(county=cast.county_a)
    url = reverse("stats-county", args=[cast.county_a.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(10):
        f.TownshipFactory(county=cast.county_a, name=f"新镇{i}")
    with django_assert_num_queries(len(few)):
        assert len(client.get(url).json()["townships"]) == 11


def test_suggestion_breakdown_by_category_equals_the_suggestions_selector(cast):
    from suggestions.models import Status
    from suggestions.selectors import stats_breakdown
    from tests.suggestions.helpers import make

    for category in ("道路建设", "道路建设", "水利设施"):
        make(cast, Status.SUBMITTED, category=category)
    make(cast, Status.SUBMITTED, side="b", category="道路建设")  # B's: counted in neither row of A's
    client = cast.api_client(county=cast.county_a)
    body = client.get(
        reverse("stats-township-breakdown", args=[cast.township_a.pk]), {"by": "category"}
    ).json()
    period = selectors.period_for()
    direct = stats_breakdown(township=cast.township_a, start=period.start, end=period.end, by="category")
    assert body["rows"] == [{**r, "key": str(r["key"])} for r in direct]
    assert {r["key"]: r["received"] for r in body["rows"]} == {"道路建设": 2, "水利设施": 1}
    assert client.get(reverse("stats-township-breakdown", args=[cast.township_b.pk])).status_code == 404
    bad = client.get(reverse("stats-township-breakdown", args=[cast.township_a.pk]), {"by": "deputy"})
    assert bad.status_code == 400 and "分组方式无效" in bad.json()["detail"]
