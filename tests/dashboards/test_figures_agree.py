"""One truth at every moment: after a write, the workbench, the county dashboard, the annual report
page and the stats API show the same number — even when the summary table was filled just before.

These tests commit for real (``transactional_db``): the township is marked changed on commit."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from congress import services as congress_services
from congress.models import Session
from dashboards import freshness, selectors, services
from dashboards.models import FiguresChange, TownshipFigures
from deputies import services as deputy_services
from suggestions import services as suggestion_services
from tests.congress import factories as cf

pytestmark = pytest.mark.django_db(transaction=True)

KEYS = {"deputies": "deputies_serving", "meetings": "sessions_held", "suggestions": "received"}


@pytest.fixture(autouse=True)
def _no_marks_from_the_setup(cast):
    """The cast is built before a test chooses its settings (with REDIS_URL the summary table is on
    by default, so building it marks townships and takes their refresh slots): start clean."""
    from django.core.cache import cache

    FiguresChange.objects.all().delete()
    cache.clear()


@pytest.fixture
def with_worker(settings):
    """A deployment with Redis and a worker: the summary table is in use."""
    settings.FIGURES_SNAPSHOTS = True
    return settings


def _cards(response, section):
    card = next(c for c in response.context["cards"] if c["section"] == section)
    labels = selectors.section_labels(section)
    return dict(zip(labels, (value for _label, value in card["figures"]), strict=True))


def everywhere(cast) -> dict[str, dict[str, str]]:
    """The three figures as each place shows them (as text, the way a reader compares them)."""
    year = timezone.localdate().year
    t = cast.township_a
    staff, county = cast.client_for(cast.staff_a), cast.client_for(cast.county_staff_a)
    out = {}
    workbench = staff.get(reverse("dashboards:workbench"))
    out["workbench"] = {s: _cards(workbench, s)[k] for s, k in KEYS.items()}
    out["county dashboard"] = {}
    for section, key in KEYS.items():
        page = county.get(reverse("dashboards:county"), {"section": section})
        keys = [c["key"] for c in page.context["columns"]]
        row = next(r for r in page.context["rows"] if r["row"].township.pk == t.pk)
        out["county dashboard"][section] = row["cells"][keys.index(key)]
    report = staff.get(reverse("reports:annual", args=[t.pk, year]))
    shown = {f.key: str(f.value) for chapter in report.context["chapters"] for f in chapter.figures}
    out["report page"] = {s: shown[k] for s, k in KEYS.items()}
    api = county.get(reverse("stats-township", args=[t.pk])).json()["sections"]
    out["stats API"] = {s: str(api[s][k]) for s, k in KEYS.items()}
    county_api = county.get(reverse("stats-county", args=[t.county_id])).json()
    mine = next(x for x in county_api["townships"] if x["id"] == t.pk)["sections"]
    out["county stats API"] = {s: str(mine[s][k]) for s, k in KEYS.items()}
    return out


def _write_one_of_each(cast):
    term = cf.term_for(cast.township_a)
    deputy_services.deputy_create(
        township=cast.township_a,
        term=term,
        actor=cast.staff_a,
        fields={"name": "孙补选", "gender": "F", "certificate_no": "BX-0001", "phone": "13900000001"},
    )
    session = Session.objects.filter(
        township=cast.township_a, status=Session.Status.PREPARING
    ).first() or cf.session(cast.township_a, status=Session.Status.PREPARING, start_date=timezone.localdate())
    congress_services.session_transition(
        session=session, to_status=Session.Status.IN_SESSION, actor=cast.staff_a, confirm_warnings=True
    )
    suggestion = suggestion_services.suggestion_create_by_deputy(
        deputy=cast.deputy_a,
        actor=cast.deputy_a.user,
        title="集镇农贸市场排水沟堵塞",
        content="雨天积水，请疏通。",
        category="道路建设",
    )
    suggestion_services.suggestion_submit(suggestion=suggestion, actor=cast.deputy_a.user)


def test_a_write_shows_at_once_on_every_page_and_in_the_api_although_the_summary_was_just_filled(
    cast, with_worker
):
    cf.session(cast.township_a, status=Session.Status.PREPARING, start_date=timezone.localdate())
    services.refresh_figures(township_ids=[cast.township_a.pk, cast.township_b.pk])
    before = everywhere(cast)
    assert all(v == before["workbench"] for v in before.values()), before

    _write_one_of_each(cast)

    after = everywhere(cast)
    assert all(v == after["workbench"] for v in after.values()), after
    for section in KEYS:
        assert int(after["workbench"][section]) == int(before["workbench"][section]) + 1, (section, after)
    # The summary rows still hold the old numbers: the pages agree because they bypass them.
    year = selectors.period_for()
    row = TownshipFigures.objects.get(
        township=cast.township_a, app="suggestions", start=year.start, end=year.end
    )
    assert str(row.values["received"]) == before["workbench"]["suggestions"]
    assert FiguresChange.objects.filter(township=cast.township_a).exists()
    assert not FiguresChange.objects.filter(township=cast.township_b).exists()


def test_the_other_townships_keep_their_summary_rows_and_the_page_says_how_fresh_they_are(cast, with_worker):
    services.refresh_figures(township_ids=[cast.township_a.pk, cast.township_b.pk])
    staff_b = cast.client_for(cast.staff_b)
    page = staff_b.get(reverse("dashboards:workbench"))
    assert page.context["as_of"] is not None and "统计数据来自汇总表，更新于" in page.content.decode()
    _write_one_of_each(cast)  # township A only
    assert staff_b.get(reverse("dashboards:workbench")).context["as_of"] is not None
    page_a = cast.client_for(cast.staff_a).get(reverse("dashboards:workbench"))
    assert page_a.context["as_of"] is None and "统计数据为实时计算" in page_a.content.decode()
    api = cast.client_for(cast.county_staff_b).get(reverse("stats-township", args=[cast.township_b.pk]))
    assert api.json()["as_of"] is not None


def test_the_embedded_default_without_a_worker_computes_live_and_says_so(cast, settings):
    settings.FIGURES_SNAPSHOTS = False
    services.refresh_figures(township_ids=[cast.township_a.pk])
    TownshipFigures.objects.filter(township=cast.township_a, app="suggestions").update(
        values={"received": 999}
    )
    page = cast.client_for(cast.staff_a).get(reverse("dashboards:workbench"))
    assert _cards(page, "suggestions")["received"] != "999"
    assert page.context["as_of"] is None and "统计数据为实时计算" in page.content.decode()
    assert not FiguresChange.objects.exists()  # nothing to mark without a summary table


def test_one_transaction_marks_its_township_once_and_schedules_one_debounced_refresh(
    cast, with_worker, monkeypatch
):
    from django.db import transaction

    from dashboards import tasks

    with_worker.CELERY_TASK_ALWAYS_EAGER = False
    sent = []
    monkeypatch.setattr(tasks.refresh_figures, "apply_async", lambda **kw: sent.append(kw))
    with CaptureQueriesContext(connection) as ctx, transaction.atomic():
        for i in range(20):
            suggestion_services.suggestion_create_by_deputy(
                deputy=cast.deputy_a,
                actor=cast.deputy_a.user,
                title=f"村道修复{i}",
                content="坑洼。",
                category="道路建设",
            )
    marks = [q for q in ctx.captured_queries if "dashboards_figureschange" in q["sql"]]
    assert len(marks) == 1
    assert sent == [{"kwargs": {"township_ids": [cast.township_a.pk]}, "countdown": 30}]
    # A second write within the delay rides along with the refresh already scheduled.
    suggestion_services.suggestion_create_by_deputy(
        deputy=cast.deputy_a, actor=cast.deputy_a.user, title="路灯", content="不亮。", category="道路建设"
    )
    assert len(sent) == 1


def test_a_rolled_back_write_marks_nothing(cast, with_worker):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        suggestion_services.suggestion_create_by_deputy(
            deputy=cast.deputy_a,
            actor=cast.deputy_a.user,
            title="路灯",
            content="不亮。",
            category="道路建设",
        )
        raise RuntimeError("abandoned")
    assert not FiguresChange.objects.exists()


def test_a_refresh_that_began_before_a_change_does_not_hide_it(cast, with_worker):
    services.refresh_figures(township_ids=[cast.township_a.pk])
    TownshipFigures.objects.update(computed_at=timezone.now() - dt.timedelta(seconds=5))
    freshness.mark_changed({cast.township_a.pk})
    meta = {}
    selectors.figures(township_ids=[cast.township_a.pk], period=selectors.period_for(), meta=meta)
    assert meta["as_of"] is None  # every row predates the change: all computed live


def test_marking_a_change_costs_a_write_request_at_most_two_queries(cast, settings):
    from suggestions.models import Status
    from tests.suggestions.helpers import make

    def submit_one(title):
        s = make(cast, Status.DRAFT, title=title)
        client = cast.client_for(cast.deputy_a.user)
        url = reverse("suggestions:action", args=[s.pk, "submit"])
        with CaptureQueriesContext(connection) as ctx:
            assert client.post(url, {"version": s.version}).status_code == 302
        return len(ctx.captured_queries)

    settings.FIGURES_SNAPSHOTS = False
    without = submit_one("村道修复甲")
    settings.FIGURES_SNAPSHOTS = True
    with_marking = submit_one("村道修复乙")
    print(f"queries per submit request: {without} without marking, {with_marking} with")
    assert with_marking - without <= 2, (without, with_marking)


def test_paper_ballots_entered_in_bulk_show_at_once_on_the_county_dashboard(cast, with_worker):
    from supervision import services as supervision_services
    from tests.supervision import factories as sf

    sf.serving_deputies(cast.township_a, 20)
    appraisal = sf.appraisal(cast.township_a, [cast.unit_a])
    appraisal.activity.start_date = timezone.localdate()
    appraisal.activity.save()
    services.refresh_figures(township_ids=[cast.township_a.pk])
    (target,) = appraisal.targets.all()
    supervision_services.appraisal_enter_paper(
        appraisal=appraisal, actor=cast.staff_a, counts={target.pk: (6, 2, 2)}
    )
    page = cast.client_for(cast.county_staff_a).get(
        reverse("dashboards:county"), {"section": "supervision", "sort": "appraisal_satisfaction_rate"}
    )
    keys = [c["key"] for c in page.context["columns"]]
    row = next(r for r in page.context["rows"] if r["row"].township.pk == cast.township_a.pk)
    assert row["cells"][keys.index("appraisal_satisfaction_rate")] == "80.0"
