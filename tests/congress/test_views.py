"""Pages, the htmx roll call, PDFs and the API: real responses, query budgets, bad input."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congress import services
from congress.models import Attendance, Motion, PresidiumMeeting, Session, Vote
from suggestions.models import Status
from tests.suggestions.helpers import make as make_suggestion

from . import factories as cf

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _count(client, url, **extra):
    client.get(url, **extra)  # warm up: first request creates the county rules row, the session …
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_session_list_query_count_does_not_grow_with_rows(cast, staff_client):
    cf.deputies(cast.township_a, 2)
    for _ in range(2):
        cf.session(cast.township_a)
    few = _count(staff_client, reverse("congress:index"))
    for _ in range(15):
        cf.session(cast.township_a)
    assert _count(staff_client, reverse("congress:index")) == few


def test_roll_call_query_count_does_not_grow_with_deputies(cast, staff_client):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    url = reverse("congress:roll_call", args=[session.pk])
    few = _count(staff_client, url)
    deps = cf.deputies(cast.township_a, 25)
    Attendance.objects.bulk_create(
        [Attendance(session=session, deputy=d, status="present") for d in deps[:10]]
    )
    assert _count(staff_client, url) == few


def test_meeting_list_and_api_lists_query_counts_do_not_grow(cast, staff_client):
    for _ in range(2):
        cf.meeting(cast.township_a)
        cf.session(cast.township_a)
    urls = [
        reverse("congress:meetings"),
        "/api/v1/congress/sessions/",
        "/api/v1/congress/presidium-meetings/",
    ]
    few = [_count(staff_client, u) for u in urls]
    for _ in range(12):
        cf.meeting(cast.township_a)
        cf.session(cast.township_a)
    assert [_count(staff_client, u) for u in urls] == few


def test_one_tap_roll_call_marks_the_deputy_and_returns_live_quorum(cast, staff_client):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    url = reverse("congress:roll_mark", args=[session.pk, cast.deputy_a.pk])
    response = staff_client.post(url, {"status": "present"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="roll-{cast.deputy_a.pk}"' in body and 'hx-swap-oob="true"' in body
    assert "出席 1 / 应到 2" in body
    assert Attendance.objects.get(session=session, deputy=cast.deputy_a).status == "present"


def test_roll_call_with_a_bad_status_changes_nothing(cast, staff_client):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    url = reverse("congress:roll_mark", args=[session.pk, cast.deputy_a.pk])
    response = staff_client.post(url, {"status": "drunk"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "请选择出席、请假或缺席" in response.content.decode()
    assert not Attendance.objects.exists()


def test_roll_call_of_a_closed_session_is_refused_with_a_message(cast, staff_client):
    session = cf.session(cast.township_a, status=Session.Status.CLOSED)
    response = staff_client.post(
        reverse("congress:roll_mark", args=[session.pk, cast.deputy_a.pk]), {"status": "present"}, follow=True
    )
    assert "只有筹备中或进行中的会议可以点名" in response.content.decode()
    assert not Attendance.objects.exists()


def test_vote_below_quorum_through_the_page_shows_the_reason_and_records_nothing(cast, staff_client):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    item = cf.agenda_item(session)
    response = staff_client.post(
        reverse("congress:vote_record", args=[item.pk]),
        {"votes_for": 2, "votes_against": 0, "abstentions": 0},
        follow=True,
    )
    assert "未达到法定人数" in response.content.decode()
    assert not Vote.objects.exists()


def test_vote_with_text_instead_of_numbers_is_refused(cast, staff_client):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    item = cf.agenda_item(session)
    response = staff_client.post(
        reverse("congress:vote_record", args=[item.pk]),
        {"votes_for": "很多", "votes_against": "", "abstentions": "-1"},
        follow=True,
    )
    assert response.status_code == 200
    assert not Vote.objects.exists()


def test_county_staff_reads_sessions_but_cannot_change_them(cast):
    session = cf.session(cast.township_a)
    client = cast.client_for(cast.county_staff_a)
    assert client.get(reverse("congress:session_detail", args=[session.pk])).status_code == 200
    response = client.post(reverse("congress:session_transition", args=[session.pk]), {"to": "preparing"})
    assert response.status_code == 403
    assert Session.objects.get(pk=session.pk).status == "planned"


def test_deputies_and_unit_officers_do_not_reach_congress_pages(cast):
    session = cf.session(cast.township_a)
    for user in (cast.deputy_a.user, cast.unit_officer_a):
        client = cast.client_for(user)
        assert client.get(reverse("congress:session_detail", args=[session.pk])).status_code == 403
        assert client.get("/api/v1/congress/sessions/").status_code == 403


def test_session_create_page_refuses_end_before_start(cast, staff_client):
    term = cf.term_for(cast.township_a)
    response = staff_client.post(
        reverse("congress:session_create"),
        {
            "term": term.pk,
            "number": 3,
            "kind": "ordinary",
            "start_date": "2025-03-10",
            "end_date": "2025-03-01",
        },
    )
    assert response.status_code == 200 and "闭幕日期不能早于开幕日期" in response.content.decode()
    assert not Session.objects.exists()


def test_session_create_page_creates_the_session(cast, staff_client):
    term = cf.term_for(cast.township_a)
    response = staff_client.post(
        reverse("congress:session_create"),
        {"term": term.pk, "number": 3, "kind": "ordinary", "start_date": "2025-03-10", "place": "礼堂"},
    )
    session = Session.objects.get()
    assert response.status_code == 302 and session.township == cast.township_a and session.number == 3


def test_motion_page_with_four_signers_shows_the_rule_and_saves_nothing(cast, staff_client):
    deps = [cast.deputy_a, *cf.deputies(cast.township_a, 3)]
    session = cf.session(cast.township_a)
    response = staff_client.post(
        reverse("congress:motion_create", args=[session.pk]),
        {
            "title": "议案",
            "grounds": "据",
            "plan": "案",
            "lead_deputy": deps[0].pk,
            "co_deputies": [d.pk for d in deps[1:]],
        },
    )
    assert "5 名以上代表联名" in response.content.decode()
    assert not Motion.objects.exists()


def test_session_detail_shows_late_report_and_quorum(cast, staff_client):
    session = cf.session(cast.township_a, start_date=dt.date(2025, 1, 10))
    cf.agenda_item(session, kind="gov_report", title="政府工作报告", document_sent_on=dt.date(2025, 1, 10))
    body = staff_client.get(reverse("congress:session_detail", args=[session.pk])).content.decode()
    assert "送达过晚" in body and "应到 2" in body


def test_attendance_sheet_pdf_lists_deputies_and_observers(cast, staff_client):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION, place="镇政府礼堂")
    services.attendance_mark(session=session, deputy=cast.deputy_a, status="leave", actor=cast.staff_a)
    services.observer_add(session=session, name="陈列席", affiliation="镇党委", actor=cast.staff_a)
    response = staff_client.get(reverse("congress:attendance_pdf", args=[session.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "出席代表签到表" in text and cast.deputy_a.name in text and "请假" in text and "陈列席" in text
    assert cast.deputy_b.name not in text or cast.deputy_b.name in (cast.deputy_a.name, cast.deputy_a2.name)


def test_minutes_book_pdf_holds_own_minutes_only(cast, staff_client):
    mine = cf.meeting(
        cast.township_a,
        date=dt.date(2025, 3, 5),
        status=PresidiumMeeting.Status.HELD,
        minutes="甲镇会议听取了道路建设报告",
    )
    cf.meeting(
        cast.township_b,
        date=dt.date(2025, 3, 6),
        status=PresidiumMeeting.Status.HELD,
        minutes="乙镇机密会议记录",
    )
    services.topic_add(meeting=mine, title="听取道路建设专项报告", actor=cast.staff_a)
    response = staff_client.get(reverse("congress:minutes_book_pdf") + "?year=2025")
    text = _pdf_text(response.content)
    assert (
        "主席团会议记录簿" in text and "甲镇会议听取了道路建设报告" in text and "听取道路建设专项报告" in text
    )
    assert "乙镇机密会议记录" not in text


def test_minutes_book_lists_presidium_members_nobody_marked(cast, staff_client):
    chair, present, on_leave, unmarked = cf.deputies(cast.township_a, 4)
    cf.roster(cast.township_a, [chair, present, on_leave, unmarked])
    meeting = cf.meeting(cast.township_a, date=dt.date(2025, 3, 5), status=PresidiumMeeting.Status.HELD)
    for deputy, status in ((chair, "present"), (present, "present"), (on_leave, "leave")):
        services.meeting_mark_attendance(meeting=meeting, deputy=deputy, status=status, actor=cast.staff_a)
    response = staff_client.get(reverse("congress:minutes_book_pdf") + "?year=2025")
    text = _pdf_text(response.content)
    assert "未登记出席情况" in text
    after = text.split("未登记出席情况", 1)[1].split("列席人员", 1)[0]
    assert unmarked.name in after and present.name not in after and on_leave.name not in after


def test_minutes_book_with_a_nonsense_year_still_answers(cast, staff_client):
    response = staff_client.get(reverse("congress:minutes_book_pdf") + "?year=abc")
    assert response.status_code == 200


def test_meeting_detail_and_roster_pages_render(cast, staff_client):
    cf.roster(cast.township_a, [cast.deputy_a])
    meeting = cf.meeting(cast.township_a)
    body = staff_client.get(reverse("congress:meeting_detail", args=[meeting.pk])).content.decode()
    assert cast.deputy_a.name in body and "会议记录" in body
    assert cast.deputy_a.name in staff_client.get(reverse("congress:roster")).content.decode()


def test_api_session_detail_reports_attendance(cast, staff_client):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    services.attendance_mark(session=session, deputy=cast.deputy_a, status="present", actor=cast.staff_a)
    data = staff_client.get(f"/api/v1/congress/sessions/{session.pk}/").json()
    assert data["present"] == 1 and data["township_id"] == cast.township_a.pk


def test_deputy_sees_own_sessions_with_only_their_own_mark(cast, django_assert_max_num_queries):
    session = cf.session(cast.township_a, status=Session.Status.CLOSED, place="甲镇礼堂")
    marks = [
        Attendance(session=session, deputy=cast.deputy_a, status="leave"),
        Attendance(session=session, deputy=cast.deputy_a2, status="absent"),
    ]
    Attendance.objects.bulk_create(marks)
    cf.session(cast.township_b, place="乙镇礼堂")
    client = cast.client_for(cast.deputy_a.user)
    url = reverse("congress:my_meetings")
    client.get(url)
    with django_assert_max_num_queries(12):
        body = client.get(url).content.decode()
    assert "甲镇礼堂" in body and "请假" in body
    assert "缺席" not in body and "乙镇礼堂" not in body
    assert cast.client_for(cast.staff_a).get(url).status_code == 403


def test_topic_links_to_a_suggestion_of_the_township_by_number(cast, staff_client):
    s = make_suggestion(cast, Status.ACCEPTED, title="修建村道")
    make_suggestion(cast, Status.ACCEPTED, side="b", title="乙镇建议")
    other = make_suggestion(cast, Status.ACCEPTED, side="b", title="乙镇另一条建议")  # a number A lacks
    meeting = cf.meeting(cast.township_a)
    url = reverse("congress:meeting_topic_add", args=[meeting.pk])
    staff_client.post(
        url, {"kind": "suggestion_briefing", "title": "通报建议办理", "suggestion_no": s.number}
    )
    topic = meeting.topics.get()
    assert topic.link == s
    response = staff_client.post(
        url, {"kind": "other", "title": "越权关联", "suggestion_no": other.number}, follow=True
    )
    assert f"没有编号为 {other.number} 的建议" in response.content.decode()
    assert meeting.topics.count() == 1


def test_report_document_uploaded_with_the_agenda_item_is_downloaded_through_the_app(cast, staff_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    session = cf.session(cast.township_a)
    upload = SimpleUploadedFile("政府工作报告.txt", "报告全文".encode(), content_type="text/plain")
    staff_client.post(
        reverse("congress:agenda_add", args=[session.pk]),
        {"kind": "gov_report", "title": "政府工作报告", "document": upload, "document_sent_on": "2025-01-03"},
    )
    item = session.agenda_items.get()
    assert item.document_sent_on == dt.date(2025, 1, 3) and not item.document_late
    response = staff_client.get(reverse("congress:agenda_document", args=[item.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == "报告全文".encode()
    other = cast.client_for(cast.staff_b).get(reverse("congress:agenda_document", args=[item.pk]))
    assert other.status_code == 404


def test_an_agenda_document_cannot_be_recorded_as_delivered_on_a_future_date(cast, staff_client):
    from django.utils import timezone

    session = cf.session(cast.township_a, start_date=timezone.localdate() + dt.timedelta(days=20))
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = staff_client.post(
        reverse("congress:agenda_add", args=[session.pk]),
        {"kind": "gov_report", "title": "政府工作报告", "document_sent_on": tomorrow},
        follow=True,
    )
    assert "送达日期不能晚于今天" in response.content.decode()
    assert not session.agenda_items.exists()


def test_meeting_attendance_with_garbage_deputy_id_is_a_message_not_a_500(cast, staff_client):
    meeting = cf.meeting(cast.township_a)
    response = staff_client.post(
        reverse("congress:meeting_attendance", args=[meeting.pk]),
        {"deputy": "abc", "status": "present"},
        follow=True,
    )
    assert response.status_code == 200 and "请选择主席团成员" in response.content.decode()


def test_attendance_register_exports_to_excel_with_every_current_deputy(cast, staff_client):
    from openpyxl import load_workbook

    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    services.attendance_mark(session=session, deputy=cast.deputy_a, status="present", actor=cast.staff_a)
    services.observer_add(session=session, name="王列席", affiliation="镇政府", actor=cast.staff_a)
    response = staff_client.get(reverse("congress:attendance_xlsx", args=[session.pk]))
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in ws.iter_rows(min_row=4, values_only=True)]
    statuses = {row[1]: row[3] for row in rows}
    assert statuses[cast.deputy_a.name] == "出席" and statuses[cast.deputy_a2.name] == "未点名"
    assert statuses["王列席"] == "列席"
    assert "应到 2 人，实到 1 人" in ws["A2"].value


def test_session_list_counts_are_not_multiplied_by_joins(cast):
    from congress import selectors

    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    for i in range(3):
        cf.agenda_item(session, title=f"议题{i}")
    Attendance.objects.bulk_create(
        [Attendance(session=session, deputy=d, status="present") for d in (cast.deputy_a, cast.deputy_a2)]
    )
    row = selectors.session_list(cast.staff_a).get(pk=session.pk)
    assert (row.present_count, row.agenda_count) == (2, 3)


def test_meeting_search_keeps_topic_counts_right(cast):
    from congress import selectors

    meeting = cf.meeting(cast.township_a)
    for title in ("道路建设专项报告", "道路养护", "教育"):
        services.topic_add(meeting=meeting, title=title, actor=cast.staff_a)
    row = selectors.meeting_list(cast.staff_a, q="道路").get(pk=meeting.pk)
    assert row.topic_count == 3


def test_deputy_sees_the_motions_they_signed_and_their_state(cast):
    others = cf.deputies(cast.township_a, 4)
    session = cf.session(cast.township_a)
    mine = cf.motion(session, others[0], [cast.deputy_a, *others[1:]], title="我附议的议案")
    cf.motion(session, others[0], others[1:], title="别人的议案")
    mine.status = Motion.Status.ON_AGENDA
    mine.save()
    body = cast.client_for(cast.deputy_a.user).get(reverse("congress:my_meetings")).content.decode()
    assert "我附议的议案" in body and "列入大会议程" in body and "别人的议案" not in body


def test_my_meetings_page_without_a_deputy_record_shows_an_empty_page(cast):
    """A user with no deputy record (e.g. the superuser following the menu) gets an empty page."""
    from tests import factories as f

    admin = f.UserFactory(role="admin", is_superuser=True, is_staff=True)
    response = cast.client_for(admin).get(reverse("congress:my_meetings"))
    assert response.status_code == 200
