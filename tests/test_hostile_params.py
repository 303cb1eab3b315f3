"""Hostile query parameters on every page and API list: a NUL or control character, an integer
that overflows the database, full-width digits. Each gets a clear answer (200 with the filter
ignored, or 400), never a 500 — on SQLite and on PostgreSQL."""

import pytest

from .isolation import Listing, Static, discover_routes, load_specs

SPECS = load_specs()
ROUTES = discover_routes()

HUGE = "99999999999999999999999"
HOSTILE = {
    "township": HUGE,
    "group": HUGE,
    "district": HUGE,
    "unit": HUGE,
    "year": HUGE,
    "deputy": HUGE,
    "session": HUGE,
    "page": HUGE,
    "q": "路灯\x00损坏\x01",
    "category": "\x00",
    "status": "\x00",
    "kind": "\x00",
}
VARIANTS = {
    "huge": dict.fromkeys(
        ("township", "group", "district", "unit", "year", "deputy", "session", "page"), HUGE
    ),
    "fullwidth": {"year": "０１", "township": "１", "page": "２"},
    # Fit in Python and pass the middleware, but not in a date, a PostgreSQL integer or a page.
    "big": {
        "year": "99999",
        "township": "2147483648",
        "group": "2147483648",
        "unit": "9223372036854775807",
        "district": "2147483648",
        "deputy": "2147483648",
        "session": "2147483648",
        "page": "99999",
    },
    "nul": {k: f"1\x00{v}" for k, v in HOSTILE.items()},
    "mixed": HOSTILE,
}

CASES = [
    (key, variant)
    for key, spec in sorted(SPECS.items())
    if key in ROUTES and isinstance(spec, Listing | Static) and spec.method == "get"
    for variant in VARIANTS
]


def _url(key, kwargs):
    from django.urls import reverse

    return "/" + key if "/" in key else reverse(key, kwargs=kwargs or None)


@pytest.mark.parametrize(("key", "variant"), CASES, ids=[f"{k}|{v}" for k, v in CASES])
def test_hostile_query_parameters_never_give_a_500(cast, key, variant):
    spec = SPECS[key]
    url = _url(key, spec.kwargs)
    roles = [r for r in ("staff_a", "county_a", "deputy_a", "unit_a") if r in spec.roles][:2] or ["staff_a"]
    for role in roles:
        client = cast.client_for(cast.users()[role])
        response = client.get(url, VARIANTS[variant])
        assert response.status_code < 500, f"{url}?{variant} answered {response.status_code} to {role}"


def test_an_overflowing_integer_filter_is_a_clear_400_and_full_width_digits_are_read_as_digits(cast):
    staff = cast.client_for(cast.staff_a)
    response = staff.get("/deputies/", {"township": HUGE})
    assert response.status_code == 400 and "参数“township”的数值超出范围" in response.content.decode()
    api = staff.get("/api/v1/suggestions/", {"township_id": HUGE})
    assert api.status_code == 400 and api.json()["code"] == "out_of_range"
    assert staff.get("/suggestions/stats/", {"year": "２０２４"}).context["year"] == 2024


def test_nul_and_control_characters_typed_into_a_form_are_removed_before_saving(cast):
    from django.urls import reverse

    from suggestions.models import Suggestion

    deputy = cast.client_for(cast.deputy_a.user)
    deputy.post(
        reverse("suggestions:new"),
        {"title": "路灯损坏\x00\x01", "content": "晚上\x00漆黑\x1b一片。\n第二行", "category": ""},
    )
    s = Suggestion.objects.get()
    assert (s.title, s.content) == ("路灯损坏", "晚上漆黑一片。\n第二行")


@pytest.mark.parametrize("value", ["99999999999", "100001", "-1"])
def test_an_overflowing_count_on_the_activity_form_is_a_form_error_not_a_500(cast, value):
    from django.urls import reverse

    from supervision.models import SupervisionActivity

    response = cast.client_for(cast.staff_a).post(
        reverse("supervision:activity_create"),
        {
            "kind": "inspection",
            "topic": "农村公路视察",
            "start_date": "2024-05-10",
            "voters_visited": value,
            "forums_held": "0",
        },
    )
    assert response.status_code in (200, 302) and not SupervisionActivity.objects.exists()
