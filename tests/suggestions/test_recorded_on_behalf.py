"""Recording on behalf (代录): the office records a deputy's or a unit's step from paper, a phone call
or in person. Every such step runs through the same transition table, guards, deadlines and
notices as the person's own action, and the record says who typed it, for whom and how."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from notifications.models import Notification
from suggestions import selectors, services, workflow
from suggestions.models import Attachment, CoSigner, Status, Suggestion, SuggestionEvent
from suggestions.workflow import ACTIONS, TRANSITIONS, OnBehalf

from .helpers import make
from .test_transitions import _prepare

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Workflow role → (the person it belongs to, that person's own login).
PERSONS = {
    "author": (lambda c: ("deputy", c.deputy_a), lambda c: c.deputy_a.user),
    "other_deputy": (lambda c: ("deputy", c.deputy_a2), lambda c: c.deputy_a2.user),
    "lead_unit": (lambda c: ("unit", c.unit_a), lambda c: c.unit_officer_a),
    "co_unit": (lambda c: ("unit", c.unit_a2), lambda c: c.unit_officer_a2),
    "unit_b": (lambda c: ("unit", c.unit_b), lambda c: c.unit_officer_b),
}


def for_(cast, role, channel="phone") -> OnBehalf:
    kind, who = PERSONS[role][0](cast)
    return OnBehalf(channel=channel, **{kind: who})


def scan(name="答复函.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _record(cast, s, action, ob):
    """Record ``action`` for ``ob`` through its real service, as the township's staff."""
    staff = cast.staff_a
    common = {"suggestion": s, "actor": staff, "on_behalf": ob}
    call = {
        "withdraw": lambda: services.suggestion_withdraw(**common, reason="代表电话要求撤回"),
        "sign": lambda: services.suggestion_sign(**common),
        "return": lambda: services.suggestion_return(**common, reason="不属于本单位职责"),
        "co_input": lambda: services.suggestion_co_input(**common, text="同意主办单位方案"),
        "contact": lambda: services.suggestion_record_contact(
            **common, contacted_on=dt.date.today(), method="phone", summary="电话告知代表办理计划"
        ),
        "request_extension": lambda: services.suggestion_request_extension(
            **common, until=s.reply_due + dt.timedelta(days=20), reason="工程需待汛期后施工"
        ),
        "reply": lambda: services.suggestion_reply(
            **common, outcome_class="A", text="已修复道路。", files=[scan()]
        ),
        "planned_done": lambda: services.suggestion_planned_done(**common, comment="单位来函：已完工"),
        "rate_satisfied": lambda: services.suggestion_evaluate(**common, rating="satisfied"),
        "rate_basic": lambda: services.suggestion_evaluate(**common, rating="basic"),
        "rate_unsatisfied": lambda: services.suggestion_evaluate(
            **common, rating="unsatisfied", comment="只修了一半"
        ),
        "rate_unsatisfied_final": lambda: services.suggestion_evaluate(
            **common, rating="unsatisfied", comment="还是没修好"
        ),
    }[action]
    return call()


PROXIED = [
    (status, action, role)
    for (status, action), t in TRANSITIONS.items()
    for role in t.roles
    # A draft is the deputy's private note: a paper suggestion is entered as received instead.
    if role in workflow.PROXY_ROLES and action != "submit"
]


def test_every_step_of_a_deputy_or_unit_in_the_table_can_be_recorded():
    assert {a for _s, a, _r in PROXIED} == {
        "withdraw",
        "sign",
        "return",
        "co_input",
        "contact",
        "request_extension",
        "reply",
        "rate_satisfied",
        "rate_basic",
        "rate_unsatisfied",
        "rate_unsatisfied_final",
        "planned_done",
    }


@pytest.mark.parametrize(("status", "action", "role"), PROXIED, ids=[f"{s}-{a}-{r}" for s, a, r in PROXIED])
def test_recorded_step_moves_the_item_like_the_persons_own_and_says_who_for_whom_and_how(
    cast, status, action, role
):
    s = _prepare(cast, status, action)
    before = s.version
    ob = for_(cast, role, channel="phone")
    _record(cast, s, action, ob)
    s.refresh_from_db()
    assert s.status == TRANSITIONS[(status, action)].to and s.version == before + 1
    event = SuggestionEvent.objects.filter(suggestion=s).latest("pk")
    assert (event.action, event.from_status, event.to_status) == (action, status, s.status)
    assert event.actor == cast.staff_a and event.channel == "phone" and event.is_recorded
    kind, who = PERSONS[role][0](cast)
    assert (event.on_behalf_deputy if kind == "deputy" else event.on_behalf_unit) == who
    name = f"代表{who.name}" if kind == "deputy" else who.name
    assert event.recorded_text == f"人大办 甲镇人大秘书 代 {name} 录入（电话）"


