"""Terms (届次): create, close (届满), and the change of term (换届) that carries the set-up over."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from presidium.models import AuditAction
from presidium.services import audit

from ..models import Deputy, DeputyGroup, DeputyStatusChange, ReceptionDay, Station, Term
from .base import _require_editor


@transaction.atomic
def term_create(
    *, township, actor, number: int, start_date: dt.date, end_date: dt.date | None = None
) -> Term:
    """Open a new term (届) of the township congress."""
    _require_editor(actor, township.pk)
    if Term.objects.filter(township=township, number=number).exists():
        raise ValidationError(_("第%(n)s届已存在。") % {"n": number})
    if end_date and end_date <= start_date:
        raise ValidationError(_("结束日期应晚于开始日期。"))
    term = Term.objects.create(township=township, number=number, start_date=start_date, end_date=end_date)
    audit(actor=actor, action=AuditAction.TERM_CREATE, township=township, obj=term)
    return term


@transaction.atomic
def term_close(*, term: Term, actor, effective_date: dt.date, document_ref: str = "") -> int:
    """届满: every deputy still serving in the term leaves office on ``effective_date`` (one history
    row each). Returns how many deputies it closed."""
    _require_editor(actor, term.township_id)
    if effective_date > timezone.localdate():
        raise ValidationError(_("生效日期不能晚于今天。"))
    if effective_date < term.start_date:
        raise ValidationError(_("生效日期不能早于本届开始日期。"))
    serving = list(
        Deputy.objects.select_for_update(of=("self",)).filter(term=term, status=Deputy.Status.SERVING)
    )
    if not serving:
        raise ValidationError(_("本届已没有在任代表。"))
    Deputy.objects.filter(pk__in=[d.pk for d in serving]).update(
        status=Deputy.Status.TERM_ENDED, status_since=effective_date
    )
    DeputyStatusChange.objects.bulk_create(
        [
            DeputyStatusChange(
                township_id=term.township_id,
                deputy=d,
                from_status=Deputy.Status.SERVING,
                to_status=Deputy.Status.TERM_ENDED,
                effective_date=effective_date,
                document_ref=document_ref.strip(),
                actor=actor,
            )
            for d in serving
        ]
    )
    if term.end_date is None or term.end_date != effective_date:
        Term.objects.filter(pk=term.pk).update(end_date=effective_date)
    audit(actor=actor, action=AuditAction.TERM_CLOSE, township=term.township, obj=term, deputies=len(serving))
    return len(serving)


def _same_person_key(d: Deputy):
    return (d.name, d.birth_date) if d.birth_date else (d.name, d.district_id)


def previous_term(term: Term) -> Term | None:
    return (
        Term.objects.filter(township_id=term.township_id, number__lt=term.number).order_by("-number").first()
    )


@transaction.atomic
def term_change(
    *,
    new_term: Term,
    actor,
    effective_date: dt.date | None = None,
    document_ref: str = "",
    carry_over: bool = True,
) -> dict:
    """换届: the general election produced ``new_term`` (its deputies are on the roster already —
    entered or imported); on ``effective_date``, the new congress's first session, the last term
    ends: its serving deputies' service ends (届满, history kept, records read-only) and the new
    deputies serve from that day. With ``carry_over``, groups, stations and future reception-day
    duty rosters are carried over to the re-elected deputies as a draft to edit (a member who was
    not re-elected leaves; a group whose leader left gets none). Returns what it did."""
    _require_editor(actor, new_term.township_id)
    new_term = Term.objects.select_for_update().get(pk=new_term.pk)
    effective_date = effective_date or new_term.start_date
    if effective_date > timezone.localdate():
        raise ValidationError(_("换届日期（新一届第一次会议开幕日）不能晚于今天；会议召开后再办理换届。"))
    old = previous_term(new_term)
    if old is None:
        raise ValidationError(_("没有上一届，无需换届。"))
    if effective_date < old.start_date:
        raise ValidationError(_("换届日期不能早于上一届开始日期。"))
    new_deputies = list(Deputy.objects.select_for_update(of=("self",)).filter(term=new_term))
    if not new_deputies:
        raise ValidationError(_("新一届还没有代表，请先录入或导入新一届代表名册。"))
    if Term.objects.filter(township_id=new_term.township_id, number__gt=new_term.number).exists():
        raise ValidationError(_("已有更新的届次，不能再办理本届换届。"))
    if Deputy.objects.filter(term=old, status=Deputy.Status.SERVING).exists():
        closed = term_close(term=old, actor=actor, effective_date=effective_date, document_ref=document_ref)
    else:  # closed by hand already (届满)
        closed = 0
        Term.objects.filter(pk=old.pk, end_date__isnull=True).update(end_date=effective_date)
    # The new deputies serve from the first session: their status and its history start that day.
    started = [d.pk for d in new_deputies if d.status == Deputy.Status.SERVING]
    Deputy.objects.filter(pk__in=started).filter(
        Q(status_since__isnull=True) | Q(status_since__lt=effective_date)
    ).update(status_since=effective_date)
    DeputyStatusChange.objects.filter(
        deputy_id__in=started,
        from_status="",
        to_status=Deputy.Status.SERVING,
        effective_date__lt=effective_date,
    ).update(effective_date=effective_date)
    if new_term.start_date != effective_date:
        new_term.start_date = effective_date
        new_term.save(update_fields=["start_date"])
    summary = {"closed": closed, "started": len(started), "groups": 0, "stations": 0, "reception_days": 0}
    if carry_over:
        summary.update(_carry_over(old, new_term, effective_date))
    audit(
        actor=actor,
        action=AuditAction.TERM_CHANGE,
        township=new_term.township,
        obj=new_term,
        old_term=old.pk,
        **summary,
    )
    return summary


def _carry_over(old: Term, new: Term, effective_date: dt.date) -> dict:
    """Groups, stations and future duty rosters move from the last term's deputies to their
    re-elected counterparts (same name and birth date, else same name and district)."""
    newcomers: dict = {}
    for d in Deputy.objects.filter(term=new):
        newcomers.setdefault(_same_person_key(d), []).append(d)
    match = {}
    for d in Deputy.objects.filter(term=old):
        found = newcomers.get(_same_person_key(d), [])
        if len(found) == 1:
            match[d.pk] = found[0]
    groups = set()
    for d in Deputy.objects.filter(term=old, group__isnull=False):
        twin = match.get(d.pk)
        if twin is not None and twin.group_id is None:
            Deputy.objects.filter(pk=twin.pk).update(group_id=d.group_id)
            groups.add(d.group_id)
    for group in DeputyGroup.objects.filter(township_id=new.township_id, leader__term=old):
        twin = match.get(group.leader_id)
        group.leader = twin
        group.save(update_fields=["leader"])
        groups.add(group.pk)
    stations = set()
    through = Station.deputies.through
    rows = through.objects.filter(station__township_id=new.township_id, deputy__term=old)
    links = [
        through(station_id=r.station_id, deputy_id=match[r.deputy_id].pk)
        for r in rows
        if r.deputy_id in match
    ]
    through.objects.bulk_create(links, ignore_conflicts=True)
    stations.update(link.station_id for link in links)
    days = set()
    duty = ReceptionDay.deputies.through
    future = duty.objects.filter(
        receptionday__township_id=new.township_id,
        receptionday__date__gte=effective_date,
        receptionday__status=ReceptionDay.Status.PLANNED,
        deputy__term=old,
    )
    replaced = [(r.pk, r.receptionday_id, r.deputy_id) for r in future]
    duty.objects.filter(pk__in=[pk for pk, _day, _dep in replaced]).delete()
    duty.objects.bulk_create(
        [duty(receptionday_id=day, deputy_id=match[dep].pk) for _pk, day, dep in replaced if dep in match],
        ignore_conflicts=True,
    )
    days.update(day for _pk, day, _dep in replaced)
    return {
        "groups": len(groups),
        "stations": len(stations),
        "reception_days": len(days),
        "re_elected": len(match),
    }
