"""Each API key and each logged-in user has its own rate-limit bucket: one busy client never locks
another township, the county or a colleague out."""

import pytest
from rest_framework.settings import api_settings

from presidium.services import api_key_create


@pytest.fixture
def low_rates():
    old = api_settings.DEFAULT_THROTTLE_RATES.copy()
    api_settings.DEFAULT_THROTTLE_RATES.update({"apikey": "5/min", "user": "5/min", "anon": "5/min"})
    yield
    api_settings.DEFAULT_THROTTLE_RATES.clear()
    api_settings.DEFAULT_THROTTLE_RATES.update(old)


def _get(client, raw):
    return client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Api-Key {raw}")


def test_one_keys_exhausted_bucket_leaves_other_keys_untouched(cast, client, low_rates):
    _a, raw_a = api_key_create(name="甲镇大屏", actor=cast.staff_a, township=cast.township_a)
    _b, raw_b = api_key_create(name="乙镇大屏", actor=cast.staff_b, township=cast.township_b)
    _c, raw_county = api_key_create(name="县大屏", actor=cast.county_staff_a, county=cast.county_a)
    codes = [_get(client, raw_a).status_code for _ in range(8)]
    assert codes[:5] == [200] * 5 and codes[-1] == 429
    assert _get(client, raw_b).status_code == 200
    assert _get(client, raw_county).status_code == 200


def test_session_users_are_throttled_each_on_their_own(cast, low_rates):
    staff, county = cast.client_for(cast.staff_a), cast.client_for(cast.county_staff_a)
    codes = [staff.get("/api/v1/me/").status_code for _ in range(8)]
    assert codes[:5] == [200] * 5 and codes[-1] == 429
    assert county.get("/api/v1/me/").status_code == 200


def test_a_busy_key_does_not_use_up_a_logged_in_users_bucket(cast, client, low_rates):
    _a, raw_a = api_key_create(name="甲镇大屏", actor=cast.staff_a, township=cast.township_a)
    for _ in range(8):
        _get(client, raw_a)
    assert cast.client_for(cast.staff_a).get("/api/v1/me/").status_code == 200
