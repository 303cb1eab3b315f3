"""Tenancy and roles, route by route (see tests/isolation.py for the spec kinds)."""

import pytest
from django.urls import reverse

from presidium.models import Role

from .isolation import ROLES, Listing, Public, Scoped, Skip, Static, discover_routes, load_specs

SPECS = load_specs()
ROUTES = discover_routes()

REFUSED = (401, 403, 404, 405)


def test_every_route_is_classified_in_the_isolation_matrix():
    missing = sorted(set(ROUTES) - set(SPECS))
    assert not missing, "classify these routes in tests/<app>/isolation.py: " + ", ".join(missing)


def test_no_stale_entries_in_the_isolation_matrix():
    stale = sorted(set(SPECS) - set(ROUTES))
    assert not stale, "these classified routes no longer exist: " + ", ".join(stale)


def _url(key, kwargs):
    """Named routes are reversed; unnamed ones are keyed by their route string."""
    if "/" in key:
        return "/" + key
    return reverse(key, kwargs=kwargs or None)


def _request(client, method, url, data=None, api=False):
    if method == "post":
        return client.post(url, data or {})
    return client.get(url, HTTP_ACCEPT="application/json" if api else "text/html")


def response_text(response) -> str:
    """What a person would read in the response: the text of a PDF's pages and every cell of an
    Excel workbook (both are compressed, so searching their bytes would find nothing)."""
    from io import BytesIO

    content = b"".join(response.streaming_content) if response.streaming else response.content
    ctype = response.get("Content-Type", "")
    if "pdf" in ctype or content[:5] == b"%PDF-":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(content)).pages)
    if "spreadsheetml" in ctype or content[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        workbook = load_workbook(BytesIO(content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return content.decode("utf-8", errors="replace")


def test_the_matrix_reads_inside_excel_and_pdf_exports(cast):
    """A name in a workbook cell or on a PDF page is found, so the export checks above can fail."""
    from io import BytesIO

    from django.http import HttpResponse
    from openpyxl import Workbook
    from weasyprint import HTML

    workbook = Workbook()
    workbook.active.append(["姓名", "乙镇代表钱多多"])
    buffer = BytesIO()
    workbook.save(buffer)
    assert "乙镇代表钱多多" in response_text(HttpResponse(buffer.getvalue()))
    pdf = HTML(string="<html><body><p>乙镇代表钱多多</p></body></html>").write_pdf()
    assert "乙镇代表钱多多" not in pdf.decode("latin-1")  # compressed: the raw bytes hide it
    assert "乙镇代表钱多多" in response_text(HttpResponse(pdf, content_type="application/pdf"))
    # Positive control on a real export: township A's own deputy is readable in its roster.
    roster = cast.client_for(cast.staff_a).get(reverse("deputies:export_roster"))
    assert cast.deputy_a.name in response_text(roster)


def _user(cast, role):
    return cast.users()[role]


def _anonymous_refused(response):
    if response.status_code in (301, 302):
        return "login" in response.headers.get("Location", "")
    return response.status_code in (401, 403, 405)


ROUTE_ROLE_CASES = [
    (key, role)
    for key, spec in sorted(SPECS.items())
    if key in ROUTES and not isinstance(spec, (Skip, Public))
    for role in (*ROLES, "anonymous")
]


@pytest.mark.parametrize(("key", "role"), ROUTE_ROLE_CASES, ids=[f"{k}|{r}" for k, r in ROUTE_ROLE_CASES])
def test_route_refuses_other_townships_data(cast, key, role):
    spec = SPECS[key]
    api = ROUTES[key].startswith("api/")
    user = None if role == "anonymous" else _user(cast, role)
    client = cast.client_for(user)

    if isinstance(spec, Scoped):
        obj = spec.make(cast)
        url = _url(key, spec.kwargs(obj))
        data = spec.data(cast, obj) if spec.data else None
        response = _request(client, spec.method, url, data, api)
        if role == "anonymous":
            assert _anonymous_refused(response), (
                f"{url} answered {response.status_code} to an anonymous visitor"
            )
        elif role not in spec.allowed:
            assert response.status_code in REFUSED or (
                response.status_code == 302 and "login" in response.headers.get("Location", "")
            ), f"{role} reached another township's object at {url}: {response.status_code}"
        if spec.unchanged is not None and spec.method == "post":
            assert spec.unchanged(cast, obj), f"{role} changed another township's object via {url}"
        return

    if isinstance(spec, (Listing, Static)):
        marker = spec.marker(cast) if isinstance(spec, Listing) and spec.marker else None
        url = _url(key, spec.kwargs)
        response = _request(client, spec.method, url, None, api)
        if role == "anonymous":
            assert _anonymous_refused(response), (
                f"{url} answered {response.status_code} to an anonymous visitor"
            )
            return
        if role not in spec.roles and not (getattr(user, "is_superuser", False)):
            assert response.status_code in REFUSED or response.status_code == 302, (
                f"{role} should be refused at {url} but got {response.status_code}"
            )
            return
        assert response.status_code < 500, f"{url} failed for {role}: {response.status_code}"
        if marker and response.status_code == 200:
            body = response_text(response)
            assert marker not in body, f"{role} saw township B's data ({marker}) at {url}"
        return
    raise AssertionError(f"unknown spec for {key}: {spec!r}")


PUBLIC_CASES = [key for key, spec in sorted(SPECS.items()) if isinstance(spec, Public) and key in ROUTES]


@pytest.mark.parametrize("key", PUBLIC_CASES)
def test_public_routes_answer_anonymous_visitors_without_error(cast, key):
    spec = SPECS[key]
    response = _request(cast.client_for(None), spec.method, _url(key, spec.kwargs))
    assert response.status_code < 500 or response.status_code in spec.expected_errors


def test_api_key_of_township_a_cannot_read_township_b(cast, client):
    from presidium.services import api_key_create

    _key, raw = api_key_create(name="屏", actor=cast.staff_a, township=cast.township_a)
    response = client.get(f"/api/v1/townships/{cast.township_b.pk}/", HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert response.status_code == 404
    listing = client.get("/api/v1/townships/", HTTP_AUTHORIZATION=f"Api-Key {raw}").json()
    assert [t["id"] for t in listing["results"]] == [cast.township_a.pk]


def test_cast_roles_are_what_the_matrix_assumes(cast):
    assert cast.staff_a.role == Role.STAFF and cast.staff_a.township == cast.township_a
    assert cast.deputy_a.user.role == Role.DEPUTY
    assert cast.unit_officer_a.township == cast.township_a
    assert cast.county_staff_a.county == cast.county_a != cast.township_b.county
