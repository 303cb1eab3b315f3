from django.utils import timezone

from presidium.models import ApiKey
from presidium.services import api_key_create, api_key_revoke


def _get(client, url, raw):
    return client.get(url, HTTP_AUTHORIZATION=f"Api-Key {raw}")


def test_county_key_reads_all_townships_of_its_county_only(cast, client):
    from tests import factories as f

    sibling = f.TownshipFactory(county=cast.county_a, name="甲县另一镇")
    _key, raw = api_key_create(name="县大屏", actor=cast.county_staff_a, county=cast.county_a)
    ids = {t["id"] for t in _get(client, "/api/v1/townships/", raw).json()["results"]}
    assert ids == {cast.township_a.pk, sibling.pk}


def test_api_key_is_read_only(cast, client):
    _key, raw = api_key_create(name="屏", actor=cast.staff_a, township=cast.township_a)
    response = client.post("/api/v1/townships/", {}, HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert response.status_code in (403, 405)


def test_revoked_key_is_refused_and_last_used_is_recorded(cast, client):
    key, raw = api_key_create(name="屏", actor=cast.staff_a, township=cast.township_a)
    assert _get(client, "/api/v1/me/", raw).status_code == 200
    key.refresh_from_db()
    assert key.last_used_at is not None and key.last_used_at <= timezone.now()
    api_key_revoke(key=key, actor=cast.staff_a)
    response = _get(client, "/api/v1/me/", raw)
    assert response.status_code == 401
    assert "吊销" in response.json()["detail"]


def test_bad_key_gets_401_with_a_clear_message(db, client):
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION="Api-Key abc.def")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_only_a_hash_of_the_key_is_stored(cast):
    key, raw = api_key_create(name="屏", actor=cast.staff_a, township=cast.township_a)
    stored = ApiKey.objects.get(pk=key.pk)
    assert raw not in (stored.key_hash, stored.prefix)
    assert stored.key_hash == ApiKey.hash(raw)


def test_staff_cannot_create_a_key_for_another_township(cast):
    import pytest
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        api_key_create(name="x", actor=cast.staff_a, township=cast.township_b)
    assert not ApiKey.objects.exists()


def test_staff_creates_and_revokes_a_key_through_the_page(cast, staff_client):
    response = staff_client.post(
        "/core/api-keys/", {"name": "数据大屏", "township": cast.township_a.pk}, follow=True
    )
    assert "仅显示这一次" in response.content.decode()
    key = ApiKey.objects.get()
    assert key.township == cast.township_a
    staff_client.post(f"/core/api-keys/{key.pk}/revoke/")
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_empty_key_name_is_refused_with_a_message(cast, staff_client):
    response = staff_client.post("/core/api-keys/", {"name": "", "township": cast.township_a.pk})
    assert response.status_code == 200
    assert not ApiKey.objects.exists()


def test_openapi_schema_and_offline_docs_are_served(db, client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"openapi" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower() and "unpkg" not in docs.lower()


def test_api_is_throttled(cast, client, settings):
    from rest_framework.settings import api_settings

    _key, raw = api_key_create(name="屏", actor=cast.staff_a, township=cast.township_a)
    old = api_settings.DEFAULT_THROTTLE_RATES.copy()
    api_settings.DEFAULT_THROTTLE_RATES["apikey"] = "3/min"
    try:
        codes = [_get(client, "/api/v1/me/", raw).status_code for _ in range(5)]
    finally:
        api_settings.DEFAULT_THROTTLE_RATES.update(old)
    assert codes[:3] == [200, 200, 200] and codes[-1] == 429
