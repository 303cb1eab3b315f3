"""Every write of supervision and letters and visits.

Two workflows, each with ONE transition table read at a glance:
``RECTIFICATION_TRANSITIONS`` (整改) and ``PETITION_TRANSITIONS`` (信访). A transition locks the
row (``select_for_update(of=("self",))``), checks the version the actor saw, writes an event row
and bumps the version, so the loser of a race gets "已被他人修改，请刷新" and nothing changes.
"""

import datetime as dt
import os
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deputies.models import Deputy
from presidium.models import HandlingUnit, Role
from presidium.selectors import can_edit_township, principal_role
from presidium.services import audit
from presidium.workdays import add_workdays

from .models import (
    ActivityAttachment,
    ActivityKind,
    ActivityParticipant,
    ActivityTeam,
    Appraisal,
    AppraisalTarget,
    AppraisalVoter,
    CommitmentItem,
    Finding,
    Petition,
    PetitionEvent,
    Rectification,
    RectificationEvent,
    RectificationEvidence,
    SupervisionActivity,
)

STALE_MESSAGE = gettext_lazy("已被他人修改，请刷新后重试。")
ALLOWED_UPLOAD_EXTENSIONS = {
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".jpg",
    ".jpeg",
    ".png",
    ".txt",
    ".wps",
}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


# --- guards ------------------------------------------------------------------------------


def _require_staff(actor, township_id):
    if not can_edit_township(actor, township_id):
        raise PermissionDenied(_("只有本乡镇人大办工作人员可以执行此操作。"))


def validate_upload(upload):
    """Type and size check for attachments and evidence; raises ValidationError in Chinese."""
    if upload is None:
        raise ValidationError(_("请选择要上传的文件。"))
    ext = os.path.splitext(upload.name or "")[1].lower()
    if ext not in ALLOWED_UPLOAD_EXTENSIONS:
        raise ValidationError(
            _("不支持的文件类型“%(ext)s”，请上传 PDF、Word、Excel、WPS、图片或文本文件。")
            % {"ext": ext or "?"}
        )
    if not upload.size:
        raise ValidationError(_("文件“%(name)s”是空的。") % {"name": upload.name})
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("文件“%(name)s”超过 10MB，请压缩后再上传。") % {"name": upload.name})


def _same_township(objs, township_id, message):
    for obj in objs:
        if obj is not None and obj.township_id != township_id:
            raise ValidationError(message)


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
    audit(actor=actor, action="supervision.activity_create", township=township, obj=activity)
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
    audit(actor=actor, action="supervision.activity_update", township=activity.township, obj=activity)
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
        action="supervision.participants_add",
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
        action="supervision.participant_remove",
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
        action="supervision.attachment_add",
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
        action="supervision.finding_delete",
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
        action="supervision.finding_forward",
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
        action=f"supervision.commitment_{stage}",
        township=item.activity.township,
        obj=item,
        result=result,
    )
    return item


# --- rectification (整改) ------------------------------------------------------------------


def _unit_officers(unit_id):
    from presidium.models import User

    return User.objects.filter(role=Role.UNIT, unit_id=unit_id, is_active=True)


def _township_staff(township_id):
    from presidium.models import User

    return User.objects.filter(role=Role.STAFF, township_id=township_id, is_active=True)


def _notify_rectification(rect, *, recipients, verb, title, body=""):
    """In-app (and the users' channels) notice of a rectification step; delivery runs after commit."""
    from django.urls import reverse

    from notifications.services import notify

    notify(
        recipients=recipients,
        verb=verb,
        title=title,
        body=body,
        obj=rect,
        url=reverse("supervision:rectification_detail", args=[rect.pk]),
        dedupe_key=f"supervision.rectification:{rect.pk}:{verb}:{rect.version}",
    )


@dataclass(frozen=True)
class Transition:
    sources: tuple
    target: str | None
    by: str  # "unit" (the responsible unit's officer) or "staff" (the township's presidium staff)
    label: str


