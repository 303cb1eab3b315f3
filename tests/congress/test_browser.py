"""The roll call at the door in a real browser (Debian's chromium through Playwright), on a
phone-sized screen: one tap per deputy, the quorum updates without reloading."""

from pathlib import Path

import pytest
from django.test import Client

from congress.models import Attendance, Session

from . import factories as cf

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


def test_roll_call_on_a_phone_one_tap_per_deputy_with_live_quorum(
    transactional_db, live_server, cast, browser
):
    deputies = [cast.deputy_a, cast.deputy_a2, *cf.deputies(cast.township_a, 1)]  # 3 deputies: quorum 2
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    client = Client()
    client.force_login(cast.staff_a)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/congress/sessions/{session.pk}/roll-call/")
    assert "未达到法定人数" in page.locator("#quorum").inner_text()
    for d in deputies[:2]:
        page.locator(f"#roll-{d.pk} button", has_text="出席").click()
        page.locator(f"#roll-{d.pk} button.btn-success").wait_for()
    page.locator(f"#roll-{deputies[2].pk} button", has_text="请假").click()
    page.locator(f"#roll-{deputies[2].pk} button.btn-warning").wait_for()
    quorum = page.locator("#quorum").inner_text()
    assert "已达到法定人数" in quorum and "出席 2 / 应到 3" in quorum and "请假 1" in quorum
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "congress-roll-call-phone.png"), full_page=True)
    assert dict(Attendance.objects.filter(session=session).values_list("deputy_id", "status")) == {
        deputies[0].pk: "present",
        deputies[1].pk: "present",
        deputies[2].pk: "leave",
    }
