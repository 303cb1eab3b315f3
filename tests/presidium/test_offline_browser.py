"""Offline for real: a browser loading the API docs and each role's landing page asks nothing of any
host but the app's own (township offices run on intranets without internet).

Every request the page makes is recorded; requests to other hosts are aborted (so the test never
reaches the internet) and fail the test."""

from urllib.parse import urlsplit

import pytest
from django.test import Client

pytestmark = pytest.mark.browser

LOCAL_SCHEMES = ("data", "blob", "about")


def _open(browser, live_server, user, path, ready=None):
    """Load ``path`` as ``user`` (None: anonymous) and return (page text, foreign requests)."""
    foreign = []
    local_host = urlsplit(live_server.url).hostname
    context = browser.new_context(locale="zh-CN")
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )

    def route(r):
        parts = urlsplit(r.request.url)
        if parts.scheme in LOCAL_SCHEMES or parts.hostname in (local_host, "localhost", "127.0.0.1"):
            r.continue_()
        else:
            foreign.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(30000)
    response = page.goto(live_server.url + path)
    assert response is not None and response.status < 400, (path, response and response.status)
    if ready:
        page.locator(ready).first.wait_for()
    page.wait_for_load_state("networkidle")
    text = page.locator("body").inner_text()
    context.close()
    return text, foreign


def test_the_api_docs_load_completely_without_any_request_leaving_the_machine(
    transactional_db, live_server, browser
):
    text, foreign = _open(browser, live_server, None, "/api/redoc/", ready="#redoc-container h1")
    assert foreign == [] and "乡镇人大主席团工作平台 API" in text
    text, foreign = _open(browser, live_server, None, "/api/docs/", ready=".swagger-ui .info .title")
    assert foreign == [] and "乡镇人大主席团工作平台 API" in text


def test_every_roles_landing_page_asks_nothing_of_other_hosts(transactional_db, live_server, browser, cast):
    visits = {
        "anonymous": (None, "/accounts/login/"),
        "staff": (cast.staff_a, "/"),
        "deputy": (cast.deputy_a.user, "/"),
        "unit officer": (cast.unit_officer_a, "/"),
        "county staff": (cast.county_staff_a, "/"),
    }
    for role, (user, path) in visits.items():
        text, foreign = _open(browser, live_server, user, path)
        assert text.strip(), role
        assert foreign == [], (role, foreign)
