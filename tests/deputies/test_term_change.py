"""换届: the 10th term hands over to the 11th. The past never changes; from the first session of the
new term, every count and pick list sees the new deputies only."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from congress import selectors as cs
from congress.models import Attendance, Session
from congress.services import attendance_mark, session_transition
from deputies import selectors, services
from deputies.forms import GroupForm, serving_deputies
from deputies.models import Deputy, ReceptionDay, Term
from tests import factories as f

from . import factories as df

D = dt.date
FIRST_SESSION = D(2026, 12, 28)


def elect(cast, term, name, *, born=None, district, on, gender="M", occupation=Deputy.Occupation.FARMER):
    return services.deputy_create(
        township=cast.township_a,
        term=term,
        actor=cast.staff_a,
        effective_date=on,
        fields={
            "name": name,
            "gender": gender,
            "birth_date": born,
            "district": district,
            "occupation": occupation,
        },
    )


def figures(cast, sessions):
    """Every figure of the past that a term change must not move."""
    out = {}
    for s in sessions:
        out[f"session {s.number}"] = cs.session_quorum(s)
        out[f"roll {s.number}"] = [d.pk for d in cs.roll_call_rows(s)]
    tid = cast.township_a.pk
    out["composition mid-2025"] = selectors.composition(township_id=tid, on=D(2025, 6, 30))
    out["vacancies mid-2025"] = [
        (r["district"].pk, r["serving"], r["vacancies"])
        for r in selectors.district_vacancy_rows(tid, on=D(2025, 6, 30))
    ]
    out["stats 2025"] = selectors.township_stats(
        township_ids=[tid], start=D(2025, 1, 1), end=D(2025, 12, 31)
    )[tid]
    return out


@pytest.fixture
def tenth_term(cast, time_machine):
    """The 10th term as an office builds it over five years: elected deputies in two districts, a
    resignation, a group, a station, two sessions with a roll call, a reception day planned ahead."""
    time_machine.move_to(dt.datetime(2022, 1, 5, 9))
    term = cast.deputy_a.term
    east = df.district(cast.township_a, name="东岭选区", seats=6)
    west = df.district(cast.township_a, name="西坝选区", seats=6)
    start = term.start_date
    old = [
        elect(cast, term, "张伟", born=D(1968, 3, 2), district=east, on=start),
        elect(cast, term, "李秀兰", born=D(1975, 8, 9), district=east, on=start, gender="F"),
        elect(cast, term, "王建国", born=D(1960, 1, 1), district=east, on=start),
        elect(cast, term, "赵红梅", born=D(1980, 5, 5), district=west, on=start, gender="F"),
        elect(cast, term, "陈志强", born=D(1972, 2, 2), district=west, on=start),
        elect(cast, term, "刘洋", born=D(1985, 7, 7), district=west, on=start, occupation="cadre"),
    ]
    group = services.group_save(
        township=cast.township_a, actor=cast.staff_a, name="东岭小组", leader=old[0], members=old[:3]
    )
    station = df.station(cast.township_a, name="东岭村代表联络站", deputies=old[:3])
    time_machine.move_to(dt.datetime(2024, 5, 6, 9))
    services.deputy_change_status(
        deputy=old[4],
        to_status=Deputy.Status.RESIGNED,
        effective_date=D(2024, 5, 1),
        actor=cast.staff_a,
        accepted_by_congress=True,
    )
    sessions = []
    for number, day in ((3, D(2024, 3, 1)), (5, D(2025, 3, 1))):
        time_machine.move_to(dt.datetime.combine(day, dt.time(9)))
        s = Session.objects.create(township=cast.township_a, term=term, number=number, start_date=day)
        session_transition(session=s, to_status=Session.Status.PREPARING, actor=cast.staff_a)
        s = session_transition(
            session=s, to_status=Session.Status.IN_SESSION, actor=cast.staff_a, confirm_warnings=True
        )
        for d in cs.session_deputies(s)[:5]:
            attendance_mark(session=s, deputy=d, status=Attendance.Status.PRESENT, actor=cast.staff_a)
        s = session_transition(session=s, to_status=Session.Status.CLOSED, actor=cast.staff_a)
        sessions.append(s)
    time_machine.move_to(dt.datetime(2026, 12, 1, 9))
    duty_day = df.reception_day(station, date=D(2027, 1, 20), deputies=[old[0], old[2]])
    return {
        "term": term,
        "old": old,
        "group": group,
        "station": station,
        "sessions": sessions,
        "duty_day": duty_day,
        "east": east,
        "west": west,
    }


@pytest.fixture
def eleventh_term(cast, tenth_term, time_machine):
    """After the general election the office creates the 11th term and enters its deputies: 张伟 and
    王建国 re-elected, a different 张伟 (born 1990) newly elected, two newcomers."""
    time_machine.move_to(dt.datetime(2026, 12, 15, 9))
    term = services.term_create(
        township=cast.township_a, actor=cast.staff_a, number=11, start_date=FIRST_SESSION
    )
    east, west = tenth_term["east"], tenth_term["west"]
    on = D(2026, 12, 15)
    new = [
        elect(cast, term, "张伟", born=D(1968, 3, 2), district=east, on=on),
        elect(cast, term, "王建国", born=D(1960, 1, 1), district=east, on=on),
        elect(cast, term, "张伟", born=D(1990, 10, 1), district=west, on=on),
        elect(cast, term, "孙丽", born=D(1988, 4, 4), district=west, on=on, gender="F"),
        elect(cast, term, "周强", born=D(1979, 9, 9), district=west, on=on),
    ]
    return {"term": term, "new": new}


def test_a_full_term_change_leaves_every_past_figure_as_it_was(cast, tenth_term, eleventh_term, time_machine):
    before = figures(cast, tenth_term["sessions"])
    time_machine.move_to(dt.datetime(2026, 12, 29, 9))
    done = services.term_change(
        new_term=eleventh_term["term"], actor=cast.staff_a, effective_date=FIRST_SESSION
    )
    assert done["closed"] == 7 and done["started"] == 5  # 5 elected + deputy_a, deputy_a2 of the cast
    for s in tenth_term["sessions"]:
        s.refresh_from_db()
    after = figures(cast, tenth_term["sessions"])
    assert after == before
    assert before["session 3"]["total"] == 8 and before["session 5"]["total"] == 7  # the resignation


def test_after_the_change_counts_and_pick_lists_see_only_the_new_term(
    cast, tenth_term, eleventh_term, time_machine
):
    time_machine.move_to(dt.datetime(2026, 12, 29, 9))
    services.term_change(new_term=eleventh_term["term"], actor=cast.staff_a, effective_date=FIRST_SESSION)
    new_ids = {d.pk for d in eleventh_term["new"]}
    assert set(serving_deputies(cast.township_a).values_list("pk", flat=True)) == new_ids
    first = Session.objects.create(
        township=cast.township_a, term=eleventh_term["term"], number=1, start_date=FIRST_SESSION
    )
    assert cs.session_quorum(first)["total"] == 5
    stats = selectors.township_stats(
        township_ids=[cast.township_a.pk], start=D(2026, 12, 1), end=D(2026, 12, 31)
    )
    assert stats[cast.township_a.pk]["deputies_serving"] == 5
    comp = selectors.composition(township_id=cast.township_a.pk)
    assert comp["total"] == 5
    # Two deputies named 张伟 in the pick list: told apart by district, group and birth year.
    labels = [label for _pk, label in GroupForm(township=cast.township_a).fields["members"].choices]
    assert "张伟（东岭选区·东岭小组·1968年生）" in labels and "张伟（西坝选区·1990年生）" in labels
    old = Term.objects.get(pk=tenth_term["term"].pk)
    assert old.end_date == FIRST_SESSION
    assert not Deputy.objects.filter(term=old, status=Deputy.Status.SERVING).exists()


def test_before_the_first_session_the_elected_deputies_are_not_yet_serving(
    cast, tenth_term, eleventh_term, time_machine
):
    time_machine.move_to(dt.datetime(2026, 12, 29, 9))
    services.term_change(new_term=eleventh_term["term"], actor=cast.staff_a, effective_date=FIRST_SESSION)
    on_eve = set(
        Deputy.objects.filter(township=cast.township_a)
        .serving(D(2026, 12, 27))
        .values_list("term__number", flat=True)
    )
    assert on_eve == {10}
    on_day = set(
        Deputy.objects.filter(township=cast.township_a)
        .serving(FIRST_SESSION)
        .values_list("term__number", flat=True)
    )
    assert on_day == {11}


def test_groups_stations_and_duty_rosters_carry_over_to_the_re_elected_as_a_draft(
    cast, tenth_term, eleventh_term, time_machine
):
    time_machine.move_to(dt.datetime(2026, 12, 29, 9))
    done = services.term_change(
        new_term=eleventh_term["term"], actor=cast.staff_a, effective_date=FIRST_SESSION
    )
    zhang_old, wang_new, zhang_new = tenth_term["old"][0], eleventh_term["new"][1], eleventh_term["new"][0]
    group = tenth_term["group"]
    group.refresh_from_db()
    assert group.leader_id == zhang_new.pk  # the leader was re-elected
    assert set(group.members.serving().values_list("pk", flat=True)) == {zhang_new.pk, wang_new.pk}
    assert set(tenth_term["station"].deputies.serving().values_list("pk", flat=True)) == {
        zhang_new.pk,
        wang_new.pk,
    }
    assert tenth_term["station"].deputies.filter(pk=zhang_old.pk).exists()  # the archive keeps the old link
    duty = set(ReceptionDay.objects.get(pk=tenth_term["duty_day"].pk).deputies.values_list("pk", flat=True))
    assert duty == {zhang_new.pk, wang_new.pk}
    assert done["re_elected"] == 2 and done["groups"] == 1 and done["stations"] == 1


def test_a_past_terms_deputy_is_archived_read_only(cast, tenth_term, eleventh_term, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 29, 9))
    services.term_change(new_term=eleventh_term["term"], actor=cast.staff_a, effective_date=FIRST_SESSION)
    old = Deputy.objects.get(pk=tenth_term["old"][1].pk)
    assert old.status == Deputy.Status.TERM_ENDED and old.status_since == FIRST_SESSION
    with pytest.raises(ValidationError, match="只读"):
        services.deputy_update(deputy=old, actor=cast.staff_a, fields={"phone": "13900000000"})


def test_a_term_change_is_refused_before_the_first_session_or_without_deputies(
    cast, tenth_term, time_machine
):
    time_machine.move_to(dt.datetime(2026, 12, 20, 9))
    empty = services.term_create(
        township=cast.township_a, actor=cast.staff_a, number=11, start_date=FIRST_SESSION
    )
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.term_change(new_term=empty, actor=cast.staff_a, effective_date=FIRST_SESSION)
    with pytest.raises(ValidationError, match="还没有代表"):
        services.term_change(new_term=empty, actor=cast.staff_a, effective_date=D(2026, 12, 18))
    assert Deputy.objects.filter(term=tenth_term["term"], status=Deputy.Status.SERVING).count() == 7


def test_the_terms_page_offers_the_change_and_runs_it(cast, client, tenth_term, eleventh_term, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 29, 9))
    client.force_login(cast.staff_a)
    page = client.get(reverse("deputies:terms")).content.decode()
    assert "办理换届" in page
    url = reverse("deputies:term_change", args=[eleventh_term["term"].pk])
    response = client.post(url, {"effective_date": "2026-12-28", "carry_over": "1"}, follow=True)
    assert "换届完成" in response.content.decode()
    assert not Deputy.objects.filter(term=tenth_term["term"], status=Deputy.Status.SERVING).exists()


def test_staff_of_another_township_cannot_change_its_term(cast, client, eleventh_term, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 29, 9))
    client.force_login(cast.staff_b)
    url = reverse("deputies:term_change", args=[eleventh_term["term"].pk])
    assert client.post(url, {"effective_date": "2026-12-28"}).status_code in (403, 404)
    assert Deputy.objects.filter(pk=cast.deputy_a.pk, status=Deputy.Status.SERVING).exists()


def test_equal_names_in_a_pick_list_come_with_district_and_birth_year(cast):
    d = f.DeputyFactory(township=cast.township_a, name="王芳", birth_date=D(1971, 1, 1))
    assert d.choice_label == f"王芳（{d.district.name}·1971年生）"