STATUSES_AND_PERSONS = [(st, role) for st in Status.values for role in PERSONS]


@pytest.mark.parametrize(
    ("status", "role"), STATUSES_AND_PERSONS, ids=[f"{s}-{r}" for s, r in STATUSES_AND_PERSONS]
)
def test_staff_recording_is_allowed_and_refused_exactly_as_the_persons_own_action(cast, status, role):
    s = make(cast, status)
    ob = for_(cast, role)
    own_user = PERSONS[role][1](cast)
    events = SuggestionEvent.objects.filter(suggestion=s).count()
    for action in ACTIONS:
        own, _own_reason, own_kind = workflow.check(s, action, own_user)
        rec, _reason, kind = workflow.check(s, action, cast.staff_a, ob)
        assert (own is None, own_kind) == (rec is None, kind), (action, own_kind, kind)
        if rec is None:
            with pytest.raises((PermissionDenied, ValidationError)):
                services._transition(suggestion=s, action=action, actor=cast.staff_a, on_behalf=ob)
    fresh = Suggestion.objects.get(pk=s.pk)
    assert (fresh.status, fresh.version) == (status, s.version)
    assert SuggestionEvent.objects.filter(suggestion=s).count() == events


@pytest.mark.parametrize("who", ["staff_b", "county_staff_a", "unit_officer_a", "deputy_a2"])
def test_only_the_townships_own_staff_may_record_for_its_people(cast, who):
    s = make(cast, Status.ASSIGNED)
    user = cast.deputy_a2.user if who == "deputy_a2" else getattr(cast, who)
    with pytest.raises(PermissionDenied):
        services.suggestion_sign(suggestion=s, actor=user, on_behalf=for_(cast, "lead_unit"))
    with pytest.raises(PermissionDenied):
        services.suggestion_withdraw(suggestion=s, actor=user, on_behalf=for_(cast, "author"))
    s.refresh_from_db()
    assert s.status == Status.ASSIGNED and not SuggestionEvent.objects.filter(channel="phone").exists()


def test_staff_of_another_township_cannot_record_for_this_townships_unit_through_the_page(cast):
    s = make(cast, Status.ASSIGNED)
    client = cast.client_for(cast.staff_b)
    r = client.post(
        reverse("suggestions:action", args=[s.pk, "sign"]),
        {"version": s.version, "on_behalf_unit": cast.unit_a.pk, "channel": "phone"},
    )
    assert r.status_code == 404
    s.refresh_from_db()
    assert s.status == Status.ASSIGNED


def test_staff_cannot_record_for_a_unit_of_another_township_on_their_own_item(cast):
    s = make(cast, Status.ASSIGNED)
    client = cast.client_for(cast.staff_a)
    r = client.post(
        reverse("suggestions:action", args=[s.pk, "sign"]),
        {"version": s.version, "on_behalf_unit": cast.unit_b.pk, "channel": "phone"},
        follow=True,
    )
    assert "代录的代表或单位不属于本乡镇" in r.content.decode()
    s.refresh_from_db()
    assert s.status == Status.ASSIGNED


def test_an_office_action_cannot_be_dressed_up_as_recorded(cast):
    s = make(cast, Status.SUBMITTED)
    client = cast.client_for(cast.staff_a)
    client.post(
        reverse("suggestions:action", args=[s.pk, "accept"]),
        {
            "version": s.version,
            "category": "道路建设",
            "on_behalf_deputy": cast.deputy_a.pk,
            "channel": "paper",
        },
    )
    s.refresh_from_db()
    assert s.status == Status.SUBMITTED


def test_a_recorded_step_needs_a_channel(cast):
    s = make(cast, Status.ASSIGNED)
    with pytest.raises(ValidationError, match="代录渠道"):
        services.suggestion_sign(
            suggestion=s, actor=cast.staff_a, on_behalf=OnBehalf(channel="online", unit=cast.unit_a)
        )


def test_recorded_return_keeps_the_units_deadline(cast):
    s = make(cast, Status.ASSIGNED)
    Suggestion.objects.filter(pk=s.pk).update(return_due=dt.date.today() - dt.timedelta(days=1))
    s.refresh_from_db()
    with pytest.raises(ValidationError, match="已超过退办期限"):
        services.suggestion_return(
            suggestion=s, actor=cast.staff_a, reason="交办有误", on_behalf=for_(cast, "lead_unit", "paper")
        )
    assert Suggestion.objects.get(pk=s.pk).status == Status.ASSIGNED


