import datetime as dt

import pytest
from django.utils import timezone

from dashboards import selectors, services, tasks
from dashboards.models import TownshipFigures
from tests import factories as f

from .conftest import fill

pytestmark = pytest.mark.usefixtures("summary_table_in_use")


@pytest.fixture
def summary_table_in_use(settings):
    """These tests are about the summary table, which a deployment with a worker reads."""
    settings.FIGURES_SNAPSHOTS = True


def test_refresh_writes_the_apps_figures_for_the_standard_periods(cast, fake_sources):
    fill(fake_sources, cast.township_a, suggestions={"received": 12, "replied": 6, "completion_rate": 50.0})
    written = services.refresh_figures()
    expected = sum(len(selectors.snapshot_periods(app=app)) for app in fake_sources) * 2  # townships A, B
    assert written == expected
    this_year = selectors.period_for()
    row = TownshipFigures.objects.get(
        township=cast.township_a, app="suggestions", start=this_year.start, end=this_year.end
    )
    assert row.values == {"received": 12, "replied": 6, "completion_rate": 50.0}


def test_figures_read_fresh_snapshots_without_recounting(cast, fake_sources):
    fill(fake_sources, cast.township_a, suggestions={"received": 12})
    services.refresh_figures()
    for source in fake_sources.values():
        source.calls.clear()
    fill(fake_sources, cast.township_a, suggestions={"received": 99})  # changed after the refresh
    data = selectors.figures(township_ids=[cast.township_a.pk], period=selectors.period_for())
    assert data[cast.township_a.pk]["suggestions"]["received"] == 12
    assert all(not s.calls for s in fake_sources.values())


def test_stale_snapshots_are_ignored_and_figures_computed_live(cast, fake_sources, settings):
    fill(fake_sources, cast.township_a, suggestions={"received": 12})
    services.refresh_figures()
    TownshipFigures.objects.update(computed_at=timezone.now() - dt.timedelta(hours=2))
    fill(fake_sources, cast.township_a, suggestions={"received": 13})
    data = selectors.figures(township_ids=[cast.township_a.pk], period=selectors.period_for())
    assert data[cast.township_a.pk]["suggestions"]["received"] == 13


def test_townships_without_a_snapshot_are_computed_live_in_one_call(cast, fake_sources):
    services.refresh_figures(township_ids=[cast.township_a.pk])
    late = f.TownshipFactory(county=cast.county_a)
    fill(fake_sources, late, suggestions={"received": 5})
    fake_sources["suggestions"].calls.clear()
    data = selectors.figures(
        township_ids=[cast.township_a.pk, late.pk], period=selectors.period_for(), sections=["suggestions"]
    )
    assert data[late.pk]["suggestions"]["received"] == 5
    assert [c[0] for c in fake_sources["suggestions"].calls] == [(late.pk,)]


def test_a_period_outside_the_summary_table_is_computed_live(cast, fake_sources):
    services.refresh_figures()
    fake_sources["suggestions"].calls.clear()
    selectors.figures(
        township_ids=[cast.township_a.pk], period=selectors.period_for(2020, "m03"), sections=["suggestions"]
    )
    assert len(fake_sources["suggestions"].calls) == 1


def test_refresh_is_idempotent_and_the_task_prunes_old_rows(cast, fake_sources):
    services.refresh_figures()
    count = TownshipFigures.objects.count()
    old = TownshipFigures.objects.create(
        township=cast.township_a,
        app="suggestions",
        start=dt.date(2001, 1, 1),
        end=dt.date(2001, 12, 31),
        computed_at=timezone.now() - dt.timedelta(days=10),
    )
    assert tasks.refresh_figures.apply().get() == count
    assert TownshipFigures.objects.count() == count
    assert not TownshipFigures.objects.filter(pk=old.pk).exists()


def test_real_apps_snapshots_equal_their_live_figures(cast):
    """Whatever apps have landed: a refreshed row equals the app's own township_stats."""
    sources = selectors.stats_sources()
    services.refresh_figures(township_ids=[cast.township_a.pk])
    period = selectors.period_for()
    for app, mod in sources.items():
        live = mod.township_stats(township_ids=[cast.township_a.pk], start=period.start, end=period.end)
        row = TownshipFigures.objects.get(
            township=cast.township_a, app=app, start=period.start, end=period.end
        )
        assert row.values == live[cast.township_a.pk], app


def test_beat_refreshes_the_summary_table_every_ten_minutes():
    from presidium.celery import app

    entry = app.conf.beat_schedule["dashboards-refresh-figures"]
    assert entry["task"] == "dashboards.refresh_figures" and entry["schedule"] == 600.0
    assert "dashboards.refresh_figures" in app.tasks
