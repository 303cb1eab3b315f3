"""Congress routes in the isolation matrix: every object is township B's."""

import datetime as dt
from types import SimpleNamespace

from congress.models import (
    AgendaItem,
    Attendance,
    MeetingAttendance,
    MeetingTopic,
    Motion,
    Observer,
    PresidiumMeeting,
    PresidiumMembership,
    Session,
    Vote,
)
from presidium.models import AuditEntry
from tests.isolation import B_NAMES, Listing, Posted, Scoped, Static

from . import factories as cf

STAFF_COUNTY = ("staff_a", "county_a")


def session_b(cast, status=Session.Status.PLANNED):
    return cf.session(cast.township_b, status=status, place="乙镇会场机密甲")


def in_session_b(cast):
    s = session_b(cast, Session.Status.IN_SESSION)
    cf.deputies(cast.township_b, 3)
    return s


def roll_b(cast):
    s = in_session_b(cast)
    return SimpleNamespace(session=s, deputy=cf.deputies(cast.township_b, 1)[0], pk=s.pk)


def report_b(cast):
    return cf.agenda_item(session_b(cast), kind=AgendaItem.Kind.GOVERNMENT_REPORT, title="乙镇政府工作报告")


def document_b(cast):
    from django.core.files.base import ContentFile

    item = report_b(cast)
    item.document.save("乙镇报告.txt", ContentFile("乙镇机密报告".encode()), save=True)
    return item


def resolution_b(cast):
    return cf.agenda_item(in_session_b(cast))


def motion_b(cast):
    s = session_b(cast)
    ds = cf.deputies(cast.township_b, 5)
    return cf.motion(s, ds[0], ds[1:])


