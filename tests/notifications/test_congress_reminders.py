"""Meeting reminders: presidium members before a presidium meeting, deputies before a session."""

import datetime as dt

from congress.models import PresidiumMeeting, PresidiumMembership, Session

from .helpers import at, rules, sweep

DAY = dt.date(2025, 8, 15)


def test_presidium_members_are_reminded_3_and_1_days_before_a_meeting(
    cast, django_capture_on_commit_callbacks
):
    term = cast.deputy_a.term
    PresidiumMembership.objects.create(
        township=cast.township_a, term=term, deputy=cast.deputy_a, start_date=dt.date(2022, 1, 1)
    )
    PresidiumMeeting.objects.create(township=cast.township_a, term=term, date=DAY, place="镇政府三楼会议室")
    member, cap = cast.deputy_a.user, django_capture_on_commit_callbacks
    sweep(cap, at(DAY - dt.timedelta(days=4)))
    assert rules(member) == []
    sweep(cap, at(DAY - dt.timedelta(days=3)))
    sweep(cap, at(DAY - dt.timedelta(days=2)))
    sweep(cap, at(DAY - dt.timedelta(days=1)))
    assert rules(member) == ["meeting_before_3", "meeting_before_1"]
    assert rules(cast.deputy_a2.user) == []  # not a member


def test_serving_deputies_are_reminded_before_a_session(cast, django_capture_on_commit_callbacks):
    Session.objects.create(township=cast.township_a, term=cast.deputy_a.term, number=3, start_date=DAY)
    cap = django_capture_on_commit_callbacks
    sweep(cap, at(DAY - dt.timedelta(days=1)))
    assert rules(cast.deputy_a.user) == ["session_before_1"]
    assert rules(cast.deputy_b.user) == []


def test_meeting_reminders_link_to_a_page_the_deputy_can_open(cast, django_capture_on_commit_callbacks):
    from notifications.models import Notification

    Session.objects.create(township=cast.township_a, term=cast.deputy_a.term, number=3, start_date=DAY)
    sweep(django_capture_on_commit_callbacks, at(DAY - dt.timedelta(days=1)))
    note = Notification.objects.get(recipient=cast.deputy_a.user)
    assert note.url
    assert cast.client_for(cast.deputy_a.user).get(note.url).status_code == 200


def test_a_cancelled_meeting_is_not_reminded(cast, django_capture_on_commit_callbacks):
    term = cast.deputy_a.term
    PresidiumMembership.objects.create(
        township=cast.township_a, term=term, deputy=cast.deputy_a, start_date=dt.date(2022, 1, 1)
    )
    PresidiumMeeting.objects.create(
        township=cast.township_a, term=term, date=DAY, status=PresidiumMeeting.Status.CANCELLED
    )
    sweep(django_capture_on_commit_callbacks, at(DAY - dt.timedelta(days=1)))
    assert rules(cast.deputy_a.user) == []


def test_the_reminder_reaches_the_members_serving_on_the_meeting_day_as_the_notice_does(
    cast, django_capture_on_commit_callbacks
):
    from congress.selectors import active_members

    term = cast.deputy_a.term
    # Leaves at the end of the month, after the meeting: still a member on the day. The reminder
    # used to skip anyone with an end date, and to remind a member who only joins after the meeting.
    PresidiumMembership.objects.create(
        township=cast.township_a,
        term=term,
        deputy=cast.deputy_a,
        start_date=dt.date(2022, 1, 1),
        end_date=dt.date(2025, 8, 31),
    )
    PresidiumMembership.objects.create(
        township=cast.township_a, term=term, deputy=cast.deputy_a2, start_date=dt.date(2025, 8, 20)
    )
    meeting = PresidiumMeeting.objects.create(township=cast.township_a, term=term, date=DAY)
    sweep(django_capture_on_commit_callbacks, at(DAY - dt.timedelta(days=1)))
    assert rules(cast.deputy_a.user) == ["meeting_before_1"]
    assert rules(cast.deputy_a2.user) == []
    assert [m.deputy for m in active_members(term, meeting.date)] == [cast.deputy_a]
