"""The view plumbing every app shares (``presidium.viewkit``): a service's refusal becomes one
message and nothing else, a typed year is a year or nothing, a picked township is one the user
may see."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from presidium import viewkit


def _request(user=None, **query):
    request = RequestFactory().get("/", query)
    request._messages = CookieStorage(request)
    if user is not None:
        request.user = user
    return request


def _texts(request):
    return [(m.level_tag, str(m)) for m in get_messages(request)]


@pytest.mark.parametrize(
    "typed",
    ["", None, "abc", "-2024", "+2024", "2_024", "２０２４", "²⁰²⁴", "1999", "20240", "3000", "9" * 40],
)
def test_a_year_typed_in_any_other_form_than_plain_digits_in_range_is_no_year(typed):
    assert viewkit.parse_year(typed) is None


def test_a_plain_year_from_2000_to_next_year_is_a_year(time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 1, 10))
    assert [viewkit.parse_year(y) for y in ("2000", "2026", "2027", "2028")] == [2000, 2026, 2027, None]
    assert viewkit.query_year(_request(year="garbage"), 2026) == 2026


def test_a_service_refusal_becomes_one_message_and_a_falsy_outcome():
    request = _request()

    def refuse():
        raise ValidationError(["已被他人修改", "请刷新后重试"])

    outcome = viewkit.call_service(request, refuse, "已保存。")
    assert not outcome
    assert _texts(request) == [("error", "已被他人修改；请刷新后重试")]


def test_a_service_that_goes_through_says_so_and_hands_back_its_result():
    request = _request()
    outcome = viewkit.call_service(request, lambda: 42, "已保存。")
    assert outcome and outcome.value == 42
    assert _texts(request) == [("success", "已保存。")]


def test_an_invalid_form_never_reaches_the_service():
    from django import forms

    class Form(forms.Form):
        name = forms.CharField(label="名称")

    request = _request()
    called = []
    outcome = viewkit.run_form_action(request, Form({}), called.append, "已保存。")
    assert not outcome and called == []
    assert [level for level, _text in _texts(request)] == ["error"]


def test_county_staff_picking_a_township_of_another_county_get_a_404(cast):
    request = _request(cast.county_staff_a, township=str(cast.township_b.pk))
    with pytest.raises(Http404):
        viewkit.chosen_township(request)
    township, visible = viewkit.chosen_township(
        _request(cast.county_staff_a, township=str(cast.township_a.pk))
    )
    assert township == cast.township_a and cast.township_b not in visible


def test_a_superscript_digit_for_the_year_of_a_report_book_is_ignored_not_a_server_error(cast):
    client = cast.client_for(cast.staff_a)
    response = client.get(reverse("reports:books", kwargs={"township_id": cast.township_a.pk}), {"year": "²"})
    assert response.status_code == 200
