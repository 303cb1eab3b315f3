import pytest

from presidium.services import api_key_create
from supervision import services

from . import factories as sf

pytestmark = pytest.mark.django_db


def test_api_key_of_township_a_lists_only_its_activities_with_counted_figures(cast, client):
    act = sf.activity(cast.township_a, topic="甲镇视察")
    services.finding_add(
        activity=act, kind="problem", content="问题", actor=cast.staff_a, forward_to=cast.unit_a
    )
    sf.activity(cast.township_b, topic="乙镇视察")
    _key, raw = api_key_create(name="屏", actor=cast.staff_a, township=cast.township_a)
    data = client.get("/api/v1/supervision/activities/", HTTP_AUTHORIZATION=f"Api-Key {raw}").json()
    assert [(r["topic"], r["problems"], r["forwarded"]) for r in data["results"]] == [("甲镇视察", 1, 1)]


def test_unit_officer_reads_only_own_rectifications_over_the_api(cast, client):
    mine = sf.rectification(cast.township_a, cast.unit_a, title="我的")
    other = sf.rectification(cast.township_a, cast.unit_a2, title="别人的")
    client.force_login(cast.unit_officer_a)
    data = client.get("/api/v1/supervision/rectifications/").json()
    assert [r["id"] for r in data["results"]] == [mine.pk]
    assert client.get(f"/api/v1/supervision/rectifications/{other.pk}/").status_code == 404


def test_deputy_gets_no_rectifications_over_the_api(cast, client):
    sf.rectification(cast.township_a, cast.unit_a)
    client.force_login(cast.deputy_a.user)
    assert client.get("/api/v1/supervision/rectifications/").json()["count"] == 0


def test_activity_api_query_count_does_not_grow(cast, client, django_assert_max_num_queries):
    client.force_login(cast.county_staff_a)
    for i in range(2):
        sf.activity(cast.township_a, topic=f"视察{i}")
    with django_assert_max_num_queries(10) as small:
        client.get("/api/v1/supervision/activities/")
    for i in range(15):
        sf.activity(cast.township_a, topic=f"更多{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/api/v1/supervision/activities/").json()["count"] == 17
