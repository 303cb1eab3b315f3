"""A form sent twice (a double tap, a resent request) changes things once."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.urls import reverse

from presidium.middleware import OneTimeSubmitMiddleware
from suggestions.models import Suggestion

FORM = {
    "title": "村口路灯不亮",
    "content": "村口到学校的三盏路灯坏了半年，晚上学生放学很危险。",
    "category": "",
    "submit": "1",
}


def test_replaying_the_same_suggestion_post_creates_one_suggestion(cast):
    client = cast.client_for(cast.deputy_a.user)
    url = reverse("suggestions:new")
    first = client.post(url, {**FORM, "_once": "tap-1"})
    second = client.post(url, {**FORM, "_once": "tap-1"})
    assert Suggestion.objects.filter(title="村口路灯不亮").count() == 1
    created = Suggestion.objects.get(title="村口路灯不亮")
    # the replay lands where the first request went: the new suggestion's page
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"] == reverse("suggestions:detail", args=[created.pk])
    page = client.get(second["Location"]).content.decode()
    assert "该表单已提交过一次，没有重复提交。" in page


def test_a_new_token_is_a_new_submission(cast):
    client = cast.client_for(cast.deputy_a.user)
    url = reverse("suggestions:new")
    client.post(url, {**FORM, "_once": "page-load-1"})
    client.post(url, {**FORM, "_once": "page-load-2"})
    assert Suggestion.objects.filter(title="村口路灯不亮").count() == 2


def test_a_refused_form_can_be_corrected_and_sent_from_the_new_page(cast):
    client = cast.client_for(cast.deputy_a.user)
    url = reverse("suggestions:new")
    refused = client.post(url, {**FORM, "title": "", "_once": "t-1"})
    assert refused.status_code == 200 and "村口到学校的三盏路灯" in refused.content.decode()
    client.post(url, {**FORM, "_once": "t-2"})
    assert Suggestion.objects.filter(title="村口路灯不亮").count() == 1


def test_a_request_that_failed_on_the_server_can_be_sent_again(rf):
    calls = []

    def broken_then_fine(request):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        return HttpResponse("ok")

    middleware = OneTimeSubmitMiddleware(broken_then_fine)

    def post():
        request = rf.post("/suggestions/new/", {"_once": "retry-1", "title": "x"})
        request.user = AnonymousUser()
        return middleware(request)

    with pytest.raises(RuntimeError):
        post()
    assert post().content == b"ok" and len(calls) == 2


def test_an_htmx_replay_swaps_nothing(cast):
    client = cast.client_for(cast.deputy_a.user)
    url = reverse("suggestions:new")
    client.post(url, {**FORM, "_once": "hx-1"}, HTTP_HX_REQUEST="true")
    replay = client.post(url, {**FORM, "_once": "hx-1"}, HTTP_HX_REQUEST="true")
    assert replay.status_code == 204 and Suggestion.objects.filter(title="村口路灯不亮").count() == 1
