"""Supervision activities, participants, attachments, findings and commitments (实事/三账)."""

import os

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from presidium.models import AuditAction, HandlingUnit
from presidium.services import audit
from presidium.validators import check_date

from ..models import (
    ActivityAttachment,
    ActivityKind,
    ActivityParticipant,
    ActivityTeam,
    Appraisal,
    CommitmentItem,
    Finding,
    Rectification,
    SupervisionActivity,
)
from ._common import _require_staff, _same_township, validate_upload

# --- activities ----------------------------------------------------------------------------

ACTIVITY_FIELDS = (
    "kind",
    "topic",
    "plan",
    "start_date",
    "end_date",
    "law_checked",
    "certificate_holder",
    "voters_visited",
    "forums_held",
    "report",
)


# Counts typed on the activity form: bounded far below the database's integer range.
ACTIVITY_COUNT_LIMITS = {"voters_visited": 100000, "forums_held": 10000}


def _clean_activity(activity: SupervisionActivity, target_units):
    errors = {}
    if not (activity.topic or "").strip():
        errors["topic"] = _("请填写活动主题。")
    if activity.kind not in ActivityKind.values:
        errors["kind"] = _("请选择活动类型。")
    if activity.kind == ActivityKind.LAW_ENFORCEMENT and not (activity.law_checked or "").strip():
        errors["law_checked"] = _("执法检查须填写所检查的法律法规。")
    if activity.certificate_holder_id and activity.kind != ActivityKind.INSPECTION:
        errors["certificate_holder"] = _("只有视察活动可以登记持证视察代表。")
    if activity.end_date and activity.start_date and activity.end_date < activity.start_date:
        errors["end_date"] = _("结束日期不能早于开始日期。")
    for name, label in (("start_date", _("开始日期")), ("end_date", _("结束日期"))):
        try:
            check_date(getattr(activity, name), label=label)
        except ValidationError as exc:
            errors[name] = exc.messages[0]
    for name, high in ACTIVITY_COUNT_LIMITS.items():
        value = getattr(activity, name)
        if not isinstance(value, int) or not 0 <= value <= high:
            errors[name] = _("请填写 0 到 %(max)s 之间的整数。") % {"max": high}
    if errors:
        raise ValidationError(errors)
    _same_township([activity.certificate_holder], activity.township_id, _("持证视察代表不属于本乡镇。"))
    _same_township(target_units, activity.township_id, _("监督对象单位不属于本乡镇。"))


@transaction.atomic
def activity_create(*, township, actor, target_units=(), **fields) -> SupervisionActivity:
    """Register a supervision activity of one kind (plan, dates, targets, figures, report)."""
    _require_staff(actor, township.pk)
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    activity = SupervisionActivity(township=township, created_by=actor, **fields)
    target_units = list(target_units)
    _clean_activity(activity, target_units)
    activity.save()
    activity.target_units.set(target_units)
    if activity.certificate_holder_id:
        ActivityParticipant.objects.get_or_create(activity=activity, deputy=activity.certificate_holder)
    audit(actor=actor, action=AuditAction.SUPERVISION_ACTIVITY_CREATE, township=township, obj=activity)
    return activity


@transaction.atomic
def activity_update(*, activity, actor, target_units=None, **fields) -> SupervisionActivity:
    _require_staff(actor, activity.township_id)
    activity = SupervisionActivity.objects.select_for_update(of=("self",)).get(pk=activity.pk)
    old_kind = activity.kind
    for name, value in fields.items():
        if name not in ACTIVITY_FIELDS:
            raise TypeError(name)
        setattr(activity, name, value)
    if activity.kind != old_kind and (
        Appraisal.objects.filter(activity=activity).exists()
        or CommitmentItem.objects.filter(activity=activity).exists()
    ):
        raise ValidationError({"kind": _("该活动已有民主测评或承诺事项，不能更改活动类型。")})
    units = list(target_units) if target_units is not None else list(activity.target_units.all())
    _clean_activity(activity, units)
    activity.save()
    if target_units is not None:
        activity.target_units.set(units)
    if activity.certificate_holder_id:
        ActivityParticipant.objects.get_or_create(activity=activity, deputy=activity.certificate_holder)
    audit(
        actor=actor, action=AuditAction.SUPERVISION_ACTIVITY_UPDATE, township=activity.township, obj=activity
    )
    return activity