RS = Rectification.Status
RECTIFICATION_TRANSITIONS = {
    "progress": Transition(
        (RS.ASSIGNED, RS.IN_PROGRESS, RS.REOPENED), RS.IN_PROGRESS, "unit", gettext_lazy("报告整改进展")
    ),
    "complete": Transition(
        (RS.ASSIGNED, RS.IN_PROGRESS, RS.REOPENED), RS.SUBMITTED, "unit", gettext_lazy("报告整改完成")
    ),
    "verify": Transition((RS.SUBMITTED,), RS.VERIFIED, "staff", gettext_lazy("核实销号")),
    "reopen": Transition((RS.SUBMITTED, RS.VERIFIED), RS.REOPENED, "staff", gettext_lazy("退回重新整改")),
    # target None: the status stays, only the deadline moves (the unit asked for more time).
    "extend": Transition(
        (RS.ASSIGNED, RS.IN_PROGRESS, RS.REOPENED), None, "staff", gettext_lazy("延长整改期限")
    ),
}


def rectification_actions_for(rectification, user) -> list[str]:
    """The actions ``user`` may take now (for showing buttons; services check again)."""
    role = principal_role(user)
    out = []
    for name, t in RECTIFICATION_TRANSITIONS.items():
        if rectification.status not in t.sources:
            continue
        is_unit = role == Role.UNIT and user.unit_id == rectification.unit_id
        is_staff = can_edit_township(user, rectification.township_id)
        if (t.by == "unit" and is_unit) or (t.by == "staff" and is_staff):
            out.append(name)
    return out


def compute_deadline(
    *, assigned_on: dt.date, deadline: dt.date | None = None, workdays: int | None = None
) -> dt.date:
    """A calendar date as given, or N working days after assignment on the official calendar."""
    if workdays:
        return add_workdays(assigned_on, int(workdays))
    if deadline is None:
        raise ValidationError(_("请填写整改期限（日期或工作日天数）。"))
    return deadline


@transaction.atomic
def rectification_create(
    *,
    township,
    unit,
    title: str,
    actor,
    requirement: str = "",
    finding=None,
    appraisal_target=None,
    deadline: dt.date | None = None,
    workdays: int | None = None,
    assigned_on: dt.date | None = None,
) -> Rectification:
    """Send a rectification item to a unit with a deadline (a date, or N working days)."""
    _require_staff(actor, township.pk)
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("请填写整改事项。"))
    _same_township([unit, finding], township.pk, _("整改单位或来源问题不属于本乡镇。"))
    if unit is None:
        raise ValidationError(_("请选择整改单位。"))
    assigned_on = assigned_on or timezone.localdate()
    if workdays is not None and int(workdays) <= 0:
        raise ValidationError(_("工作日天数须大于 0。"))
    due = compute_deadline(assigned_on=assigned_on, deadline=deadline, workdays=workdays)
    if due < assigned_on:
        raise ValidationError(_("整改期限不能早于交办日期。"))
    rect = Rectification.objects.create(
        township=township,
        unit=unit,
        title=title[:200],
        requirement=(requirement or "").strip(),
        finding=finding,
        appraisal_target=appraisal_target,
        assigned_on=assigned_on,
        deadline=due,
        deadline_workdays=int(workdays) if workdays else None,
        created_by=actor,
    )
    if finding is not None and finding.forwarded_unit_id is None:
        Finding.objects.filter(pk=finding.pk).update(forwarded_unit=unit, forwarded_at=timezone.now())
    RectificationEvent.objects.create(
        rectification=rect,
        actor=actor,
        action="assign",
        from_status="",
        to_status=rect.status,
        extra={"deadline": due.isoformat()},
    )
    _notify_rectification(
        rect,
        recipients=_unit_officers(unit.pk),
        verb="rectification_assigned",
        title=_("新的整改事项：%(t)s") % {"t": rect.title},
        body=_("整改期限：%(d)s") % {"d": due.isoformat()},
    )
    return rect


