"""Handling by the lead unit: contact record, extension requested and decided, reply, planned work done."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..deadlines import due_date, forget_basis
from ..models import (
    Attachment,
    ContactRecord,
    ExtensionStatus,
    Suggestion,
    SuggestionReply,
)
from .base import _add_files, _check_text, _today, _transition


@transaction.atomic
def suggestion_record_contact(
    *, suggestion, actor, contacted_on: dt.date, method: str, summary: str, on_behalf=None
) -> ContactRecord:
    """沟通记录: required before the reply."""
    summary = _check_text(summary, _("沟通内容"))
    if method not in ContactRecord.Method.values:
        raise ValidationError(_("请选择沟通方式。"))
    if contacted_on is None or contacted_on > _today():
        raise ValidationError(_("沟通日期不能晚于今天。"))
    row = {}

    def apply(s):
        row["c"] = ContactRecord.objects.create(
            suggestion=s,
            round=s.round,
            unit_id=s.lead_unit_id,
            contacted_on=contacted_on,
            method=method,
            summary=summary,
            created_by=actor,
        )
        return {"method": method, "contacted_on": contacted_on.isoformat()}

    _transition(
        suggestion=suggestion,
        action="contact",
        actor=actor,
        comment=summary,
        apply=apply,
        on_behalf=on_behalf,
    )
    return row["c"]


@transaction.atomic
def suggestion_request_extension(
    *, suggestion, actor, until: dt.date, reason: str, expected_version=None, on_behalf=None
) -> Suggestion:
    reason = _check_text(reason, _("延期理由"))

    def apply(s):
        latest = due_date(
            rules=s.township.rules, stage="extension_max", start=timezone.localtime(s.assigned_at).date()
        )
        if until is None or until <= (s.reply_due or _today()):
            raise ValidationError(_("延期日期须晚于当前答复期限。"))
        if until > latest:
            raise ValidationError(
                _("延期最长至交办后%(n)s个月（%(d)s）。")
                % {"n": s.township.rules.extension_max_months, "d": latest.isoformat()}
            )
        s.extension_status, s.extension_until, s.extension_reason = ExtensionStatus.PENDING, until, reason
        return {"until": until.isoformat()}

    return _transition(
        suggestion=suggestion,
        action="request_extension",
        actor=actor,
        expected_version=expected_version,
        comment=reason,
        apply=apply,
        on_behalf=on_behalf,
    )


@transaction.atomic
def suggestion_decide_extension(
    *, suggestion, actor, approve: bool, comment: str = "", expected_version=None
) -> Suggestion:
    def apply(s):
        if approve:
            s.extension_status = ExtensionStatus.APPROVED
            s.reply_due = s.extension_until
            forget_basis(s, "reply_due")
            s.due_date = s.reply_due
        else:
            s.extension_status = ExtensionStatus.REFUSED
        return {"until": s.extension_until.isoformat() if s.extension_until else None}

    return _transition(
        suggestion=suggestion,
        action="approve_extension" if approve else "refuse_extension",
        actor=actor,
        expected_version=expected_version,
        comment=comment,
        apply=apply,
    )


@transaction.atomic
def suggestion_reply(
    *, suggestion, actor, outcome_class: str, text: str, files=(), expected_version=None, on_behalf=None
) -> Suggestion:
    """答复 with the county's outcome class; records whether it came in time. Recorded for a unit
    (代录), the reply must carry the scanned signed and sealed reply letter (答复函)."""
    text = _check_text(text, _("答复内容"))
    if outcome_class not in suggestion.township.rules.outcome_codes():
        raise ValidationError(_("请选择办理结果分类。"))
    if on_behalf is not None and not files:
        raise ValidationError(_("代录答复须上传单位签章的答复函扫描件。"))
    kind = Attachment.Kind.REPLY_LETTER if on_behalf is not None else Attachment.Kind.REPLY

    def apply(s):
        now = timezone.now()
        on_time = s.reply_due is None or timezone.localtime(now).date() <= s.reply_due
        SuggestionReply.objects.create(
            suggestion=s,
            round=s.round,
            unit_id=s.lead_unit_id,
            outcome_class=outcome_class,
            text=text,
            replied_at=now,
            due=s.reply_due,
            created_by=actor,
        )
        _add_files(s, files, kind=kind, actor=actor)
        s.outcome_class = outcome_class
        s.replied_at = now
        if s.round == 1:
            s.replied_on_time = on_time
        s.due_date = None
        return {"outcome_class": outcome_class, "on_time": on_time, "round": s.round}

    return _transition(
        suggestion=suggestion,
        action="reply",
        actor=actor,
        expected_version=expected_version,
        comment=text,
        apply=apply,
        on_behalf=on_behalf,
    )


@transaction.atomic
def suggestion_planned_done(
    *, suggestion, actor, comment: str = "", expected_version=None, on_behalf=None
) -> Suggestion:
    """A "planned" (列入计划) outcome is finally done — tracked across years until this happens."""

    def apply(s):
        s.planned_done_at = timezone.now()

    return _transition(
        suggestion=suggestion,
        action="planned_done",
        actor=actor,
        expected_version=expected_version,
        comment=comment,
        apply=apply,
        on_behalf=on_behalf,
    )
