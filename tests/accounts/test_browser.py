"""Issuing logins in a real browser (Debian's chromium through Playwright): the secretary ticks the
whole page with "select all", confirms, and gets the slip list; a dismissed confirmation deactivates
nobody. Screenshots go to test-artifacts/browser/."""

from pathlib import Path

import pytest
from django.test import Client

from presidium.models import User
from tests.accounts.conftest import build_roster

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


def _page_for(browser, live_server, user, accept=True):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept() if accept else dialog.dismiss())
    page.set_default_timeout(15000)
    return page


def test_secretary_selects_the_page_issues_logins_and_gets_the_slips(
    transactional_db, live_server, cast, browser
):
    roster = build_roster(cast.township_a, cast.staff_a)
    page = _page_for(browser, live_server, cast.staff_a)
    page.goto(f"{live_server.url}/logins/deputies/")
    page.get_by_label("全选本页").check()
    page.get_by_role("button", name="为勾选的代表开通账号").click()
    page.wait_for_url("**/logins/deputies/issue/")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "accounts-slips.png"), full_page=True)
    body = page.content()
    assert "代表账号开通凭条" in body and "临时密码" in body and f"{live_server.url}/accounts/login/" in body
    issued = User.objects.filter(deputy__in=roster.deputies.values())
    assert sorted(issued.values_list("full_name", flat=True)) == ["孙玉梅", "李秀兰", "王建华"]
    assert "与代表陈海涛相同" in body  # the skipped, with their reasons (no phone: not tickable)


def test_a_dismissed_confirmation_deactivates_nobody(transactional_db, live_server, cast, browser):
    page = _page_for(browser, live_server, cast.staff_a, accept=False)
    page.goto(f"{live_server.url}/logins/?q={cast.unit_officer_a.username}")
    page.get_by_role("button", name="停用").first.click()
    page.wait_for_timeout(300)
    cast.unit_officer_a.refresh_from_db()
    assert cast.unit_officer_a.is_active