@transaction.atomic
def rectification_transition(
    *,
    rectification,
    action: str,
    actor,
    comment: str = "",
    files=(),
    expected_version: int | None = None,
    new_deadline: dt.date | None = None,
) -> Rectification:
    """Move a rectification item along ``RECTIFICATION_TRANSITIONS``; one event row per move.

    ``expected_version`` is the version the actor's page showed; a different one means someone
    else acted first and nothing is changed. Completion needs a description or evidence; a reopen
    needs a reason and may set a new deadline."""
    transition = RECTIFICATION_TRANSITIONS.get(action)
    if transition is None:
        raise ValidationError(_("未知操作。"))
    rect = Rectification.objects.select_for_update(of=("self",)).get(pk=rectification.pk)
    if transition.by == "unit":
        if not (principal_role(actor) == Role.UNIT and actor.unit_id == rect.unit_id):
            raise PermissionDenied(_("只有整改单位可以报告整改情况。"))
    else:
        _require_staff(actor, rect.township_id)
    if expected_version is not None and int(expected_version) != rect.version:
        raise ValidationError(STALE_MESSAGE)
    if rect.status not in transition.sources:
        raise ValidationError(
            _("当前状态为“%(status)s”，不能%(action)s。")
            % {"status": rect.get_status_display(), "action": transition.label}
        )
    comment = (comment or "").strip()
    files = list(files or [])
    for upload in files:
        validate_upload(upload)
    if action in ("progress", "reopen", "extend") and not comment:
        raise ValidationError(_("请填写说明。"))
    if action == "extend" and (new_deadline is None or new_deadline <= rect.deadline):
        raise ValidationError(_("延期须填写晚于原期限（%(d)s）的新期限。") % {"d": rect.deadline.isoformat()})
    if action == "complete" and not (comment or files):
        raise ValidationError(_("报告整改完成须填写整改情况或上传佐证材料。"))
    if new_deadline is not None and new_deadline < timezone.localdate():
        raise ValidationError(_("新的整改期限不能早于今天。"))

    previous = rect.status
    now = timezone.now()
    rect.status = transition.target or rect.status
    rect.version += 1
    extra = {}
    if action == "complete":
        rect.submitted_at = now
    elif action == "verify":
        rect.closed_at = now
    if action in ("reopen", "extend"):
        if action == "reopen":
            rect.closed_at = None
            rect.submitted_at = None
        if new_deadline is not None:
            extra["old_deadline"] = rect.deadline.isoformat()
            rect.deadline = new_deadline
            rect.deadline_workdays = None
    rect.save()
    event = RectificationEvent.objects.create(
        rectification=rect,
        actor=actor,
        action=action,
        from_status=previous,
        to_status=rect.status,
        comment=comment,
        extra=extra,
    )
    for upload in files:
        ev = RectificationEvidence(
            rectification=rect, event=event, name=os.path.basename(upload.name)[:200], size=upload.size
        )
        ev.file.save(os.path.basename(upload.name), upload, save=False)
        ev.save()
    if action == "complete":
        _notify_rectification(
            rect,
            recipients=_township_staff(rect.township_id),
            verb="rectification_submitted",
            title=_("整改事项已报完成，请核实：%(t)s") % {"t": rect.title},
            body=comment,
        )
    elif action in ("verify", "reopen", "extend"):
        title = {
            "verify": _("整改事项已核实销号：%(t)s"),
            "reopen": _("整改事项被退回，请继续整改：%(t)s"),
            "extend": _("整改期限已延长：%(t)s"),
        }[action]
        _notify_rectification(
            rect,
            recipients=_unit_officers(rect.unit_id),
            verb=f"rectification_{action}",
            title=title % {"t": rect.title},
            body=comment,
        )
    if action == "verify" and rect.finding_id:
        # Closing the loop: the deputies who found the problem hear that it was put right.
        from presidium.models import User

        deputies = User.objects.filter(
            deputy__supervision_participations__activity_id=rect.finding.activity_id, is_active=True
        ).distinct()
        _notify_rectification(
            rect,
            recipients=list(deputies),
            verb="rectification_reported_back",
            title=_("您参加的监督活动发现的问题已整改到位：%(t)s") % {"t": rect.title},
            body=comment,
        )
    return rect