@transaction.atomic
def activity_add_participants(*, activity, deputies, actor, team_name: str = "", leader=None) -> int:
    """Add deputies to the activity, in the named team (created on first use), optionally naming
    one of them the team leader (组长). Returns how many were added; deputies already taking part
    are moved to the team."""
    _require_staff(actor, activity.township_id)
    deputies = list(deputies)
    if not deputies:
        raise ValidationError(_("请选择参加的代表。"))
    _same_township(deputies, activity.township_id, _("所选代表不属于本乡镇。"))
    team = None
    team_name = (team_name or "").strip()
    if leader is not None and (not team_name or leader not in deputies):
        raise ValidationError(_("组长须是本次加入该小组的代表，并填写小组名称。"))
    if team_name:
        team, _created = ActivityTeam.objects.get_or_create(activity=activity, name=team_name[:40])
        if leader is not None:
            ActivityTeam.objects.filter(pk=team.pk).update(leader=leader)
    existing = set(
        ActivityParticipant.objects.filter(activity=activity, deputy__in=deputies).values_list(
            "deputy_id", flat=True
        )
    )
    ActivityParticipant.objects.bulk_create(
        [
            ActivityParticipant(activity=activity, deputy=d, team=team)
            for d in deputies
            if d.pk not in existing
        ]
    )
    if existing and team is not None:
        ActivityParticipant.objects.filter(activity=activity, deputy_id__in=existing).update(team=team)
    audit(
        actor=actor,
        action=AuditAction.SUPERVISION_PARTICIPANTS_ADD,
        township=activity.township,
        obj=activity,
        deputies=[d.pk for d in deputies],
        team=team_name,
    )
    return len(deputies) - len(existing)


@transaction.atomic
def activity_remove_participant(*, participant: ActivityParticipant, actor) -> None:
    _require_staff(actor, participant.activity.township_id)
    audit(
        actor=actor,
        action=AuditAction.SUPERVISION_PARTICIPANT_REMOVE,
        township=participant.activity.township,
        obj=participant.activity,
        deputy=participant.deputy_id,
    )
    participant.delete()


@transaction.atomic
def attachment_add(*, activity, upload, actor) -> ActivityAttachment:
    _require_staff(actor, activity.township_id)
    validate_upload(upload)
    att = ActivityAttachment(
        activity=activity, name=os.path.basename(upload.name)[:200], size=upload.size, uploaded_by=actor
    )
    att.file.save(os.path.basename(upload.name), upload, save=False)
    att.save()
    audit(
        actor=actor,
        action=AuditAction.SUPERVISION_ATTACHMENT_ADD,
        township=activity.township,
        obj=activity,
        file=att.name,
    )
    return att


# --- findings and commitments ----------------------------------------------------------------


@transaction.atomic
def finding_add(
    *, activity, kind: str, content: str, actor, forward_to: HandlingUnit | None = None
) -> Finding:
    """Record a problem found or an opinion collected; optionally forward it to a unit at once."""
    _require_staff(actor, activity.township_id)
    content = (content or "").strip()
    if kind not in Finding.Kind.values:
        raise ValidationError(_("请选择问题或意见建议。"))
    if not content:
        raise ValidationError(_("请填写内容。"))
    finding = Finding.objects.create(
        activity=activity, township_id=activity.township_id, kind=kind, content=content, created_by=actor
    )
    if forward_to is not None:
        finding_forward(finding=finding, unit=forward_to, actor=actor)
    return finding


