"""The summary refresh through Redis and a real Celery worker process that shares the test
database (PostgreSQL with REDIS_URL; skipped otherwise)."""

import pytest

from dashboards import selectors, tasks
from dashboards.models import TownshipFigures
from suggestions.models import Status
from tests.conftest import requires_redis

pytestmark = [requires_redis, pytest.mark.worker]


def test_a_real_worker_refreshes_the_summary_table_with_the_apps_figures(
    celery_worker, transactional_db, cast
):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the worker process shares the test database only on PostgreSQL")
    from tests.suggestions.helpers import make

    township = cast.township_a
    for status in (Status.SUBMITTED, Status.CLOSED):
        make(cast, status)
    written = tasks.refresh_figures.delay(township_ids=[township.pk]).get(timeout=120)
    assert written == TownshipFigures.objects.filter(township=township).count() > 0
    period = selectors.period_for()
    row = TownshipFigures.objects.get(
        township=township, app="suggestions", start=period.start, end=period.end
    )
    live = selectors.stats_sources()["suggestions"].township_stats(
        township_ids=[township.pk], start=period.start, end=period.end
    )
    assert row.values == live[township.pk] and row.values["received"] == 2


def test_a_committed_write_gets_its_township_refreshed_by_the_worker(
    celery_worker, transactional_db, settings
):
    """On commit the township is marked changed and one refresh is queued; the worker recounts it."""
    import time

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the worker process shares the test database only on PostgreSQL")
    from dashboards.models import FiguresChange
    from suggestions import services as suggestion_services
    from tests import factories as f

    settings.FIGURES_SNAPSHOTS = True
    settings.FIGURES_REFRESH_DELAY = 1
    deputy = f.deputy_with_login(f.TownshipFactory())
    township = deputy.township
    suggestion_services.suggestion_create_by_deputy(
        deputy=deputy, actor=deputy.user, title="修路", content="坑洼。", submit=True
    )
    changed = FiguresChange.objects.get(township=township).changed_at
    period = selectors.period_for()
    deadline = time.monotonic() + 90
    row = None
    while time.monotonic() < deadline:
        row = TownshipFigures.objects.filter(
            township=township, app="suggestions", start=period.start, end=period.end, computed_at__gt=changed
        ).first()
        if row is not None:
            break
        time.sleep(0.5)
    assert row is not None and row.values["received"] == 1
    meta = {}
    selectors.figures(township_ids=[township.pk], period=period, sections=["suggestions"], meta=meta)
    assert meta["as_of"] is not None  # served from the refreshed row again
    celery_worker.wait_idle()  # the refresh may go on with other sections; let it finish first
