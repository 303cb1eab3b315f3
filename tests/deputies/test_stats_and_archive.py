import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deputies import selectors
from deputies.models import Deputy, ReceptionDay, VoterOpinion
from presidium import registry
from tests import factories as f

from . import factories as df

TODAY = timezone.localdate()
YEAR_START, YEAR_END = dt.date(TODAY.year, 1, 1), dt.date(TODAY.year, 12, 31)


def _populate(township, deputies):
    station = df.station(township, deputies=deputies)
    day = df.reception_day(station, date=TODAY, deputies=deputies[:1], status=ReceptionDay.Status.HELD)
    df.opinion(township, source="reception", reception_day=day, station=station)
    df.opinion(township, source="qr", station=station, status=VoterOpinion.Status.CONVERTED)
    df.contact(deputies[0])
    df.contact(deputies[0], way="phone")
    df.training(township, attendees=deputies)
    df.activity(township, kind="voter_forum", deputies=deputies[:1])
    df.duty_report(deputies[0], voters_present=30, satisfied=30)


def test_township_stats_count_the_year_per_township(cast):
    a = [cast.deputy_a, cast.deputy_a2]
    Deputy.objects.filter(pk=cast.deputy_a2.pk).update(gender="F", party="cpc", is_reelected=True)
    _populate(cast.township_a, a)
    df.contact(cast.deputy_a, date=dt.date(TODAY.year - 1, 6, 1))  # outside the period
    stats = selectors.township_stats(
        township_ids=[cast.township_a.pk, cast.township_b.pk], start=YEAR_START, end=YEAR_END
    )
    sa, sb = stats[cast.township_a.pk], stats[cast.township_b.pk]
    assert sa["deputies_serving"] == 2 and sa["deputies_female"] == 1 and sa["deputies_reelected"] == 1
    assert sa["reception_days_held"] == 1 and sa["reception_visitors"] == 1 and sa["voter_opinions"] == 2
    assert sa["voter_opinions_converted"] == 1 and sa["voter_contacts"] == 2
    assert sa["trainings"] == 1 and sa["training_person_times"] == 2
    assert sa["activities"] == 1 and sa["duty_reports"] == 1 and sa["stations"] == 1
    assert sa["deputies_dormant"] == 0
    assert sb["deputies_serving"] == 1 and sb["voter_contacts"] == 0 and sb["deputies_dormant"] == 1
    assert set(sa) == set(selectors.STATS_LABELS)


def test_township_stats_use_a_fixed_number_of_queries_whatever_the_number_of_townships(cast):
    def count(ids):
        with CaptureQueriesContext(connection) as ctx:
            selectors.township_stats(township_ids=ids, start=YEAR_START, end=YEAR_END)
        return len(ctx.captured_queries)

    _populate(cast.township_a, [cast.deputy_a, cast.deputy_a2])
    cast.county_a.rules  # the rules row is created on first use  # noqa: B018
    few = count([cast.township_a.pk])
    more = []
    for i in range(4):
        t = f.TownshipFactory(county=cast.county_a, name=f"加测镇{i}")
        ds = [df.deputy(t, name=f"代表{i}{j}") for j in range(3)]
        _populate(t, ds)
        more.append(t.pk)
    assert count([cast.township_a.pk, *more]) == few


def test_district_vacancies_count_seats_minus_serving_township_deputies(cast):
    district = cast.deputy_a.district
    district.seats = 3
    district.save()
    df.deputy(cast.township_a, name="县代表", district=district, level="county")
    assert (
        selectors.township_stats(township_ids=[cast.township_a.pk], start=YEAR_START, end=YEAR_END)[
            cast.township_a.pk
        ]["district_vacancies"]
        >= 2
    )


def test_composition_gives_counts_percentages_and_the_cadre_warning(cast):
    Deputy.objects.filter(pk=cast.deputy_a.pk).update(occupation="cadre", birth_date=dt.date(1990, 1, 1))
    data = selectors.composition(township_id=cast.township_a.pk)
    assert data["total"] == 2 and data["cadre_percent"] == 50.0 and data["cadre_warning"]
    occupation = dict(data["dimensions"])["代表结构类别"]
    assert {r["label"]: (r["count"], r["percent"]) for r in occupation} == {
        "党政干部": (1, 50.0),
        "农民": (1, 50.0),
    }
    rules = cast.county_a.rules
    rules.cadre_share_warning_percent = 60
    rules.save()
    cast.township_a.county._rules_cache = rules
    assert not selectors.composition(township_id=cast.township_a.pk)["cadre_warning"]


