"""Every page renders for the roles that reach it, with the data that makes each section appear."""

import datetime as dt

import pytest
from django.urls import reverse

from supervision import services
from supervision.models import ActivityKind

from . import factories as sf

pytestmark = pytest.mark.django_db


def test_three_accounts_page_shows_the_stages_of_each_commitment(cast, staff_client):
    act = sf.activity(cast.township_a, kind=ActivityKind.THREE_ACCOUNTS, topic="站所三账")
    item = services.commitment_add(
        activity=act, title="硬化道路 20 公里", unit=cast.unit_a, actor=cast.staff_a
    )
    services.commitment_check(
        item=item, stage="mid_checked", result="behind", note="完成 6 公里", actor=cast.staff_a
    )
    body = staff_client.get(reverse("supervision:activity_detail", args=[act.pk])).content.decode()
    assert "年初建账" in body and "硬化道路 20 公里" in body and "进度滞后" in body and "完成 6 公里" in body


def test_staff_records_a_mid_year_check_through_the_page(cast, staff_client):
    act = sf.activity(cast.township_a, kind=ActivityKind.SPECIAL_OVERSIGHT, topic="十件实事年中督查")
    staff_client.post(
        reverse("supervision:commitment_add", args=[act.pk]), {"title": "新建幼儿园", "unit": ""}
    )
    item = act.commitments.get()
    staff_client.post(
        reverse("supervision:commitment_check", args=[item.pk]),
        {"stage": "mid_checked", "result": "on_track", "note": "主体完工"},
    )
    item.refresh_from_db()
    assert (item.stage, item.mid_year_result, item.mid_year_note) == ("mid_checked", "on_track", "主体完工")


def test_appraisal_activity_pages_for_staff_county_and_deputy(cast, staff_client):
    appraisal = sf.appraisal(cast.township_a, [cast.unit_a], officials=["财政所所长 张三"])
    act = appraisal.activity
    body = staff_client.get(reverse("supervision:activity_detail", args=[act.pk])).content.decode()
    assert "查看测评结果" in body
    results = staff_client.get(reverse("supervision:appraisal_detail", args=[appraisal.pk])).content.decode()
    assert "财政所所长 张三" in results and "录入纸质票" in results
    county = cast.client_for(cast.county_staff_a).get(
        reverse("supervision:appraisal_detail", args=[appraisal.pk])
    )
    assert county.status_code == 200 and "录入纸质票" not in county.content.decode()
    assert staff_client.get(reverse("supervision:appraisal_paper", args=[appraisal.pk])).status_code == 200


def test_staff_opens_an_appraisal_through_the_page(cast, staff_client):
    act = sf.activity(cast.township_a, kind=ActivityKind.APPRAISAL, topic="评议站所")
    url = reverse("supervision:appraisal_create", args=[act.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(
        url,
        {
            "units": [cast.unit_a.pk, cast.unit_a2.pk],
            "officials": "派出所所长 李四\n",
            "low_score_threshold": 75,
            "rectification_workdays": 15,
        },
    )
    appraisal = act.appraisal
    assert response.status_code == 302
    assert appraisal.low_score_threshold == 75 and appraisal.targets.count() == 3


def test_deputy_sees_own_activities_but_not_others(cast):
    mine = sf.activity(cast.township_a, topic="我参加的视察")
    services.activity_add_participants(activity=mine, deputies=[cast.deputy_a], actor=cast.staff_a)
    other = sf.activity(cast.township_a, topic="别人参加的视察")
    client = cast.client_for(cast.deputy_a.user)
    body = client.get(reverse("supervision:my")).content.decode()
    assert "我参加的视察" in body and "别人参加的视察" not in body
    assert client.get(reverse("supervision:activity_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("supervision:activity_detail", args=[other.pk])).status_code == 404


def test_rectification_detail_shows_working_day_deadline_and_actions_per_role(cast, staff_client):
    rect = sf.rectification(cast.township_a, cast.unit_a, workdays=5, assigned_on=dt.date(2024, 9, 27))
    body = cast.client_for(cast.unit_officer_a).get(
        reverse("supervision:rectification_detail", args=[rect.pk])
    )
    text = body.content.decode()
    assert "2024-10-10" in text and "5 个工作日" in text and "报告整改完成" in text and "逾期" in text
    staff_text = staff_client.get(
        reverse("supervision:rectification_detail", args=[rect.pk])
    ).content.decode()
    assert "报告整改完成" not in staff_text  # staff verify, units report


def test_forms_render_for_staff(cast, staff_client):
    act = sf.activity(cast.township_a)
    finding = sf.finding(cast.township_a, act=act)
    p = sf.petition(cast.township_a)
    for url in (
        reverse("supervision:activity_create"),
        reverse("supervision:activity_edit", args=[act.pk]),
        reverse("supervision:rectification_create", args=[finding.pk]),
        reverse("supervision:petition_create"),
        reverse("supervision:petition_detail", args=[p.pk]),
    ):
        assert staff_client.get(url).status_code == 200, url


def test_activity_report_pdf_carries_the_figures_teams_and_findings(cast, staff_client):
    from io import BytesIO

    from pypdf import PdfReader

    act = sf.activity(
        cast.township_a,
        kind=ActivityKind.LAW_ENFORCEMENT,
        topic="土地管理法执法检查",
        report="检查组深入三个村实地查看。\n总体情况良好。",
    )
    services.activity_add_participants(
        activity=act,
        deputies=[cast.deputy_a, cast.deputy_a2],
        actor=cast.staff_a,
        team_name="第一组",
        leader=cast.deputy_a,
    )
    finding = services.finding_add(
        activity=act, kind="problem", content="违法占地未及时处置", actor=cast.staff_a
    )
    sf.rectification(cast.township_a, cast.unit_a, finding=finding)
    response = staff_client.get(reverse("supervision:activity_pdf", args=[act.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    text = text.replace(" ", "").replace("\n", "")
    assert "土地管理法执法检查" in text and "违法占地未及时处置" in text and "待整改" in text
    assert "发现问题1个" in text and f"组长：{cast.deputy_a.name}" in text


def test_activity_detail_query_count_does_not_grow_with_findings_and_deputies(
    cast, staff_client, django_assert_max_num_queries
):
    act = sf.activity(cast.township_a, kind=ActivityKind.THREE_ACCOUNTS, topic="三账")
    url = reverse("supervision:activity_detail", args=[act.pk])

    def add(n):
        deputies = [sf.f.DeputyFactory(township=cast.township_a) for _ in range(n)]
        services.activity_add_participants(
            activity=act, deputies=deputies, actor=cast.staff_a, team_name=f"组{n}"
        )
        for i in range(n):
            fd = services.finding_add(
                activity=act, kind="problem", content=f"问题{n}-{i}", actor=cast.staff_a
            )
            sf.rectification(cast.township_a, cast.unit_a, finding=fd)
            services.commitment_add(activity=act, title=f"承诺{n}-{i}", unit=cast.unit_a, actor=cast.staff_a)

    add(2)
    with django_assert_max_num_queries(30) as small:
        staff_client.get(url)
    add(12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert "问题12-11" in staff_client.get(url).content.decode()
