"""Overdue (逾期) is one rule (suggestions.models.overdue_on, with overdue_q its query form): the item's
badge, the register filter, the REST list's flag and the workbench count say the same thing."""

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dashboards.selectors import township_actions
from presidium.services import api_key_create
from suggestions import selectors
from suggestions.models import Status, Suggestion

from .helpers import make, make_on


def test_the_page_badge_the_filter_the_api_list_and_the_workbench_agree_on_what_is_overdue(cast):
    today = timezone.localdate()
    make_on(cast, Status.SIGNED, today - dt.timedelta(days=200), title="早已过期")
    make_on(cast, Status.CLOSED, today - dt.timedelta(days=200), title="过期但已办结")
    make(cast, Status.SIGNED, title="刚交办")
    items = Suggestion.objects.filter(township=cast.township_a)
    by_model = {s.title for s in items if s.is_overdue(today)}
    by_query = set(items.filter(selectors.overdue_q(today)).values_list("title", flat=True))

    _key, raw = api_key_create(name="大屏", actor=cast.staff_a, township=cast.township_a)
    rows = Client(HTTP_AUTHORIZATION=f"Api-Key {raw}").get(reverse("stats-suggestions")).json()["results"]
    by_api = {r["title"] for r in rows if r["overdue"]}
    workbench = {i.key: i.count for i in township_actions(township=cast.township_a, today=today)}

    assert by_model == by_query == by_api == {"早已过期"}
    assert workbench["overdue"] == 1