def test_recorded_reply_needs_the_scanned_signed_letter_and_tells_the_deputy(cast):
    s = _prepare(cast, Status.SIGNED, "reply")
    ob = for_(cast, "lead_unit", "paper")
    with pytest.raises(ValidationError, match="答复函扫描件"):
        services.suggestion_reply(
            suggestion=s, actor=cast.staff_a, outcome_class="A", text="已办", on_behalf=ob
        )
    assert Suggestion.objects.get(pk=s.pk).status == Status.SIGNED
    services.suggestion_reply(
        suggestion=s, actor=cast.staff_a, outcome_class="A", text="已办", files=[scan()], on_behalf=ob
    )
    s.refresh_from_db()
    assert s.status == Status.REPLIED and s.replies.get().unit == cast.unit_a
    assert s.attachments.get().kind == Attachment.Kind.REPLY_LETTER
    # The deputy is told exactly as when the unit replies online, and the unit learns it was recorded.
    assert Notification.objects.filter(recipient=cast.deputy_a.user, verb="suggestion.reply").exists()
    assert Notification.objects.filter(recipient=cast.unit_officer_a, verb="suggestion.recorded").exists()


def test_a_rating_recorded_by_phone_closes_the_item_with_the_deputys_words(cast):
    s = make(cast, Status.REPLIED)
    services.suggestion_evaluate(
        suggestion=s,
        actor=cast.staff_a,
        rating="basic",
        comment="路修好了，排水沟还要再清一清",
        on_behalf=for_(cast, "author", "phone"),
    )
    s.refresh_from_db()
    assert s.status == Status.CLOSED and s.rating == "basic" and s.closed_at is not None
    evaluation = s.evaluations.get()
    assert evaluation.comment == "路修好了，排水沟还要再清一清" and evaluation.created_by == cast.staff_a
    year = dt.date.today().year
    stats = selectors.township_stats(
        township_ids=[cast.township_a.pk], start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)
    )[cast.township_a.pk]
    assert stats["closed"] == 1 and stats["satisfied"] == 1 and stats["evaluated"] == 1
    split = selectors.channel_split(
        township_ids=[cast.township_a.pk], start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)
    )[cast.township_a.pk]
    assert split["rate"] == {"online": 0, "recorded": 1}
    assert split["reply"] == {"online": 1, "recorded": 0}


def test_the_deputy_sees_the_recorded_rating_when_they_log_in(cast):
    s = make(cast, Status.REPLIED)
    client = cast.client_for(cast.staff_a)
    client.post(
        reverse("suggestions:action", args=[s.pk, "rate"]),
        {
            "version": s.version,
            "rating": "satisfied",
            "comment": "满意",
            "on_behalf_deputy": cast.deputy_a.pk,
            "channel": "phone",
        },
    )
    assert Suggestion.objects.get(pk=s.pk).status == Status.CLOSED
    deputy = cast.client_for(cast.deputy_a.user)
    body = deputy.get(reverse("suggestions:detail", args=[s.pk])).content.decode()
    assert f"人大办 甲镇人大秘书 代 代表{cast.deputy_a.name} 录入（电话）" in body
    note = Notification.objects.get(recipient=cast.deputy_a.user, verb="suggestion.recorded")
    assert "满意" in note.title and "电话" in note.title


def test_staff_page_offers_recording_for_the_unit_and_the_deputy_only_when_the_table_allows(cast):
    s = make(cast, Status.ASSIGNED)
    body = cast.client_for(cast.staff_a).get(reverse("suggestions:detail", args=[s.pk])).content.decode()
    assert f"代 {cast.unit_a.name} 录入" in body and "代录签收" in body and "代录协办意见" in body
    assert "代录评价" not in body and "代录答复" not in body
    unit_page = cast.client_for(cast.unit_officer_a).get(reverse("suggestions:detail", args=[s.pk]))
    assert "代录签收" not in unit_page.content.decode()


def test_staff_record_a_co_signers_confirmation_given_by_phone(cast):
    s = make(cast, Status.SUBMITTED, co_deputies=[cast.deputy_a2])
    client = cast.client_for(cast.staff_a)
    client.post(
        reverse("suggestions:cosign", args=[s.pk]),
        {"confirm": "1", "on_behalf_deputy": cast.deputy_a2.pk, "channel": "phone"},
    )
    row = CoSigner.objects.get(suggestion=s, deputy=cast.deputy_a2)
    assert row.state == CoSigner.State.CONFIRMED
    event = s.events.get(action="cosign")
    assert (
        event.actor == cast.staff_a and event.on_behalf_deputy == cast.deputy_a2 and event.channel == "phone"
    )
    # Recording for a deputy who was never invited is refused like the deputy's own attempt.
    with pytest.raises(PermissionDenied):
        services.cosigner_respond(
            suggestion=s, actor=cast.staff_a, confirm=True, on_behalf=for_(cast, "author", "paper")
        )
    with pytest.raises(PermissionDenied):
        services.cosigner_respond(
            suggestion=s,
            actor=cast.staff_b,
            confirm=True,
            on_behalf=OnBehalf(channel="paper", deputy=cast.deputy_a2),
        )
