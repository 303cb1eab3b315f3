"""Rectification items (整改): one transition table, an event row per move, row locks."""

import datetime as dt
import os
import re
import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presidium.models import Role
from presidium.selectors import can_edit_township, principal_role
from presidium.validators import check_date
from presidium.workdays import Due, due_after
from presidium.workflow import Transition, TransitionTable

from .. import events
from ..models import (
    Finding,
    Rectification,
    RectificationEvidence,
)
from ._common import (
    _require_staff,
    _same_township,
    _step,
    validate_upload,
)

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


RS = Rectification.Status
_OPEN = (RS.ASSIGNED, RS.IN_PROGRESS, RS.REOPENED)
# Roles: "unit" = an officer of the responsible unit; "staff" = the township's presidium office.
_UNIT, _STAFF = ("unit",), ("staff",)
RECTIFICATION_TRANSITIONS = TransitionTable(
    {
        **{
            (st, "progress"): Transition(RS.IN_PROGRESS, _UNIT, label=gettext_lazy("报告整改进展"))
            for st in _OPEN
        },
        **{
            (st, "complete"): Transition(RS.SUBMITTED, _UNIT, label=gettext_lazy("报告整改完成"))
            for st in _OPEN
        },
        (RS.SUBMITTED, "verify"): Transition(RS.VERIFIED, _STAFF, label=gettext_lazy("核实销号")),
        (RS.SUBMITTED, "reopen"): Transition(RS.REOPENED, _STAFF, label=gettext_lazy("退回重新整改")),
        (RS.VERIFIED, "reopen"): Transition(RS.REOPENED, _STAFF, label=gettext_lazy("退回重新整改")),
        # The status stays, only the deadline moves (the unit asked for more time).
        **{(st, "extend"): Transition(st, _STAFF, label=gettext_lazy("延长整改期限")) for st in _OPEN},
    }
)


# Words that only claim completion; a report made of nothing else says nothing about what was done.
_CLAIM_WORDS = re.compile(
    r"已经|已|均|全部|按要求|按照要求|要求|完成|完毕|整改|到位|落实|处理|办结|结束|请核实|请审核|核实|"
    r"情况|工作|事项|问题|好|了|的|ok|done|yes",
    re.IGNORECASE,
)


def says_what_was_done(comment: str) -> bool:
    """True when a completion report describes the work (at least four letters or digits, two of
    them beyond words that merely claim completion such as "已完成整改")."""
    text = "".join(ch for ch in (comment or "") if unicodedata.category(ch)[0] in "LN")
    return len(text) >= 4 and len(_CLAIM_WORDS.sub("", text)) >= 2


def rectification_actions_for(rectification, user) -> list[str]:
    """The actions ``user`` may take now (for showing buttons; services check again)."""
    return RECTIFICATION_TRANSITIONS.allowed(
        rectification, rectification.status, _roles(rectification, user), user
    )


def _roles(rectification, user) -> set[str]:
    roles = set()
    if principal_role(user) == Role.UNIT and user.unit_id == rectification.unit_id:
        roles.add("unit")
    if can_edit_township(user, rectification.township_id):
        roles.add("staff")
    return roles


def compute_deadline(
    *, assigned_on: dt.date, deadline: dt.date | None = None, workdays: int | None = None
) -> dt.date:
    """A calendar date as given, or N working days after assignment on the official calendar."""
    return compute_due(assigned_on=assigned_on, deadline=deadline, workdays=workdays).date


def compute_due(*, assigned_on: dt.date, deadline: dt.date | None = None, workdays: int | None = None) -> Due:
    """The deadline and whether it was computed over a provisional calendar year (the one rule:
    presidium.workdays.due_after). A date the office typed is kept as typed."""
    if workdays:
        return due_after(assigned_on, workdays=int(workdays))
    if deadline is None:
        raise ValidationError(_("请填写整改期限（日期或工作日天数）。"))
    check_date(deadline, label=_("整改期限"))
    return Due(deadline, False)


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
    computed = compute_due(assigned_on=assigned_on, deadline=deadline, workdays=workdays)
    due = computed.date
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
        deadline_provisional=computed.provisional,
        created_by=actor,
    )
    if finding is not None and finding.forwarded_unit_id is None:
        Finding.objects.filter(pk=finding.pk).update(forwarded_unit=unit, forwarded_at=timezone.now())
    events.rectification_assigned(rectification=rect, actor=actor)
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
    if action not in RECTIFICATION_TRANSITIONS.actions:
        raise ValidationError(_("未知操作。"))
    rect = Rectification.objects.select_for_update(of=("self",)).get(pk=rectification.pk)
    if "unit" in RECTIFICATION_TRANSITIONS.roles_for(action):
        if not (principal_role(actor) == Role.UNIT and actor.unit_id == rect.unit_id):
            raise PermissionDenied(_("只有整改单位可以报告整改情况。"))
    else:
        _require_staff(actor, rect.township_id)
    transition = _step(RECTIFICATION_TRANSITIONS, rect, action, expected_version)
    comment = (comment or "").strip()
    files = list(files or [])
    for upload in files:
        validate_upload(upload)
    if action in ("progress", "reopen", "extend") and not comment:
        raise ValidationError(_("请填写说明。"))
    if action == "extend" and (new_deadline is None or new_deadline <= rect.deadline):
        raise ValidationError(_("延期须填写晚于原期限（%(d)s）的新期限。") % {"d": rect.deadline.isoformat()})
    if action == "complete" and not (files or says_what_was_done(comment)):
        raise ValidationError(
            _(
                "报告整改完成须说明具体做了什么（如“路基已回填压实，路面已修复”），或上传佐证材料；仅写“已完成”不算。"
            )
        )
    check_date(new_deadline, label=_("新的整改期限"))
    if new_deadline is not None and new_deadline < timezone.localdate():
        raise ValidationError(_("新的整改期限不能早于今天。"))

    previous = rect.status
    now = timezone.now()
    rect.status = transition.to
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
            rect.deadline_provisional = False
    rect.save()
    event = events.rectification_transition(
        rectification=rect,
        actor=actor,
        action=action,
        from_status=previous,
        to_status=rect.status,
        comment=comment,
        **extra,
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
