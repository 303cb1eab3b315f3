import pytest
from django.contrib.staticfiles import finders

from tests.conftest import requires_redis


def test_healthz_reports_database_and_task_mode(db, client, settings):
    response = client.get("/healthz")
    data = response.json()
    assert data["database"] == "ok"
    if not settings.REDIS_URL:
        assert response.status_code == 200
        assert data["celery"].startswith("eager")


def test_healthz_returns_503_when_redis_is_unreachable(db, client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["redis"].startswith("error")


@pytest.mark.parametrize(
    "asset",
    [
        "vendor/bootstrap/css/bootstrap.min.css",
        "vendor/bootstrap/js/bootstrap.bundle.min.js",
        "vendor/htmx/htmx.min.js",
        "vendor/bootstrap-icons/bootstrap-icons.min.css",
        "css/app.css",
    ],
)
def test_front_end_assets_are_installed_and_served_by_the_app(asset):
    assert finders.find(asset), f"{asset} missing: run the setup (npm install from package.json)"


def test_pages_reference_no_external_hosts(cast):
    body = cast.client_for(cast.staff_a).get("/logins/").content.decode()
    assert "账号管理" in body
    for host in ("cdn.", "unpkg", "jsdelivr", "googleapis", "bootcdn"):
        assert host not in body


@requires_redis
def test_healthz_sees_a_live_worker(db, client, celery_worker):
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json()["celery"].startswith("ok")


def test_tests_keep_the_cache_off_the_brokers_redis_database(settings):
    if settings.REDIS_URL:
        assert settings.CACHES["default"]["LOCATION"].endswith("/14")
        assert not settings.REDIS_URL.endswith("/14")
