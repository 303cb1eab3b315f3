import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from presidium.registry import archive_sources
from supervision import services
from supervision.models import ActivityKind, Finding
from supervision.selectors import STATS_LABELS, township_stats
from tests import factories as f

from . import factories as sf

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


def _year_of_work(cast):
    a = cast.township_a
    law = sf.activity(
        a, kind=ActivityKind.LAW_ENFORCEMENT, start_date=dt.date(2024, 3, 5), voters_visited=10, forums_held=1
    )
    visit = sf.activity(a, kind=ActivityKind.INSPECTION, start_date=dt.date(2024, 6, 5), voters_visited=5)
    sf.activity(
        a, kind=ActivityKind.INSPECTION, start_date=dt.date(2023, 12, 30)
    )  # previous year: not counted
    services.activity_add_participants(
        activity=law, deputies=[cast.deputy_a, cast.deputy_a2], actor=cast.staff_a
    )
    services.activity_add_participants(activity=visit, deputies=[cast.deputy_a], actor=cast.staff_a)
    p1 = services.finding_add(activity=law, kind=Finding.Kind.PROBLEM, content="问题一", actor=cast.staff_a)
    services.finding_add(activity=law, kind=Finding.Kind.PROBLEM, content="问题二", actor=cast.staff_a)
    services.finding_add(
        activity=visit, kind=Finding.Kind.OPINION, content="意见", actor=cast.staff_a, forward_to=cast.unit_a
    )
    open_late = sf.rectification(
        a, cast.unit_a, finding=p1, assigned_on=dt.date(2024, 3, 10), deadline=dt.date(2024, 4, 10)
    )
    done = sf.rectification(a, cast.unit_a, assigned_on=dt.date(2024, 3, 10), deadline=dt.date(2024, 4, 10))
    services.rectification_transition(
        rectification=done, action="complete", actor=cast.unit_officer_a, comment="沉降路段已回填压实"
    )
    services.rectification_transition(rectification=done, action="verify", actor=cast.staff_a)
    sf.serving_deputies(a, 10)
    appraisal = sf.appraisal(a, [cast.unit_a, cast.unit_a2])
    appraisal.activity.start_date = dt.date(2024, 9, 1)
    appraisal.activity.save()
    t1, t2 = appraisal.targets.order_by("pk")
    services.appraisal_enter_paper(
        appraisal=appraisal, actor=cast.staff_a, counts={t1.pk: (8, 1, 1), t2.pk: (5, 2, 3)}
    )
    for i, action in enumerate(["", "forward", "investigate", "close"]):
        p = sf.petition(a, received_on=dt.date(2024, 5, 1 + i))
        if action == "close":
            services.petition_transition(petition=p, action="close", result="已答复", actor=cast.staff_a)
        elif action:
            kw = {"unit": cast.unit_a} if action == "forward" else {}
            services.petition_transition(petition=p, action=action, actor=cast.staff_a, **kw)
    return open_late


def test_township_stats_count_a_hand_checked_year(cast):
    _year_of_work(cast)
    stats = township_stats(
        township_ids=[cast.township_a.pk, cast.township_b.pk],
        start=YEAR[0],
        end=YEAR[1],
        today=dt.date(2024, 12, 31),
    )
    a = stats[cast.township_a.pk]
    assert set(a) == set(STATS_LABELS)
    assert (a["activities"], a["inspections"], a["law_enforcement_inspections"], a["appraisals"]) == (
        3,
        1,
        1,
        1,
    )
    assert (a["deputy_participations"], a["voters_visited"], a["forums_held"]) == (3, 15, 1)
    assert (a["problems_found"], a["opinions_collected"], a["findings_forwarded"]) == (2, 1, 2)
    assert (
        a["rectifications"],
        a["rectifications_open"],
        a["rectifications_closed"],
        a["rectifications_overdue"],
    ) == (2, 1, 1, 1)
    # (8 + 1 + 5 + 2) / 20 ballots = 80.0 %
    assert (a["appraisal_targets"], a["appraisal_satisfaction_rate"]) == (2, 80.0)
    assert (a["appraisal_ballots"], a["appraisal_ballots_satisfied"]) == (20, 16)
    assert (
        a["petitions_received"],
        a["petitions_forwarded"],
        a["petitions_investigated"],
        a["petitions_closed"],
    ) == (4, 1, 1, 1)
    assert stats[cast.township_b.pk]["activities"] == 0


