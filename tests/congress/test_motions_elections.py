"""Motions (议案): joint signatures, the presidium's decision, withdrawal, vote; elections and the
presidium roster."""

import pytest
from django.core.exceptions import ValidationError

from congress import services
from congress.models import Attendance, Candidate, Motion, MotionEvent, PresidiumMembership, Session

from . import factories as cf

pytestmark = pytest.mark.django_db


@pytest.fixture
def deps(cast):
    return [cast.deputy_a, cast.deputy_a2, *cf.deputies(cast.township_a, 10)]  # 12 deputies


def _submit(cast, session, signers):
    return services.motion_submit(
        session=session,
        title="关于修建白沙河大桥的议案",
        grounds="群众出行难",
        plan="争取县交通局立项",
        lead_deputy=signers[0],
        co_deputies=signers[1:],
        actor=cast.staff_a,
    )


def test_motion_with_four_joint_deputies_is_refused(cast, deps):
    session = cf.session(cast.township_a)
    with pytest.raises(ValidationError, match="5 名以上代表联名"):
        _submit(cast, session, deps[:4])
    assert not Motion.objects.exists()


def test_motion_with_five_joint_deputies_is_registered(cast, deps):
    motion = _submit(cast, cf.session(cast.township_a), deps[:5])
    assert motion.status == Motion.Status.SUBMITTED
    assert motion.co_deputies.count() == 4
    assert MotionEvent.objects.filter(motion=motion, to_status="submitted").exists()


def test_lead_deputy_listed_again_as_co_signer_does_not_count_twice(cast, deps):
    with pytest.raises(ValidationError):
        _submit(cast, cf.session(cast.township_a), [deps[0], deps[0], *deps[1:4]])


def test_motion_minimum_comes_from_the_county_rules(cast, deps):
    rules = cast.township_a.rules
    rules.motion_min_deputies = 3
    rules.save()
    session = Session.objects.select_related("township__county").get(pk=cf.session(cast.township_a).pk)
    assert _submit(cast, session, deps[:3]).pk


def test_co_signer_from_another_township_is_refused(cast, deps):
    with pytest.raises(ValidationError, match="在任代表"):
        _submit(cast, cf.session(cast.township_a), [*deps[:4], cast.deputy_b])


def test_motion_on_agenda_then_adopted_by_vote(cast, deps):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    motion = _submit(cast, session, deps[:5])
    motion = services.motion_decide(motion=motion, decision="on_agenda", actor=cast.staff_a)
    assert motion.agenda_item.kind == "motion"
    Attendance.objects.bulk_create(
        [Attendance(session=session, deputy=d, status="present") for d in deps[:10]]
    )
    services.vote_record(
        item=motion.agenda_item, votes_for=7, votes_against=2, abstentions=1, actor=cast.staff_a
    )
    motion.refresh_from_db()
    assert motion.status == Motion.Status.ADOPTED
    assert list(motion.events.values_list("to_status", flat=True)) == ["submitted", "on_agenda", "adopted"]


def test_withdrawal_before_the_vote_ends_the_motion_and_removes_it_from_the_agenda(cast, deps):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    motion = services.motion_decide(
        motion=_submit(cast, session, deps[:5]), decision="on_agenda", actor=cast.staff_a
    )
    item_id = motion.agenda_item_id
    motion = services.motion_withdraw(motion=motion, actor=cast.staff_a)
    assert motion.status == Motion.Status.WITHDRAWN
    assert not session.agenda_items.filter(pk=item_id).exists()
    with pytest.raises(ValidationError):
        services.motion_decide(motion=motion, decision="on_agenda", actor=cast.staff_a)


def test_adopted_motion_cannot_be_withdrawn(cast, deps):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    motion = services.motion_decide(
        motion=_submit(cast, session, deps[:5]), decision="on_agenda", actor=cast.staff_a
    )
    Attendance.objects.bulk_create([Attendance(session=session, deputy=d, status="present") for d in deps])
    services.vote_record(
        item=motion.agenda_item, votes_for=12, votes_against=0, abstentions=0, actor=cast.staff_a
    )
    with pytest.raises(ValidationError):
        services.motion_withdraw(motion=motion, actor=cast.staff_a)
    assert Motion.objects.get(pk=motion.pk).status == Motion.Status.ADOPTED


