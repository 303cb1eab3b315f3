"""Schemathesis against the OpenAPI schema, in-process through the WSGI app, with an API key:
whatever the generated path ids, years, periods and filters, the stats API never answers 5xx."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from presidium.services import api_key_create

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
stats = schema.include(path_regex=r"^/api/v1/stats/")


@pytest.fixture
def api_headers(cast):
    from django.core import signals
    from django.db import close_old_connections

    # Calling the WSGI app directly fires request_finished, which would close the test's database
    # connection (and its transaction) on PostgreSQL; Django's own test client unhooks it the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    _key, raw = api_key_create(name="fuzz", actor=cast.county_staff_a, county=cast.county_a)
    yield {"Authorization": f"Api-Key {raw}"}
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_every_stats_operation_is_in_the_schema():
    paths = {op.path for op in (r.ok() for r in stats.get_all_operations())}
    assert {
        "/api/v1/stats/counties/{id}/",
        "/api/v1/stats/townships/{id}/{section}/",
        "/api/v1/stats/suggestions/",
        "/api/v1/stats/activities/",
        "/api/v1/stats/labels/",
    } <= paths


@stats.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_stats_api_finds_no_server_errors(case, api_headers, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    response = case.call(headers=api_headers)
    assert response.status_code < 500, (case.path, case.path_parameters, case.query, response.text[:300])
    if response.status_code == 200:
        assert response.json() is not None
