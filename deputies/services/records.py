"""Records: voter contacts, duty reports (述职), trainings, activities, and deleting a mistaken one."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from presidium.models import AuditAction
from presidium.services import audit

from ..models import Activity, Deputy, DutyReport, Training, VoterContact
from .base import _require_editor, _same_township


def _not_in_future(date: dt.date) -> None:
    if date > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天。"))


def _create(model, *, actor, **fields):
    """Validate and save a new record entered by ``actor``."""
    row = model(created_by=actor, **fields)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def voter_contact_record(
    *, deputy: Deputy, actor, voter_name: str, date: dt.date, way: str, content: str = ""
) -> VoterContact:
    """A deputy's contact with a voter; recorded by the office or by the deputy themself."""
    own = getattr(deputy, "user_id", None) and deputy.user_id == getattr(actor, "pk", None)
    if not own:
        _require_editor(actor, deputy.township_id)
    _not_in_future(date)
    return _create(
        VoterContact,
        actor=actor,
        township_id=deputy.township_id,
        deputy=deputy,
        voter_name=voter_name.strip(),
        date=date,
        way=way,
        content=content.strip(),
    )


@transaction.atomic
def duty_report_record(
    *,
    deputy: Deputy,
    actor,
    date: dt.date,
    form: str,
    voters_present: int = 0,
    satisfied: int = 0,
    basically_satisfied: int = 0,
    unsatisfied: int = 0,
    summary: str = "",
) -> DutyReport:
    _require_editor(actor, deputy.township_id)
    if satisfied + basically_satisfied + unsatisfied > voters_present:
        raise ValidationError(_("测评票数之和不能超过参加选民人数。"))
    _not_in_future(date)
    report = _create(
        DutyReport,
        actor=actor,
        township_id=deputy.township_id,
        deputy=deputy,
        date=date,
        form=form,
        voters_present=voters_present,
        satisfied=satisfied,
        basically_satisfied=basically_satisfied,
        unsatisfied=unsatisfied,
        summary=summary.strip(),
    )
    audit(actor=actor, action=AuditAction.DUTY_REPORT_RECORD, township=deputy.township, obj=report)
    return report


@transaction.atomic
def training_record(*, township, actor, topic: str, date: dt.date, hours, attendees=()) -> Training:
    _require_editor(actor, township.pk)
    attendees = list(attendees)
    _same_township(attendees, township.pk, _("参训代表不属于本乡镇。"))
    training = _create(Training, actor=actor, township=township, topic=topic.strip(), date=date, hours=hours)
    training.attendees.set(attendees)
    audit(
        actor=actor,
        action=AuditAction.TRAINING_RECORD,
        township=township,
        obj=training,
        attendees=len(attendees),
    )
    return training


@transaction.atomic
def activity_record(
    *, township, actor, kind: str, title: str, date: dt.date, deputies=(), group=None, note: str = ""
) -> Activity:
    _require_editor(actor, township.pk)
    deputies = list(deputies)
    _same_township([*deputies, group], township.pk, _("代表或小组不属于本乡镇。"))
    if not deputies:
        raise ValidationError(_("请至少选择一名参加代表。"))
    activity = _create(
        Activity,
        actor=actor,
        township=township,
        kind=kind,
        title=title.strip(),
        date=date,
        group=group,
        note=note.strip(),
    )
    activity.deputies.set(deputies)
    audit(actor=actor, action=AuditAction.ACTIVITY_RECORD, township=township, obj=activity)
    return activity


# The audit action of deleting each kind of record (the stored values are "<model name>.delete").
RECORD_DELETE_ACTIONS = {
    VoterContact: AuditAction.VOTER_CONTACT_DELETE,
    Training: AuditAction.TRAINING_DELETE,
    Activity: AuditAction.ACTIVITY_DELETE,
    DutyReport: AuditAction.DUTY_REPORT_DELETE,
}


@transaction.atomic
def record_delete(*, obj, actor):
    """Delete a mistaken record (contact, training, activity, duty report); audited."""
    _require_editor(actor, obj.township_id)
    label = f"{obj._meta.verbose_name}：{obj}"
    township = obj.township
    obj.delete()
    audit(actor=actor, action=RECORD_DELETE_ACTIONS[type(obj)], township=township, obj=label)
