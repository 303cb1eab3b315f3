"""The whole loop in a real browser (Debian's chromium through Playwright): a deputy submits on a
phone-sized screen, the office accepts and assigns, the unit signs and replies, the deputy rates.
Screenshots of each step go to test-artifacts/browser/."""

from pathlib import Path

import pytest
from django.test import Client

from suggestions.models import Status, Suggestion

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
PHONE = {"width": 390, "height": 844}


def _page_for(browser, live_server, user, viewport=None):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, locale="zh-CN")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.set_default_timeout(15000)
    return page


def _shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_closed_loop_in_a_real_browser(transactional_db, live_server, cast, browser):
    # 1. The deputy submits from a phone.
    deputy = _page_for(browser, live_server, cast.deputy_a.user, PHONE)
    deputy.goto(f"{live_server.url}/suggestions/my/")
    deputy.get_by_role("link", name="提建议").click()
    deputy.get_by_label("标题").fill("修复东岭村村口破损路面")
    deputy.locator("#id_category").select_option("道路建设")
    deputy.get_by_label("内容（发现的问题）").fill("村口至小学约300米路面坑洼，雨天积水，学生上学不便。")
    deputy.get_by_label("建议办法").fill("请交管站安排资金修复路面并完善排水。")
    deputy.get_by_role("button", name="提交建议").click()
    deputy.wait_for_url("**/suggestions/*/")
    assert "待审查" in deputy.content()
    _shot(deputy, "1-deputy-submitted-phone.png")
    s = Suggestion.objects.get()
    assert s.status == Status.SUBMITTED

    # 2. The office accepts (numbers it) and assigns it to a unit.
    staff = _page_for(browser, live_server, cast.staff_a)
    staff.goto(f"{live_server.url}/suggestions/{s.pk}/")
    staff.get_by_role("button", name="立案并编号").click()
    staff.wait_for_selector("text=已立案待交办")
    staff.locator("#as-unit").select_option(str(cast.unit_a.pk))
    staff.get_by_label("责任领导").fill("李副镇长")
    staff.get_by_role("button", name="交办", exact=True).click()
    staff.wait_for_selector("text=已交办待签收")
    _shot(staff, "2-staff-assigned.png")

    # 3. The unit signs, records its contact with the deputy and replies.
    unit = _page_for(browser, live_server, cast.unit_officer_a)
    unit.goto(f"{live_server.url}/suggestions/unit/")
    unit.get_by_role("link", name="修复东岭村村口破损路面").click()
    unit.get_by_role("button", name="签收").click()
    unit.wait_for_selector("text=办理中")
    unit.locator("#ct-summary").fill("电话联系王代表，约定现场查看。")
    unit.get_by_role("button", name="保存沟通记录").click()
    unit.wait_for_selector("#rp-class")
    unit.locator("#rp-class").select_option("A")
    unit.locator("#rp-text").fill("已安排资金修复路面300米，并新修排水沟。")
    unit.get_by_role("button", name="提交答复").click()
    unit.wait_for_selector("text=已答复待测评")
    _shot(unit, "3-unit-replied.png")

    # 4. The deputy reads the reply on the phone and rates it.
    deputy.goto(f"{live_server.url}/suggestions/{s.pk}/")
    assert "已安排资金修复路面300米" in deputy.content()
    deputy.get_by_label("满意", exact=True).check()
    deputy.get_by_role("button", name="提交评价").click()
    deputy.wait_for_selector("text=已办结")
    _shot(deputy, "4-deputy-rated-phone.png")

    s.refresh_from_db()
    assert (s.status, s.rating, s.lead_unit_id, s.outcome_class) == (
        Status.CLOSED,
        "satisfied",
        cast.unit_a.pk,
        "A",
    )
    assert list(s.events.values_list("action", flat=True)) == [
        "create",
        "submit",
        "accept",
        "assign",
        "sign",
        "contact",
        "reply",
        "rate_satisfied",
    ]
    for name in [
        "1-deputy-submitted-phone.png",
        "2-staff-assigned.png",
        "3-unit-replied.png",
        "4-deputy-rated-phone.png",
    ]:
        assert (ARTIFACTS / name).stat().st_size > 5000
