"""Content Security Policy: every page says where scripts may come from, and the templates hold no
inline script the policy would block (handlers live in static/js/app.js)."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)(?![^>]*type=\"application/json\")[^>]*>")


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


def test_pages_carry_a_policy_that_allows_scripts_from_this_site_only(cast, staff_client):
    for url in (reverse("login"), reverse("suggestions:list"), reverse("deputies:roster")):
        client = staff_client if url != reverse("login") else cast.client_for(None)
        policy = _policy(client.get(url))
        assert "'self'" in policy["script-src"] and "unsafe-inline" not in policy["script-src"]
        assert "'none'" in policy["object-src"] and "'none'" in policy["frame-ancestors"]


def test_no_template_has_an_inline_handler_or_an_inline_script_without_a_nonce():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if INLINE_HANDLER.search(text) or INLINE_SCRIPT.search(text):
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []


def test_the_confirmations_and_auto_submits_moved_to_data_attributes_are_wired_in_app_js(cast, staff_client):
    app_js = (Path(settings.BASE_DIR) / "static" / "js" / "app.js").read_text(encoding="utf-8")
    for attribute in ("data-confirm", "data-confirm-submit", "data-autosubmit", "data-print"):
        assert f"[{attribute}]" in app_js
    page = staff_client.get(reverse("suggestions:stats")).content.decode()
    assert "data-autosubmit" in page and "js/app.js" in page


def test_the_api_docs_pages_work_under_the_policy(cast, staff_client):
    redoc = staff_client.get("/api/redoc/")
    nonce = re.search(r'<script nonce="([^"]+)">', redoc.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in _policy(redoc)["script-src"]
    swagger = staff_client.get("/api/docs/").content.decode()
    assert not INLINE_SCRIPT.search(swagger)
    assert staff_client.get("/api/docs/?script=").status_code == 200
