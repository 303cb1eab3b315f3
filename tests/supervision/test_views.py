import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from supervision import services
from supervision.models import (
    ActivityAttachment,
    ActivityKind,
    AppraisalTarget,
    AppraisalVoter,
    Finding,
    Petition,
    Rectification,
    SupervisionActivity,
)

from . import factories as sf

pytestmark = pytest.mark.django_db


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- activities -----------------------------------------------------------------------------


def test_staff_registers_a_law_enforcement_inspection(cast, staff_client):
    response = staff_client.post(
        reverse("supervision:activity_create"),
        {
            "kind": "law_enforcement",
            "topic": "食品安全执法检查",
            "start_date": "2024-06-03",
            "law_checked": "《中华人民共和国食品安全法》",
            "target_units": [cast.unit_a.pk],
            "voters_visited": 12,
            "forums_held": 1,
        },
    )
    act = SupervisionActivity.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "supervision:activity_detail", args=[act.pk]
    )
    assert act.law_checked == "《中华人民共和国食品安全法》" and list(act.target_units.all()) == [cast.unit_a]
    assert act.township == cast.township_a and act.created_by == cast.staff_a


def test_law_enforcement_without_the_law_is_refused_with_a_message(cast, staff_client):
    response = staff_client.post(
        reverse("supervision:activity_create"),
        {
            "kind": "law_enforcement",
            "topic": "执法检查",
            "start_date": "2024-06-03",
            "voters_visited": 0,
            "forums_held": 0,
        },
        follow=True,
    )
    assert response.status_code == 200
    assert any("法律法规" in m for m in _messages(response))
    assert not SupervisionActivity.objects.exists()


def test_garbage_dates_do_not_cause_a_server_error(cast, staff_client):
    response = staff_client.post(
        reverse("supervision:activity_create"),
        {"kind": "research", "topic": "调研", "start_date": "2024-13-45", "voters_visited": "abc"},
    )
    assert response.status_code == 200 and not SupervisionActivity.objects.exists()


