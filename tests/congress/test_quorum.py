"""Quorum (≥ 2/3 of all current deputies) and majority (more than half of all current deputies):
edge cases, who counts as a current deputy, and non-voting attendees."""

import datetime as dt

import pytest

from congress import selectors, services
from congress.models import Attendance, Observer, Session
from deputies.models import Deputy

from . import factories as cf

pytestmark = pytest.mark.django_db


def _mark(session, deputies, status=Attendance.Status.PRESENT):
    Attendance.objects.bulk_create([Attendance(session=session, deputy=d, status=status) for d in deputies])


@pytest.fixture
def thirty(cast):
    """Township A's term with exactly 30 current deputies (the cast's two plus 28)."""
    return [cast.deputy_a, cast.deputy_a2, *cf.deputies(cast.township_a, 28)]


def test_exactly_two_thirds_present_is_a_quorum(cast, thirty):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    _mark(session, thirty[:20])
    q = selectors.session_quorum(session)
    assert (q["total"], q["present"], q["needed"]) == (30, 20, 20)
    assert q["has_quorum"] is True


def test_one_short_of_two_thirds_is_not_a_quorum(cast, thirty):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    _mark(session, thirty[:19])
    _mark(session, thirty[19:], Attendance.Status.LEAVE)
    assert selectors.session_quorum(session)["has_quorum"] is False


def test_quorum_fraction_comes_from_the_county_rules(cast, thirty):
    rules = cast.township_a.rules
    rules.session_quorum_num, rules.session_quorum_den = 1, 2
    rules.save()
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    _mark(session, thirty[:15])
    session = Session.objects.select_related("township__county").get(pk=session.pk)
    q = selectors.session_quorum(session)
    assert q["needed"] == 15 and q["has_quorum"] is True


def test_exactly_half_of_all_deputies_does_not_pass_and_one_more_does():
    assert selectors.passes_majority(15, 30) is False
    assert selectors.passes_majority(16, 30) is True
    assert selectors.passes_majority(16, 31) is True
    assert selectors.passes_majority(15, 31) is False
    assert selectors.majority_needed(30) == 16


def test_majority_is_of_all_deputies_not_of_those_present(cast, thirty):
    """20 present, 15 vote for: a majority of those present but not of all 30 → rejected."""
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    _mark(session, thirty[:20])
    item = cf.agenda_item(session)
    vote = services.vote_record(item=item, votes_for=15, votes_against=5, abstentions=0, actor=cast.staff_a)
    assert vote.passed is False
    assert (vote.total_deputies, vote.present) == (30, 20)


def test_deputy_who_resigned_before_the_session_is_not_counted(cast, thirty):
    resigned = thirty[-1]
    resigned.status, resigned.status_since = Deputy.Status.RESIGNED, cf.START - dt.timedelta(days=30)
    resigned.save()
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    assert selectors.session_quorum(session)["total"] == 29
    assert not selectors.session_deputies(session).filter(pk=resigned.pk).exists()


def test_deputy_who_resigned_after_the_session_still_counts_for_it(cast, thirty):
    later = thirty[-1]
    later.status, later.status_since = Deputy.Status.RESIGNED, cf.START + dt.timedelta(days=30)
    later.save()
    session = cf.session(cast.township_a)
    assert selectors.session_quorum(session)["total"] == 30


def test_status_history_decides_who_was_serving_on_the_session_date(cast, thirty):
    from deputies.models import DeputyStatusChange

    d = thirty[0]
    DeputyStatusChange.objects.create(
        township=cast.township_a,
        deputy=d,
        from_status="",
        to_status="serving",
        effective_date=dt.date(2021, 12, 28),
    )
    DeputyStatusChange.objects.create(
        township=cast.township_a,
        deputy=d,
        from_status="serving",
        to_status="resigned",
        effective_date=dt.date(2024, 6, 1),
    )
    # A by-elected deputy whose term starts after the session.
    late = thirty[1]
    DeputyStatusChange.objects.create(
        township=cast.township_a,
        deputy=late,
        from_status="",
        to_status="serving",
        effective_date=dt.date(2025, 3, 1),
        is_by_election=True,
    )
    before = selectors.current_deputies(d.term, dt.date(2024, 5, 31))
    after = selectors.current_deputies(d.term, dt.date(2025, 1, 10))
    assert before.filter(pk=d.pk).exists() and not after.filter(pk=d.pk).exists()
    assert not after.filter(pk=late.pk).exists()
    assert selectors.current_deputies(d.term, dt.date(2025, 3, 1)).filter(pk=late.pk).exists()
    assert after.count() == 28


