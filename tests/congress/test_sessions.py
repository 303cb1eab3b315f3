"""Session workflow, agenda documents, roll call and votes through congress.services."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congress import selectors, services
from congress.models import AgendaItem, Attendance, Session, SessionEvent, Vote

from . import factories as cf

pytestmark = pytest.mark.django_db


@pytest.fixture
def deps(cast):
    return [cast.deputy_a, cast.deputy_a2, *cf.deputies(cast.township_a, 7)]  # 9 deputies, quorum 6


def _present(session, deputies):
    Attendance.objects.bulk_create(
        [Attendance(session=session, deputy=d, status="present") for d in deputies]
    )


def test_votes_are_refused_without_quorum_and_nothing_is_written(cast, deps):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    _present(session, deps[:5])
    item = cf.agenda_item(session)
    with pytest.raises(ValidationError) as exc:
        services.vote_record(item=item, votes_for=5, votes_against=0, abstentions=0, actor=cast.staff_a)
    assert "未达到法定人数" in exc.value.messages[0]
    assert not Vote.objects.exists()


def test_vote_outcome_is_computed_from_all_deputies(cast, deps):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    _present(session, deps[:6])
    passed = services.vote_record(
        item=cf.agenda_item(session), votes_for=5, votes_against=1, abstentions=0, actor=cast.staff_a
    )
    failed = services.vote_record(
        item=cf.agenda_item(session, title="另一决议"),
        votes_for=4,
        votes_against=0,
        abstentions=2,
        actor=cast.staff_a,
    )
    assert passed.passed is True and failed.passed is False  # 9 deputies: 5 is a majority, 4 is not


def test_tally_larger_than_those_present_is_refused(cast, deps):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    _present(session, deps[:6])
    with pytest.raises(ValidationError, match="超过出席人数"):
        services.vote_record(
            item=cf.agenda_item(session), votes_for=6, votes_against=1, abstentions=0, actor=cast.staff_a
        )
    assert not Vote.objects.exists()


def test_vote_only_while_in_session_and_only_once(cast, deps):
    session = cf.session(cast.township_a, status=Session.Status.PREPARING)
    item = cf.agenda_item(session)
    with pytest.raises(ValidationError, match="会议进行中"):
        services.vote_record(item=item, votes_for=6, votes_against=0, abstentions=0, actor=cast.staff_a)
    Session.objects.filter(pk=session.pk).update(status=Session.Status.IN_SESSION)
    _present(session, deps[:6])
    item.session.status = Session.Status.IN_SESSION
    services.vote_record(item=item, votes_for=6, votes_against=0, abstentions=0, actor=cast.staff_a)
    with pytest.raises(ValidationError, match="已被他人修改，请刷新后重试。"):
        services.vote_record(item=item, votes_for=1, votes_against=0, abstentions=0, actor=cast.staff_a)
    assert Vote.objects.get(agenda_item=item).votes_for == 6


def test_session_workflow_writes_an_event_per_transition_and_refuses_skipping(cast, deps):
    session = services.session_create(
        township=cast.township_a,
        term=deps[0].term,
        number=1,
        kind="ordinary",
        start_date=dt.date(2025, 1, 10),
        actor=cast.staff_a,
    )
    with pytest.raises(ValidationError, match="不能改为"):
        services.session_transition(session=session, to_status="closed", actor=cast.staff_a)
    for status in ("preparing", "in_session", "closed"):
        session = services.session_transition(
            session=session, to_status=status, actor=cast.staff_a, confirm_warnings=True
        )
    assert list(SessionEvent.objects.filter(session=session).values_list("from_status", "to_status")) == [
        ("", "planned"),
        ("planned", "preparing"),
        ("preparing", "in_session"),
        ("in_session", "closed"),
    ]


def test_closing_marks_everyone_not_called_as_absent(cast, deps):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    _present(session, deps[:6])
    services.session_transition(session=session, to_status="closed", actor=cast.staff_a)
    assert Attendance.objects.filter(session=session, status="absent").count() == 3


def test_stale_transition_is_refused_with_a_refresh_message(cast, deps):
    session = cf.session(cast.township_a)
    services.session_transition(
        session=session, to_status="preparing", actor=cast.staff_a, expected_status="planned"
    )
    with pytest.raises(ValidationError, match="已被他人修改，请刷新后重试。"):
        services.session_transition(
            session=session, to_status="cancelled", actor=cast.staff_a, expected_status="planned"
        )
    assert Session.objects.get(pk=session.pk).status == "preparing"


def test_duplicate_session_number_in_a_term_is_refused(cast, deps):
    cf.session(cast.township_a, number=2)
    with pytest.raises(ValidationError):
        services.session_create(
            township=cast.township_a,
            term=deps[0].term,
            number=2,
            kind="ordinary",
            start_date=dt.date(2025, 6, 1),
            actor=cast.staff_a,
        )
    assert Session.objects.count() == 1


def test_other_townships_staff_and_county_staff_cannot_write(cast, deps):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    for actor in (cast.staff_b, cast.county_staff_a, cast.deputy_a.user):
        with pytest.raises(PermissionDenied):
            services.attendance_mark(session=session, deputy=deps[0], status="present", actor=actor)
    assert not Attendance.objects.exists()


def test_roll_call_marks_upsert_one_row_per_deputy(cast, deps):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    services.attendance_mark(session=session, deputy=deps[0], status="absent", actor=cast.staff_a)
    services.attendance_mark(session=session, deputy=deps[0], status="present", actor=cast.staff_a)
    assert list(Attendance.objects.filter(session=session).values_list("status", flat=True)) == ["present"]


def test_roll_call_refuses_a_deputy_of_another_township(cast, deps):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    with pytest.raises(ValidationError, match="不是本次会议的在任代表"):
        services.attendance_mark(session=session, deputy=cast.deputy_b, status="present", actor=cast.staff_a)


def test_report_sent_on_the_opening_day_or_never_is_late(cast, deps):
    session = cf.session(cast.township_a, start_date=dt.date(2025, 1, 10))
    early = cf.agenda_item(session, kind="gov_report", document_sent_on=dt.date(2025, 1, 5))
    same_day = cf.agenda_item(session, kind="budget_report", document_sent_on=dt.date(2025, 1, 10))
    never = cf.agenda_item(session, kind="presidium_report")
    resolution = cf.agenda_item(session)
    assert [i.document_late for i in (early, same_day, never, resolution)] == [False, True, True, False]
    late = AgendaItem.objects.filter(selectors.late_documents_q())
    assert set(late.values_list("pk", flat=True)) == {same_day.pk, never.pk}


def test_agenda_item_without_title_is_refused(cast, deps):
    session = cf.session(cast.township_a)
    with pytest.raises(ValidationError):
        services.agenda_item_add(session=session, kind="gov_report", title="  ", actor=cast.staff_a)
    assert not AgendaItem.objects.exists()


def test_checklist_ticks_are_audited(cast, deps):
    from presidium.models import AuditEntry

    session = cf.session(cast.township_a)
    services.session_set_checklist(session=session, item="prep_funding", done=True, actor=cast.staff_a)
    assert Session.objects.get(pk=session.pk).prep_funding is True
    assert (
        AuditEntry.objects.filter(action="congress.session.checklist", township=cast.township_a).count() == 1
    )
    with pytest.raises(ValidationError):
        services.session_set_checklist(session=session, item="password", done=True, actor=cast.staff_a)


def test_sessions_behind_the_yearly_number_are_warned(cast, deps):
    today = dt.date(2025, 11, 20)
    cf.session(cast.township_a, status=Session.Status.CLOSED, start_date=dt.date(2025, 1, 10))
    warnings = selectors.township_warnings(cast.township_a, today)
    assert any("少于每年 2 次" in w for w in warnings)
    cf.session(cast.township_a, start_date=dt.date(2025, 12, 20))
    assert not any("少于每年" in w for w in selectors.township_warnings(cast.township_a, today))


def test_planned_session_dates_and_place_can_be_changed_and_are_audited(cast, deps):
    from presidium.models import AuditEntry

    session = cf.session(cast.township_a, place="旧址")
    services.session_update(
        session=session, start_date=dt.date(2025, 2, 1), place="新礼堂", actor=cast.staff_a
    )
    session.refresh_from_db()
    assert (session.start_date, session.place) == (dt.date(2025, 2, 1), "新礼堂")
    assert AuditEntry.objects.get(action="congress.session.update").detail["before"]["place"] == "旧址"


def test_opened_session_cannot_be_rescheduled(cast, deps):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    with pytest.raises(ValidationError, match="不能再修改"):
        services.session_update(session=session, start_date=dt.date(2025, 2, 1), actor=cast.staff_a)
    assert Session.objects.get(pk=session.pk).start_date == cf.START


def test_session_edit_page_refuses_end_before_start(cast, deps, staff_client):
    from django.urls import reverse

    session = cf.session(cast.township_a)
    response = staff_client.post(
        reverse("congress:session_edit", args=[session.pk]),
        {"kind": "ordinary", "start_date": "2025-03-10", "end_date": "2025-03-01"},
    )
    assert "闭幕日期不能早于开幕日期" in response.content.decode()
    assert Session.objects.get(pk=session.pk).start_date == cf.START
