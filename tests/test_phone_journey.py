"""A deputy's whole phone journey in a real browser (Debian's chromium through Playwright, 390×844),
and an automated accessibility check (axe-core from node_modules, injected into each page) of the
deputy's and the unit's pages: no serious or critical violations.

Each deputy page is also measured: body text at least 16 px, every control at least 44 px tall.
Screenshots go to test-artifacts/phone/."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from congress.models import AgendaItem
from deputies.models import Deputy, VoterOpinion
from suggestions import services
from suggestions.models import CoSigner, Status, Suggestion
from tests.congress import factories as cf
from tests.suggestions.helpers import make
from tests.supervision import factories as sf

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "phone"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

# Interactive elements that must be at least 44 px tall on a deputy's page (links inside running
# text are exempt, as in WCAG's target-size rule).
CONTROLS = (
    "button:not(.btn-close), .btn,"
    ":not(.ts-control) > input:not([type=hidden]):not([type=radio]):not([type=checkbox]),"
    " select:not(.ts-hidden-accessible), textarea, .form-check, .nav-link, .dropdown-item, .page-link,"
    " .list-group-item-action, .app-tap, .ts-control, summary"
)
MEASURE = """(selector) => {
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'
      && !el.closest('[aria-hidden=true]'); };
  const small = [];
  document.querySelectorAll(selector).forEach((el) => {
    if (visible(el) && el.getBoundingClientRect().height < 44) small.push(el.outerHTML.slice(0, 120));
  });
  const tiny = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode; const el = node.parentElement;
    if (!node.textContent.trim() || !el || !visible(el)) continue;
    if (parseFloat(getComputedStyle(el).fontSize) < 16) tiny.push(node.textContent.trim().slice(0, 40));
  }
  return {small, tiny, width: document.documentElement.scrollWidth};
}"""


def _context(browser, live_server, user=None, viewport=PHONE, locale="zh-CN"):
    context = browser.new_context(viewport=viewport, locale=locale)
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )
    # No request may leave the app (no CDN): anything not on the live server fails the test.
    outside = []
    context.on("request", lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url))
    context.outside = outside
    return context


def _page(context):
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.set_default_timeout(15000)
    return page


def _shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def _axe(page) -> list[str]:
    # The app's Content Security Policy rightly refuses an injected inline <script>; evaluating the
    # axe source through the DevTools protocol is not subject to it, and the page keeps its policy.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'],"
        " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _check_phone_page(page, checked):
    """axe, text size and tap targets of the page the deputy is on."""
    page.wait_for_load_state("load")
    measured = page.evaluate(MEASURE, CONTROLS)
    assert measured["small"] == [], (page.url, measured["small"])
    assert measured["tiny"] == [], (page.url, measured["tiny"])
    assert measured["width"] <= PHONE["width"], (page.url, measured["width"])
    violations = _axe(page)
    assert violations == [], (page.url, "\n".join(violations))
    checked.append(page.url)


def _world(cast):
    deputy = cast.deputy_a
    Deputy.objects.filter(pk=deputy.pk).update(birth_date=dt.date(1968, 5, 1))
    # an upcoming session with its government work report
    session = cf.session(
        cast.township_a, start_date=dt.date.today() + dt.timedelta(days=10), place="镇政府三楼会议室"
    )
    report = cf.agenda_item(session, kind=AgendaItem.Kind.GOVERNMENT_REPORT, title="政府工作报告")
    report.document.save("政府工作报告.txt", ContentFile("今年完成道路硬化12公里。".encode()), save=True)
    # a reply waiting for the deputy's rating
    replied = make(cast, Status.REPLIED, title="东岭村饮水管道老化")
    # a colleague invites the deputy to co-sign
    invited = services.suggestion_create_by_deputy(
        deputy=cast.deputy_a2,
        actor=cast.deputy_a2.user,
        title="镇中心小学门口增设减速带",
        content="学校门口车辆车速快，学生过马路危险。",
        co_deputies=[deputy],
        submit=True,
    )
    # a democratic appraisal the deputy has not voted in yet
    sf.appraisal(cast.township_a, [cast.unit_a])
    return session, report, replied, invited


def test_deputy_phone_journey_and_accessibility(transactional_db, live_server, cast, browser):
    session, _report, replied, invited = _world(cast)
    checked = []
    context = _context(browser, live_server, cast.deputy_a.user)
    page = _page(context)

    # 1. Landing: what the deputy owes comes first.
    page.goto(f"{live_server.url}/")
    page.wait_for_url("**/suggestions/my/")
    owed = page.locator(".card.border-primary")
    assert owed.is_visible()
    for text in (
        "请评价",
        "东岭村饮水管道老化",
        "请确认联名",
        "镇中心小学门口增设减速带",
        "民主测评投票",
        "开会表决",
    ):
        assert text in owed.inner_text()
    _shot(page, "1-landing.png")
    _check_phone_page(page, checked)

    # 2. The menu holds only the deputy's own pages, and every one of them opens.
    page.get_by_role("button", name="菜单").click()
    hrefs = page.eval_on_selector_all("#mainnav a[href^='/']", "els => els.map(e => e.getAttribute('href'))")
    for staff_only in ("/deputies/", "/deputies/archive/", "/congress/", "/supervision/activities/"):
        assert staff_only not in hrefs
    for href in set(hrefs):
        assert page.request.get(f"{live_server.url}{href}").status == 200, href
    _shot(page, "2-menu.png")

    # 3. Rate the reply: the rating form is at the top, above the suggestion's text.
    page.goto(f"{live_server.url}/suggestions/{replied.pk}/")
    form_top = page.locator("form[action$='/rate/']").bounding_box()["y"]
    content_top = page.get_by_role("heading", name="内容").bounding_box()["y"]
    assert form_top < content_top < 2000
    assert form_top < PHONE["height"]
    _check_phone_page(page, checked)
    page.locator("summary").first.click()
    page.get_by_label("不满意", exact=True).check()
    page.locator("#rt-comment").fill("管道只换了一半，下游仍然漏水。")
    page.get_by_role("button", name="提交评价").click()
    page.wait_for_selector("text=评价已提交，承办单位将重新办理并再次答复您。")
    replied.refresh_from_db()
    assert replied.status == Status.REHANDLING
    _shot(page, "3-rated.png")

    # 4. Confirm co-signing.
    page.goto(f"{live_server.url}/suggestions/{invited.pk}/")
    _check_phone_page(page, checked)
    page.get_by_role("button", name="确认联名").click()
    page.wait_for_selector("text=已确认联名。")
    assert CoSigner.objects.get(suggestion=invited, deputy=cast.deputy_a).state == CoSigner.State.CONFIRMED

    # 5. Submit a suggestion with a double tap: one suggestion, the searchable co-signer picker.
    page.goto(f"{live_server.url}/suggestions/new/")
    _check_phone_page(page, checked)
    page.get_by_label("标题").fill("修复东岭村村口破损路面")
    page.get_by_label("内容（发现的问题）").fill("村口至小学约300米路面坑洼，雨天积水，学生上学不便。")
    picker = page.locator("#id_co_deputies-ts-control")
    picker.click()
    picker.fill(cast.deputy_a2.name)
    option = page.locator(".ts-dropdown .option").first
    assert cast.deputy_a2.name in option.inner_text()
    option.click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="提交建议").dblclick()
    page.wait_for_url(re.compile(r"/suggestions/\d+/$"))
    page.wait_for_load_state("load")
    created = Suggestion.objects.filter(title="修复东岭村村口破损路面")
    assert created.count() == 1
    assert list(created.get().cosigners.values_list("deputy_id", flat=True)) == [cast.deputy_a2.pk]
    _shot(page, "5-submitted.png")

    # 6. Read the session's report before the session.
    page.goto(f"{live_server.url}/congress/mine/")
    _check_phone_page(page, checked)
    page.get_by_role("link", name=str(session)).click()
    page.wait_for_selector("text=政府工作报告")
    _check_phone_page(page, checked)
    href = page.get_by_role("link", name="阅读报告").get_attribute("href")
    document = page.request.get(f"{live_server.url}{href}")
    assert document.status == 200 and document.text() == "今年完成道路硬化12公里。"

    # 7. The deputy code: a voter scans it and leaves a message; the deputy answers.
    page.goto(f"{live_server.url}/deputies/me/card/")
    _check_phone_page(page, checked)
    public_url = page.locator(".text-break").inner_text().strip()
    assert page.locator("img[src$='/card/qr.svg']").evaluate("img => img.naturalWidth") > 100
    voter = _page(_context(browser, live_server))
    voter.goto(public_url)
    _check_phone_page(voter, checked)
    voter.get_by_label("您想反映的问题或建议").fill("我们组的灌溉水渠堵了，春耕前需要清淤。")
    voter.get_by_role("button", name="提交留言").click()
    voter.wait_for_selector("text=留言已提交，谢谢您！")
    message = VoterOpinion.objects.get(source="deputy_code")
    page.goto(f"{live_server.url}/suggestions/my/")
    assert "我们组的灌溉水渠堵了" in page.locator(".card.border-primary").inner_text()
    page.goto(f"{live_server.url}/deputies/opinions/{message.pk}/")
    _check_phone_page(page, checked)
    page.locator("#answer").fill("已联系村组长，本周六组织清淤。")
    page.get_by_role("button", name="提交答复并办结").click()
    page.wait_for_selector("text=答复已记录，这条留言已办结。")
    message.refresh_from_db()
    assert message.status == "closed" and message.responded_at is not None

    # 8. Their own performance record links their archive PDF.
    page.goto(f"{live_server.url}/deputies/me/")
    _check_phone_page(page, checked)
    pdf_href = page.get_by_role("link", name="我的履职档案（PDF）").get_attribute("href")
    assert pdf_href == f"/reports/deputy/{cast.deputy_a.pk}/{dt.date.today().year}/archive.pdf"
    _shot(page, "8-record.png")

    for url in ("/congress/mine/", "/supervision/my/", "/deputies/opinions/", "/deputies/contacts/"):
        page.goto(f"{live_server.url}{url}")
        _check_phone_page(page, checked)
    assert context.outside == [] and voter.context.outside == []
    assert len(checked) >= 14


def test_unit_pages_have_no_serious_accessibility_violations(transactional_db, live_server, cast, browser):
    s = make(cast, Status.ASSIGNED, title="东岭村饮水管道老化")
    make(cast, Status.SIGNED, title="镇中心小学门口增设减速带")
    context = _context(browser, live_server, cast.unit_officer_a, viewport=DESKTOP)
    page = _page(context)
    for url in ("/suggestions/unit/", f"/suggestions/{s.pk}/", "/deputies/opinions/", "/notifications/"):
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("load")
        assert _axe(page) == [], url
    page.goto(f"{live_server.url}/suggestions/unit/")
    rows = page.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert rows == ["东岭村饮水管道老化", "镇中心小学门口增设减速带"]
    _shot(page, "unit-inbox.png")
    assert context.outside == []


def test_staff_pickers_search_and_the_english_menu_fits_the_screen(
    transactional_db, live_server, cast, browser
):
    s = make(cast, Status.ACCEPTED, title="东岭村饮水管道老化")
    context = _context(browser, live_server, cast.staff_a, viewport=DESKTOP)
    page = _page(context)
    page.goto(f"{live_server.url}/suggestions/{s.pk}/")
    # the unit picker starts empty and finds a unit by typing part of its name
    control = page.locator("#as-unit-ts-control")
    assert page.locator("#as-unit").input_value() == ""
    control.click()
    control.fill("派出")
    page.locator(".ts-dropdown .option", has_text=cast.unit_a2.name).click()
    assert page.locator("#as-unit").input_value() == str(cast.unit_a2.pk)
    assert _axe(page) == []
    # English: the menu wraps instead of widening the page
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/suggestions/")
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    assert context.outside == []
