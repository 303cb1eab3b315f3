"""Bad input on every POST route, against the user's OWN township's objects: never a 500.

The isolation specs' makers build an object in "township B"; with the cast's townships swapped
they build it in the requesting staff member's own township, so the form is really processed."""

import dataclasses

import pytest
from django.urls import reverse

from .isolation import Scoped, Static, load_specs

SPECS = load_specs()
POST_ROUTES = sorted(
    key for key, spec in SPECS.items() if isinstance(spec, (Scoped, Static)) and spec.method == "post"
)

JUNK = {
    "title": "标" * 5000,
    "content": "\x00<script>alert(1)</script>",
    "comment": "x" * 10000,
    "reason": "",
    "date": "2024-13-45",
    "start_date": "昨天",
    "until": "not-a-date",
    "announced_on": "0000-00-00",
    "votes_for": "-3",
    "votes_against": "abc",
    "abstentions": "1e9",
    "count": "99999999999999999999",
    "status": "no-such-status",
    "action": "no-such-action",
    "to_status": "drop table",
    "unit": "999999",
    "deputy": "abc",
    "deputies": ["0", "x"],
    "station": "-1",
    "outcome_class": "Z",
    "rating": "11",
    "version": "oops",
    "expected_version": "oops",
    "kind": "<b>",
    "file": "not a file",
}


def _swapped(cast):
    return dataclasses.replace(
        cast,
        county_a=cast.county_b,
        county_b=cast.county_a,
        township_a=cast.township_b,
        township_b=cast.township_a,
        unit_a=cast.unit_b,
        unit_b=cast.unit_a,
        staff_a=cast.staff_b,
        staff_b=cast.staff_a,
        deputy_a=cast.deputy_b,
        deputy_b=cast.deputy_a,
        unit_officer_a=cast.unit_officer_b,
        unit_officer_b=cast.unit_officer_a,
        county_staff_a=cast.county_staff_b,
        county_staff_b=cast.county_staff_a,
    )


@pytest.mark.parametrize("payload", ["empty", "junk"])
@pytest.mark.parametrize("key", POST_ROUTES)
def test_bad_input_to_a_post_route_gets_an_answer_not_a_server_error(cast, key, payload):
    spec = SPECS[key]
    if isinstance(spec, Scoped):
        obj = spec.make(_swapped(cast))  # the object now belongs to the requester's township
        url = reverse(key, kwargs=spec.kwargs(obj))
    else:
        url = reverse(key, kwargs=spec.kwargs or None)
    data = {} if payload == "empty" else JUNK
    for user in (cast.staff_a, cast.deputy_a.user, cast.unit_officer_a):
        response = cast.client_for(user).post(url, data)
        assert response.status_code < 500, f"{key} answered {response.status_code} to {user.role}"
