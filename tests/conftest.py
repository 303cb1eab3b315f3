"""Shared fixtures: the standard cast for permission tests and helpers for real-stack tests."""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client

from presidium.models import Role

from . import factories as f


def pytest_configure(config):
    from django.conf import settings

    # Hashing with PBKDF2 dominates a permission-heavy suite; tests don't need its strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The dashboards' summary table (on by default with REDIS_URL) is off unless a test is about it:
    # figures are then computed live and no write queues a refresh task to the broker.
    settings.FIGURES_SNAPSHOTS = False
    # Tests clear the cache before each test; keep it off the broker's Redis database so that
    # clearing it never drops queued Celery messages of a real-worker test.
    if settings.REDIS_URL:
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(settings.REDIS_URL)
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": urlunsplit(parts._replace(path="/14")),
            }
        }


@dataclass
class Cast:
    """Township A and township B in different counties, with one user per role in A (and B's staff),
    a second deputy and a second unit (with its officer) in A, and API keys made on demand."""

    county_a: object
    county_b: object
    township_a: object
    township_b: object
    unit_a: object
    unit_a2: object
    unit_b: object
    staff_a: object
    staff_b: object
    deputy_a: object  # the Deputy record; its login is deputy_a.user
    deputy_a2: object
    deputy_b: object
    unit_officer_a: object
    unit_officer_a2: object
    unit_officer_b: object
    county_staff_a: object
    county_staff_b: object

    def users(self):
        return {
            "staff_a": self.staff_a,
            "deputy_a": self.deputy_a.user,
            "unit_a": self.unit_officer_a,
            "county_a": self.county_staff_a,
        }

    def peers(self):
        """Township A's second deputy and the officer of its second unit: same township, but not
        the first deputy's or the first unit's private items."""
        return {"deputy_a2": self.deputy_a2.user, "unit_a2": self.unit_officer_a2}

    def client_for(self, user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    def api_client(self, *, township=None, county=None) -> Client:
        """A REST client holding a fresh read-only key of ``township`` or ``county``."""
        from presidium.services import api_key_create

        actor = self.staff_a if township else self.county_staff_a
        _key, raw = api_key_create(name="甲屏", actor=actor, township=township, county=county)
        return Client(HTTP_AUTHORIZATION=f"Api-Key {raw}")

    def client_as(self, principal: str) -> Client:
        """A client for a principal of the isolation matrix (tests/isolation.py ``PRINCIPALS``)."""
        if principal == "anonymous":
            return Client()
        if principal == "api_a":
            return self.api_client(township=self.township_a)
        if principal == "api_county_a":
            return self.api_client(county=self.county_a)
        return self.client_for({**self.users(), **self.peers()}[principal])


@pytest.fixture
def cast(db):
    county_a = f.CountyFactory(name="甲县")
    county_b = f.CountyFactory(name="乙县")
    township_a = f.TownshipFactory(county=county_a, name="甲镇")
    township_b = f.TownshipFactory(county=county_b, name="乙镇")
    unit_a = f.HandlingUnitFactory(township=township_a, name="甲财政所")
    unit_a2 = f.HandlingUnitFactory(township=township_a, name="甲派出所")
    unit_b = f.HandlingUnitFactory(township=township_b, name="乙财政所")
    return Cast(
        county_a=county_a,
        county_b=county_b,
        township_a=township_a,
        township_b=township_b,
        unit_a=unit_a,
        unit_a2=unit_a2,
        unit_b=unit_b,
        staff_a=f.UserFactory(role=Role.STAFF, township=township_a, full_name="甲镇人大秘书"),
        staff_b=f.UserFactory(role=Role.STAFF, township=township_b, full_name="乙镇人大秘书"),
        deputy_a=f.deputy_with_login(township_a),
        deputy_a2=f.deputy_with_login(township_a),
        deputy_b=f.deputy_with_login(township_b),
        unit_officer_a=f.UserFactory(role=Role.UNIT, unit=unit_a),
        unit_officer_a2=f.UserFactory(role=Role.UNIT, unit=unit_a2),
        unit_officer_b=f.UserFactory(role=Role.UNIT, unit=unit_b),
        county_staff_a=f.UserFactory(role=Role.COUNTY, county=county_a),
        county_staff_b=f.UserFactory(role=Role.COUNTY, county=county_b),
    )


@pytest.fixture
def staff_client(cast):
    return cast.client_for(cast.staff_a)


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from presidium import workdays

    cache.clear()
    workdays.clear_cache()  # a holiday year loaded by one test is rolled back with its database
    yield


def redis_url() -> str:
    return os.environ.get("REDIS_URL", "")


requires_redis = pytest.mark.skipif(
    not redis_url(), reason="REDIS_URL is not set: the real-worker test runs in CI against Redis"
)


class WorkerProcess:
    """A real ``celery worker`` subprocess consuming a private queue on Redis and using the test
    database (so tasks see rows committed by ``transactional_db`` tests on PostgreSQL)."""

    def __init__(self, queue: str, database_url: str):
        import uuid

        self.queue = queue
        self.database_url = database_url
        self.name = f"test-{uuid.uuid4().hex[:8]}@localhost"
        self.proc = None

    def start(self, timeout: float = 60):
        import subprocess
        import sys
        import time
        from pathlib import Path

        from presidium.celery import app

        env = dict(os.environ, CELERY_QUEUE=self.queue, REDIS_URL=redis_url(), DEBUG="1")
        # On SQLite the test database lives in memory: the worker then uses its own database
        # (tasks that must see the test's rows run on PostgreSQL).
        env.pop("DATABASE_URL", None)
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        root = Path(__file__).resolve().parents[1]
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "presidium",
                "worker",
                "-Q",
                self.queue,
                "--pool=solo",
                "-n",
                self.name,
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
            ],
            cwd=root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("celery worker exited during start-up")
            if app.control.ping(destination=[self.name], timeout=0.5):
                return self
            time.sleep(0.3)
        self.stop()
        raise RuntimeError("celery worker did not answer within the time limit")

    def wait_idle(self, timeout: float = 60):
        """Wait until the worker holds no task (running, reserved or scheduled with a countdown),
        so the test database can be flushed without racing the worker's own transactions."""
        import time

        from presidium.celery import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            inspect = app.control.inspect(destination=[self.name], timeout=1)
            busy = False
            for state in (inspect.active(), inspect.reserved(), inspect.scheduled()):
                if (state or {}).get(self.name):
                    busy = True
            if not busy:
                return
            time.sleep(0.3)

    def stop(self, kill: bool = False):
        import signal

        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except Exception:
                self.proc.kill()
        self.proc = None


def _test_database_url():
    from django.db import connection

    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return ""
    return (
        f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    )


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A real worker on Redis for the whole session (skipped without REDIS_URL)."""
    import uuid

    if not redis_url():
        pytest.skip("REDIS_URL is not set: the real-worker tests run in CI against Redis")
    from presidium.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    app.conf.task_always_eager = False
    with django_db_blocker.unblock():
        db_url = _test_database_url()
    worker = WorkerProcess(queue, db_url).start()
    yield worker
    worker.stop()
    app.conf.task_default_queue = previous


CHROMIUM = "/usr/bin/chromium"  # Debian's chromium, installed by scripts/setup.sh
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture
def browser(monkeypatch):
    """Debian's chromium driven by Playwright (never a browser Playwright downloads itself)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (scripts/setup.sh installs it as root)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
    # body are still synchronous. Scoped to browser tests so it never leaks into other processes.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()