def test_activity_list_query_count_does_not_grow_with_rows(cast, staff_client, django_assert_max_num_queries):
    def make(n):
        for i in range(n):
            act = sf.activity(cast.township_a, topic=f"视察{i}", actor=cast.staff_a)
            services.finding_add(activity=act, kind="problem", content="问题", actor=cast.staff_a)
            services.activity_add_participants(activity=act, deputies=[cast.deputy_a], actor=cast.staff_a)

    make(2)
    with django_assert_max_num_queries(12) as small:
        assert staff_client.get(reverse("supervision:activities")).status_code == 200
    make(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = staff_client.get(reverse("supervision:activities"))
    assert "视察19" in response.content.decode()


def test_activity_page_shows_the_counted_figures(cast, staff_client):
    act = sf.activity(cast.township_a, actor=cast.staff_a)
    for content in ("路面破损", "排水不畅"):
        services.finding_add(
            activity=act,
            kind=Finding.Kind.PROBLEM,
            content=content,
            actor=cast.staff_a,
            forward_to=cast.unit_a,
        )
    services.finding_add(activity=act, kind=Finding.Kind.OPINION, content="增设路灯", actor=cast.staff_a)
    body = staff_client.get(reverse("supervision:activity_detail", args=[act.pk])).content.decode()
    assert "发现问题 2 个，收集意见建议 1 条，转交 2 条" in body


def test_uploading_an_executable_is_refused_and_nothing_is_stored(cast, staff_client):
    act = sf.activity(cast.township_a, actor=cast.staff_a)
    response = staff_client.post(
        reverse("supervision:attachment_add", args=[act.pk]),
        {"file": SimpleUploadedFile("virus.exe", b"MZ")},
        follow=True,
    )
    assert any("不支持的文件类型" in m for m in _messages(response))
    assert not ActivityAttachment.objects.exists()


def test_staff_uploads_and_downloads_a_report(cast, staff_client):
    act = sf.activity(cast.township_a, actor=cast.staff_a)
    staff_client.post(
        reverse("supervision:attachment_add", args=[act.pk]),
        {"file": SimpleUploadedFile("视察报告.pdf", b"%PDF-1.4 report")},
    )
    att = ActivityAttachment.objects.get()
    response = staff_client.get(reverse("supervision:attachment_download", args=[att.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 report"


def test_staff_sends_a_finding_to_rectification_in_working_days(cast, staff_client):
    finding = sf.finding(cast.township_a, actor=cast.staff_a)
    response = staff_client.post(
        reverse("supervision:rectification_create", args=[finding.pk]),
        {"title": "修复路基", "unit": cast.unit_a.pk, "workdays": 10},
    )
    rect = Rectification.objects.get()
    assert response.status_code == 302 and rect.deadline_workdays == 10 and rect.finding == finding


# --- rectification: units see only their own ----------------------------------------------------


def test_unit_sees_only_its_own_rectification_items(cast):
    sf.rectification(cast.township_a, cast.unit_a, title="财政所的整改事项")
    other = sf.rectification(cast.township_a, cast.unit_a2, title="派出所的整改事项")
    client = cast.client_for(cast.unit_officer_a)
    body = client.get(reverse("supervision:rectifications")).content.decode()
    assert "财政所的整改事项" in body and "派出所的整改事项" not in body
    assert client.get(reverse("supervision:rectification_detail", args=[other.pk])).status_code == 404


def test_unit_cannot_report_on_another_units_item_through_the_page(cast):
    other = sf.rectification(cast.township_a, cast.unit_a2)
    client = cast.client_for(cast.unit_officer_a)
    response = client.post(
        reverse("supervision:rectification_act", args=[other.pk]),
        {"action": "complete", "version": other.version, "comment": "越权"},
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == Rectification.Status.ASSIGNED


def test_unit_reports_completion_with_evidence_and_staff_verify(cast, staff_client):
    rect = sf.rectification(cast.township_a, cast.unit_a)
    unit_client = cast.client_for(cast.unit_officer_a)
    unit_client.post(
        reverse("supervision:rectification_act", args=[rect.pk]),
        {
            "action": "complete",
            "version": rect.version,
            "comment": "已完成修复",
            "files": [
                SimpleUploadedFile("现场1.jpg", sf.image_bytes("JPEG")),
                SimpleUploadedFile("现场2.png", sf.image_bytes("PNG")),
            ],
        },
    )
    rect.refresh_from_db()
    assert rect.status == Rectification.Status.SUBMITTED and rect.evidence.count() == 2
    staff_client.post(
        reverse("supervision:rectification_act", args=[rect.pk]),
        {"action": "verify", "version": rect.version},
    )
    rect.refresh_from_db()
    assert rect.status == Rectification.Status.VERIFIED


def test_staff_on_a_stale_page_gets_the_refresh_message(cast, staff_client):
    rect = sf.rectification(cast.township_a, cast.unit_a)
    services.rectification_transition(
        rectification=rect, action="complete", actor=cast.unit_officer_a, comment="沉降路段已回填压实"
    )
    rect.refresh_from_db()
    stale = rect.version
    services.rectification_transition(rectification=rect, action="verify", actor=cast.staff_a)
    response = staff_client.post(
        reverse("supervision:rectification_act", args=[rect.pk]),
        {"action": "reopen", "version": stale, "comment": "重新整改"},
        follow=True,
    )
    assert any("已被他人修改" in m for m in _messages(response))
    rect.refresh_from_db()
    assert rect.status == Rectification.Status.VERIFIED


def test_overdue_items_are_flagged_in_the_list_and_the_count(cast, staff_client):
    sf.rectification(
        cast.township_a,
        cast.unit_a,
        title="逾期的整改",
        assigned_on=dt.date(2024, 1, 2),
        deadline=dt.date(2024, 2, 1),
    )
    sf.rectification(cast.township_a, cast.unit_a, title="未到期的整改")
    response = staff_client.get(reverse("supervision:rectifications") + "?overdue=1")
    body = response.content.decode()
    assert "逾期的整改" in body and "未到期的整改" not in body
    assert response.context["counts"]["overdue"] == 1


def test_rectification_list_query_count_does_not_grow(cast, django_assert_max_num_queries):
    client = cast.client_for(cast.unit_officer_a)
    for i in range(2):
        sf.rectification(cast.township_a, cast.unit_a, title=f"事项{i}", finding=sf.finding(cast.township_a))
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("supervision:rectifications"))
    for i in range(20):
        sf.rectification(cast.township_a, cast.unit_a, title=f"更多{i}", finding=sf.finding(cast.township_a))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("supervision:rectifications")).status_code == 200


# --- democratic scoring pages --------------------------------------------------------------------


def test_deputy_votes_once_on_the_phone_page_and_cannot_vote_again(cast):
    appraisal = sf.appraisal(cast.township_a, [cast.unit_a, cast.unit_a2])
    t1, t2 = appraisal.targets.order_by("pk")
    client = cast.client_for(cast.deputy_a.user)
    url = reverse("supervision:appraisal_vote", args=[appraisal.pk])
    assert "无记名投票" in client.get(url).content.decode()
    client.post(url, {f"t{t1.pk}": "satisfied", f"t{t2.pk}": "unsatisfied"})
    again = client.post(url, {f"t{t1.pk}": "unsatisfied", f"t{t2.pk}": "unsatisfied"})
    assert "您已参加本次民主测评" in again.content.decode()
    t1.refresh_from_db()
    t2.refresh_from_db()
    assert (t1.app_satisfied, t1.app_unsatisfied, t2.app_unsatisfied) == (1, 0, 1)
    assert AppraisalVoter.objects.filter(appraisal=appraisal).count() == 1


def test_deputy_cannot_see_the_results_or_others_votes(cast):
    appraisal = sf.appraisal(cast.township_a, [cast.unit_a])
    (t,) = appraisal.targets.all()
    services.appraisal_cast(
        appraisal=appraisal, deputy=cast.deputy_a2, actor=cast.deputy_a2.user, choices={t.pk: "unsatisfied"}
    )
    client = cast.client_for(cast.deputy_a.user)
    assert client.get(reverse("supervision:appraisal_detail", args=[appraisal.pk])).status_code == 403
    vote_page = client.get(reverse("supervision:appraisal_vote", args=[appraisal.pk])).content.decode()
    assert "不满意" in vote_page  # the options are shown …
    assert cast.deputy_a2.name not in vote_page  # … but not who voted or how
    my_page = client.get(reverse("supervision:my")).content.decode()
    assert "去投票" in my_page


def test_paper_entry_with_a_negative_number_saves_nothing(cast, staff_client):
    appraisal = sf.appraisal(cast.township_a, [cast.unit_a, cast.unit_a2])
    t1, t2 = appraisal.targets.order_by("pk")
    data = {
        f"t{t1.pk}_satisfied": 10,
        f"t{t1.pk}_basic": 2,
        f"t{t1.pk}_unsatisfied": 1,
        f"t{t2.pk}_satisfied": -3,
        f"t{t2.pk}_basic": 2,
        f"t{t2.pk}_unsatisfied": 1,
    }
    response = staff_client.post(reverse("supervision:appraisal_paper", args=[appraisal.pk]), data)
    assert response.status_code == 200 and any("未保存" in m for m in _messages(response))
    assert set(AppraisalTarget.objects.values_list("paper_satisfied", flat=True)) == {0}


def test_paper_ballots_beyond_the_deputies_entitled_are_refused_on_the_page(cast, staff_client):
    sf.serving_deputies(cast.township_a, 70)
    appraisal = sf.appraisal(cast.township_a, [cast.unit_a])
    (t,) = appraisal.targets.all()
    page = staff_client.get(reverse("supervision:appraisal_paper", args=[appraisal.pk])).content.decode()
    assert "有权参加测评的在任代表 70 名" in page
    response = staff_client.post(
        reverse("supervision:appraisal_paper", args=[appraisal.pk]),
        {f"t{t.pk}_satisfied": 60, f"t{t.pk}_basic": 15, f"t{t.pk}_unsatisfied": 5},
    )
    assert response.status_code == 200
    assert any("超过了有权参加测评的在任代表 70 名" in m for m in _messages(response))
    assert set(AppraisalTarget.objects.values_list("paper_satisfied", flat=True)) == {0}


def test_results_page_names_most_and_least_satisfied_and_close_creates_rectification(cast, staff_client):
    sf.serving_deputies(cast.township_a, 55)
    appraisal = sf.appraisal(cast.township_a, [cast.unit_a, cast.unit_a2])
    t1, t2 = appraisal.targets.order_by("pk")
    staff_client.post(
        reverse("supervision:appraisal_paper", args=[appraisal.pk]),
        {
            f"t{t1.pk}_satisfied": 45,
            f"t{t1.pk}_basic": 3,
            f"t{t1.pk}_unsatisfied": 2,
            f"t{t2.pk}_satisfied": 10,
            f"t{t2.pk}_basic": 20,
            f"t{t2.pk}_unsatisfied": 20,
        },
    )
    body = staff_client.get(reverse("supervision:appraisal_detail", args=[appraisal.pk])).content.decode()
    assert "满意度最高：甲财政所（96.0%）" in body and "满意度最低：甲派出所（60.0%）" in body
    staff_client.post(reverse("supervision:appraisal_close", args=[appraisal.pk]))
    assert list(Rectification.objects.values_list("unit__name", flat=True)) == ["甲派出所"]


# --- letters and visits ----------------------------------------------------------------------


def test_petition_register_with_empty_subject_changes_nothing(cast, staff_client):
    response = staff_client.post(
        reverse("supervision:petition_create"),
        {
            "received_on": "2024-03-01",
            "channel": "visit",
            "source_kind": "citizen",
            "subject": "",
            "content": "x",
        },
    )
    assert response.status_code == 200 and not Petition.objects.exists()


def test_petition_list_counts_and_query_budget(cast, staff_client, django_assert_max_num_queries):
    p = sf.petition(cast.township_a, actor=cast.staff_a)
    services.petition_transition(petition=p, action="forward", unit=cast.unit_a, actor=cast.staff_a)
    with django_assert_max_num_queries(12) as small:
        response = staff_client.get(reverse("supervision:petitions"))
    assert "受理 1 件，转办 1 件，调查 0 件，办结 0 件" in response.content.decode()
    for i in range(15):
        sf.petition(cast.township_a, actor=cast.staff_a, subject=f"信访{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        staff_client.get(reverse("supervision:petitions"))


def test_staff_forwards_and_closes_a_petition_through_the_page(cast, staff_client):
    p = sf.petition(cast.township_a, actor=cast.staff_a)
    url = reverse("supervision:petition_act", args=[p.pk])
    staff_client.post(url, {"action": "forward", "version": 1, "unit": cast.unit_a.pk})
    staff_client.post(url, {"action": "close", "version": 2, "result": "已修复"})
    p.refresh_from_db()
    assert p.status == Petition.Status.CLOSED and p.forwarded_unit == cast.unit_a


def test_deputies_cannot_open_petitions(cast):
    p = sf.petition(cast.township_a, actor=cast.staff_a)
    client = cast.client_for(cast.deputy_a.user)
    assert client.get(reverse("supervision:petition_detail", args=[p.pk])).status_code == 403
    assert client.get(reverse("supervision:petitions")).status_code == 403


def test_a_unit_opens_the_petition_forwarded_to_it_and_only_that_one(cast):
    forwarded = sf.petition(cast.township_a, actor=cast.staff_a, subject="反映集市占道经营")
    services.petition_transition(petition=forwarded, action="forward", unit=cast.unit_a, actor=cast.staff_a)
    elsewhere = sf.petition(cast.township_a, actor=cast.staff_a, subject="反映派出所户籍办理慢")
    services.petition_transition(petition=elsewhere, action="forward", unit=cast.unit_a2, actor=cast.staff_a)
    not_forwarded = sf.petition(cast.township_a, actor=cast.staff_a, subject="反映低保评定不公")
    officer = cast.client_for(cast.unit_officer_a)

    page = officer.get(reverse("supervision:petition_detail", args=[forwarded.pk]))
    assert page.status_code == 200 and "反映集市占道经营" in page.content.decode()
    assert reverse("supervision:petition_act", args=[forwarded.pk]) not in page.content.decode()
    listing = officer.get(reverse("supervision:petitions")).content.decode()
    assert "反映集市占道经营" in listing
    assert "反映派出所户籍办理慢" not in listing and "反映低保评定不公" not in listing
    for other in (elsewhere, not_forwarded):
        assert officer.get(reverse("supervision:petition_detail", args=[other.pk])).status_code == 404
    # The unit may read the case, not move it.
    officer.post(
        reverse("supervision:petition_act", args=[forwarded.pk]),
        {"action": "close", "version": forwarded.version + 1, "result": "已处理"},
    )
    forwarded.refresh_from_db()
    assert forwarded.status == Petition.Status.FORWARDED


def test_forwarding_a_petition_tells_the_units_officers_with_a_link_they_can_open(cast):
    from notifications.models import Notification

    p = sf.petition(cast.township_a, actor=cast.staff_a, subject="反映集市占道经营")
    services.petition_transition(petition=p, action="forward", unit=cast.unit_a, actor=cast.staff_a)
    notice = Notification.objects.get(recipient=cast.unit_officer_a)
    assert "反映集市占道经营" in notice.title
    assert cast.client_for(cast.unit_officer_a).get(notice.url).status_code == 200


def test_county_staff_read_but_cannot_register(cast):
    sf.activity(cast.township_a, actor=cast.staff_a, kind=ActivityKind.RESEARCH, topic="产业调研")
    client = cast.client_for(cast.county_staff_a)
    assert "产业调研" in client.get(reverse("supervision:activities")).content.decode()
    assert client.get(reverse("supervision:activity_create")).status_code == 403


def _xlsx_rows(response):
    from io import BytesIO

    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(response.content)).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_rectification_ledger_export_holds_only_the_units_own_items(cast):
    sf.rectification(
        cast.township_a,
        cast.unit_a,
        title="财政所整改",
        assigned_on=dt.date(2024, 1, 2),
        deadline=dt.date(2024, 2, 1),
    )
    sf.rectification(cast.township_a, cast.unit_a2, title="派出所整改")
    sf.rectification(cast.township_b, cast.unit_b, title="乙镇整改", actor=cast.staff_b)
    rows = _xlsx_rows(cast.client_for(cast.unit_officer_a).get(reverse("supervision:rectification_export")))
    assert rows[0][:4] == ["序号", "乡镇", "整改事项", "整改单位"]
    assert [(r[2], r[3], r[8]) for r in rows[1:]] == [("财政所整改", "甲财政所", "逾期")]
    staff_rows = _xlsx_rows(cast.client_for(cast.staff_a).get(reverse("supervision:rectification_export")))
    assert sorted(r[2] for r in staff_rows[1:]) == ["派出所整改", "财政所整改"]


def test_staff_records_a_units_report_before_scoring(cast, staff_client):
    appraisal = sf.appraisal(cast.township_a, [cast.unit_a])
    target = appraisal.targets.get()
    staff_client.post(
        reverse("supervision:appraisal_target_report", args=[target.pk]), {"report": "全年工作述职"}
    )
    target.refresh_from_db()
    assert target.report == "全年工作述职"
    services.appraisal_close(appraisal=appraisal, actor=cast.staff_a)
    response = staff_client.post(
        reverse("supervision:appraisal_target_report", args=[target.pk]), {"report": "改"}, follow=True
    )
    assert any("已结束" in m for m in _messages(response))
    target.refresh_from_db()
    assert target.report == "全年工作述职"


def test_staff_delete_a_mistaken_finding_but_not_one_sent_to_rectification(cast, staff_client):
    act = sf.activity(cast.township_a, actor=cast.staff_a)
    wrong = services.finding_add(activity=act, kind="opinion", content="录错了", actor=cast.staff_a)
    kept = services.finding_add(activity=act, kind="problem", content="已交办", actor=cast.staff_a)
    sf.rectification(cast.township_a, cast.unit_a, finding=kept)
    staff_client.post(reverse("supervision:finding_delete", args=[wrong.pk]))
    response = staff_client.post(reverse("supervision:finding_delete", args=[kept.pk]), follow=True)
    assert any("不能删除" in m for m in _messages(response))
    assert list(Finding.objects.values_list("content", flat=True)) == ["已交办"]


def test_staff_split_deputies_into_a_team_with_a_leader(cast, staff_client):
    act = sf.activity(cast.township_a, actor=cast.staff_a)
    url = reverse("supervision:participants_add", args=[act.pk])
    staff_client.post(
        url,
        {
            "deputies": [cast.deputy_a.pk, cast.deputy_a2.pk],
            "team_name": "第一组",
            "leader": cast.deputy_a2.pk,
        },
    )
    team = act.teams.get()
    assert (team.name, team.leader_id) == ("第一组", cast.deputy_a2.pk)
    assert act.participants.filter(team=team).count() == 2
    body = staff_client.get(reverse("supervision:activity_detail", args=[act.pk])).content.decode()
    assert "组长" in body
    other = sf.f.deputy_with_login(cast.township_a)
    response = staff_client.post(
        url, {"deputies": [other.pk], "team_name": "", "leader": other.pk}, follow=True
    )
    assert any("组长" in m for m in _messages(response))
    assert act.participants.count() == 2
