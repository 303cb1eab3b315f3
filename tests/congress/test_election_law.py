"""Elections counted as the Election Law counts them: ballots issued, returned, valid and invalid;
every impossible total refused; a void election and a second round recorded; the results sheet."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from congress import services
from congress.models import Attendance, Candidate, Election, Session

from . import factories as cf


@pytest.fixture
def session(cast):
    """A session of 48 deputies, 44 present (the case of the issue)."""
    deps = [cast.deputy_a, cast.deputy_a2, *cf.deputies(cast.township_a, 46)]
    s = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    Attendance.objects.bulk_create([Attendance(session=s, deputy=d, status="present") for d in deps[:44]])
    return s


def town_head(cast, session, names=("吴志刚", "郑海"), seats=1):
    return services.election_create(
        session=session,
        position="town_head",
        kind="election",
        seats=seats,
        candidates=[(n, None) for n in names],
        actor=cast.staff_a,
    )


def count(cast, election, votes, *, issued=44, returned=44, valid=43, invalid=1):
    cands = list(election.candidates.order_by("pk"))
    return services.election_record(
        election=election,
        votes={c.pk: v for c, v in zip(cands, votes, strict=True)},
        ballots={"issued": issued, "returned": returned, "valid": valid, "invalid": invalid},
        actor=cast.staff_a,
    )


def nothing_recorded(election):
    election.refresh_from_db()
    return (
        election.held_at is None
        and not Candidate.objects.filter(election=election, votes__isnull=False).exists()
    )


@pytest.mark.parametrize(
    ("votes", "ballots", "message"),
    [
        # The case: one seat, 44 present, 40 + 30 votes.
        ((40, 30), {"issued": 44, "returned": 44, "valid": 44, "invalid": 0}, "超过有效票"),
        ((30, 20), {"issued": 44, "returned": 44, "valid": 40, "invalid": 4}, "超过有效票"),
        ((41, 0), {"issued": 44, "returned": 44, "valid": 40, "invalid": 4}, "0 至有效票数"),
        ((20, 10), {"issued": 45, "returned": 44, "valid": 44, "invalid": 0}, "多于出席代表"),
        ((20, 10), {"issued": 44, "returned": 44, "valid": 40, "invalid": 3}, "之和须等于收回选票"),
        ((20, 10), {"issued": 44, "returned": None, "valid": 40, "invalid": 4}, "请填写"),
    ],
)
def test_an_impossible_count_is_refused_and_nothing_is_written(cast, session, votes, ballots, message):
    election = town_head(cast, session)
    cands = list(election.candidates.order_by("pk"))
    with pytest.raises(ValidationError, match=message):
        services.election_record(
            election=election,
            votes={c.pk: v for c, v in zip(cands, votes, strict=True)},
            ballots=ballots,
            actor=cast.staff_a,
        )
    assert nothing_recorded(election)


def test_marks_on_a_ballot_are_bounded_by_the_seats(cast, session):
    # Two seats, 40 valid ballots: at most 80 marks in all.
    election = town_head(cast, session, names=("甲", "乙", "丙"), seats=2)
    with pytest.raises(ValidationError, match="应选名额 2 名 = 80 票"):
        count(cast, election, (35, 30, 20), valid=40, invalid=4)
    count(cast, election, (35, 30, 15), valid=40, invalid=4)
    assert set(Candidate.objects.filter(election=election, elected=True).values_list("name", flat=True)) == {
        "甲",
        "乙",
    }


def test_more_ballots_returned_than_issued_makes_the_election_void(cast, session):
    election = town_head(cast, session)
    count(cast, election, (30, 10), issued=43, returned=44, valid=44, invalid=0)
    election.refresh_from_db()
    assert election.void and election.is_held and election.ballots_returned == 44
    assert not Candidate.objects.filter(election=election, elected=True).exists()
    again = services.election_next_round(election=election, actor=cast.staff_a)
    assert again.round == 2 and again.seats == 1 and again.first_round == election
    assert list(again.candidates.values_list("name", flat=True)) == ["吴志刚", "郑海"]
    count(cast, again, (30, 13), issued=44, returned=44, valid=43, invalid=1)
    assert Candidate.objects.get(election=again, name="吴志刚").elected


def test_elected_needs_more_than_half_of_all_deputies_not_of_those_present(cast, session):
    # 48 deputies: 24 votes is half (not elected), 25 is more than half.
    election = town_head(cast, session)
    count(cast, election, (24, 19), valid=43, invalid=1)
    assert not Candidate.objects.filter(election=election, elected=True).exists()
    election.refresh_from_db()
    assert election.needs_another_round
    second = services.election_next_round(election=election, actor=cast.staff_a)
    count(cast, second, (25, 18), valid=43, invalid=1)
    assert Candidate.objects.get(election=second, name="吴志刚").elected


def test_fewer_elected_than_seats_records_a_second_round_for_the_open_seats(cast, session):
    election = town_head(cast, session, names=("甲", "乙", "丙", "丁"), seats=2)
    count(cast, election, (40, 20, 20, 5), valid=43, invalid=1)  # 乙 and 丙 tie below the majority
    election.refresh_from_db()
    assert election.elected_count == 1 and election.needs_another_round
    second = services.election_next_round(election=election, actor=cast.staff_a)
    assert second.seats == 1 and second.round == 2
    assert set(second.candidates.values_list("name", flat=True)) == {"乙", "丙", "丁"}
    with pytest.raises(ValidationError, match="已安排下一轮"):
        services.election_next_round(election=election, actor=cast.staff_a)
    count(cast, second, (26, 16, 1), valid=43, invalid=1)
    second.refresh_from_db()
    assert not second.needs_another_round and str(second).endswith("（第2轮）")


def test_a_tie_for_the_last_seat_goes_to_another_round_between_the_tied(cast, session):
    election = town_head(cast, session, names=("甲", "乙", "丙"), seats=2)
    count(cast, election, (34, 26, 26), valid=43, invalid=1)  # both tied reach the majority
    assert set(Candidate.objects.filter(election=election, elected=True).values_list("name", flat=True)) == {
        "甲"
    }
    second = services.election_next_round(election=election, actor=cast.staff_a)
    assert set(second.candidates.values_list("name", flat=True)) == {"乙", "丙"}


def test_the_count_page_records_ballots_and_the_results_sheet_prints_them(cast, session):
    election = town_head(cast, session)
    a, b = election.candidates.order_by("pk")
    client = cast.client_for(cast.staff_a)
    url = reverse("congress:election_count", args=[election.pk])
    refused = client.post(
        url,
        {
            "ballots_issued": 44,
            "ballots_returned": 44,
            "ballots_valid": 44,
            "ballots_invalid": 0,
            f"c{a.pk}": 40,
            f"c{b.pk}": 30,
        },
        follow=True,
    )
    assert "超过有效票" in refused.content.decode() and nothing_recorded(election)
    client.post(
        url,
        {
            "ballots_issued": 44,
            "ballots_returned": 44,
            "ballots_valid": 42,
            "ballots_invalid": 2,
            f"c{a.pk}": 30,
            f"c{b.pk}": 12,
        },
    )
    election.refresh_from_db()
    assert election.ballots_valid == 42 and Candidate.objects.get(pk=a.pk).elected
    response = client.get(reverse("congress:election_report_pdf", args=[election.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "选举结果报告单" in text and "吴志刚" in text and "第十届人民代表大会第一次会议" in text
    assert "42" in text and "44" in text


def test_session_names_print_in_chinese_numerals(cast):
    s = cf.session(cast.township_a, number=12)
    assert str(s) == "第十届人民代表大会第十二次会议"
    assert s.official_name == f"{cast.township_a.name}第十届人民代表大会第十二次会议"
    assert str(s.term) == "第十届"
    assert Election.objects.count() == 0