def test_county_level_deputies_are_not_members_of_the_township_congress(cast, thirty):
    cf.deputies(cast.township_a, 3, level=Deputy.Level.COUNTY)
    session = cf.session(cast.township_a)
    assert selectors.session_quorum(session)["total"] == 30


def test_non_voting_attendees_are_never_counted(cast, thirty):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    _mark(session, thirty[:19])
    for i in range(10):
        services.observer_add(session=session, name=f"列席{i}", affiliation="镇政府", actor=cast.staff_a)
    q = selectors.session_quorum(session)
    assert Observer.objects.filter(session=session).count() == 10
    assert (q["present"], q["total"], q["has_quorum"]) == (19, 30, False)


def test_another_terms_deputies_are_not_counted(cast, thirty):
    from tests import factories as f

    old_term = f.TermFactory(township=cast.township_a, number=9, start_date=dt.date(2016, 12, 1))
    f.DeputyFactory(township=cast.township_a, term=old_term)
    assert selectors.session_quorum(cf.session(cast.township_a))["total"] == 30


def test_a_county_requiring_two_thirds_to_pass_applies_it_to_resolutions(cast, thirty):
    rules = cast.township_a.rules
    rules.resolution_majority_num, rules.resolution_majority_den = 2, 3
    rules.save()
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    _mark(session, thirty[:25])
    session = Session.objects.select_related("township__county").get(pk=session.pk)
    assert selectors.session_quorum(session)["majority"] == 21  # more than 2/3 of 30
    short = services.vote_record(
        item=cf.agenda_item(session), votes_for=20, votes_against=5, abstentions=0, actor=cast.staff_a
    )
    enough = services.vote_record(
        item=cf.agenda_item(session, title="关于预算的决议"),
        votes_for=21,
        votes_against=4,
        abstentions=0,
        actor=cast.staff_a,
    )
    assert (short.passed, enough.passed) == (False, True)


def test_presidium_quorum_and_majority_have_their_own_county_rules(cast):
    rules = cast.township_a.rules
    rules.presidium_quorum_num, rules.presidium_quorum_den = 1, 2
    rules.presidium_majority_num, rules.presidium_majority_den = 2, 3
    assert selectors.quorum_needed(9, rules, "presidium") == 5
    assert selectors.has_quorum(5, 9, rules, "presidium") is True
    assert selectors.majority_for(9, rules, "presidium") == 7
    # The congress session itself keeps the statutory defaults.
    assert selectors.quorum_needed(9, rules, "session") == 6
    assert selectors.majority_for(9, rules, "session") == 5


def test_the_votes_needed_shown_before_a_vote_are_exactly_where_the_one_majority_check_passes(cast):
    rules = cast.township_a.rules
    rules.resolution_majority_num, rules.resolution_majority_den = 1, 2
    rules.presidium_majority_num, rules.presidium_majority_den = 2, 3
    for kind in ("session", "presidium"):
        for total in range(1, 41):
            needed = selectors.majority_for(total, rules, kind)
            assert selectors.passes_majority(needed, total, rules, kind) is True, (kind, total)
            assert selectors.passes_majority(needed - 1, total, rules, kind) is False, (kind, total)


def test_a_presidium_decision_passes_by_the_county_majority_of_all_members(cast):
    from congress.models import MeetingTopic

    rules = cast.township_a.rules
    rules.presidium_majority_num, rules.presidium_majority_den = 2, 3
    rules.save()
    meeting = cf.meeting(cast.township_a, member_count=9)
    for deputy in cf.deputies(cast.township_a, 7):
        meeting.attendances.create(deputy=deputy, status=Attendance.Status.PRESENT)
    six, seven = (
        services.topic_record_vote(
            topic=MeetingTopic.objects.create(meeting=meeting, title=f"议题{n}"),
            votes_for=n,
            votes_against=0,
            abstentions=0,
            actor=cast.staff_a,
        )
        for n in (6, 7)
    )
    # More than 2/3 of all nine members: six votes are not enough, seven are.
    assert (six.passed, seven.passed) == (False, True)