# --- appraisal and democratic scoring (民主测评) ------------------------------------------------

CHOICES = ("satisfied", "basic", "unsatisfied")


@transaction.atomic
def appraisal_create(
    *, activity, actor, targets, low_score_threshold: int = 80, rectification_workdays: int = 20
) -> Appraisal:
    """Open democratic scoring on an appraisal activity. ``targets``: [(unit | None, official_name, report)]."""
    _require_staff(actor, activity.township_id)
    if activity.kind != ActivityKind.APPRAISAL:
        raise ValidationError(_("只有评议活动可以组织民主测评。"))
    if Appraisal.objects.filter(activity=activity).exists():
        raise ValidationError(_("该评议活动已有民主测评。"))
    if not 0 < int(low_score_threshold) <= 100:
        raise ValidationError(_("整改线须在 1 到 100 之间。"))
    targets = [(u, (name or "").strip(), report or "") for u, name, report in targets]
    if not targets:
        raise ValidationError(_("请至少添加一个测评对象。"))
    if any(u is None and not name for u, name, _r in targets):
        raise ValidationError(_("测评对象须选择单位或填写人员姓名。"))
    _same_township([u for u, _n, _r in targets], activity.township_id, _("测评对象单位不属于本乡镇。"))
    appraisal = Appraisal.objects.create(
        activity=activity,
        township_id=activity.township_id,
        low_score_threshold=low_score_threshold,
        rectification_workdays=rectification_workdays,
    )
    AppraisalTarget.objects.bulk_create(
        [
            AppraisalTarget(appraisal=appraisal, unit=u, official_name=name[:40], report=report)
            for u, name, report in targets
        ]
    )
    audit(actor=actor, action="supervision.appraisal_create", township=activity.township, obj=appraisal)
    return appraisal


@transaction.atomic
def appraisal_target_report(*, target: AppraisalTarget, report: str, actor) -> AppraisalTarget:
    """Record the unit's (or official's) report (述职) heard before the scoring."""
    appraisal = target.appraisal
    _require_staff(actor, appraisal.township_id)
    _lock_open_appraisal(appraisal)
    AppraisalTarget.objects.filter(pk=target.pk).update(report=(report or "").strip())
    target.report = (report or "").strip()
    audit(actor=actor, action="supervision.appraisal_report", township=appraisal.township, obj=target)
    return target


def _lock_open_appraisal(appraisal) -> Appraisal:
    locked = Appraisal.objects.select_for_update(of=("self",)).get(pk=appraisal.pk)
    if locked.status != Appraisal.Status.OPEN:
        raise ValidationError(_("本次民主测评已结束。"))
    return locked


@transaction.atomic
def appraisal_enter_paper(*, appraisal, counts: dict, actor) -> Appraisal:
    """Enter the paper ballots' counts in bulk: ``{target_id: (satisfied, basic, unsatisfied)}``.
    All rows are validated before any is written; the entered counts replace earlier paper counts."""
    _require_staff(actor, appraisal.township_id)
    appraisal = _lock_open_appraisal(appraisal)
    targets = {
        t.pk: t for t in AppraisalTarget.objects.select_for_update(of=("self",)).filter(appraisal=appraisal)
    }
    clean = {}
    for target_id, triple in counts.items():
        if int(target_id) not in targets:
            raise ValidationError(_("测评对象不属于本次测评。"))
        try:
            values = [int(v) for v in triple]
        except (TypeError, ValueError) as exc:
            raise ValidationError(_("票数须为整数。")) from exc
        if len(values) != 3 or any(v < 0 for v in values):
            raise ValidationError(_("票数不能为负数。"))
        clean[int(target_id)] = values
    for target_id, (s, b, u) in clean.items():
        t = targets[target_id]
        t.paper_satisfied, t.paper_basic, t.paper_unsatisfied = s, b, u
    AppraisalTarget.objects.bulk_update(
        [targets[i] for i in clean], ["paper_satisfied", "paper_basic", "paper_unsatisfied"]
    )
    audit(
        actor=actor,
        action="supervision.appraisal_paper",
        township=appraisal.township,
        obj=appraisal,
        counts={str(k): v for k, v in clean.items()},
    )
    return appraisal


