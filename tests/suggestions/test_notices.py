"""The notices people were missing: each one reaches the right person exactly once."""

import datetime as dt

from notifications.models import Notification
from suggestions import services
from suggestions.models import Status

from .helpers import make


def inbox(user, verb=None):
    qs = Notification.objects.filter(recipient=user)
    if verb:
        qs = qs.filter(verb=verb)
    return list(qs.values_list("title", flat=True))


def test_deputy_is_told_the_unit_and_the_reply_due_date_when_the_item_is_assigned(cast):
    s = make(cast, Status.ASSIGNED)
    titles = inbox(cast.deputy_a.user, "suggestion.assign")
    assert titles == [f"您的建议已交办甲财政所办理，答复期限{s.reply_due.isoformat()}：{s.title}"]
    # the unit still gets its own "please sign" message, and the staff who assigned get nothing
    assert inbox(cast.unit_officer_a, "suggestion.assign") == [f"新交办建议，请签收：{s.title}"]
    assert inbox(cast.staff_a, "suggestion.assign") == []


def test_deputy_is_told_which_item_their_suggestion_was_merged_into(cast):
    s = make(cast, Status.MERGED)
    s.refresh_from_db()
    target = s.merged_into
    assert inbox(cast.deputy_a.user, "suggestion.merge") == [
        f"您的建议已并入“{target.title}”一并办理：{s.title}"
    ]


def test_deputy_and_unit_hear_the_new_due_date_when_an_extension_is_approved(cast):
    s = make(cast, Status.SIGNED)
    until = s.reply_due + dt.timedelta(days=20)
    services.suggestion_request_extension(
        suggestion=s, actor=cast.unit_officer_a, until=until, reason="需等雨季过后施工"
    )
    services.suggestion_decide_extension(suggestion=s, actor=cast.staff_a, approve=True)
    assert inbox(cast.deputy_a.user, "suggestion.approve_extension") == [
        f"您的建议延期办理，新的答复期限为{until.isoformat()}：{s.title}"
    ]
    assert inbox(cast.unit_officer_a, "suggestion.approve_extension") == [
        f"延期申请已同意，答复期限改为{until.isoformat()}：{s.title}"
    ]


def test_deputy_hears_that_a_refused_extension_keeps_the_old_due_date(cast):
    s = make(cast, Status.SIGNED)
    old_due = s.reply_due
    services.suggestion_request_extension(
        suggestion=s, actor=cast.unit_officer_a, until=old_due + dt.timedelta(days=10), reason="人手不足"
    )
    services.suggestion_decide_extension(suggestion=s, actor=cast.staff_a, approve=False)
    assert inbox(cast.deputy_a.user, "suggestion.refuse_extension") == [
        f"承办单位的延期申请未获同意，答复期限仍为{old_due.isoformat()}：{s.title}"
    ]


def test_final_unsatisfied_rating_tells_staff_but_not_the_deputy_who_gave_it(cast):
    s = make(cast, Status.REHANDLING)
    officer = cast.unit_officer_a
    services.suggestion_record_contact(
        suggestion=s, actor=officer, contacted_on=dt.date.today(), method="visit", summary="上门走访"
    )
    services.suggestion_reply(suggestion=s, actor=officer, outcome_class="A", text="已全部修复")
    services.suggestion_evaluate(
        suggestion=s, actor=cast.deputy_a.user, rating="unsatisfied", comment="仍有积水"
    )
    # "closed" goes to the deputy only when someone else closes it (e.g. a rating recorded for them)
    assert inbox(cast.deputy_a.user, "suggestion.rate_unsatisfied_final") == []
    assert inbox(cast.staff_a, "suggestion.rate_unsatisfied_final") == [
        f"代表对重新办理的答复仍不满意：{s.title}"
    ]


def test_staff_hear_of_an_unsatisfied_rating_once(cast):
    s = make(cast, Status.REHANDLING)
    assert inbox(cast.staff_a, "suggestion.rate_unsatisfied") == [
        f"代表对答复不满意，已退回重新办理：{s.title}"
    ]
    assert inbox(cast.unit_officer_a, "suggestion.rate_unsatisfied") == [f"代表不满意，请重新办理：{s.title}"]


def test_units_are_told_when_the_deputy_withdraws_a_signed_item(cast):
    s = make(cast, Status.SIGNED)
    services.suggestion_withdraw(suggestion=s, actor=cast.deputy_a.user, reason="问题已自行解决")
    assert inbox(cast.unit_officer_a, "suggestion.withdraw") == [f"代表已撤回建议，无需继续办理：{s.title}"]
    assert inbox(cast.unit_officer_a2, "suggestion.withdraw") == [f"代表已撤回建议，无需继续办理：{s.title}"]


def test_nobody_hears_of_a_withdrawal_before_the_item_reached_a_unit(cast):
    s = make(cast, Status.SUBMITTED)
    services.suggestion_withdraw(suggestion=s, actor=cast.deputy_a.user)
    assert not Notification.objects.filter(verb="suggestion.withdraw").exists()


def test_units_are_told_when_their_item_becomes_a_key_item(cast):
    s = make(cast, Status.SIGNED)
    services.suggestion_set_key(suggestion=s, actor=cast.staff_a, key=True)
    assert inbox(cast.unit_officer_a, "suggestion.mark_key") == [f"建议已列为重点督办，请加快办理：{s.title}"]
    services.suggestion_set_key(suggestion=s, actor=cast.staff_a, key=False)
    assert not Notification.objects.filter(verb="suggestion.unmark_key").exists()


def test_each_notice_is_written_once_even_if_sent_again_for_the_same_transition(cast):
    s = make(cast, Status.ASSIGNED)
    services._notify(s, "assign", actor=cast.staff_a)
    services._notify(s, "assign", actor=cast.staff_a)
    assert len(inbox(cast.deputy_a.user, "suggestion.assign")) == 1
    assert len(inbox(cast.unit_officer_a, "suggestion.assign")) == 1


def test_deputy_hears_the_item_is_closed_when_someone_else_closes_it(cast):
    s = make(cast, Status.CLOSED)
    # the deputy rated it themselves: no message; replaying the close for another actor tells them once
    assert inbox(cast.deputy_a.user, "suggestion.rate_satisfied") == []
    services._notify(s, "rate_satisfied", actor=cast.staff_a)
    services._notify(s, "rate_satisfied", actor=cast.staff_a)
    assert inbox(cast.deputy_a.user, "suggestion.rate_satisfied") == [f"您的建议已办结：{s.title}"]
