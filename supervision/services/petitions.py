"""Letters and visits (信访): register, forward, investigate, close."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presidium.workflow import Transition, TransitionTable

from .. import events
from ..models import (
    Petition,
)
from ._common import (
    _require_staff,
    _same_township,
    _step,
)

# --- letters and visits (信访) --------------------------------------------------------------

PS = Petition.Status
# Every step is the township office's ("staff").
_STAFF = ("staff",)
PETITION_TRANSITIONS = TransitionTable(
    {
        (PS.REGISTERED, "forward"): Transition(PS.FORWARDED, _STAFF, label=gettext_lazy("转办")),
        **{
            (st, "investigate"): Transition(PS.INVESTIGATING, _STAFF, label=gettext_lazy("调查"))
            for st in (PS.REGISTERED, PS.FORWARDED)
        },
        **{
            (st, "close"): Transition(PS.CLOSED, _STAFF, label=gettext_lazy("办结"))
            for st in (PS.REGISTERED, PS.FORWARDED, PS.INVESTIGATING)
        },
    }
)


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
    events.petition_registered(petition=petition, actor=actor)
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
    if action not in PETITION_TRANSITIONS.actions:
        raise ValidationError(_("未知操作。"))
    p = Petition.objects.select_for_update(of=("self",)).get(pk=petition.pk)
    _require_staff(actor, p.township_id)
    transition = _step(PETITION_TRANSITIONS, p, action, expected_version)
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
    p.status = transition.to
    p.version += 1
    p.save()
    events.petition_transition(
        petition=p,
        actor=actor,
        action=action,
        from_status=previous,
        to_status=p.status,
        comment=(comment or result or forwarded_to or (unit.name if unit else "")),
    )
    if action == "forward" and unit is not None:
        _notify_forwarded(p, unit)
    return p


def _notify_forwarded(petition, unit):
    """The unit's officers hear of a case forwarded to them, with a link they can open."""
    from django.urls import reverse

    from notifications.services import notify

    from .rectification import _unit_officers

    notify(
        recipients=_unit_officers(unit.pk),
        verb="petition_forwarded",
        title=_("转办信访：%(s)s") % {"s": petition.subject},
        body=_("收到日期：%(d)s") % {"d": petition.received_on.isoformat()},
        obj=petition,
        url=reverse("supervision:petition_detail", args=[petition.pk]),
        dedupe_key=f"supervision.petition:{petition.pk}:forwarded:{petition.version}",
    )