@transaction.atomic
def appraisal_cast(*, appraisal, deputy: Deputy, choices: dict, actor) -> None:
    """A deputy casts one secret ballot covering every target. Who voted is recorded in
    ``AppraisalVoter``; the choices only increase the targets' tallies, so no row links the two."""
    if principal_role(actor) != Role.DEPUTY or deputy.user_id != actor.pk:
        raise PermissionDenied(_("只有代表本人可以投票。"))
    if deputy.township_id != appraisal.township_id or not deputy.is_serving:
        raise PermissionDenied(_("您不是本次测评的投票代表。"))
    appraisal = _lock_open_appraisal(appraisal)
    target_ids = set(AppraisalTarget.objects.filter(appraisal=appraisal).values_list("pk", flat=True))
    clean = {}
    for key, choice in choices.items():
        try:
            key = int(key)
        except (TypeError, ValueError) as exc:
            raise ValidationError(_("测评对象不属于本次测评。")) from exc
        if key not in target_ids:
            raise ValidationError(_("测评对象不属于本次测评。"))
        if choice not in CHOICES:
            raise ValidationError(_("请为每个测评对象选择满意、基本满意或不满意。"))
        clean[key] = choice
    if set(clean) != target_ids:
        raise ValidationError(_("请为每个测评对象选择满意、基本满意或不满意。"))
    try:
        with transaction.atomic():
            AppraisalVoter.objects.create(appraisal=appraisal, deputy=deputy)
    except IntegrityError as exc:
        raise ValidationError(_("您已参加过本次民主测评，每位代表只能投票一次。")) from exc
    for choice in CHOICES:
        ids = [k for k, v in clean.items() if v == choice]
        if ids:
            AppraisalTarget.objects.filter(pk__in=ids).update(**{f"app_{choice}": F(f"app_{choice}") + 1})


@transaction.atomic
def appraisal_close(*, appraisal, actor) -> list[Rectification]:
    """End the scoring; every unit whose satisfaction rate is below the appraisal's threshold gets a
    rectification item due in ``rectification_workdays`` working days. Returns the items created."""
    _require_staff(actor, appraisal.township_id)
    appraisal = _lock_open_appraisal(appraisal)
    appraisal.status = Appraisal.Status.CLOSED
    appraisal.closed_at = timezone.now()
    appraisal.save(update_fields=["status", "closed_at"])
    created = []
    township = appraisal.township
    topic = appraisal.activity.topic
    for target in AppraisalTarget.objects.filter(appraisal=appraisal).select_related("unit"):
        rate = target.satisfaction_rate
        if target.unit_id is None or rate is None or rate >= appraisal.low_score_threshold:
            continue
        created.append(
            rectification_create(
                township=township,
                unit=target.unit,
                actor=actor,
                appraisal_target=target,
                title=_("%(topic)s：民主测评满意率 %(rate)s%%，低于 %(line)s%%")
                % {"topic": topic, "rate": rate, "line": appraisal.low_score_threshold},
                requirement=_("请针对代表评议意见制定整改措施，限期整改并报告结果。"),
                workdays=appraisal.rectification_workdays,
            )
        )
    audit(
        actor=actor,
        action="supervision.appraisal_close",
        township=township,
        obj=appraisal,
        rectifications=[r.pk for r in created],
    )
    return created


# --- letters and visits (信访) --------------------------------------------------------------

