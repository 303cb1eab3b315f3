"""Statistics against a hand-counted fixture (definitions in suggestions/selectors.py)."""

import datetime as dt

import pytest

from suggestions import selectors, services
from suggestions.models import Status

from .helpers import make

D = dt.date


@pytest.fixture
def year_2024(cast, time_machine):
    time_machine.move_to(dt.datetime(2024, 3, 4, 10, 0))
    items = {
        1: make(cast, Status.CLOSED, outcome="A"),  # A, satisfied
        2: make(cast, Status.REPLIED, outcome="B"),  # B, → basic below
        3: make(cast, Status.REHANDLING, outcome="A", category="水利设施"),  # A, unsatisfied
        4: make(cast, Status.REPLIED, outcome="C", category="水利设施"),  # C, not rated
        5: make(cast, Status.SIGNED, category="水利设施"),  # assigned, no reply
        6: make(cast, Status.ACCEPTED, category="水利设施"),  # awaiting assignment
        7: make(cast, Status.NOT_ACCEPTED, category="水利设施"),
        8: make(cast, Status.DRAFT, category="水利设施"),  # never counted
        9: make(cast, Status.WITHDRAWN, category="水利设施"),
    }
    services.suggestion_evaluate(suggestion=items[2], actor=cast.deputy_a.user, rating="basic")
    make(cast, Status.CLOSED, side="b")  # township B: must not leak into A's figures
    time_machine.move_to(dt.datetime(2023, 6, 1, 10, 0))
    make(cast, Status.CLOSED)  # another year
    return items


def test_township_stats_match_the_hand_count(cast, year_2024):
    stats = selectors.township_stats(
        township_ids=[cast.township_a.pk, cast.township_b.pk],
        start=D(2024, 1, 1),
        end=D(2024, 12, 31),
        today=D(2024, 7, 1),
    )
    a = stats[cast.township_a.pk]
    assert (a["received"], a["accepted"], a["not_accepted"], a["assigned"], a["replied"]) == (8, 6, 1, 5, 4)
    assert (a["resolved"], a["planned"], a["reference"]) == (2, 1, 1)
    assert (a["evaluated"], a["satisfied"], a["rehandled"]) == (3, 2, 1)
    # Overdue on 1 July: #5 (reply due 4 June), #6 (assignment due 11 March), #3 (re-handling due 4 April).
    assert a["overdue"] == 3
    assert a["completion_rate"] == 80.0  # 4 replied / 5 assigned
    assert a["resolution_rate"] == 50.0  # 2 A / 4 replied
    assert a["planned_share"] == 25.0
    assert a["satisfaction_rate"] == 66.7  # (1 satisfied + 1 basic) / 3 evaluated
    assert a["on_time_rate"] == 100.0
    assert stats[cast.township_b.pk]["received"] == 1


def test_township_stats_of_an_empty_period_have_no_rates(cast, year_2024):
    stats = selectors.township_stats(
        township_ids=[cast.township_a.pk], start=D(2022, 1, 1), end=D(2022, 12, 31)
    )
    assert stats[cast.township_a.pk]["received"] == 0
    assert stats[cast.township_a.pk]["completion_rate"] is None


def test_township_stats_use_one_query_whatever_the_number_of_townships(
    cast, year_2024, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        selectors.township_stats(
            township_ids=[cast.township_a.pk, cast.township_b.pk], start=D(2024, 1, 1), end=D(2024, 12, 31)
        )


def test_breakdown_by_category_matches_the_hand_count(cast, year_2024):
    rows = {
        r["key"]: r
        for r in selectors.stats_breakdown(
            township=cast.township_a,
            start=D(2024, 1, 1),
            end=D(2024, 12, 31),
            by="category",
            today=D(2024, 7, 1),
        )
    }
    assert rows["道路建设"]["received"] == 2 and rows["道路建设"]["resolution_rate"] == 50.0
    assert rows["水利设施"]["received"] == 6 and rows["水利设施"]["assigned"] == 3


def test_breakdown_by_unit_and_deputy(cast, year_2024):
    by_unit = selectors.stats_breakdown(
        township=cast.township_a, start=D(2024, 1, 1), end=D(2024, 12, 31), by="unit"
    )
    assert {r["key"]: r["replied"] for r in by_unit}[cast.unit_a.name] == 4
    by_deputy = selectors.stats_breakdown(
        township=cast.township_a, start=D(2024, 1, 1), end=D(2024, 12, 31), by="deputy"
    )
    assert by_deputy[0]["key"] == cast.deputy_a.name and by_deputy[0]["received"] == 8


def test_stats_labels_cover_every_figure(cast, year_2024):
    stats = selectors.township_stats(
        township_ids=[cast.township_a.pk], start=D(2024, 1, 1), end=D(2024, 12, 31)
    )
    assert set(stats[cast.township_a.pk]) <= set(selectors.STATS_LABELS)
