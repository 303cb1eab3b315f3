import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dashboards import selectors
from tests import factories as f

from .conftest import fill


def test_period_codes_turn_into_inclusive_date_ranges():
    p = selectors.period_for(2024, "q1")
    assert (p.start, p.end) == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    p = selectors.period_for("2024", "h2")
    assert (p.start, p.end) == (dt.date(2024, 7, 1), dt.date(2024, 12, 31))
    p = selectors.period_for(2024, "m02")
    assert (p.start, p.end) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    p = selectors.period_for(2025, None)
    assert (p.start, p.end, p.code) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31), "year")


@pytest.mark.parametrize(
    ("year", "period"),
    [("abc", "year"), ("1899", "year"), ("2024", "q5"), ("2024", "m13"), ("99999999999999999999", "year")],
)
def test_bad_period_input_is_refused_with_a_chinese_message(year, period):
    with pytest.raises(ValidationError) as exc:
        selectors.period_for(year, period)
    assert any("年" in m or "区间" in m for m in exc.value.messages)


def test_figures_merge_every_apps_township_stats_into_sections(db, fake_sources):
    t1, t2 = f.TownshipFactory(), f.TownshipFactory()
    fill(
        fake_sources,
        t1,
        suggestions={"received": 10, "assigned": 10, "replied": 8, "completion_rate": 80.0},
        supervision={"activities": 3, "petitions_received": 5},
    )
    period = selectors.period_for(2024, "year")
    data = selectors.figures(township_ids=[t1.pk, t2.pk], period=period)
    assert data[t1.pk]["suggestions"] == {
        "received": 10,
        "assigned": 10,
        "replied": 8,
        "completion_rate": 80.0,
    }
    # Letters and visits are their own section, split from the supervision app's keys.
    assert data[t1.pk]["supervision"] == {"activities": 3}
    assert data[t1.pk]["petitions"] == {"petitions_received": 5}
    # A township the app has nothing for gets zeros for every declared key.
    assert data[t2.pk]["suggestions"] == {"received": 0, "assigned": 0, "replied": 0, "completion_rate": 0}
    # One call per app whatever the number of townships, with the period's dates.
    assert fake_sources["supervision"].calls == [((t1.pk, t2.pk), dt.date(2024, 1, 1), dt.date(2024, 12, 31))]


def test_totals_sum_counts_and_recompute_declared_rates_instead_of_averaging(db, fake_sources):
    t1, t2 = f.TownshipFactory(), f.TownshipFactory()
    fill(
        fake_sources,
        t1,
        suggestions={"received": 12, "assigned": 10, "replied": 10, "completion_rate": 100.0},
    )
    fill(
        fake_sources,
        t2,
        suggestions={"received": 30, "assigned": 30, "replied": 0, "completion_rate": 0.0},
        supervision={"appraisal_satisfaction_rate": 90},
    )
    data = selectors.figures(township_ids=[t1.pk, t2.pk], period=selectors.period_for(2024))
    totals = selectors.totals(data)
    assert totals["suggestions"]["received"] == 42
    # Replied over assigned (10/40), the suggestions app's own rule: not (100+0)/2, not 10/42.
    assert totals["suggestions"]["completion_rate"] == 25.0


def test_county_table_ranks_townships_with_shared_ranks_for_ties(cast, fake_sources):
    a2 = f.TownshipFactory(county=cast.county_a, name="丙镇")
    a3 = f.TownshipFactory(county=cast.county_a, name="丁镇")
    fill(fake_sources, cast.township_a, suggestions={"received": 5})
    fill(fake_sources, a2, suggestions={"received": 9})
    fill(fake_sources, a3, suggestions={"received": 5})
    fill(fake_sources, cast.township_b, suggestions={"received": 100})
    rows, labels, sort = selectors.county_table(
        user=cast.county_staff_a,
        county=cast.county_a,
        period=selectors.period_for(2024),
        section="suggestions",
        sort="received",
    )
    assert sort == "received" and labels["received"] == "收到建议"
    assert [(r.township.name, r.rank) for r in rows] == [("丙镇", 1), ("甲镇", 2), ("丁镇", 2)]
    assert cast.township_b not in [r.township for r in rows]


def test_unknown_sort_key_falls_back_to_the_first_column(cast, fake_sources):
    rows, _labels, sort = selectors.county_table(
        user=cast.county_staff_a,
        county=cast.county_a,
        period=selectors.period_for(2024),
        section="suggestions",
        sort="drop table",
    )
    assert sort == "received" and len(rows) == 1


def test_a_county_user_reads_only_their_own_county(cast):
    assert selectors.county_for(cast.county_staff_a) == cast.county_a
    assert selectors.county_for(cast.county_staff_a, cast.county_b.pk) is None
    assert list(selectors.dashboard_townships(cast.staff_a)) == [cast.township_a]