PS = Petition.Status
PETITION_TRANSITIONS = {
    "forward": Transition((PS.REGISTERED,), PS.FORWARDED, "staff", gettext_lazy("转办")),
    "investigate": Transition((PS.REGISTERED, PS.FORWARDED), PS.INVESTIGATING, "staff", gettext_lazy("调查")),
    "close": Transition(
        (PS.REGISTERED, PS.FORWARDED, PS.INVESTIGATING), PS.CLOSED, "staff", gettext_lazy("办结")
    ),
}


@transaction.atomic
def petition_register(
    *,
    township,
    actor,
    received_on: dt.date,
    channel: str,
    subject: str,
    content: str,
    source_kind: str = Petition.SourceKind.CITIZEN,
    person_name: str = "",
    contact: str = "",
    deputy=None,
) -> Petition:
    """Register a letter or visit (来信来访); the person may stay anonymous."""
    _require_staff(actor, township.pk)
    errors = {}
    if channel not in Petition.Channel.values:
        errors["channel"] = _("请选择信访方式。")
    if source_kind not in Petition.SourceKind.values:
        errors["source_kind"] = _("请选择来源。")
    if not (subject or "").strip():
        errors["subject"] = _("请填写事由。")
    if not (content or "").strip():
        errors["content"] = _("请填写内容。")
    if received_on and received_on > timezone.localdate():
        errors["received_on"] = _("收到日期不能晚于今天。")
    if source_kind == Petition.SourceKind.DEPUTY and deputy is None:
        errors["deputy"] = _("代表反映的信访请选择代表。")
    if errors:
        raise ValidationError(errors)
    _same_township([deputy], township.pk, _("所选代表不属于本乡镇。"))
    petition = Petition.objects.create(
        township=township,
        received_on=received_on,
        channel=channel,
        source_kind=source_kind,
        person_name=(person_name or "").strip()[:30],
        contact=(contact or "").strip()[:40],
        deputy=deputy if source_kind == Petition.SourceKind.DEPUTY else None,
        subject=subject.strip()[:120],
        content=content.strip(),
        created_by=actor,
    )
    PetitionEvent.objects.create(petition=petition, actor=actor, action="register", to_status=petition.status)
    return petition


@transaction.atomic
def petition_transition(
    *,
    petition,
    action: str,
    actor,
    unit=None,
    forwarded_to: str = "",
    result: str = "",
    comment: str = "",
    expected_version: int | None = None,
) -> Petition:
    """Move a petition along ``PETITION_TRANSITIONS`` (forward to a unit or body, investigate, close)."""
    transition = PETITION_TRANSITIONS.get(action)
    if transition is None:
        raise ValidationError(_("未知操作。"))
    p = Petition.objects.select_for_update(of=("self",)).get(pk=petition.pk)
    _require_staff(actor, p.township_id)
    if expected_version is not None and int(expected_version) != p.version:
        raise ValidationError(STALE_MESSAGE)
    if p.status not in transition.sources:
        raise ValidationError(
            _("当前状态为“%(status)s”，不能%(action)s。")
            % {"status": p.get_status_display(), "action": transition.label}
        )
    now = timezone.now()
    forwarded_to = (forwarded_to or "").strip()
    if action == "forward":
        if unit is None and not forwarded_to:
            raise ValidationError(_("请选择转办单位或填写转交机关。"))
        _same_township([unit], p.township_id, _("转办单位不属于本乡镇。"))
        p.forwarded_unit, p.forwarded_to, p.forwarded_at = unit, forwarded_to[:60], now
    elif action == "investigate":
        p.investigated_at = now
    elif action == "close":
        result = (result or "").strip()
        if not result:
            raise ValidationError(_("办结须填写办理结果。"))
        p.result, p.closed_at = result, now
    previous = p.status
    p.status = transition.target
    p.version += 1
    p.save()
    PetitionEvent.objects.create(
        petition=p,
        actor=actor,
        action=action,
        from_status=previous,
        to_status=p.status,
        comment=(comment or result or forwarded_to or (unit.name if unit else "")),
    )
    return p
