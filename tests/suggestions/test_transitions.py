"""Every allowed and every forbidden transition per role, parametrized from the transition table."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from suggestions import services
from suggestions.models import Status, Suggestion, SuggestionEvent
from suggestions.workflow import ACTIONS, TRANSITIONS

from .helpers import make

ROLE_USERS = {
    "author": lambda c: c.deputy_a.user,
    "other_deputy": lambda c: c.deputy_a2.user,
    "staff": lambda c: c.staff_a,
    "staff_b": lambda c: c.staff_b,
    "lead_unit": lambda c: c.unit_officer_a,
    "co_unit": lambda c: c.unit_officer_a2,
    "unit_b": lambda c: c.unit_officer_b,
    "county": lambda c: c.county_staff_a,
}


def _prepare(cast, status, action) -> Suggestion:
    """A suggestion in ``status`` whose guard for ``action`` is satisfied."""
    if action == "rate_unsatisfied_final":
        s = make(cast, Status.REHANDLING)
        services.suggestion_record_contact(
            suggestion=s,
            actor=cast.unit_officer_a,
            contacted_on=dt.date.today(),
            method="phone",
            summary="再次沟通",
        )
        services.suggestion_reply(suggestion=s, actor=cast.unit_officer_a, outcome_class="A", text="再次答复")
        return s
    s = make(cast, status, outcome="B" if action == "planned_done" else "A")
    if action == "reply" and status == Status.SIGNED:
        services.suggestion_record_contact(
            suggestion=s,
            actor=cast.unit_officer_a,
            contacted_on=dt.date.today(),
            method="phone",
            summary="沟通",
        )
    if action == "reply" and status == Status.REHANDLING:
        services.suggestion_record_contact(
            suggestion=s,
            actor=cast.unit_officer_a,
            contacted_on=dt.date.today(),
            method="visit",
            summary="再次沟通",
        )
    if action in ("approve_extension", "refuse_extension"):
        services.suggestion_request_extension(
            suggestion=s,
            actor=cast.unit_officer_a,
            until=s.reply_due + dt.timedelta(days=20),
            reason="工程量大",
        )
    if action == "unmark_key":
        services.suggestion_set_key(suggestion=s, actor=cast.staff_a, key=True)
    s.refresh_from_db()
    return s


def _perform(cast, s, action, user):
    """Do ``action`` through its real service."""
    call = {
        "submit": lambda: services.suggestion_submit(suggestion=s, actor=user),
        "withdraw": lambda: services.suggestion_withdraw(suggestion=s, actor=user),
        "accept": lambda: services.suggestion_accept(suggestion=s, actor=user),
        "not_accept": lambda: services.suggestion_not_accept(suggestion=s, actor=user, reason="广告宣传"),
        "merge": lambda: services.suggestion_merge(
            suggestion=s, actor=user, into=make(cast, Status.SUBMITTED, title="保留的建议")
        ),
        "assign": lambda: services.suggestion_assign(suggestion=s, actor=user, unit=cast.unit_a),
        "sign": lambda: services.suggestion_sign(suggestion=s, actor=user),
        "return": lambda: services.suggestion_return(suggestion=s, actor=user, reason="交办有误"),
        "co_input": lambda: services.suggestion_co_input(suggestion=s, actor=user, text="协办意见"),
        "contact": lambda: services.suggestion_record_contact(
            suggestion=s, actor=user, contacted_on=dt.date.today(), method="phone", summary="电话沟通"
        ),
        "request_extension": lambda: services.suggestion_request_extension(
            suggestion=s, actor=user, until=s.reply_due + dt.timedelta(days=20), reason="需要时间"
        ),
        "approve_extension": lambda: services.suggestion_decide_extension(
            suggestion=s, actor=user, approve=True
        ),
        "refuse_extension": lambda: services.suggestion_decide_extension(
            suggestion=s, actor=user, approve=False
        ),
        "reply": lambda: services.suggestion_reply(suggestion=s, actor=user, outcome_class="A", text="答复"),
        "rate_satisfied": lambda: services.suggestion_evaluate(suggestion=s, actor=user, rating="satisfied"),
        "rate_basic": lambda: services.suggestion_evaluate(suggestion=s, actor=user, rating="basic"),
        "rate_unsatisfied": lambda: services.suggestion_evaluate(
            suggestion=s, actor=user, rating="unsatisfied", comment="不满意"
        ),
        "rate_unsatisfied_final": lambda: services.suggestion_evaluate(
            suggestion=s, actor=user, rating="unsatisfied", comment="仍不满意"
        ),
        "planned_done": lambda: services.suggestion_planned_done(suggestion=s, actor=user),
        "mark_key": lambda: services.suggestion_set_key(suggestion=s, actor=user, key=True),
        "unmark_key": lambda: services.suggestion_set_key(suggestion=s, actor=user, key=False),
    }[action]
    return call()


ALLOWED = [(status, action, role) for (status, action), t in TRANSITIONS.items() for role in t.roles]


def test_every_action_of_the_table_has_a_service():
    assert set(ACTIONS) == {a for _s, a in TRANSITIONS}
    assert len(ALLOWED) > 40


@pytest.mark.parametrize(("status", "action", "role"), ALLOWED, ids=[f"{s}-{a}-{r}" for s, a, r in ALLOWED])
def test_allowed_transition_moves_the_item_and_writes_an_event(cast, status, action, role):
    s = _prepare(cast, status, action)
    before = s.version
    _perform(cast, s, action, ROLE_USERS[role](cast))
    s.refresh_from_db()
    assert s.status == TRANSITIONS[(status, action)].to
    assert s.version == before + 1
    event = SuggestionEvent.objects.filter(suggestion=s).latest("pk")
    assert (event.action, event.from_status, event.to_status) == (action, status, s.status)
    assert event.actor == ROLE_USERS[role](cast)


FORBIDDEN_CASES = [(status, role) for status in Status.values for role in ROLE_USERS]


@pytest.mark.parametrize(("status", "role"), FORBIDDEN_CASES, ids=[f"{s}-{r}" for s, r in FORBIDDEN_CASES])
def test_forbidden_transitions_are_refused_and_change_nothing(cast, status, role):
    """Every action that the table does not grant ``role`` in ``status`` is refused by the one gate all
    services pass through (suggestions.services._transition)."""
    s = make(cast, status)
    user = ROLE_USERS[role](cast)
    events = SuggestionEvent.objects.filter(suggestion=s).count()
    for action in ACTIONS:
        t = TRANSITIONS.get((status, action))
        if t is not None and role in t.roles:
            continue
        with pytest.raises((PermissionDenied, ValidationError)):
            services._transition(suggestion=s, action=action, actor=user)
    fresh = Suggestion.objects.get(pk=s.pk)
    assert (fresh.status, fresh.version) == (status, s.version)
    assert SuggestionEvent.objects.filter(suggestion=s).count() == events
