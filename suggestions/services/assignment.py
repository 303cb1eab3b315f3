"""Assignment to handling units (交办, batch, key items) and the units' first steps: signing,
returning, co-unit input."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from presidium.models import HandlingUnit

from ..deadlines import set_due
from ..models import (
    CoUnit,
    ExtensionStatus,
    Suggestion,
)
from .base import _check_text, _today, _transition


@transaction.atomic
def suggestion_assign(
    *, suggestion, actor, unit: HandlingUnit, co_units=(), responsible_leader: str = "", expected_version=None
) -> Suggestion:
    """交办 (or 改派 after a return) to a lead unit and optional co-units, with the due dates."""
    if unit is None:
        raise ValidationError(_("请选择主办单位。"))
    leader_max = Suggestion._meta.get_field("responsible_leader").max_length
    if len((responsible_leader or "").strip()) > leader_max:
        raise ValidationError(_("责任领导不能超过 %(n)s 个字，请只填写姓名和职务。") % {"n": leader_max})
    co_units = [u for u in co_units or () if u.pk != unit.pk]
    for u in [unit, *co_units]:
        if u.township_id != suggestion.township_id or not u.is_active:
            raise ValidationError(_("承办单位须为本乡镇在用的单位。"))

    def apply(s):
        previous = s.lead_unit_id
        today = _today()
        rules = s.township.rules
        s.lead_unit = unit
        s.responsible_leader = (responsible_leader or "").strip() or unit.responsible_leader
        s.assigned_at = timezone.now()
        s.signed_at = None
        set_due(s, "return_due", rules=rules, stage="return", start=today)
        set_due(s, "reply_due", rules=rules, stage="reply", start=today)
        set_due(s, "co_input_due", rules=rules, stage="co_input" if co_units else None, start=today)
        s.due_date = s.reply_due
        s.extension_status, s.extension_until = ExtensionStatus.NONE, None
        s.co_units.all().delete()
        CoUnit.objects.bulk_create([CoUnit(suggestion=s, unit=u) for u in co_units])
        return {
            "unit": unit.pk,
            "unit_name": unit.name,
            "co_units": [u.pk for u in co_units],
            "previous_unit": previous,
            "reply_due": s.reply_due.isoformat(),
        }

    return _transition(
        suggestion=suggestion, action="assign", actor=actor, expected_version=expected_version, apply=apply
    )


@transaction.atomic
def suggestion_assign_batch(
    *, suggestions, actor, unit: HandlingUnit, co_units=(), responsible_leader: str = ""
) -> int:
    """Assign many accepted items at once (交办会). All or nothing: one refusal stops the batch."""
    done = 0
    for s in suggestions:
        try:
            suggestion_assign(
                suggestion=s, actor=actor, unit=unit, co_units=co_units, responsible_leader=responsible_leader
            )
        except ValidationError as exc:
            raise ValidationError(
                _("%(title)s：%(msg)s") % {"title": s.number or s.title, "msg": "；".join(exc.messages)}
            ) from exc
        done += 1
    return done


@transaction.atomic
def suggestion_set_key(
    *, suggestion, actor, key: bool, comment: str = "", expected_version=None
) -> Suggestion:
    def apply(s):
        s.is_key = key

    return _transition(
        suggestion=suggestion,
        action="mark_key" if key else "unmark_key",
        actor=actor,
        expected_version=expected_version,
        comment=comment,
        apply=apply,
    )


@transaction.atomic
def suggestion_sign(*, suggestion, actor, expected_version=None, on_behalf=None) -> Suggestion:
    def apply(s):
        s.signed_at = timezone.now()

    return _transition(
        suggestion=suggestion,
        action="sign",
        actor=actor,
        expected_version=expected_version,
        apply=apply,
        on_behalf=on_behalf,
    )


@transaction.atomic
def suggestion_return(*, suggestion, actor, reason: str, expected_version=None, on_behalf=None) -> Suggestion:
    """退办: a wrongly assigned item goes back to the office, which re-assigns it."""
    reason = _check_text(reason, _("退办理由"))

    def apply(s):
        rules = s.township.rules
        unit_id = s.lead_unit_id
        s.lead_unit = None
        s.signed_at = None
        for f in ("reply_due", "return_due", "co_input_due"):
            set_due(s, f, rules=rules, stage=None, start=None)
        # The office re-assigns within the same working-day limit as a first assignment.
        set_due(s, "assign_due", rules=rules, stage="assign", start=_today())
        s.due_date = s.assign_due
        s.co_units.all().delete()
        return {"unit": unit_id}

    return _transition(
        suggestion=suggestion,
        action="return",
        actor=actor,
        expected_version=expected_version,
        comment=reason,
        apply=apply,
        on_behalf=on_behalf,
    )


@transaction.atomic
def suggestion_co_input(*, suggestion, actor, text: str, on_behalf=None) -> CoUnit:
    """A co-unit sends its input to the lead unit (or the office records it for the co-unit)."""
    text = _check_text(text, _("协办意见"))
    unit_id = on_behalf.unit.pk if on_behalf is not None and on_behalf.unit is not None else actor.unit_id
    row = {}

    def apply(s):
        co = CoUnit.objects.select_for_update(of=("self",)).get(suggestion=s, unit_id=unit_id)
        co.input_text, co.input_at = text, timezone.now()
        co.save(update_fields=["input_text", "input_at"])
        row["co"] = co
        return {"unit": unit_id}

    _transition(
        suggestion=suggestion, action="co_input", actor=actor, comment=text, apply=apply, on_behalf=on_behalf
    )
    return row["co"]
