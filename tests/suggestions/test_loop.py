"""The whole closed loop through the services, and the rules around it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from suggestions import services
from suggestions.models import ContactRecord, CoSigner, Status, Suggestion, SuggestionEvent

from .helpers import make


def test_full_loop_from_draft_to_closed_writes_one_event_per_transition(cast):
    s = make(cast, Status.CLOSED)
    actions = list(SuggestionEvent.objects.filter(suggestion=s).values_list("action", flat=True))
    assert actions == ["create", "submit", "accept", "assign", "sign", "contact", "reply", "rate_satisfied"]
    assert s.number == f"{dt.date.today().year}-001"
    assert s.rating == "satisfied" and s.closed_at is not None and s.replied_on_time is True
    assert SuggestionEvent.objects.get(suggestion=s, action="assign").actor == cast.staff_a


def test_numbers_run_per_township_and_year(cast):
    a1 = make(cast, Status.ACCEPTED)
    a2 = make(cast, Status.ACCEPTED)
    b1 = make(cast, Status.ACCEPTED, side="b")
    year = dt.date.today().year
    assert [a1.number, a2.number, b1.number] == [f"{year}-001", f"{year}-002", f"{year}-001"]


def test_unsatisfied_rating_sends_item_back_for_rehandling_with_one_month_due(cast):
    s = make(cast, Status.REHANDLING)
    assert s.round == 2 and s.first_rating == "unsatisfied"
    assert s.reply_due is not None and s.due_date == s.reply_due
    assert (s.reply_due - dt.date.today()).days in range(28, 35)


def test_second_reply_and_second_rating_close_the_item_even_if_unsatisfied(cast):
    s = make(cast, Status.REHANDLING)
    officer, deputy = cast.unit_officer_a, cast.deputy_a.user
    with pytest.raises(ValidationError, match="沟通记录"):
        services.suggestion_reply(suggestion=s, actor=officer, outcome_class="A", text="再次答复")
    services.suggestion_record_contact(
        suggestion=s, actor=officer, contacted_on=dt.date.today(), method="visit", summary="上门走访"
    )
    services.suggestion_reply(suggestion=s, actor=officer, outcome_class="A", text="已全部修复")
    services.suggestion_evaluate(suggestion=s, actor=deputy, rating="unsatisfied", comment="仍有积水")
    s.refresh_from_db()
    assert s.status == Status.CLOSED and s.rating == "unsatisfied" and s.replies.count() == 2


def test_unit_must_record_contact_before_reply(cast):
    s = make(cast, Status.SIGNED)
    with pytest.raises(ValidationError, match="沟通记录"):
        services.suggestion_reply(suggestion=s, actor=cast.unit_officer_a, outcome_class="A", text="答复")
    s.refresh_from_db()
    assert s.status == Status.SIGNED and not s.replies.exists()


def test_reply_refuses_an_outcome_class_outside_the_county_list(cast):
    s = make(cast, Status.SIGNED)
    services.suggestion_record_contact(
        suggestion=s, actor=cast.unit_officer_a, contacted_on=dt.date.today(), method="phone", summary="电话"
    )
    with pytest.raises(ValidationError, match="办理结果分类"):
        services.suggestion_reply(suggestion=s, actor=cast.unit_officer_a, outcome_class="Z", text="答复")


def test_not_accepted_needs_a_reason_from_the_county_list_and_the_deputy_sees_it(cast):
    s = make(cast, Status.SUBMITTED)
    with pytest.raises(ValidationError):
        services.suggestion_not_accept(suggestion=s, actor=cast.staff_a, reason="我不喜欢")
    services.suggestion_not_accept(suggestion=s, actor=cast.staff_a, reason="涉及个人或家庭私事")
    page = cast.client_for(cast.deputy_a.user).get(f"/suggestions/{s.pk}/")
    assert "涉及个人或家庭私事" in page.content.decode()


def test_returned_item_goes_back_to_office_and_can_be_reassigned(cast):
    s = make(cast, Status.RETURNED)
    assert s.lead_unit is None and s.assign_due is not None
    services.suggestion_assign(suggestion=s, actor=cast.staff_a, unit=cast.unit_a2)
    s.refresh_from_db()
    assert s.status == Status.ASSIGNED and s.lead_unit == cast.unit_a2
    assert SuggestionEvent.objects.filter(suggestion=s, action="assign").count() == 2


def test_unit_cannot_return_after_seven_working_days(cast, time_machine):
    time_machine.move_to(dt.datetime(2024, 3, 4, 10, 0))
    s = make(cast, Status.ASSIGNED)
    assert s.return_due == dt.date(2024, 3, 13)
    time_machine.move_to(dt.datetime(2024, 3, 14, 10, 0))
    with pytest.raises(ValidationError, match="退办期限"):
        services.suggestion_return(suggestion=s, actor=cast.unit_officer_a, reason="不归我们管")


def test_co_unit_sends_input_to_the_lead_unit(cast):
    s = make(cast, Status.SIGNED)
    services.suggestion_co_input(suggestion=s, actor=cast.unit_officer_a2, text="派出所配合做好交通疏导")
    co = s.co_units.get()
    assert co.input_text == "派出所配合做好交通疏导" and co.input_at is not None
    with pytest.raises(PermissionDenied):
        services.suggestion_co_input(suggestion=s, actor=cast.unit_officer_a, text="主办单位不是协办")


def test_extension_request_is_limited_to_six_months_and_approved_by_the_office(cast):
    s = make(cast, Status.SIGNED)
    with pytest.raises(ValidationError, match="延期最长"):
        services.suggestion_request_extension(
            suggestion=s,
            actor=cast.unit_officer_a,
            until=s.reply_due + dt.timedelta(days=200),
            reason="工程量大",
        )
    until = s.reply_due + dt.timedelta(days=30)
    services.suggestion_request_extension(
        suggestion=s, actor=cast.unit_officer_a, until=until, reason="工程量大"
    )
    with pytest.raises(PermissionDenied):
        services.suggestion_decide_extension(suggestion=s, actor=cast.unit_officer_a, approve=True)
    services.suggestion_decide_extension(suggestion=s, actor=cast.staff_a, approve=True)
    s.refresh_from_db()
    assert s.reply_due == until and s.due_date == until and s.extension_status == "approved"


def test_refused_extension_keeps_the_due_date(cast):
    s = make(cast, Status.SIGNED)
    due = s.reply_due
    services.suggestion_request_extension(
        suggestion=s, actor=cast.unit_officer_a, until=due + dt.timedelta(days=20), reason="需要协调"
    )
    services.suggestion_decide_extension(suggestion=s, actor=cast.staff_a, approve=False)
    s.refresh_from_db()
    assert s.reply_due == due and s.extension_status == "refused"


def test_deputy_can_withdraw_before_reply_but_not_after(cast):
    s = make(cast, Status.SIGNED)
    services.suggestion_withdraw(suggestion=s, actor=cast.deputy_a.user)
    assert Suggestion.objects.get(pk=s.pk).status == Status.WITHDRAWN
    replied = make(cast, Status.REPLIED)
    with pytest.raises(ValidationError):
        services.suggestion_withdraw(suggestion=replied, actor=cast.deputy_a.user)


def test_merge_moves_the_duplicate_deputies_onto_the_kept_item(cast):
    keep = make(cast, Status.ACCEPTED)
    dup = services.suggestion_create_by_deputy(
        deputy=cast.deputy_a2, actor=cast.deputy_a2.user, title="同样的道路", content="内容", submit=True
    )
    services.suggestion_merge(suggestion=dup, into=keep, actor=cast.staff_a)
    dup.refresh_from_db()
    assert dup.status == Status.MERGED and dup.merged_into == keep
    assert keep.cosigners.filter(deputy=cast.deputy_a2, state=CoSigner.State.CONFIRMED).exists()


def test_cosigner_confirms_the_invitation_in_the_app(cast):
    s = services.suggestion_create_by_deputy(
        deputy=cast.deputy_a,
        actor=cast.deputy_a.user,
        title="联名建议",
        content="内容",
        co_deputies=[cast.deputy_a2],
        submit=True,
    )
    services.cosigner_respond(suggestion=s, actor=cast.deputy_a2.user, confirm=True)
    assert s.cosigners.get().state == CoSigner.State.CONFIRMED
    with pytest.raises(PermissionDenied):
        services.cosigner_respond(suggestion=s, actor=cast.deputy_b.user, confirm=True)


def test_planned_outcome_stays_tracked_until_done(cast):
    s = make(cast, Status.CLOSED, outcome="B")
    assert s.is_planned_pending
    services.suggestion_planned_done(suggestion=s, actor=cast.staff_a, comment="道路已于次年完工")
    s.refresh_from_db()
    assert not s.is_planned_pending and s.planned_done_at is not None


def test_batch_assignment_assigns_all_or_none(cast):
    items = [make(cast, Status.ACCEPTED) for _ in range(3)]
    submitted = make(cast, Status.SUBMITTED)
    with pytest.raises(ValidationError):
        services.suggestion_assign_batch(
            suggestions=[*items, submitted], actor=cast.staff_a, unit=cast.unit_a
        )
    assert Suggestion.objects.filter(status=Status.ASSIGNED).count() == 0
    n = services.suggestion_assign_batch(suggestions=items, actor=cast.staff_a, unit=cast.unit_a)
    assert n == 3 and Suggestion.objects.filter(status=Status.ASSIGNED, lead_unit=cast.unit_a).count() == 3


def test_staff_of_another_township_cannot_act(cast):
    s = make(cast, Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.suggestion_accept(suggestion=s, actor=cast.staff_b)
    assert Suggestion.objects.get(pk=s.pk).status == Status.SUBMITTED


def test_stale_version_gets_the_reload_message_and_changes_nothing(cast):
    s = make(cast, Status.ACCEPTED)
    seen = s.version
    services.suggestion_assign(suggestion=s, actor=cast.staff_a, unit=cast.unit_a)
    stale = Suggestion.objects.get(pk=s.pk)
    with pytest.raises(ValidationError, match="已被他人修改，请刷新后重试。"):
        services.suggestion_set_key(suggestion=stale, actor=cast.staff_a, key=True, expected_version=seen)
    assert not Suggestion.objects.get(pk=s.pk).is_key


def test_contact_record_rejects_future_dates(cast):
    s = make(cast, Status.SIGNED)
    with pytest.raises(ValidationError):
        services.suggestion_record_contact(
            suggestion=s,
            actor=cast.unit_officer_a,
            contacted_on=dt.date.today() + dt.timedelta(days=3),
            method="phone",
            summary="x",
        )
    assert not ContactRecord.objects.exists()


def test_assignment_and_reply_notify_the_unit_and_the_deputy(cast):
    from notifications.models import Notification

    make(cast, Status.REPLIED)
    assert Notification.objects.filter(recipient=cast.unit_officer_a, verb="suggestion.assign").count() == 1
    assert Notification.objects.filter(recipient=cast.unit_officer_a2, verb="suggestion.assign").count() == 1
    assert Notification.objects.filter(recipient=cast.deputy_a.user, verb="suggestion.reply").count() == 1
    assert not Notification.objects.filter(recipient=cast.unit_officer_b).exists()