@transaction.atomic
def finding_delete(*, finding, actor) -> None:
    """Remove a finding entered by mistake; not once a rectification item was sent for it."""
    _require_staff(actor, finding.township_id)
    if Rectification.objects.filter(finding=finding).exists():
        raise ValidationError(_("该问题已交办整改，不能删除。"))
    audit(
        actor=actor,
        action=AuditAction.SUPERVISION_FINDING_DELETE,
        township=finding.activity.township,
        obj=finding,
        content=finding.content,
    )
    finding.delete()


@transaction.atomic
def finding_forward(*, finding, unit, actor) -> Finding:
    """Forward (转交) a finding to a handling unit; counted as "forwarded" in the figures."""
    _require_staff(actor, finding.township_id)
    _same_township([unit], finding.township_id, _("转交单位不属于本乡镇。"))
    Finding.objects.filter(pk=finding.pk).update(forwarded_unit=unit, forwarded_at=timezone.now())
    finding.forwarded_unit = unit
    audit(
        actor=actor,
        action=AuditAction.SUPERVISION_FINDING_FORWARD,
        township=finding.activity.township,
        obj=finding,
        unit=unit.name,
    )
    return finding


@transaction.atomic
def commitment_add(*, activity, title: str, actor, unit=None) -> CommitmentItem:
    """A practical thing (专项督查) or a station's commitment set at the start of the year (三账)."""
    _require_staff(actor, activity.township_id)
    if activity.kind not in (ActivityKind.SPECIAL_OVERSIGHT, ActivityKind.THREE_ACCOUNTS):
        raise ValidationError(_("只有专项督查和三账监督可以登记实事/承诺事项。"))
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("请填写事项内容。"))
    if activity.kind == ActivityKind.THREE_ACCOUNTS and unit is None:
        raise ValidationError(_("三账监督须指定承诺的站所。"))
    _same_township([unit], activity.township_id, _("责任单位不属于本乡镇。"))
    return CommitmentItem.objects.create(activity=activity, unit=unit, title=title[:200])


COMMITMENT_STAGE_ORDER = [
    CommitmentItem.Stage.SET,
    CommitmentItem.Stage.MID_CHECKED,
    CommitmentItem.Stage.DELIVERED,
]
MID_RESULTS = {CommitmentItem.Result.ON_TRACK, CommitmentItem.Result.BEHIND, CommitmentItem.Result.DONE}
END_RESULTS = {CommitmentItem.Result.DONE, CommitmentItem.Result.PARTLY, CommitmentItem.Result.NOT_DONE}
COMMITMENT_AUDIT_ACTIONS = {
    CommitmentItem.Stage.MID_CHECKED: AuditAction.SUPERVISION_COMMITMENT_MID_CHECKED,
    CommitmentItem.Stage.DELIVERED: AuditAction.SUPERVISION_COMMITMENT_DELIVERED,
}


@transaction.atomic
def commitment_check(*, item, stage: str, result: str, note: str, actor) -> CommitmentItem:
    """Record the mid-year check (查账) or the year-end delivery (交账) of a commitment."""
    _require_staff(actor, item.activity.township_id)
    item = CommitmentItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    if stage == CommitmentItem.Stage.MID_CHECKED:
        if result not in MID_RESULTS:
            raise ValidationError(_("请选择年中进度。"))
        if item.stage == CommitmentItem.Stage.DELIVERED:
            raise ValidationError(_("该事项已年底交账，不能再登记年中查账。"))
        item.mid_year_result, item.mid_year_note = result, (note or "").strip()
    elif stage == CommitmentItem.Stage.DELIVERED:
        if result not in END_RESULTS:
            raise ValidationError(_("请选择年底完成情况。"))
        item.year_end_result, item.year_end_note = result, (note or "").strip()
    else:
        raise ValidationError(_("请选择查账阶段。"))
    if COMMITMENT_STAGE_ORDER.index(stage) > COMMITMENT_STAGE_ORDER.index(item.stage):
        item.stage = stage
    item.save()
    audit(
        actor=actor,
        action=COMMITMENT_AUDIT_ACTIONS[stage],
        township=item.activity.township,
        obj=item,
        result=result,
    )
    return item
