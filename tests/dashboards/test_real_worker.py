"""The summary refresh through Redis and a real Celery worker process that shares the test
database (PostgreSQL with REDIS_URL; skipped otherwise)."""

import pytest
from django.utils import timezone

from dashboards import selectors, tasks
from dashboards.models import TownshipFigures
from suggestions.models import Status, Suggestion
from tests.conftest import requires_redis

pytestmark = [requires_redis, pytest.mark.worker]


def test_a_real_worker_refreshes_the_summary_table_with_the_apps_figures(celery_worker, transactional_db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the worker process shares the test database only on PostgreSQL")
    from tests import factories as f

    township = f.TownshipFactory()
    now = timezone.now()
    for status in (Status.SUBMITTED, Status.CLOSED):
        Suggestion.objects.create(
            township=township,
            title="修路",
            content="x",
            status=status,
            submitted_at=now,
            assigned_at=now,
            replied_at=now if status == Status.CLOSED else None,
        )
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
