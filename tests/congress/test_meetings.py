"""Presidium meetings: members' quorum, decisions by a majority of all members, minutes, quarterly
warning, notices; figures for dashboards and the performance archive."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from congress import selectors, services
from congress.archive import meetings as archive_meetings
from congress.models import Attendance, MeetingAttendance, MeetingTopic, PresidiumMeeting, Session
from notifications.models import Notification

from . import factories as cf

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(cast):
    deps = [cast.deputy_a, cast.deputy_a2, *cf.deputies(cast.township_a, 7)]
    cf.roster(cast.township_a, deps)
    return deps  # 9 members: quorum 6, majority 5


def _held(cast, day, members, present):
    meeting = cf.meeting(cast.township_a, date=day)
    for d in members[:present]:
        services.meeting_mark_attendance(meeting=meeting, deputy=d, status="present", actor=cast.staff_a)
    return services.meeting_transition(meeting=meeting, to_status="held", actor=cast.staff_a)


def test_decision_needs_a_majority_of_all_members(cast, members):
    meeting = _held(cast, dt.date(2025, 2, 10), members, 6)
    topic = services.topic_add(
        meeting=meeting, title="研究监督工作计划", kind="supervision_plan", actor=cast.staff_a
    )
    topic = services.topic_record_vote(
        topic=topic, votes_for=4, votes_against=0, abstentions=2, actor=cast.staff_a
    )
    assert topic.passed is False  # 4 of 9 members is not a majority though all present but two agreed
    topic2 = services.topic_add(meeting=meeting, title="接受辞职", kind="resignation", actor=cast.staff_a)
    assert (
        services.topic_record_vote(
            topic=topic2, votes_for=5, votes_against=1, abstentions=0, actor=cast.staff_a
        ).passed
        is True
    )


def test_decision_refused_below_the_members_quorum(cast, members):
    meeting = _held(cast, dt.date(2025, 2, 10), members, 5)
    topic = services.topic_add(meeting=meeting, title="议题", actor=cast.staff_a)
    with pytest.raises(ValidationError, match="法定人数"):
        services.topic_record_vote(
            topic=topic, votes_for=5, votes_against=0, abstentions=0, actor=cast.staff_a
        )
    assert MeetingTopic.objects.get(pk=topic.pk).passed is None


def test_non_member_is_refused_at_the_members_roll_and_observers_are_not_counted(cast, members):
    outsider = cf.deputies(cast.township_a, 1)[0]
    meeting = cf.meeting(cast.township_a, date=dt.date(2025, 2, 10))
    with pytest.raises(ValidationError, match="不是主席团成员"):
        services.meeting_mark_attendance(
            meeting=meeting, deputy=outsider, status="present", actor=cast.staff_a
        )
    services.observer_add(meeting=meeting, name="镇长", affiliation="镇政府", actor=cast.staff_a)
    q = selectors.meeting_quorum(meeting)
    assert (q["present"], q["total"]) == (0, 9)
    assert not MeetingAttendance.objects.exists()


def test_member_count_is_frozen_when_the_meeting_is_held(cast, members):
    meeting = _held(cast, dt.date(2025, 2, 10), members, 6)
    assert meeting.member_count == 9
    services.membership_end(
        membership=members[0].presidium_memberships.get(), end_date=dt.date(2025, 3, 1), actor=cast.staff_a
    )
    assert selectors.meeting_quorum(PresidiumMeeting.objects.get(pk=meeting.pk))["total"] == 9


def test_meeting_in_the_future_cannot_be_marked_held(cast, members):
    meeting = cf.meeting(cast.township_a, date=dt.date.today() + dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="日期未到"):
        services.meeting_transition(meeting=meeting, to_status="held", actor=cast.staff_a)


def test_minutes_are_saved_and_audited(cast, members):
    from presidium.models import AuditEntry

    meeting = cf.meeting(cast.township_a)
    services.meeting_save_minutes(
        meeting=meeting, minutes="会议听取了建议办理情况通报。", recorder="秘书", actor=cast.staff_a
    )
    assert PresidiumMeeting.objects.get(pk=meeting.pk).minutes == "会议听取了建议办理情况通报。"
    assert AuditEntry.objects.filter(action="congress.meeting.minutes").count() == 1


def test_quarter_without_a_presidium_meeting_is_warned(cast, members):
    _held(cast, dt.date(2025, 2, 10), members, 6)
    _held(cast, dt.date(2025, 8, 10), members, 6)
    today = dt.date(2025, 10, 15)
    gaps = selectors.meeting_gaps([cast.township_a.pk], dt.date(2025, 1, 1), today, today)[cast.township_a.pk]
    assert gaps == [(dt.date(2025, 4, 1), dt.date(2025, 6, 30))]  # Q4 has not ended yet
    assert any("2025-04-01 至 2025-06-30" in w for w in selectors.township_warnings(cast.township_a, today))


def test_meeting_interval_comes_from_the_county_rules(cast, members):
    rules = cast.township_a.rules
    rules.presidium_meeting_interval_months = 6
    rules.save()
    _held(cast, dt.date(2025, 2, 10), members, 6)
    today = dt.date(2025, 12, 31)
    gaps = selectors.meeting_gaps(
        [cast.township_a.pk], dt.date(2025, 1, 1), dt.date(2025, 12, 31), dt.date(2026, 1, 5)
    )
    assert gaps[cast.township_a.pk] == [(dt.date(2025, 7, 1), dt.date(2025, 12, 31))]
    assert today


def test_meeting_notice_reaches_members_inbox(cast, members):
    meeting = cf.meeting(cast.township_a, date=dt.date.today() + dt.timedelta(days=3), place="二楼会议室")
    n = services.meeting_send_notice(meeting=meeting, actor=cast.staff_a)
    assert n == 2  # only the two members with logins
    got = Notification.objects.filter(verb="congress.meeting_notice")
    assert set(got.values_list("recipient_id", flat=True)) == {cast.deputy_a.user_id, cast.deputy_a2.user_id}
    assert "二楼会议室" in got.first().body


def test_session_notice_reaches_current_deputies_only(cast, members):
    session = cf.session(cast.township_a, start_date=dt.date.today() + dt.timedelta(days=5))
    assert services.session_send_notice(session=session, actor=cast.staff_a) == 2
    assert not Notification.objects.filter(recipient=cast.deputy_b.user).exists()


# ---------------------------------------------------------------- stats and archive


def test_township_stats_count_sessions_votes_meetings_and_late_documents(
    cast, members, django_assert_max_num_queries
):
    year = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    s1 = cf.session(cast.township_a, status=Session.Status.CLOSED, start_date=dt.date(2025, 1, 10))
    s2 = cf.session(
        cast.township_a,
        status=Session.Status.CLOSED,
        start_date=dt.date(2025, 6, 10),
        kind=Session.Kind.EXTRAORDINARY,
    )
    cf.session(cast.township_a, status=Session.Status.CANCELLED, start_date=dt.date(2025, 9, 10))
    cf.agenda_item(s1, kind="gov_report", document_sent_on=dt.date(2025, 1, 3))
    cf.agenda_item(s1, kind="budget_report", document_sent_on=dt.date(2025, 1, 10))
    from congress.models import Vote

    for s, passed in ((s1, True), (s2, False)):
        Vote.objects.create(
            agenda_item=cf.agenda_item(s),
            votes_for=5,
            votes_against=0,
            abstentions=0,
            total_deputies=9,
            present=9,
            passed=passed,
        )
    _held(cast, dt.date(2025, 2, 10), members, 6)
    cf.session(cast.township_b, status=Session.Status.CLOSED, start_date=dt.date(2025, 1, 10))
    with django_assert_max_num_queries(12):
        stats = selectors.township_stats(
            township_ids=[cast.township_a.pk, cast.township_b.pk], start=year[0], end=year[1]
        )
    a = stats[cast.township_a.pk]
    assert (a["sessions_held"], a["sessions_ordinary"], a["sessions_extraordinary"]) == (2, 1, 1)
    assert a["sessions_required"] == 2
    assert a["reports_reviewed"] == 2 and a["late_report_documents"] == 1
    assert a["resolutions_passed"] == 1
    assert a["presidium_meetings_held"] == 1
    assert a["quarters_without_presidium_meeting"] == 3
    assert stats[cast.township_b.pk]["sessions_held"] == 1
    assert set(a) == set(selectors.STATS_LABELS)


def test_archive_counts_attended_leave_and_absent_per_deputy(cast, members, django_assert_num_queries):
    s = cf.session(cast.township_a, status=Session.Status.CLOSED, start_date=dt.date(2025, 1, 10))
    Attendance.objects.bulk_create(
        [
            Attendance(session=s, deputy=members[0], status="present"),
            Attendance(session=s, deputy=members[1], status="leave"),
            Attendance(session=s, deputy=members[2], status="absent"),
        ]
    )
    _held(cast, dt.date(2025, 2, 10), members, 1)
    ids = [d.pk for d in members]
    with django_assert_num_queries(2):
        result = archive_meetings(ids, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert result[members[0].pk]["meeting_attended"] == 2
    assert result[members[0].pk]["presidium_meeting_attended"] == 1
    assert result[members[1].pk]["meeting_leave"] == 1
    assert result[members[2].pk]["meeting_absent"] == 1


def test_archive_source_is_registered():
    from presidium.registry import archive_sources

    assert "congress" in archive_sources()


def test_presidium_below_the_minimum_size_is_warned(cast, members):
    today = dt.date(2025, 11, 20)
    cf.session(cast.township_a, status=Session.Status.CLOSED, start_date=dt.date(2025, 1, 10))
    assert not any("主席团现有成员" in w for w in selectors.township_warnings(cast.township_a, today))
    for m in members[0].presidium_memberships.all()[:1]:
        services.membership_end(membership=m, end_date=dt.date(2025, 6, 1), actor=cast.staff_a)
    for d in members[1:3]:
        services.membership_end(
            membership=d.presidium_memberships.get(), end_date=dt.date(2025, 6, 1), actor=cast.staff_a
        )
    assert any(
        "主席团现有成员 6 人，不在规定的 7–13 人之间" in w
        for w in selectors.township_warnings(cast.township_a, today)
    )


def test_saving_minutes_over_a_colleagues_newer_text_is_refused(cast, members, staff_client):
    from django.urls import reverse

    meeting = cf.meeting(cast.township_a, minutes="初稿")
    start = services.minutes_fingerprint("初稿")
    url = reverse("congress:meeting_minutes", args=[meeting.pk])
    staff_client.post(url, {"minutes": "甲的修改", "fingerprint": start})
    response = staff_client.post(url, {"minutes": "乙的修改", "fingerprint": start}, follow=True)
    assert "已被他人修改，请刷新后重试。" in response.content.decode()
    assert PresidiumMeeting.objects.get(pk=meeting.pk).minutes == "甲的修改"


def test_minutes_editor_carries_the_fingerprint_of_the_text_it_shows(cast, members, staff_client):
    from django.urls import reverse

    meeting = cf.meeting(cast.township_a, minutes="初稿")
    body = staff_client.get(reverse("congress:meeting_detail", args=[meeting.pk])).content.decode()
    assert services.minutes_fingerprint("初稿") in body


# ---------------------------------------------------------------- the one presidium-meeting rule
# Before, three readers disagreed: the congress page warned "more than 3 months since the last
# meeting" (rolling from the last meeting), the workbench asked for a meeting when none was held in
# the last 3 months (rolling from today), and the county figures and the report counted calendar
# quarters without a meeting. Now all read the calendar-period rule of congress.selectors.


def test_the_workbench_asks_for_a_meeting_in_a_quarter_that_has_none_even_soon_after_the_last(cast, members):
    _held(cast, dt.date(2025, 3, 31), members, 6)
    # The rolling window saw the 31 March meeting and asked for nothing until the end of June, yet
    # the second quarter passed without a meeting and the county counted it.
    assert selectors.presidium_meeting_due(township=cast.township_a, today=dt.date(2025, 6, 20)) is True
    assert selectors.presidium_meeting_due(township=cast.township_a, today=dt.date(2025, 3, 31)) is False
    _held(cast, dt.date(2025, 6, 25), members, 6)
    assert selectors.presidium_meeting_due(township=cast.township_a, today=dt.date(2025, 6, 26)) is False


def test_the_congress_page_does_not_warn_of_a_lapse_the_county_figures_do_not_count(cast, members):
    _held(cast, dt.date(2025, 1, 5), members, 6)
    _held(cast, dt.date(2025, 4, 2), members, 6)
    today = dt.date(2025, 7, 3)
    # Three months and a day after 2 April: the old rolling warning fired, though every finished
    # quarter had its meeting.
    warnings = selectors.township_warnings(cast.township_a, today)
    assert not any("主席团会议" in w for w in warnings), warnings
    stats = selectors.township_stats(township_ids=[cast.township_a.pk], start=dt.date(2025, 1, 1), end=today)
    assert stats[cast.township_a.pk]["quarters_without_presidium_meeting"] == 0
    # The third quarter is running without a meeting: the workbench asks for one.
    assert selectors.presidium_meeting_due(township=cast.township_a, today=today) is True


def test_the_running_period_follows_the_county_interval(cast, members):
    rules = cast.township_a.rules
    rules.presidium_meeting_interval_months = 6
    rules.save()
    _held(cast, dt.date(2025, 2, 10), members, 6)
    assert selectors.presidium_meeting_due(township=cast.township_a, today=dt.date(2025, 6, 30)) is False
    assert selectors.presidium_meeting_due(township=cast.township_a, today=dt.date(2025, 7, 1)) is True