def test_archive_score_follows_the_countys_configured_weights_line_by_line(cast):
    for _ in range(12):
        df.contact(cast.deputy_a)
    rules = cast.county_a.rules
    row = selectors.archive_rows([cast.deputy_a], start=YEAR_START, end=YEAR_END, rules=rules)[0]
    line = next(x for x in row["lines"] if x["metric"] == "voter_contact")
    assert (line["count"], line["per"], line["cap"], line["points"]) == (12, 1, 10, 10)
    six = {s["key"]: s for s in row["six_ones"]}
    assert six["voters_visited"]["done"] == 12 and six["voters_visited"]["met"]
    rules.archive_weights = {"voter_contact": {"points": 2, "cap": 30}}
    row = selectors.archive_rows([cast.deputy_a], start=YEAR_START, end=YEAR_END, rules=rules)[0]
    assert row["score"] == 24 and [x["metric"] for x in row["lines"]] == ["voter_contact"]


def test_archive_merges_sources_registered_by_other_apps(cast, monkeypatch):
    calls = []

    def suggestions_source(deputy_ids, start, end):
        calls.append((tuple(deputy_ids), start, end))
        return {cast.deputy_a.pk: {"suggestion": 2, "suggestion_resolved": 1}}

    monkeypatch.setitem(registry._archive_sources, "test.suggestions", suggestions_source)
    row = selectors.archive_rows([cast.deputy_a], start=YEAR_START, end=YEAR_END, rules=cast.county_a.rules)[
        0
    ]
    assert row["metrics"]["suggestion"] == 2
    assert next(x for x in row["lines"] if x["metric"] == "suggestion")["points"] == 6
    assert ("建议已解决", 1) in row["extra_metrics"]
    assert calls[0][0] == (cast.deputy_a.pk,)


def test_a_deputy_without_any_record_in_the_period_is_dormant_and_activity_wakes_them(cast):
    rules = cast.county_a.rules
    rows = selectors.archive_rows(
        [cast.deputy_a, cast.deputy_a2], start=YEAR_START, end=YEAR_END, rules=rules
    )
    assert [r["dormant"] for r in rows] == [True, True]
    old = TODAY - dt.timedelta(days=500)
    df.contact(cast.deputy_a, date=old)  # too long ago to count
    df.training(cast.township_a, attendees=[cast.deputy_a2])
    rows = selectors.archive_rows(
        [cast.deputy_a, cast.deputy_a2], start=YEAR_START, end=YEAR_END, rules=rules
    )
    assert [r["dormant"] for r in rows] == [True, False]


def test_commendation_candidates_met_every_six_ones_target_best_score_first(cast, monkeypatch):
    monkeypatch.setitem(
        registry._archive_sources, "test.suggestions", lambda ids, s, e: {pk: {"suggestion": 1} for pk in ids}
    )
    for deputy in (cast.deputy_a, cast.deputy_a2):
        for _ in range(10):
            df.contact(deputy)
        for kind in ("voter_forum", "practical_deed", "needy_household", "dispute_mediation"):
            df.activity(cast.township_a, kind=kind, deputies=[deputy])
    df.training(cast.township_a, attendees=[cast.deputy_a2])
    rows = selectors.archive_rows(
        [cast.deputy_a, cast.deputy_a2, cast.deputy_b],
        start=YEAR_START,
        end=YEAR_END,
        rules=cast.county_a.rules,
    )
    candidates = selectors.commendation_candidates(rows)
    assert [r["deputy"] for r in candidates] == [cast.deputy_a2, cast.deputy_a]


def test_archive_queries_do_not_grow_with_the_number_of_deputies(cast):
    rules = cast.county_a.rules

    def count(deputies):
        with CaptureQueriesContext(connection) as ctx:
            selectors.archive_rows(deputies, start=YEAR_START, end=YEAR_END, rules=rules)
        return len(ctx.captured_queries)

    few = count([cast.deputy_a])
    many = [df.deputy(cast.township_a, name=f"档案{i}") for i in range(15)]
    for d in many:
        df.contact(d)
    assert count([cast.deputy_a, *many]) == few


def test_supervision_activities_count_in_the_activity_score_line(cast, monkeypatch):
    monkeypatch.setitem(
        registry._archive_sources,
        "test.supervision",
        lambda ids, s, e: {cast.deputy_a.pk: {"supervision_activities": 2, "inspections": 2}},
    )
    df.activity(cast.township_a, deputies=[cast.deputy_a])
    row = selectors.archive_rows([cast.deputy_a], start=YEAR_START, end=YEAR_END, rules=cast.county_a.rules)[
        0
    ]
    line = next(x for x in row["lines"] if x["metric"] == "activity")
    assert (line["count"], line["points"]) == (3, 6)
    assert ("视察", 2) in row["extra_metrics"]
