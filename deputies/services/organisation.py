"""Districts, deputy groups and liaison stations."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from presidium.models import AuditAction
from presidium.services import audit

from ..models import Deputy, DeputyGroup, ElectoralDistrict, Station
from .base import _require_editor, _same_township


@transaction.atomic
def district_save(*, township, actor, name: str, seats: int, district: ElectoralDistrict | None = None):
    _require_editor(actor, township.pk)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("请填写选区名称。"))
    duplicate = ElectoralDistrict.objects.filter(township=township, name=name)
    if district is not None:
        duplicate = duplicate.exclude(pk=district.pk)
    if duplicate.exists():
        raise ValidationError(_("选区“%(n)s”已存在。") % {"n": name})
    if district is None:
        district = ElectoralDistrict(township=township)
    elif district.township_id != township.pk:
        raise PermissionDenied
    district.name, district.seats = name, seats
    district.save()
    audit(actor=actor, action=AuditAction.DISTRICT_SAVE, township=township, obj=district, seats=seats)
    return district


@transaction.atomic
def group_save(
    *, township, actor, name: str, area: str = "", leader=None, members=(), group: DeputyGroup | None = None
) -> DeputyGroup:
    """Create or edit a deputy group; ``members`` become the group's deputies (a deputy is in one group)."""
    _require_editor(actor, township.pk)
    members = list(members)
    _same_township([leader, *members], township.pk, _("代表不属于本乡镇。"))
    if leader is not None and leader not in members:
        members.append(leader)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("请填写小组名称。"))
    if (
        DeputyGroup.objects.filter(township=township, name=name)
        .exclude(pk=getattr(group, "pk", None))
        .exists()
    ):
        raise ValidationError(_("代表小组“%(n)s”已存在。") % {"n": name})
    if group is None:
        group = DeputyGroup(township=township)
    group.name, group.area, group.leader = name, area.strip(), leader
    group.save()
    Deputy.objects.filter(group=group).exclude(pk__in=[m.pk for m in members]).update(group=None)
    Deputy.objects.filter(pk__in=[m.pk for m in members]).update(group=group)
    audit(actor=actor, action=AuditAction.GROUP_SAVE, township=township, obj=group, members=len(members))
    return group


@transaction.atomic
def station_save(*, township, actor, fields: dict, deputies=(), station: Station | None = None) -> Station:
    _require_editor(actor, township.pk)
    deputies = list(deputies)
    _same_township(deputies, township.pk, _("代表不属于本乡镇。"))
    if station is None:
        station = Station(township=township)
    for key in (
        "kind",
        "name",
        "address",
        "reception_day_of_month",
        "is_active",
        *(name for name, _label in Station.SIX_HAVES),
    ):
        if key in fields:
            setattr(station, key, fields[key])
    station.full_clean(exclude=["public_token"])
    station.save()
    station.deputies.set(deputies)
    audit(actor=actor, action=AuditAction.STATION_SAVE, township=township, obj=station)
    return station