def test_motion_handled_as_suggestion_creates_a_linked_suggestion(cast, deps):
    motion = _submit(cast, cf.session(cast.township_a), deps[:5])
    motion = services.motion_decide(
        motion=motion, decision="as_suggestion", actor=cast.staff_a, expected_status="submitted"
    )
    suggestion = motion.suggestion
    assert motion.status == Motion.Status.AS_SUGGESTION
    assert suggestion.township_id == cast.township_a.pk and suggestion.title == motion.title
    assert suggestion.lead_deputy_id == deps[0].pk


def test_stale_motion_decision_is_refused(cast, deps):
    motion = _submit(cast, cf.session(cast.township_a), deps[:5])
    services.motion_withdraw(motion=motion, actor=cast.staff_a)
    with pytest.raises(ValidationError, match="已被他人修改，请刷新后重试。"):
        services.motion_decide(
            motion=motion, decision="on_agenda", actor=cast.staff_a, expected_status="submitted"
        )


# ---------------------------------------------------------------- elections


def ballots(n, invalid=0):
    """Every deputy present takes a ballot and returns it."""
    return {"issued": n, "returned": n, "valid": n - invalid, "invalid": invalid}


def _in_session_with(cast, deps, present):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    Attendance.objects.bulk_create([Attendance(session=session, deputy=d, status="present") for d in present])
    return session


def test_candidate_needs_more_than_half_of_all_deputies_to_be_elected(cast, deps):
    session = _in_session_with(cast, deps, deps[:10])
    election = services.election_create(
        session=session,
        position="deputy_town_head",
        kind="by_election",
        seats=1,
        candidates=[("吴志刚", None), ("郑海", None)],
        actor=cast.staff_a,
    )
    a, b = election.candidates.order_by("pk")
    services.election_record(
        election=election, votes={a.pk: 6, b.pk: 4}, ballots=ballots(10), actor=cast.staff_a
    )
    assert Candidate.objects.get(pk=a.pk).elected is False  # 6 of 12 is exactly half
    election2 = services.election_create(
        session=session,
        position="deputy_town_head",
        kind="election",
        seats=1,
        candidates=[("吴志刚", None)],
        actor=cast.staff_a,
    )
    c = election2.candidates.get()
    services.election_record(election=election2, votes={c.pk: 7}, ballots=ballots(10), actor=cast.staff_a)
    assert Candidate.objects.get(pk=c.pk).elected is True


def test_elections_are_refused_without_quorum(cast, deps):
    session = _in_session_with(cast, deps, deps[:7])  # 7 of 12 < 8
    election = services.election_create(
        session=session,
        position="presidium_member",
        kind="election",
        seats=1,
        candidates=[(deps[0].name, deps[0])],
        actor=cast.staff_a,
    )
    with pytest.raises(ValidationError, match="法定人数"):
        services.election_record(
            election=election, votes={election.candidates.get().pk: 7}, ballots=ballots(7), actor=cast.staff_a
        )
    assert not PresidiumMembership.objects.exists()


def test_electing_presidium_members_updates_the_roster(cast, deps):
    session = _in_session_with(cast, deps, deps)
    election = services.election_create(
        session=session,
        position="presidium_member",
        kind="election",
        seats=2,
        candidates=[(d.name, d) for d in deps[:3]],
        actor=cast.staff_a,
    )
    c1, c2, c3 = election.candidates.order_by("pk")
    services.election_record(
        election=election, votes={c1.pk: 11, c2.pk: 7, c3.pk: 6}, ballots=ballots(12), actor=cast.staff_a
    )
    roster = PresidiumMembership.objects.filter(term=session.term, end_date__isnull=True)
    assert set(roster.values_list("deputy_id", flat=True)) == {deps[0].pk, deps[1].pk}
    assert roster.first().election_id == election.pk


