"""代表码: a voter scans a deputy's personal code and leaves a message; the deputy is told and
answers it or hands it to the office; staff see how long the deputy took."""

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

from deputies import services
from deputies.models import Deputy, VoterOpinion
from notifications.models import Notification

MESSAGE = {"content": "我们组的灌溉水渠堵了，春耕前需要清淤。", "voter_name": "王大爷", "voter_phone": ""}


def _public_url(cast, deputy):
    page = cast.client_for(deputy.user).get(reverse("deputies:my_card"))
    assert page.status_code == 200
    token = Deputy.objects.get(pk=deputy.pk).public_token
    url = reverse("deputies:deputy_message", args=[token])
    assert url in page.content.decode()
    return url


def test_a_voter_leaves_a_message_through_the_code_and_the_deputy_is_told(
    cast, client, django_capture_on_commit_callbacks
):
    url = _public_url(cast, cast.deputy_a)
    assert cast.deputy_a.name in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, MESSAGE)
    assert response.status_code == 200 and "留言已提交" in response.content.decode()
    opinion = VoterOpinion.objects.get()
    assert (opinion.source, opinion.deputy, opinion.township, opinion.status) == (
        "deputy_code",
        cast.deputy_a,
        cast.township_a,
        "open",
    )
    assert list(
        Notification.objects.filter(recipient=cast.deputy_a.user).values_list("title", flat=True)
    ) == ["选民通过代表码给您留言，请答复或转交人大办"]
    # the message is registered like a station message: staff find it in the voter opinions
    staff_page = cast.client_for(cast.staff_a).get(reverse("deputies:opinions")).content.decode()
    assert "我们组的灌溉水渠堵了" in staff_page and "尚未响应" in staff_page
    # another deputy does not see it
    assert (
        cast.client_for(cast.deputy_a2.user)
        .get(reverse("deputies:opinion_detail", args=[opinion.pk]))
        .status_code
        == 404
    )


def test_the_deputy_answers_and_staff_see_the_response_time(cast):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        opinion = services.deputy_message_submit(deputy=cast.deputy_a, content=MESSAGE["content"])
    deputy_client = cast.client_for(cast.deputy_a.user)
    detail = reverse("deputies:opinion_detail", args=[opinion.pk])
    assert "请答复这位选民，或转交人大办" in deputy_client.get(detail).content.decode()
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC), tick=False):
        response = deputy_client.post(
            detail,
            {"action": "answer", "expected_status": "open", "comment": "已电话联系村组长，周六组织清淤。"},
            follow=True,
        )
    assert "答复已记录，这条留言已办结。" in response.content.decode()
    opinion.refresh_from_db()
    assert opinion.status == "closed" and opinion.result.startswith("已电话联系")
    assert opinion.response_time == dt.timedelta(hours=3)
    staff_page = cast.client_for(cast.staff_a).get(detail).content.decode()
    assert "3 小时内响应" in staff_page.replace("\xa0", " ")


def test_the_deputy_hands_a_message_to_the_office_once_and_staff_are_told(
    cast, django_capture_on_commit_callbacks
):
    opinion = services.deputy_message_submit(deputy=cast.deputy_a, content=MESSAGE["content"])
    deputy_client = cast.client_for(cast.deputy_a.user)
    detail = reverse("deputies:opinion_detail", args=[opinion.pk])
    with django_capture_on_commit_callbacks(execute=True):
        deputy_client.post(
            detail, {"action": "hand_over", "expected_status": "open", "comment": "需水利站办理"}
        )
    opinion.refresh_from_db()
    assert opinion.status == "open" and opinion.responded_at is not None
    assert Notification.objects.filter(recipient=cast.staff_a, verb="voter_opinion.hand_over").count() == 1
    # a second hand-over changes nothing; the deputy cannot forward or close it themselves
    deputy_client.post(detail, {"action": "hand_over", "expected_status": "open"})
    assert opinion.events.filter(action="hand_over").count() == 1
    assert (
        deputy_client.post(detail, {"action": "close", "expected_status": "open", "comment": "x"}).status_code
        == 403
    )
    # staff take over as for any voter opinion
    staff_client = cast.client_for(cast.staff_a)
    staff_client.post(detail, {"action": "forward", "expected_status": "open", "unit": cast.unit_a.pk})
    opinion.refresh_from_db()
    assert opinion.status == "forwarded" and opinion.unit == cast.unit_a


def test_another_deputy_cannot_answer_a_message_left_for_someone_else(cast):
    opinion = services.deputy_message_submit(deputy=cast.deputy_a, content=MESSAGE["content"])
    response = cast.client_for(cast.deputy_a2.user).post(
        reverse("deputies:opinion_detail", args=[opinion.pk]),
        {"action": "answer", "expected_status": "open", "comment": "冒名答复"},
    )
    assert response.status_code == 404
    opinion.refresh_from_db()
    assert opinion.status == "open" and opinion.result == ""


def test_the_code_page_keeps_the_station_pages_guards(cast, client, settings):
    url = _public_url(cast, cast.deputy_a)
    # honeypot: answered as accepted, nothing stored
    client.post(url, {**MESSAGE, "website": "http://spam.example"})
    # length limits
    too_long = client.post(url, {**MESSAGE, "content": "长" * 1001})
    assert too_long.status_code == 200 and VoterOpinion.objects.count() == 0
    # the same per-address budget as the station pages
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}),
            "voter_message": "1/hour",
        },
    }
    client.post(url, MESSAGE)
    refused = client.post(url, MESSAGE)
    assert refused.status_code == 429 and VoterOpinion.objects.count() == 1


def test_a_deputy_who_left_office_receives_no_more_messages(cast, client):
    url = _public_url(cast, cast.deputy_a)
    Deputy.objects.filter(pk=cast.deputy_a.pk).update(
        status=Deputy.Status.RESIGNED, status_since=timezone.localdate()
    )
    response = client.post(url, MESSAGE)
    assert "不在任" in response.content.decode() and not VoterOpinion.objects.exists()


def test_staff_print_a_deputys_card_and_qr(cast):
    client = cast.client_for(cast.staff_a)
    assert client.get(reverse("deputies:deputy_card", args=[cast.deputy_a.pk])).status_code == 200
    qr = client.get(reverse("deputies:deputy_card_qr", args=[cast.deputy_a.pk]))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert (
        cast.client_for(cast.staff_b)
        .get(reverse("deputies:deputy_card", args=[cast.deputy_a.pk]))
        .status_code
        == 404
    )
