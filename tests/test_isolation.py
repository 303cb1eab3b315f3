"""Tenancy and roles, route by route (see tests/isolation.py for the spec kinds)."""

import pytest
from django.urls import reverse

from presidium.models import Role

from .isolation import (
    API,
    PEERS,
    PRINCIPALS,
    ROLES,
    Listing,
    Posted,
    Public,
    Scoped,
    Skip,
    Static,
    discover_routes,
    load_specs,
)

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


def _anonymous_refused(response):
    if response.status_code in (301, 302):
        return "login" in response.headers.get("Location", "")
    return response.status_code in (401, 403, 405)


def _refused(response):
    return response.status_code in REFUSED or (
        response.status_code == 302 and "login" in response.headers.get("Location", "")
    )


def _markers(value) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)


def _assert_no_marker(response, markers, who, url):
    """Whatever the status (a 403 page, a 404, a form re-shown with errors, a redirect), the body
    must not show what belongs to someone else."""
    if not markers:
        return
    body = response_text(response)
    for marker in markers:
        assert marker not in body, f"{who} saw {marker!r} at {url} (status {response.status_code})"


def _row(obj):
    """The object's row as stored (None for objects that are not rows, e.g. a roll-call bundle)."""
    from django.db import models

    if not isinstance(obj, models.Model):
        return None
    return type(obj)._base_manager.filter(pk=obj.pk).values().first()


def _is_api(key):
    return ROUTES[key].startswith("api/")


def _principals(key, spec):
    """Who runs against a route: A's four roles and an anonymous visitor everywhere; the second
    deputy and unit officer where the spec gives them the first one's item, or (listings) where their
    role is let in; the API keys on API routes."""
    chosen = [*ROLES]
    if isinstance(spec, Scoped):
        chosen += [p for p in PEERS if p in spec.peers]
    elif isinstance(spec, Listing):
        chosen += [p for p, twin in PEERS.items() if twin in spec.roles or p in spec.peer_markers]
    if _is_api(key):
        chosen += API
    return [*chosen, "anonymous"]


def _gate(principal):
    return PEERS.get(principal, principal)


ROUTE_ROLE_CASES = [
    (key, role)
    for key, spec in sorted(SPECS.items())
    if key in ROUTES and not isinstance(spec, (Skip, Public))
    for role in _principals(key, spec)
]


@pytest.mark.parametrize(("key", "role"), ROUTE_ROLE_CASES, ids=[f"{k}|{r}" for k, r in ROUTE_ROLE_CASES])
def test_route_refuses_other_townships_data(cast, key, role):
    spec = SPECS[key]
    api = _is_api(key)
    client = cast.client_as(role)

    if isinstance(spec, Scoped):
        obj = spec.peers[role](cast) if role in PEERS else spec.make(cast)
        before = _row(obj)
        url = _url(key, spec.kwargs(obj))
        data = spec.data(cast, obj) if spec.data else None
        response = _request(client, spec.method, url, data, api)
        if role == "anonymous":
            assert _anonymous_refused(response), (
                f"{url} answered {response.status_code} to an anonymous visitor"
            )
        elif role not in spec.allowed:
            assert _refused(response), f"{role} reached another's object at {url}: {response.status_code}"
        if spec.method == "get":
            # The POST branch too (edit pages are GET+POST; a view that is GET only must still
            # refuse a POST): with the edit form's body if given, nothing may change.
            response = client.post(url, spec.data(cast, obj) if spec.data else {})
            if role == "anonymous":
                assert _anonymous_refused(response), f"{url} answered {response.status_code} to anonymous"
            elif role not in spec.allowed:
                assert _refused(response), (
                    f"{role} POSTed to another's object at {url}: {response.status_code}"
                )
        if spec.unchanged is not None and role not in PEERS:  # written for B's object
            assert spec.unchanged(cast, obj), f"{role} changed another's object via {url}"
        assert _row(obj) == before, f"{role}'s request to {url} changed another's object"
        return

    if isinstance(spec, Posted):
        obj = spec.make(cast)
        url = _url(key, spec.kwargs)
        if spec.session and role != "anonymous":
            session = client.session
            session.update(spec.session(cast, obj))
            session.save()
        response = client.post(url, spec.data(cast, obj))
        if role == "anonymous":
            assert _anonymous_refused(response), f"{url} answered {response.status_code} to anonymous"
        elif _gate(role) not in spec.roles and role not in API:
            assert _refused(response) or response.status_code == 302, (
                f"{role} should be refused at {url} but got {response.status_code}"
            )
        assert response.status_code < 500, f"{url} failed for {role}: {response.status_code}"
        assert spec.unchanged(cast, obj), f"{role} changed township B's data via {url}"
        return

    if isinstance(spec, (Listing, Static)):
        markers = []
        if isinstance(spec, Listing):
            maker = spec.peer_markers.get(role) if role in PEERS else None
            markers = _markers(spec.marker(cast)) + _markers(maker(cast) if maker else None)
        url = _url(key, spec.kwargs)
        response = _request(client, spec.method, url, None, api)
        if role == "anonymous":
            assert _anonymous_refused(response), (
                f"{url} answered {response.status_code} to an anonymous visitor"
            )
        elif _gate(role) not in spec.roles and role not in API:
            assert response.status_code in REFUSED or response.status_code == 302, (
                f"{role} should be refused at {url} but got {response.status_code}"
            )
        assert response.status_code < 500, f"{url} failed for {role}: {response.status_code}"
        _assert_no_marker(response, markers, role, url)
        return
    raise AssertionError(f"unknown spec for {key}: {spec!r}")