def test_tie_on_the_last_seat_elects_neither(cast, deps):
    session = _in_session_with(cast, deps, deps)
    election = services.election_create(
        session=session,
        position="presidium_member",
        kind="election",
        seats=2,
        candidates=[(d.name, d) for d in deps[:3]],
        actor=cast.staff_a,
    )
    c1, c2, c3 = election.candidates.order_by("pk")
    services.election_record(
        election=election, votes={c1.pk: 10, c2.pk: 7, c3.pk: 7}, ballots=ballots(12), actor=cast.staff_a
    )
    assert set(Candidate.objects.filter(elected=True).values_list("pk", flat=True)) == {c1.pk}


def test_roster_above_the_maximum_size_is_refused_and_nothing_is_written(cast, deps):
    rules = cast.township_a.rules
    rules.presidium_max_members = 3
    rules.save()
    session = _in_session_with(cast, deps, deps)
    session = Session.objects.select_related("township__county").get(pk=session.pk)
    cf.roster(cast.township_a, deps[:2])
    election = services.election_create(
        session=session,
        position="presidium_member",
        kind="by_election",
        seats=2,
        candidates=[(d.name, d) for d in deps[2:4]],
        actor=cast.staff_a,
    )
    c1, c2 = election.candidates.order_by("pk")
    with pytest.raises(ValidationError, match="超过规定上限 3 人"):
        services.election_record(
            election=election, votes={c1.pk: 10, c2.pk: 10}, ballots=ballots(12), actor=cast.staff_a
        )
    assert PresidiumMembership.objects.count() == 2
    assert not Candidate.objects.filter(elected=True).exists()
    election.refresh_from_db()
    assert election.held_at is None


def test_presidium_candidates_must_be_deputies(cast, deps):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    with pytest.raises(ValidationError, match="须为本届代表"):
        services.election_create(
            session=session,
            position="presidium_member",
            kind="election",
            seats=1,
            candidates=[("外人", None)],
            actor=cast.staff_a,
        )


def test_missing_vote_counts_are_refused(cast, deps):
    session = _in_session_with(cast, deps, deps)
    election = services.election_create(
        session=session,
        position="other",
        kind="election",
        seats=1,
        candidates=[("甲", None), ("乙", None)],
        actor=cast.staff_a,
    )
    with pytest.raises(ValidationError, match="每位候选人"):
        services.election_record(
            election=election,
            votes={election.candidates.first().pk: 9},
            ballots=ballots(12),
            actor=cast.staff_a,
        )


def test_rejected_motion_may_still_be_handled_as_a_suggestion(cast, deps):
    session = _in_session_with(cast, deps, deps)
    motion = services.motion_decide(
        motion=_submit(cast, session, deps[:5]), decision="on_agenda", actor=cast.staff_a
    )
    services.vote_record(
        item=motion.agenda_item, votes_for=6, votes_against=6, abstentions=0, actor=cast.staff_a
    )
    motion.refresh_from_db()
    assert motion.status == Motion.Status.REJECTED  # 6 of 12 is exactly half
    motion = services.motion_decide(motion=motion, decision="as_suggestion", actor=cast.staff_a)
    assert motion.status == Motion.Status.AS_SUGGESTION and motion.suggestion_id


def test_electing_the_chair_makes_a_sitting_member_chair_of_the_presidium(cast, deps):
    session = _in_session_with(cast, deps, deps)
    cf.roster(cast.township_a, deps[:3])
    election = services.election_create(
        session=session,
        position="chair",
        kind="by_election",
        seats=1,
        candidates=[(deps[2].name, deps[2])],
        actor=cast.staff_a,
    )
    services.election_record(
        election=election, votes={election.candidates.get().pk: 12}, ballots=ballots(12), actor=cast.staff_a
    )
    membership = PresidiumMembership.objects.get(deputy=deps[2], end_date__isnull=True)
    assert membership.role == PresidiumMembership.Role.CHAIR
    assert PresidiumMembership.objects.filter(end_date__isnull=True).count() == 3