def test_township_stats_use_a_fixed_number_of_queries(cast):
    _year_of_work(cast)
    many = [cast.township_a.pk, cast.township_b.pk] + [f.TownshipFactory().pk for _ in range(10)]
    with CaptureQueriesContext(connection) as few_ctx:
        township_stats(township_ids=many[:2], start=YEAR[0], end=YEAR[1])
    with CaptureQueriesContext(connection) as many_ctx:
        township_stats(township_ids=many, start=YEAR[0], end=YEAR[1])
    assert len(many_ctx.captured_queries) == len(few_ctx.captured_queries) <= 7


def test_archive_source_counts_participation_per_deputy_in_two_queries(cast):
    _year_of_work(cast)
    holder = sf.activity(cast.township_a, start_date=dt.date(2024, 7, 1), certificate_holder=cast.deputy_a2)
    assert holder.participants.count() == 1
    source = archive_sources()["supervision"]
    with CaptureQueriesContext(connection) as ctx:
        result = source([cast.deputy_a.pk, cast.deputy_a2.pk, cast.deputy_b.pk], *YEAR)
    assert len(ctx.captured_queries) == 2
    assert result[cast.deputy_a.pk]["supervision_activities"] == 2
    assert result[cast.deputy_a.pk]["law_enforcement_inspections"] == 1
    assert result[cast.deputy_a2.pk]["supervision_activities"] == 2
    assert result[cast.deputy_a2.pk]["certificate_inspections"] == 1
    assert result[cast.deputy_b.pk]["supervision_activities"] == 0


def test_demo_seeds_every_kind_and_every_rectification_state(db):
    from deputies import demo as deputies_demo
    from presidium.management.commands.seed_demo import Command
    from supervision import demo
    from supervision.models import Appraisal, Petition, Rectification, SupervisionActivity

    ctx = Command().seed_core()
    deputies_demo.seed(ctx)
    demo.seed(ctx)
    assert set(SupervisionActivity.objects.values_list("kind", flat=True)) == set(ActivityKind.values)
    assert set(Rectification.objects.values_list("status", flat=True)) == set(Rectification.Status.values)
    assert Appraisal.objects.filter(status="closed", voters__isnull=False).exists()
    assert Appraisal.objects.filter(status="open").exists()
    assert set(Petition.objects.values_list("status", flat=True)) == set(Petition.Status.values)


def test_a_target_its_appraisal_and_the_township_figures_give_one_satisfaction_rate(cast):
    from supervision.selectors import appraisal_results

    sf.serving_deputies(cast.township_a, 30)
    units = [f.HandlingUnitFactory(township=cast.township_a, name=n) for n in ("财政所", "派出所")]
    appraisal = sf.appraisal(cast.township_a, units)
    appraisal.activity.start_date = dt.date(2024, 6, 1)
    appraisal.activity.save()
    first, second = appraisal.targets.order_by("pk")
    services.appraisal_enter_paper(
        appraisal=appraisal,
        actor=sf.staff_of(cast.township_a),
        counts={first.pk: (5, 2, 2), second.pk: (3, 0, 6)},
    )
    first.refresh_from_db()
    results = appraisal_results(appraisal)
    figures = township_stats(township_ids=[cast.township_a.pk], start=YEAR[0], end=YEAR[1])[
        cast.township_a.pk
    ]
    assert first.satisfaction_rate == 77.8  # 7 of 9
    # 10 of 18 ballots, whether read from the appraisal's totals or the township's figures.
    assert results["totals"]["rate"] == figures["appraisal_satisfaction_rate"] == 55.6
