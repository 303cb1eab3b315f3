"""Pages: submission from the phone, visibility between deputies and units, lists and their query budget."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from suggestions.attachments import MAX_BYTES
from suggestions.models import Attachment, Status, Suggestion

from .helpers import make

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes():
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, "PNG")
    return buf.getvalue()


def _form(**extra):
    return {
        "title": "村口路灯不亮",
        "category": "村容村貌",
        "content": "村口三盏路灯坏了半年。",
        "reasons": "夜间出行不安全",
        "solution": "请尽快维修",
        **extra,
    }


def test_deputy_submits_a_suggestion_with_a_photo_from_the_phone(cast):
    client = cast.client_for(cast.deputy_a.user)
    photo = SimpleUploadedFile("路灯.png", png_bytes(), content_type="image/png")
    response = client.post(
        reverse("suggestions:new"), _form(attachments=[photo], submit="1", co_deputies=[cast.deputy_a2.pk])
    )
    s = Suggestion.objects.get()
    assert response.status_code == 302 and response.url == reverse("suggestions:detail", args=[s.pk])
    assert s.status == Status.SUBMITTED and s.lead_deputy == cast.deputy_a and s.assign_due
    assert s.attachments.get().content_type == "image/png"
    assert s.cosigners.get().deputy == cast.deputy_a2


def test_deputy_can_save_a_draft_and_submit_it_later(cast):
    client = cast.client_for(cast.deputy_a.user)
    client.post(reverse("suggestions:new"), _form(draft="1"))
    s = Suggestion.objects.get()
    assert s.status == Status.DRAFT
    client.post(reverse("suggestions:edit", args=[s.pk]), _form(title="村口路灯不亮（补充）", submit="1"))
    s.refresh_from_db()
    assert s.status == Status.SUBMITTED and s.title == "村口路灯不亮（补充）"


@pytest.mark.parametrize(
    ("name", "payload", "message"),
    [
        ("病毒.exe", b"MZ\x90\x00binary", "不是图片或 PDF"),
        ("伪装.pdf", b"MZ\x90\x00binary", "不是图片或 PDF"),  # right extension, wrong content
        ("坏图.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "已损坏"),  # PNG header, broken image
        ("空.pdf", b"", "空文件"),
    ],
)
def test_attachments_of_the_wrong_type_are_refused_and_nothing_is_saved(cast, name, payload, message):
    client = cast.client_for(cast.deputy_a.user)
    upload = SimpleUploadedFile(name, payload, content_type="application/pdf")
    response = client.post(reverse("suggestions:new"), _form(attachments=[upload], submit="1"))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Suggestion.objects.exists() and not Attachment.objects.exists()


def test_attachment_over_the_size_limit_is_refused(cast):
    client = cast.client_for(cast.deputy_a.user)
    big = SimpleUploadedFile("大.pdf", PDF + b"0" * (MAX_BYTES + 1), content_type="application/pdf")
    response = client.post(reverse("suggestions:new"), _form(attachments=[big], submit="1"))
    assert "超过 10 MB" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_deputy_cannot_see_another_deputys_draft(cast):
    draft = make(cast, Status.DRAFT, title="王代表的草稿")
    other = cast.client_for(cast.deputy_a2.user)
    assert other.get(reverse("suggestions:detail", args=[draft.pk])).status_code == 404
    assert "王代表的草稿" not in other.get(reverse("suggestions:my")).content.decode()
    # Drafts are private to their author: not even the office sees them.
    staff = cast.client_for(cast.staff_a)
    assert staff.get(reverse("suggestions:detail", args=[draft.pk])).status_code == 404
    assert "王代表的草稿" not in staff.get(reverse("suggestions:list")).content.decode()


def test_deputy_cannot_see_another_deputys_submitted_suggestion(cast):
    s = make(cast, Status.SIGNED)
    assert (
        cast.client_for(cast.deputy_a2.user).get(reverse("suggestions:detail", args=[s.pk])).status_code
        == 404
    )


def test_unit_cannot_see_items_of_other_units(cast):
    s = make(cast, Status.ASSIGNED, title="财政所的事")
    s.co_units.all().delete()  # the helper made unit_a2 a co-unit; here it is an outsider
    outsider = cast.client_for(cast.unit_officer_a2)
    assert outsider.get(reverse("suggestions:detail", args=[s.pk])).status_code == 404
    assert "财政所的事" not in outsider.get(reverse("suggestions:unit_inbox")).content.decode()
    assert (
        "财政所的事"
        in cast.client_for(cast.unit_officer_a).get(reverse("suggestions:unit_inbox")).content.decode()
    )


def test_unit_cannot_reply_to_other_units_suggestion(cast):
    s = make(cast, Status.SIGNED)
    s.co_units.all().delete()
    client = cast.client_for(cast.unit_officer_a2)
    response = client.post(
        reverse("suggestions:action", args=[s.pk, "reply"]),
        {"outcome_class": "A", "comment": "越权答复", "version": s.version},
    )
    assert response.status_code == 404
    assert Suggestion.objects.get(pk=s.pk).status == Status.SIGNED


def test_co_unit_sees_the_item_but_cannot_reply(cast):
    s = make(cast, Status.SIGNED)
    client = cast.client_for(cast.unit_officer_a2)
    assert client.get(reverse("suggestions:detail", args=[s.pk])).status_code == 200
    client.post(
        reverse("suggestions:action", args=[s.pk, "reply"]),
        {"outcome_class": "A", "comment": "越权答复", "version": s.version},
    )
    assert Suggestion.objects.get(pk=s.pk).status == Status.SIGNED


def test_loser_of_a_concurrent_action_gets_the_reload_message(cast):
    s = make(cast, Status.ACCEPTED)
    seen = s.version
    staff = cast.client_for(cast.staff_a)
    staff.post(
        reverse("suggestions:action", args=[s.pk, "assign"]), {"unit": cast.unit_a.pk, "version": seen}
    )
    response = staff.post(
        reverse("suggestions:action", args=[s.pk, "assign"]),
        {"unit": cast.unit_a2.pk, "version": seen},
        follow=True,
    )
    assert "已被他人修改，请刷新后重试。" in response.content.decode()
    s.refresh_from_db()
    assert s.lead_unit == cast.unit_a and s.events.filter(action="assign").count() == 1


def test_the_whole_loop_through_the_pages(cast):
    import datetime as dt

    deputy, staff = cast.client_for(cast.deputy_a.user), cast.client_for(cast.staff_a)
    unit = cast.client_for(cast.unit_officer_a)
    deputy.post(reverse("suggestions:new"), _form(submit="1"))
    s = Suggestion.objects.get()

    def act(client, action, **data):
        s.refresh_from_db()
        r = client.post(reverse("suggestions:action", args=[s.pk, action]), {"version": s.version, **data})
        assert r.status_code == 302

    act(staff, "accept", category="村容村貌", level="township")
    act(staff, "assign", unit=cast.unit_a.pk, responsible_leader="李副镇长")
    act(unit, "sign")
    act(unit, "contact", contacted_on=dt.date.today().isoformat(), method="phone", comment="电话沟通")
    act(unit, "reply", outcome_class="A", comment="路灯已修复")
    act(deputy, "rate", rating="basic")
    s.refresh_from_db()
    assert s.status == Status.CLOSED and s.rating == "basic" and s.responsible_leader == "李副镇长"
    page = deputy.get(reverse("suggestions:detail", args=[s.pk])).content.decode()
    assert "路灯已修复" in page and "签收" in page  # reply and timeline are shown


def test_bad_action_input_shows_a_message_and_changes_nothing(cast):
    s = make(cast, Status.ACCEPTED)
    r = cast.client_for(cast.staff_a).post(
        reverse("suggestions:action", args=[s.pk, "assign"]),
        {"unit": "abc", "version": s.version},
        follow=True,
    )
    assert "请选择主办单位" in r.content.decode()
    assert Suggestion.objects.get(pk=s.pk).status == Status.ACCEPTED


def test_unknown_action_is_404(cast):
    s = make(cast, Status.ACCEPTED)
    r = cast.client_for(cast.staff_a).post(reverse("suggestions:action", args=[s.pk, "explode"]))
    assert r.status_code == 404


def test_staff_cannot_batch_assign_another_townships_items(cast):
    b = make(cast, Status.ACCEPTED, side="b")
    a = make(cast, Status.ACCEPTED)
    cast.client_for(cast.staff_a).post(
        reverse("suggestions:batch_assign"), {"ids": [a.pk, b.pk], "unit": cast.unit_a.pk}
    )
    assert Suggestion.objects.get(pk=a.pk).status == Status.ASSIGNED
    assert Suggestion.objects.get(pk=b.pk).status == Status.ACCEPTED


def test_attachment_is_downloadable_by_its_deputy_only(cast):
    client = cast.client_for(cast.deputy_a.user)
    client.post(
        reverse("suggestions:new"),
        _form(submit="1", attachments=[SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf")]),
    )
    att = Attachment.objects.get()
    url = reverse("suggestions:attachment", args=[att.suggestion_id, att.pk])
    assert b"".join(client.get(url).streaming_content).startswith(b"%PDF")
    assert cast.client_for(cast.deputy_a2.user).get(url).status_code == 404


def _many(cast, n):
    for i in range(n):
        make(cast, Status.SIGNED if i % 2 else Status.ACCEPTED, title=f"建议{i}")


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("staff_a", "suggestions:list"),
        ("unit_officer_a", "suggestions:unit_inbox"),
        ("deputy", "suggestions:my"),
        ("staff_a", "suggestions:briefing"),
        ("staff_a", "suggestions:export_register"),
        ("staff_a", "suggestion-list"),
    ],
)
def test_list_query_count_does_not_grow_with_rows(cast, django_assert_max_num_queries, who, url):
    user = cast.deputy_a.user if who == "deputy" else getattr(cast, who)
    client = cast.client_for(user)
    _many(cast, 3)
    client.get(reverse(url))
    with django_assert_max_num_queries(25) as few:
        client.get(reverse(url))
    _many(cast, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(url))
    assert response.status_code == 200


def test_list_filters_overdue_and_key_items(cast, time_machine):
    import datetime as dt

    time_machine.move_to(dt.datetime(2024, 3, 4, 10, 0))
    late = make(cast, Status.SIGNED, title="逾期的建议")
    time_machine.move_to(dt.datetime(2024, 7, 1, 10, 0))
    make(cast, Status.SIGNED, title="按期的建议")
    from suggestions import services

    services.suggestion_set_key(suggestion=late, actor=cast.staff_a, key=True)
    client = cast.client_for(cast.staff_a)
    body = client.get(reverse("suggestions:list"), {"overdue": "1"}).content.decode()
    assert "逾期的建议" in body and "按期的建议" not in body
    body = client.get(reverse("suggestions:list"), {"key": "1", "q": "建议"}).content.decode()
    assert "逾期的建议" in body and "按期的建议" not in body
    briefing = client.get(reverse("suggestions:briefing")).content.decode()
    assert briefing.index("逾期的建议") < briefing.index("按期的建议")


def test_register_export_holds_only_the_users_township(cast):
    make(cast, Status.CLOSED, title="甲镇建议")
    make(cast, Status.CLOSED, side="b", title="乙镇建议")
    response = cast.client_for(cast.staff_a).get(reverse("suggestions:export_register"))
    ws = load_workbook(io.BytesIO(response.content)).active
    titles = [row[2] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert titles == ["甲镇建议"]
    assert ws.cell(1, 1).value == "乡镇"


def test_summary_export_has_the_rates(cast):
    make(cast, Status.CLOSED)
    response = cast.client_for(cast.staff_a).get(reverse("suggestions:export_summary"))
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    row = [c.value for c in ws[2]]
    assert row[0] == cast.township_a.name
    assert row[header.index("办结率(%)")] == 100.0
    assert len(wb.worksheets) == 5


def test_api_shows_a_deputy_only_their_own_suggestions(cast):
    mine = make(cast, Status.SIGNED, title="我的")
    other = make(cast, Status.SIGNED, title="别人的")
    other.lead_deputy = cast.deputy_a2
    other.save(update_fields=["lead_deputy"])
    body = cast.client_for(cast.deputy_a.user).get(reverse("suggestion-list")).json()
    assert [r["id"] for r in body["results"]] == [mine.pk]


def test_api_key_reads_its_township_suggestions_and_stats(cast, client):
    from presidium.services import api_key_create

    make(cast, Status.CLOSED, title="甲镇")
    make(cast, Status.CLOSED, side="b", title="乙镇")
    _key, raw = api_key_create(name="大屏", actor=cast.staff_a, township=cast.township_a)
    body = client.get(reverse("suggestion-list"), HTTP_AUTHORIZATION=f"Api-Key {raw}").json()
    assert [r["title"] for r in body["results"]] == ["甲镇"]
    stats = client.get(reverse("suggestion-stats"), HTTP_AUTHORIZATION=f"Api-Key {raw}").json()
    assert [t["township_id"] for t in stats["townships"]] == [cast.township_a.pk]
    assert stats["townships"][0]["completion_rate"] == 100.0


def test_stats_page_shows_the_rates_and_breakdowns(cast):
    make(cast, Status.CLOSED)
    make(cast, Status.SIGNED, category="水利设施")
    body = cast.client_for(cast.staff_a).get(reverse("suggestions:stats")).content.decode()
    assert "办结率" in body and "50.0" in body  # 1 replied of 2 assigned
    assert "水利设施" in body and cast.unit_a.name in body


def test_county_staff_read_the_list_but_cannot_act(cast):
    s = make(cast, Status.ACCEPTED, title="县里能看")
    county = cast.client_for(cast.county_staff_a)
    assert "县里能看" in county.get(reverse("suggestions:list")).content.decode()
    county.post(
        reverse("suggestions:action", args=[s.pk, "assign"]), {"unit": cast.unit_a.pk, "version": s.version}
    )
    assert Suggestion.objects.get(pk=s.pk).status == Status.ACCEPTED


def test_staff_enter_a_paper_suggestion_from_the_session(cast):
    from tests.congress.factories import session

    sess = session(cast.township_a, status="in_session", start_date=dt.date.today())
    r = cast.client_for(cast.staff_a).post(
        reverse("suggestions:paper"),
        {
            "lead_deputy": cast.deputy_a.pk,
            "title": "会上书面建议",
            "content": "内容",
            "received_on": dt.date.today().isoformat(),
            "session": sess.pk,
            "level": "township",
        },
    )
    s = Suggestion.objects.get()
    assert s.session == sess
    assert (
        r.status_code == 302
        and s.source_kind == "paper_session"
        and s.during_session
        and s.assign_due is None
    )


def test_reply_with_a_disguised_attachment_is_refused_and_the_item_stays_in_handling(cast):
    import datetime as dt

    from suggestions import services

    s = make(cast, Status.SIGNED)
    services.suggestion_record_contact(
        suggestion=s, actor=cast.unit_officer_a, contacted_on=dt.date.today(), method="phone", summary="电话"
    )
    s.refresh_from_db()
    fake = SimpleUploadedFile("答复.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    r = cast.client_for(cast.unit_officer_a).post(
        reverse("suggestions:action", args=[s.pk, "reply"]),
        {"outcome_class": "A", "comment": "已解决", "version": s.version, "attachments": [fake]},
        follow=True,
    )
    assert "不是图片或 PDF" in r.content.decode()
    s.refresh_from_db()
    assert s.status == Status.SIGNED and not s.replies.exists() and not s.attachments.exists()


def test_reply_with_a_pdf_attachment_is_kept_as_a_reply_attachment(cast):
    import datetime as dt

    from suggestions import services

    s = make(cast, Status.SIGNED)
    services.suggestion_record_contact(
        suggestion=s, actor=cast.unit_officer_a, contacted_on=dt.date.today(), method="phone", summary="电话"
    )
    s.refresh_from_db()
    pdf = SimpleUploadedFile("答复函.pdf", PDF, content_type="application/pdf")
    cast.client_for(cast.unit_officer_a).post(
        reverse("suggestions:action", args=[s.pk, "reply"]),
        {"outcome_class": "B", "comment": "列入明年计划", "version": s.version, "attachments": [pdf]},
    )
    s.refresh_from_db()
    assert s.status == Status.REPLIED and s.attachments.get().kind == Attachment.Kind.REPLY


@pytest.mark.parametrize(
    "data",
    [
        {"until": "not-a-date", "comment": "延期"},
        {"until": "", "comment": ""},
        {"until": "2099-13-45", "comment": "x"},
    ],
)
def test_garbage_extension_input_never_breaks_the_page(cast, data):
    s = make(cast, Status.SIGNED)
    r = cast.client_for(cast.unit_officer_a).post(
        reverse("suggestions:action", args=[s.pk, "request_extension"]), {"version": s.version, **data}
    )
    assert r.status_code == 302
    assert Suggestion.objects.get(pk=s.pk).extension_status == ""


def test_briefing_pdf_lists_overdue_items_first_and_only_the_users_township(cast, time_machine):
    import datetime as dt

    from pypdf import PdfReader

    time_machine.move_to(dt.datetime(2024, 3, 4, 10, 0))
    make(cast, Status.SIGNED, title="逾期修路建议")
    make(cast, Status.SIGNED, side="b", title="乙镇修桥建议")
    time_machine.move_to(dt.datetime(2024, 7, 1, 10, 0))
    make(cast, Status.SIGNED, title="按期水渠建议")
    response = cast.client_for(cast.staff_a).get(reverse("suggestions:briefing_pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).replace(" ", "")
    assert "逾期修路建议" in text and "按期水渠建议" in text and "乙镇修桥建议" not in text
    assert text.index("逾期修路建议") < text.index("按期水渠建议")


def test_invited_deputy_confirms_co_signing_on_the_phone(cast):
    from suggestions import services
    from suggestions.models import CoSigner

    s = services.suggestion_create_by_deputy(
        deputy=cast.deputy_a,
        actor=cast.deputy_a.user,
        title="联名修桥",
        content="内容",
        co_deputies=[cast.deputy_a2],
        submit=True,
    )
    invited = cast.client_for(cast.deputy_a2.user)
    assert "联名修桥" in invited.get(reverse("suggestions:my")).content.decode()
    assert "确认联名" in invited.get(reverse("suggestions:detail", args=[s.pk])).content.decode()
    invited.post(reverse("suggestions:cosign", args=[s.pk]), {"confirm": "1"})
    assert s.cosigners.get().state == CoSigner.State.CONFIRMED
    # A second click (e.g. from another tab) changes nothing and says so.
    r = invited.post(reverse("suggestions:cosign", args=[s.pk]), {"confirm": "0"}, follow=True)
    assert "已被他人修改，请刷新后重试。" in r.content.decode()
    assert s.cosigners.get().state == CoSigner.State.CONFIRMED


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page_from_a_suggestion(cast, client):
    s = make(cast, Status.SUBMITTED)
    url = reverse("suggestions:detail", args=[s.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
