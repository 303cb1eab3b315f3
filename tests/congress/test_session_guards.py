"""Session guards: no opening before the day; opening with an unfinished 五落实 or a report not
delivered in time needs confirmation and is flagged; a township deputy's resignation is accepted by
the congress (majority of all deputies), the presidium only proposes it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from congress import selectors, services
from congress.models import AgendaItem, Attendance, MeetingTopic, Session
from deputies import services as deputy_services
from deputies.models import Deputy

from . import factories as cf

DAY = dt.date(2026, 3, 10)


@pytest.fixture
def prepared(cast, time_machine):
    """A session on 10 March with every 五落实 item done and the reports sent on 5 March."""
    time_machine.move_to(dt.datetime(2026, 3, 5, 9))
    session = cf.session(cast.township_a, status=Session.Status.PREPARING, start_date=DAY)
    for item in Session.CHECKLIST:
        services.session_set_checklist(session=session, item=item, done=True, actor=cast.staff_a)
    services.agenda_item_add(
        session=session,
        kind=AgendaItem.Kind.GOVERNMENT_REPORT,
        title="镇人民政府工作报告",
        document_sent_on=dt.date(2026, 3, 5),
        actor=cast.staff_a,
    )
    return session


def open_session(cast, session, **kw):
    return services.session_transition(
        session=session, to_status=Session.Status.IN_SESSION, actor=cast.staff_a, **kw
    )


def test_a_session_cannot_be_opened_before_its_date(cast, prepared, time_machine):
    time_machine.move_to(dt.datetime(2026, 2, 19, 9))  # 19 days early, the case
    with pytest.raises(ValidationError, match="不能提前开幕"):
        open_session(cast, prepared, confirm_warnings=True)
    assert Session.objects.get(pk=prepared.pk).status == Session.Status.PREPARING
    stats = selectors.township_stats(
        township_ids=[cast.township_a.pk], start=DAY.replace(month=1, day=1), end=DAY
    )
    assert stats[cast.township_a.pk]["sessions_held"] == 0


def test_a_prepared_session_opens_on_its_day_without_a_flag(cast, prepared, time_machine):
    time_machine.move_to(dt.datetime.combine(DAY, dt.time(9)))
    session = open_session(cast, prepared)
    assert session.status == Session.Status.IN_SESSION and session.opening_flags == []


def test_an_unfinished_checklist_or_a_late_report_asks_for_confirmation_and_is_flagged(
    cast, prepared, time_machine
):
    time_machine.move_to(dt.datetime.combine(DAY, dt.time(8)))
    services.session_set_checklist(session=prepared, item="prep_funding", done=False, actor=cast.staff_a)
    services.agenda_item_add(
        session=prepared,
        kind=AgendaItem.Kind.BUDGET_REPORT,
        title="财政预算报告",
        document_sent_on=DAY,  # handed out on the opening day: too late
        actor=cast.staff_a,
    )
    with pytest.raises(ValidationError, match=r"会议经费落实.*财政预算报告") as exc:
        open_session(cast, prepared)
    assert exc.value.error_list[0].code == "needs_confirmation"
    assert Session.objects.get(pk=prepared.pk).status == Session.Status.PREPARING
    session = open_session(cast, prepared, confirm_warnings=True)
    assert session.status == Session.Status.IN_SESSION
    assert len(session.opening_flags) == 2 and "会议经费落实" in session.opening_flags[0]
    stats = selectors.township_stats(township_ids=[cast.township_a.pk], start=dt.date(2026, 1, 1), end=DAY)
    assert stats[cast.township_a.pk]["sessions_opened_unprepared"] == 1


def test_the_session_page_shows_what_is_missing_and_the_open_button_confirms(
    cast, client, prepared, time_machine
):
    time_machine.move_to(dt.datetime.combine(DAY, dt.time(8)))
    services.session_set_checklist(session=prepared, item="prep_publicity", done=False, actor=cast.staff_a)
    client.force_login(cast.staff_a)
    page = client.get(reverse("congress:session_detail", args=[prepared.pk])).content.decode()
    assert "开幕前尚有未落实事项" in page and "宣传任务落实" in page
    url = reverse("congress:session_transition", args=[prepared.pk])
    client.post(url, {"to": "in_session", "expected": "preparing"})
    assert Session.objects.get(pk=prepared.pk).status == Session.Status.PREPARING  # not confirmed
    client.post(url, {"to": "in_session", "expected": "preparing", "confirm": "1"})
    prepared.refresh_from_db()
    assert prepared.status == Session.Status.IN_SESSION and prepared.opening_flags
    assert (
        "本次会议未落实即开幕"
        in client.get(reverse("congress:session_detail", args=[prepared.pk])).content.decode()
    )


def test_a_township_deputys_resignation_cannot_be_recorded_directly(cast):
    with pytest.raises(ValidationError, match="代表法第四十九条"):
        deputy_services.deputy_change_status(
            deputy=cast.deputy_a2, to_status="resigned", effective_date=dt.date.today(), actor=cast.staff_a
        )
    assert Deputy.objects.get(pk=cast.deputy_a2.pk).status == Deputy.Status.SERVING


def test_the_presidium_only_proposes_a_resignation(cast):
    meeting = cf.meeting(cast.township_a, date=dt.date.today())
    topic = services.topic_add(
        meeting=meeting,
        title="提请人代会接受李某辞去代表职务",
        kind=MeetingTopic.Kind.RESIGNATION,
        link=cast.deputy_a2,
        actor=cast.staff_a,
    )
    assert topic.get_kind_display() == "提请人代会接受代表辞职"
    assert Deputy.objects.get(pk=cast.deputy_a2.pk).status == Deputy.Status.SERVING


@pytest.fixture
def in_session(cast):
    deps = [cast.deputy_a, cast.deputy_a2, *cf.deputies(cast.township_a, 10)]  # 12 deputies
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION, start_date=dt.date.today())
    Attendance.objects.bulk_create(
        [Attendance(session=session, deputy=d, status="present") for d in deps[:10]]
    )
    return session


def resignation(cast, session, deputy):
    return services.agenda_item_add(
        session=session, kind=AgendaItem.Kind.RESIGNATION, title="", deputy=deputy, actor=cast.staff_a
    )


def test_the_congress_accepts_a_resignation_with_more_than_half_of_all_deputies(cast, in_session):
    item = resignation(cast, in_session, cast.deputy_a2)
    assert item.title == f"关于接受{cast.deputy_a2.name}辞去镇人民代表大会代表职务的决定"
    services.vote_record(item=item, votes_for=7, votes_against=2, abstentions=1, actor=cast.staff_a)
    deputy = Deputy.objects.get(pk=cast.deputy_a2.pk)
    assert deputy.status == Deputy.Status.RESIGNED and deputy.status_since == dt.date.today()
    change = deputy.status_changes.get(to_status="resigned")
    assert change.document_ref == str(in_session) and "赞成7票" in change.note


def test_half_of_all_deputies_is_not_enough_to_accept_a_resignation(cast, in_session):
    item = resignation(cast, in_session, cast.deputy_a2)
    vote = services.vote_record(item=item, votes_for=6, votes_against=3, abstentions=1, actor=cast.staff_a)
    assert vote.passed is False  # 6 of 12 present-or-not is half, not more than half
    assert Deputy.objects.get(pk=cast.deputy_a2.pk).status == Deputy.Status.SERVING


def test_a_resignation_item_names_a_serving_deputy_of_the_term(cast, in_session):
    with pytest.raises(ValidationError, match="在任乡镇人大代表"):
        resignation(cast, in_session, None)
    with pytest.raises(ValidationError, match="在任乡镇人大代表"):
        resignation(cast, in_session, cast.deputy_b)
    resignation(cast, in_session, cast.deputy_a2)
    with pytest.raises(ValidationError, match="已安排"):
        resignation(cast, in_session, cast.deputy_a2)
