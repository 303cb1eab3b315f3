"""Smaller holes an outside probe found: open redirects, the English password message, names made
of invisible characters, deadlines in 9999, a responsible leader silently cut, the OpenAPI schema."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from congress.models import Observer
from presidium.services import api_key_create
from suggestions.models import Status
from supervision import services as supervision_services
from supervision.models import Rectification
from tests.congress import factories as cf
from tests.suggestions.helpers import make
from tests.supervision import factories as sf

EVIL = ["//evil.example/x", "https://evil.example/x", "/\\evil.example/x", "\\\\evil.example"]


@pytest.mark.parametrize("target", EVIL)
def test_report_job_creation_never_redirects_to_another_site(cast, staff_client, target):
    response = staff_client.post(
        reverse("reports:job_create", kwargs={"township_id": cast.township_a.pk}),
        {"kind": "nonsense", "year": "2024", "next": target},
    )
    assert response.status_code == 302 and "evil.example" not in response["Location"]


@pytest.mark.parametrize("target", EVIL)
def test_batch_assign_and_congress_actions_never_redirect_to_another_site(cast, staff_client, target):
    response = staff_client.post(reverse("suggestions:batch_assign"), {"next": target})
    assert response.status_code == 302 and "evil.example" not in response["Location"]
    session = cf.session(cast.township_a)
    response = staff_client.post(
        reverse("congress:agenda_sent", args=[cf.agenda_item(session).pk]),
        {"document_sent_on": "2999-01-01", "next": target},
        HTTP_REFERER=target,
    )
    assert response.status_code == 302 and "evil.example" not in response["Location"]


def test_a_next_inside_the_site_is_still_followed(cast, staff_client):
    back = reverse("suggestions:list") + "?status=accepted"
    response = staff_client.post(reverse("suggestions:batch_assign"), {"next": back})
    assert response["Location"] == back


def test_the_too_short_password_message_is_in_chinese(cast, client):
    client.force_login(cast.staff_a)
    cast.staff_a.set_password("Old-pass-2024")
    cast.staff_a.save()
    client.force_login(cast.staff_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": "Old-pass-2024", "new_password1": "Ab1!x", "new_password2": "Ab1!x"},
    )
    body = response.content.decode()
    assert "密码太短，至少需要 8 个字符" in body and "too short" not in body


def test_a_name_made_only_of_zero_width_characters_is_refused(cast, staff_client):
    session = cf.session(cast.township_a)
    staff_client.post(
        reverse("congress:session_observer_add", args=[session.pk]),
        {"name": "\u200b\u200c\u200d\ufeff", "affiliation": "镇政府", "kind": "official"},
    )
    assert not Observer.objects.exists()
    staff_client.post(
        reverse("congress:session_observer_add", args=[session.pk]),
        {"name": "王\u200b五", "affiliation": "镇政府", "kind": "official"},
    )
    assert Observer.objects.get().name == "王五"


def test_a_deadline_in_9999_is_refused_with_a_chinese_message(cast):
    with pytest.raises(ValidationError, match="超出合理范围"):
        sf.rectification(cast.township_a, cast.unit_a, deadline=dt.date(9999, 12, 31))
    rect = sf.rectification(cast.township_a, cast.unit_a)
    with pytest.raises(ValidationError, match="超出合理范围"):
        supervision_services.rectification_transition(
            rectification=rect,
            action="extend",
            actor=cast.staff_a,
            comment="施工受阻",
            new_deadline=dt.date(9999, 1, 1),
        )
    assert Rectification.objects.get().deadline < dt.date(2100, 1, 1)


def test_a_responsible_leader_longer_than_the_field_is_refused_not_cut(cast, staff_client):
    s = make(cast, Status.ACCEPTED)
    leader = "分管农业农村工作和乡村振兴及人居环境整治工作的党委委员、副镇长张三"
    assert len(leader) > 30
    staff_client.post(
        reverse("suggestions:action", args=[s.pk, "assign"]),
        {"unit": cast.unit_a.pk, "responsible_leader": leader, "version": s.version},
    )
    s.refresh_from_db()
    assert s.status == Status.ACCEPTED and s.responsible_leader == ""


def test_the_openapi_schema_tells_the_truth_about_nulls_and_errors(cast, client):
    schema = client.get("/api/schema/?format=json").json()
    suggestion = schema["components"]["schemas"]["Suggestion"]["properties"]
    assert (
        suggestion["lead_unit"].get("nullable") is True and suggestion["lead_deputy"].get("nullable") is True
    )
    responses = schema["paths"]["/api/v1/suggestions/{id}/"]["get"]["responses"]
    assert {"200", "400", "401", "403", "404"} <= set(responses)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/v1/units/", {"is_active": "maybe"}),
        ("/api/v1/suggestions/", {"status": "nonsense"}),
        ("/api/v1/suggestions/", {"is_key": "2"}),
        ("/api/v1/suggestions/", {"page": "abc"}),
    ],
)
def test_invalid_filter_and_page_values_are_rejected(cast, client, url, params):
    _key, raw = api_key_create(name="屏", actor=cast.staff_a, township=cast.township_a)
    response = client.get(url, params, HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert response.status_code in (400, 404)