def motion_b_with_scan(cast):
    from django.core.files.base import ContentFile

    motion = motion_b(cast)
    motion.original.save("乙镇议案原件.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return motion


def election_b(cast):
    s = in_session_b(cast)
    return cf.election(s, cf.deputies(cast.township_b, 1))


def held_election_b(cast):
    """Township B's counted election, one seat not filled: its report sheet and next round are B's."""
    from django.utils import timezone

    e = election_b(cast)
    e.candidates.update(votes=1)
    e.held_at, e.present, e.total_deputies = timezone.now(), 4, 4
    e.ballots_issued = e.ballots_returned = e.ballots_valid = 4
    e.ballots_invalid = 0
    e.save()
    return e


def membership_b(cast):
    return cf.roster(cast.township_b, cf.deputies(cast.township_b, 1, name="乙镇主席团成员机密"))[0]


def meeting_b(cast):
    return cf.meeting(cast.township_b, place="乙镇会议室机密乙")


def topic_b(cast):
    m = meeting_b(cast)
    return MeetingTopic.objects.create(meeting=m, title="乙镇议题")


def _session_unchanged(cast, obj):
    s = Session.objects.get(pk=obj.pk)
    return (
        s.status == Session.Status.PLANNED
        and not s.prep_agenda
        and not s.agenda_items.exists()
        and not Observer.objects.filter(session=s).exists()
        and not AuditEntry.objects.filter(action="congress.session.notice").exists()
    )


def _meeting_unchanged(cast, obj):
    m = PresidiumMeeting.objects.get(pk=obj.pk)
    return (
        m.status == PresidiumMeeting.Status.PLANNED
        and not m.topics.exists()
        and not m.minutes
        and not m.observers.exists()
        and not MeetingAttendance.objects.filter(meeting=m).exists()
        and not AuditEntry.objects.filter(action="congress.meeting.notice").exists()
    )


def _held_meeting_b_marker(cast):
    """A held meeting of B's with minutes: the minutes book would print them."""
    cf.meeting(
        cast.township_b,
        status=PresidiumMeeting.Status.HELD,
        place="乙镇会议室机密乙",
        minutes="乙镇会议纪要机密丙",
    )
    return ["乙镇会议室机密乙", "乙镇会议纪要机密丙", *B_NAMES(cast)]


def _session_for_a_roster(cast):
    """A's roster can take members (A has a session this term); B's deputy is offered to it."""
    session_a = cf.session(cast.township_a)
    deputy = cf.deputies(cast.township_b, 1, name="乙镇代表不得入选")[0]
    return SimpleNamespace(session=session_a, deputy=deputy)


def _post(data):
    return lambda cast, obj: data


ROUTES = {
    "congress:index": Listing(roles=STAFF_COUNTY, marker=lambda c: session_b(c).place),
    "congress:session_create": Static(roles=("staff_a",)),
    "congress:session_detail": Scoped(make=session_b),
    "congress:session_transition": Scoped(
        make=session_b, method="post", data=_post({"to": "preparing"}), unchanged=_session_unchanged
    ),
    "congress:session_checklist": Scoped(
        make=session_b,
        method="post",
        data=_post({"item": "prep_agenda", "done": "1"}),
        unchanged=_session_unchanged,
    ),
    "congress:agenda_add": Scoped(
        make=session_b,
        method="post",
        data=_post({"kind": "gov_report", "title": "x"}),
        unchanged=_session_unchanged,
    ),
    "congress:session_observer_add": Scoped(
        make=session_b,
        method="post",
        data=_post({"name": "张三", "kind": "official"}),
        unchanged=_session_unchanged,
    ),
    "congress:session_notice": Scoped(make=session_b, method="post", unchanged=_session_unchanged),
    "congress:roll_call": Scoped(make=in_session_b),
    "congress:roll_mark": Scoped(
        make=roll_b,
        kwargs=lambda o: {"pk": o.session.pk, "deputy_pk": o.deputy.pk},
        method="post",
        data=_post({"status": "present"}),
        unchanged=lambda cast, o: not Attendance.objects.filter(session=o.session).exists(),
    ),
    "congress:roll_quorum": Scoped(make=in_session_b),
    "congress:attendance_pdf": Scoped(make=in_session_b),
    "congress:motion_create": Scoped(make=session_b),
    "congress:election_create": Scoped(make=session_b),
    "congress:agenda_sent": Scoped(
        make=report_b,
        method="post",
        data=_post({"document_sent_on": "2025-01-01"}),
        unchanged=lambda cast, o: AgendaItem.objects.get(pk=o.pk).document_sent_on is None,
    ),
    "congress:vote_record": Scoped(
        make=resolution_b,
        method="post",
        data=_post({"votes_for": 3, "votes_against": 0, "abstentions": 0}),
        unchanged=lambda cast, o: not Vote.objects.filter(agenda_item=o).exists(),
    ),
    "congress:motion_detail": Scoped(make=motion_b),
    "congress:motion_original": Scoped(make=motion_b_with_scan),
    "congress:motion_decide": Scoped(
        make=motion_b,
        method="post",
        data=_post({"decision": "on_agenda"}),
        unchanged=lambda cast, o: Motion.objects.get(pk=o.pk).status == Motion.Status.SUBMITTED,
    ),
    "congress:motion_withdraw": Scoped(
        make=motion_b,
        method="post",
        unchanged=lambda cast, o: Motion.objects.get(pk=o.pk).status == Motion.Status.SUBMITTED,
    ),
    "congress:election_count": Scoped(
        make=election_b,
        method="post",
        data=lambda cast, o: {
            **{f"c{c.pk}": 3 for c in o.candidates.all()},
            "ballots_issued": 4,
            "ballots_returned": 4,
            "ballots_valid": 4,
            "ballots_invalid": 0,
        },
        unchanged=lambda cast, o: o.__class__.objects.get(pk=o.pk).held_at is None,
    ),
    "congress:election_next_round": Scoped(
        make=held_election_b,
        method="post",
        unchanged=lambda cast, o: not o.__class__.objects.filter(first_round=o).exists(),
    ),
    "congress:election_report_pdf": Scoped(make=held_election_b),
    "congress:roster": Listing(roles=STAFF_COUNTY, marker=lambda c: membership_b(c).deputy.name),
    "congress:roster_add": Posted(
        make=_session_for_a_roster,
        data=lambda cast, o: {"deputy": o.deputy.pk, "role": "member"},
        unchanged=lambda cast, o: not PresidiumMembership.objects.filter(deputy=o.deputy).exists(),
    ),
    "congress:roster_end": Scoped(
        make=membership_b,
        method="post",
        data=_post({"end_date": dt.date.today().isoformat()}),
        unchanged=lambda cast, o: PresidiumMembership.objects.get(pk=o.pk).end_date is None,
    ),
    "congress:meetings": Listing(roles=STAFF_COUNTY, marker=lambda c: meeting_b(c).place),
    "congress:meeting_create": Static(roles=("staff_a",)),
    "congress:minutes_book_pdf": Listing(roles=STAFF_COUNTY, marker=_held_meeting_b_marker),
    "congress:meeting_detail": Scoped(make=meeting_b),
    "congress:meeting_transition": Scoped(
        make=meeting_b, method="post", data=_post({"to": "held"}), unchanged=_meeting_unchanged
    ),
    "congress:meeting_attendance": Scoped(
        make=meeting_b,
        method="post",
        data=lambda cast, o: {"deputy": membership_b(cast).deputy_id, "status": "present"},
        unchanged=_meeting_unchanged,
    ),
    "congress:meeting_topic_add": Scoped(
        make=meeting_b,
        method="post",
        data=_post({"kind": "other", "title": "x"}),
        unchanged=_meeting_unchanged,
    ),
    "congress:meeting_minutes": Scoped(
        make=meeting_b, method="post", data=_post({"minutes": "改写"}), unchanged=_meeting_unchanged
    ),
    "congress:meeting_observer_add": Scoped(
        make=meeting_b,
        method="post",
        data=_post({"name": "李四", "kind": "official"}),
        unchanged=_meeting_unchanged,
    ),
    "congress:meeting_notice": Scoped(make=meeting_b, method="post", unchanged=_meeting_unchanged),
    "congress:topic_vote": Scoped(
        make=topic_b,
        method="post",
        data=_post({"votes_for": 1, "votes_against": 0, "abstentions": 0}),
        unchanged=lambda cast, o: MeetingTopic.objects.get(pk=o.pk).passed is None,
    ),
    "congress-session-list": Listing(roles=STAFF_COUNTY, marker=lambda c: session_b(c).place),
    "congress-session-detail": Scoped(make=session_b),
    "congress-meeting-list": Listing(roles=STAFF_COUNTY, marker=lambda c: meeting_b(c).place),
    "congress-meeting-detail": Scoped(make=meeting_b),
}

ROUTES["congress:my_meetings"] = Listing(roles=("deputy_a",), marker=lambda c: session_b(c).place)
ROUTES["congress:session_edit"] = Scoped(
    make=session_b,
    method="post",
    data=_post({"kind": "ordinary", "start_date": "2030-01-01", "place": "改"}),
    unchanged=lambda cast, o: Session.objects.get(pk=o.pk).start_date == o.start_date,
)
ROUTES["congress:agenda_document"] = Scoped(make=document_b)
ROUTES["congress:attendance_xlsx"] = Scoped(make=in_session_b)
# The deputy's own reading of a session and its report documents (their term and township only).
ROUTES["congress:my_session"] = Scoped(make=session_b)
ROUTES["congress:my_agenda_document"] = Scoped(make=document_b)