LISTING_POST_CASES = [
    (key, role)
    for key, spec in sorted(SPECS.items())
    if key in ROUTES and isinstance(spec, Listing) and spec.post_data is not None
    for role in _principals(key, spec)
]


@pytest.mark.parametrize(("key", "role"), LISTING_POST_CASES, ids=[f"{k}|{r}" for k, r in LISTING_POST_CASES])
def test_a_pages_own_form_cannot_write_into_another_township(cast, key, role):
    spec = SPECS[key]
    markers = _markers(spec.marker(cast))
    url = _url(key, spec.kwargs)
    response = cast.client_as(role).post(url, spec.post_data(cast))
    if role == "anonymous":
        assert _anonymous_refused(response), f"{url} answered {response.status_code} to anonymous"
    assert response.status_code < 500, f"{url} failed for {role}: {response.status_code}"
    assert spec.post_unchanged(cast), f"{role} wrote township B's data through {url}"
    _assert_no_marker(response, markers, role, url)


PUBLIC_CASES = [key for key, spec in sorted(SPECS.items()) if isinstance(spec, Public) and key in ROUTES]


@pytest.mark.parametrize("key", PUBLIC_CASES)
def test_public_routes_answer_anonymous_visitors_without_error(cast, key):
    spec = SPECS[key]
    response = _request(cast.client_for(None), spec.method, _url(key, spec.kwargs))
    assert response.status_code < 500 or response.status_code in spec.expected_errors


def test_api_key_of_township_a_cannot_read_township_b(cast):
    client = cast.client_as("api_a")
    response = client.get(f"/api/v1/townships/{cast.township_b.pk}/")
    assert response.status_code == 404
    listing = client.get("/api/v1/townships/").json()
    assert [t["id"] for t in listing["results"]] == [cast.township_a.pk]


def test_cast_roles_are_what_the_matrix_assumes(cast):
    assert cast.staff_a.role == Role.STAFF and cast.staff_a.township == cast.township_a
    assert cast.deputy_a.user.role == Role.DEPUTY
    assert cast.unit_officer_a.township == cast.township_a
    assert cast.county_staff_a.county == cast.county_a != cast.township_b.county
    # The peers: same township, another deputy, another unit.
    assert cast.deputy_a2.township == cast.township_a and cast.deputy_a2.user != cast.deputy_a.user
    assert cast.unit_officer_a2.township == cast.township_a and cast.unit_a2 != cast.unit_a
    assert set(PRINCIPALS) == {*cast.users(), *cast.peers(), *API}
    me = cast.client_as("api_a").get("/api/v1/me/").json()
    assert me  # the township key is a principal the API knows


def test_every_listing_names_a_township_b_marker():
    """A listing whose check could not fail is no check: every one makes B's data and looks for it."""
    blind = sorted(k for k, s in SPECS.items() if isinstance(s, Listing) and s.marker is None)
    assert not blind, "give these listings a marker: " + ", ".join(blind)


def test_no_post_route_is_classed_static():
    """A POST changes something: it is a Scoped or Posted route with an ``unchanged`` check."""
    static_posts = sorted(k for k, s in SPECS.items() if isinstance(s, Static) and s.method == "post")
    assert not static_posts, "classify these POST routes as Scoped or Posted: " + ", ".join(static_posts)
