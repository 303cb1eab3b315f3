"""Paper suggestions as they arrive: the received date (number and counting year follow it), the
session or 闭会期间, the lead and joint deputies (county-level deputies organised in the township
included), the scanned original, category and level; and the figures split by these."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from suggestions import selectors, services
from suggestions.deadlines import due_date
from suggestions.models import Attachment, CoSigner, Status
from tests import factories as f
from tests.congress.factories import session

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NEW_KEYS = (
    "received_in_session",
    "received_between_sessions",
    "received_by_township_deputies",
    "received_by_county_deputies",
)


def paper(cast, **kw):
    kw.setdefault("lead_deputy", cast.deputy_a)
    kw.setdefault("title", "集镇排水沟堵塞需清淤")
    kw.setdefault("content", "集镇老街排水沟长期堵塞，雨天污水漫上路面。")
    kw.setdefault("category", "道路建设")
    return services.suggestion_create_paper(township=cast.township_a, actor=cast.staff_a, **kw)


def year_stats(cast, year):
    return selectors.township_stats(
        township_ids=[cast.township_a.pk], start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)
    )[cast.township_a.pk]


def test_a_paper_suggestion_received_in_january_2027_is_numbered_and_counted_in_2027(cast, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 20, 10, 0))
    december = paper(cast, title="十二月闭会期间收到")
    services.suggestion_accept(suggestion=december, actor=cast.staff_a)
    time_machine.move_to(dt.datetime(2027, 1, 12, 9, 0))
    sess = session(cast.township_a, status="closed", start_date=dt.date(2027, 1, 5))
    s = paper(cast, received_on=dt.date(2027, 1, 5), session=sess)
    services.suggestion_accept(suggestion=s, actor=cast.staff_a)
    s.refresh_from_db()
    assert (s.year, s.number) == (2027, "2027-001") and december.number == "2026-001"
    assert s.session == sess and s.during_session and s.assign_due is None
    assert s.submitted_at.date() == dt.date(2027, 1, 5)
    stats_2027, stats_2026 = year_stats(cast, 2027), year_stats(cast, 2026)
    assert stats_2027["received"] == 1 and stats_2027["received_in_session"] == 1
    assert stats_2026["received"] == 1 and stats_2026["received_between_sessions"] == 1
    assert stats_2026["received_in_session"] == 0


def test_an_item_received_in_december_and_accepted_in_january_keeps_decembers_year(cast, time_machine):
    time_machine.move_to(dt.datetime(2027, 1, 8, 9, 0))
    s = paper(cast, received_on=dt.date(2026, 12, 28))
    assert not s.during_session and s.session is None
    # Between sessions the five-working-day clock starts on the day it was received.
    assert s.assign_due == due_date(rules=cast.township_a.rules, stage="assign", start=dt.date(2026, 12, 28))
    assert s.assign_due < dt.date(2027, 1, 8)
    services.suggestion_accept(suggestion=s, actor=cast.staff_a)
    s.refresh_from_db()
    assert s.number == "2026-001"
    assert year_stats(cast, 2026)["received"] == 1 and year_stats(cast, 2027)["received"] == 0


def test_figures_split_by_session_and_by_the_lead_deputys_level(cast):
    county_deputy = f.DeputyFactory(township=cast.township_a, level="county", name="赵县代表")
    sess = session(cast.township_a, status="in_session", start_date=dt.date.today())
    paper(cast, session=sess)
    paper(cast, session=sess, lead_deputy=county_deputy, co_deputies=[cast.deputy_a2])
    paper(cast, lead_deputy=county_deputy)
    stats = year_stats(cast, dt.date.today().year)
    assert {k: stats[k] for k in NEW_KEYS} == {
        "received_in_session": 2,
        "received_between_sessions": 1,
        "received_by_township_deputies": 1,
        "received_by_county_deputies": 2,
    }
    assert all(k in selectors.STATS_LABELS for k in NEW_KEYS)


def test_joint_deputies_signed_on_paper_are_confirmed_and_the_scan_is_kept(cast):
    s = paper(
        cast,
        co_deputies=[cast.deputy_a2],
        originals=[SimpleUploadedFile("原件.pdf", PDF, content_type="application/pdf")],
        level="county",
    )
    assert s.cosigners.get().state == CoSigner.State.CONFIRMED
    assert s.attachments.get().kind == Attachment.Kind.ORIGINAL and s.level == "county"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"received_on": dt.date.today() + dt.timedelta(days=1)}, "收到日期不能晚于今天"),
        ({"level": "province"}, "办理层级"),
    ],
)
def test_bad_intake_data_is_refused_and_nothing_is_written(cast, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        paper(cast, **kwargs)
    assert not cast.township_a.suggestions.exists()


def test_a_session_or_deputy_of_another_township_is_refused(cast):
    other = session(cast.township_b, status="in_session", start_date=dt.date.today())
    with pytest.raises(ValidationError, match="本乡镇的人代会"):
        paper(cast, session=other)
    with pytest.raises(ValidationError, match="本乡镇代表"):
        paper(cast, lead_deputy=cast.deputy_b)
    with pytest.raises(PermissionDenied):
        services.suggestion_create_paper(
            township=cast.township_a, actor=cast.staff_b, lead_deputy=cast.deputy_a, title="t", content="c"
        )
    assert not cast.township_a.suggestions.exists()


def test_stats_page_and_api_show_the_new_figures(cast):
    paper(cast)
    client = cast.client_for(cast.staff_a)
    page = client.get(reverse("suggestions:stats")).content.decode()
    assert "闭会期间提出" in page and "县级及以上人大代表提出" in page
    data = client.get(reverse("suggestion-stats")).json()
    row = next(r for r in data["townships"] if r["township_id"] == cast.township_a.pk)
    assert row["received_between_sessions"] == 1 and row["received_by_township_deputies"] == 1
    assert set(NEW_KEYS) <= set(data["labels"])


def test_the_paper_form_lists_county_level_deputies_of_the_township_and_its_sessions(cast):
    f.DeputyFactory(township=cast.township_a, level="county", name="赵县代表")
    session(cast.township_a, status="in_session", start_date=dt.date.today())
    body = cast.client_for(cast.staff_a).get(reverse("suggestions:paper")).content.decode()
    assert (
        "赵县代表（县级人大代表）" in body and "闭会期间" in body and "第十届人民代表大会第一次会议" in body
    )


def _batch_post(cast, rows, **header):
    data = {
        "rows": "10",
        "received_on": header.get("received_on", dt.date.today().isoformat()),
        "session": header.get("session", ""),
    }
    if header.get("accept", True):
        data["accept"] = "on"
    for i, row in enumerate(rows, start=1):
        for key, value in row.items():
            data[f"r{i}-{key}"] = value
    return cast.client_for(cast.staff_a).post(reverse("suggestions:paper_batch"), data, follow=True)


def test_a_stack_of_paper_suggestions_is_entered_on_one_page_and_assigned_in_batch(cast):
    county_deputy = f.DeputyFactory(township=cast.township_a, level="county", name="赵县代表")
    sess = session(cast.township_a, status="in_session", start_date=dt.date.today())
    a, a2 = cast.deputy_a.name, cast.deputy_a2.name
    rows = [
        {
            "lead": a,
            "co": f"{a2}、赵县代表",
            "title": "修复村口道路",
            "content": "坑洼",
            "category": "道路建设",
        },
        {},  # a blank row between entries is skipped
        {"lead": "赵县代表", "title": "小学门口设减速带", "content": "车速快", "category": "道路建设"},
    ]
    r = _batch_post(cast, rows, session=sess.pk)
    body = r.content.decode()
    items = list(cast.township_a.suggestions.order_by("seq"))
    assert "已录入 2 条书面建议" in body and [s.status for s in items] == ["accepted", "accepted"]
    assert [s.lead_deputy for s in items] == [cast.deputy_a, county_deputy]
    assert all(s.session == sess and s.during_session for s in items)
    assert set(items[0].cosigners.values_list("deputy__name", flat=True)) == {a2, "赵县代表"}
    # The page now lists them with the batch assignment form (the existing batch_assign route).
    assert reverse("suggestions:batch_assign") in body and items[1].number in body
    done = r.redirect_chain[-1][0]
    client = cast.client_for(cast.staff_a)
    client.post(
        reverse("suggestions:batch_assign"),
        {"ids": [s.pk for s in items], "unit": cast.unit_a.pk, "next": done},
    )
    assert {s.status for s in cast.township_a.suggestions.all()} == {"assigned"}


def test_one_bad_row_keeps_the_whole_stack_out_and_names_every_bad_row(cast):
    type(cast.deputy_b).objects.filter(pk=cast.deputy_b.pk).update(name="乙镇欧阳代表")
    rows = [
        {"lead": cast.deputy_a.name, "title": "好的一行", "content": "内容", "category": "道路建设"},
        {"lead": "查无此人", "title": "代表姓名写错", "content": "内容", "category": "道路建设"},
        {"lead": cast.deputy_a.name, "title": "", "content": "没有标题", "category": "道路建设"},
        {"lead": cast.deputy_a.name, "title": "没选分类", "content": "内容"},
        {"lead": "乙镇欧阳代表", "title": "外乡镇代表", "content": "内容", "category": "道路建设"},
    ]
    body = _batch_post(cast, rows).content.decode()
    assert not cast.township_a.suggestions.exists()
    assert "第2行：“查无此人”不是本乡镇在任代表" in body
    assert "第5行：“乙镇欧阳代表”不是本乡镇在任代表" in body
    # What was typed stays on the page to be corrected.
    assert "代表姓名写错" in body and "好的一行" in body
    rows[1]["lead"] = cast.deputy_a.name
    rows[4]["lead"] = cast.deputy_a.name
    body = _batch_post(cast, rows).content.decode()
    assert "第3行：请填写标题" in body and "第4行：请选择建议分类" in body
    assert not cast.township_a.suggestions.exists()


def test_a_future_received_date_on_the_batch_page_saves_nothing(cast):
    rows = [{"lead": cast.deputy_a.name, "title": "标题", "content": "内容", "category": "道路建设"}]
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    body = _batch_post(cast, rows, received_on=tomorrow).content.decode()
    assert "收到日期不能晚于今天" in body and not cast.township_a.suggestions.exists()


def test_the_batch_page_never_lists_another_townships_items_passed_in_the_address(cast):
    from .helpers import make

    theirs = make(cast, side="b", title="乙镇的建议ZZZ")
    body = (
        cast.client_for(cast.staff_a)
        .get(reverse("suggestions:paper_batch") + f"?done={theirs.pk}")
        .content.decode()
    )
    assert "乙镇的建议ZZZ" not in body


def test_the_batch_page_keeps_a_constant_number_of_queries(cast, django_assert_max_num_queries):
    f.DeputyFactory.create_batch(30, township=cast.township_a)
    client = cast.client_for(cast.staff_a)
    with django_assert_max_num_queries(15):
        r = client.get(reverse("suggestions:paper_batch") + "?rows=60")
    assert r.status_code == 200 and r.content.decode().count('data-col="lead"') == 60


def test_the_split_figures_reach_the_township_and_county_dashboards(cast):
    paper(cast)
    staff = cast.client_for(cast.staff_a)
    page = staff.get(reverse("dashboards:township", args=[cast.township_a.pk])).content.decode()
    assert "闭会期间提出" in page and "乡镇人大代表提出" in page
    county = cast.client_for(cast.county_staff_a)
    table = county.get(reverse("dashboards:county") + "?section=suggestions").content.decode()
    assert "大会期间提出" in table and "县级及以上人大代表提出" in table


def test_the_stats_api_splits_recorded_steps_from_online_ones(cast):
    from suggestions.workflow import OnBehalf

    from .helpers import make

    s = make(cast, Status.ASSIGNED)
    services.suggestion_sign(
        suggestion=s, actor=cast.staff_a, on_behalf=OnBehalf(channel="phone", unit=cast.unit_a)
    )
    data = cast.client_for(cast.staff_a).get(reverse("suggestion-stats")).json()
    row = next(r for r in data["townships"] if r["township_id"] == cast.township_a.pk)
    assert row["by_channel"]["sign"] == {"online": 0, "recorded": 1}
    assert data["channel_labels"]["sign"] == "签收"


def test_the_api_says_whether_a_suggestion_was_made_at_a_session(cast):
    sess = session(cast.township_a, status="in_session", start_date=dt.date.today())
    s = paper(cast, session=sess)
    item = cast.client_for(cast.staff_a).get(reverse("suggestion-detail", args=[s.pk])).json()
    assert item["during_session"] is True and item["session_id"] == sess.pk
