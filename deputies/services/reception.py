"""Reception days (接待选民日): plan, the announcement warning, hold or cancel."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from presidium.models import AuditAction
from presidium.services import audit
from presidium.workflow import STALE_MESSAGE, Transition, TransitionTable

from ..models import ReceptionDay, Station, reception_announce_min_days
from .base import _require_editor, _same_township

# Reception day workflow.
RECEPTION_TRANSITIONS = TransitionTable(
    {
        (ReceptionDay.Status.PLANNED, "hold"): Transition(ReceptionDay.Status.HELD, ("staff",)),
        (ReceptionDay.Status.PLANNED, "cancel"): Transition(ReceptionDay.Status.CANCELLED, ("staff",)),
    }
)
RECEPTION_AUDIT_ACTIONS = {
    "hold": AuditAction.RECEPTION_DAY_HOLD,
    "cancel": AuditAction.RECEPTION_DAY_CANCEL,
}


@transaction.atomic
def reception_day_plan(
    *, station: Station, actor, date: dt.date, deputies=(), announced_on=None, note: str = ""
) -> ReceptionDay:
    _require_editor(actor, station.township_id)
    deputies = list(deputies)
    _same_township(deputies, station.township_id, _("值班代表不属于本乡镇。"))
    if announced_on and announced_on > date:
        raise ValidationError(_("公告日期不能晚于接待日期。"))
    if (
        ReceptionDay.objects.filter(station=station, date=date)
        .exclude(status=ReceptionDay.Status.CANCELLED)
        .exists()
    ):
        raise ValidationError(_("该联络站在这一天已安排接待选民日。"))
    day = ReceptionDay.objects.create(
        township_id=station.township_id,
        station=station,
        date=date,
        announced_on=announced_on,
        note=note.strip(),
    )
    day.deputies.set(deputies)
    audit(actor=actor, action=AuditAction.RECEPTION_DAY_PLAN, township=station.township, obj=day)
    return day


def reception_day_notice_warning(day: ReceptionDay) -> str:
    """A non-blocking warning when voters would learn of the day too late (or not at all)."""
    min_days = reception_announce_min_days(day.station.township.rules)
    if not day.announcement_late(min_days):
        return ""
    if day.announced_on is None:
        return _("尚未公告：接待选民日应至少提前 %(n)s 天向选民公告。") % {"n": min_days}
    return _("公告过晚：接待选民日应至少提前 %(n)s 天向选民公告。") % {"n": min_days}


@transaction.atomic
def reception_day_transition(*, day: ReceptionDay, action: str, actor) -> ReceptionDay:
    _require_editor(actor, day.township_id)
    locked = ReceptionDay.objects.select_for_update(of=("self",)).get(pk=day.pk)
    if locked.status != day.status:
        raise ValidationError(STALE_MESSAGE)
    target = RECEPTION_TRANSITIONS.step(locked.status, action, refused=_("当前状态下不能执行该操作。")).to
    if target == ReceptionDay.Status.HELD and locked.date > timezone.localdate():
        raise ValidationError(_("接待日期未到，不能标记为已接待。"))
    locked.status = target
    locked.save(update_fields=["status"])
    audit(actor=actor, action=RECEPTION_AUDIT_ACTIONS[action], township=locked.station.township, obj=locked)
    return locked
