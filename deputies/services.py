"""Writes of the deputies app. Keyword-only, atomic, with the acting user; workflow steps write an
event row (DeputyStatusChange, VoterOpinionEvent) and other writes an audit entry."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presidium.models import HandlingUnit
from presidium.selectors import can_edit_township
from presidium.services import audit

from .models import (
    Activity,
    Deputy,
    DeputyGroup,
    DeputyStatusChange,
    DutyReport,
    ElectoralDistrict,
    ReceptionDay,
    Station,
    Term,
    Training,
    VoterContact,
    VoterOpinion,
    VoterOpinionEvent,
    reception_announce_min_days,
)

STALE = gettext_lazy("已被他人修改，请刷新后重试。")

# Deputy status workflow: a serving deputy leaves office in one of these ways; leaving is final
# (a by-election or the next term creates a new roster record).
STATUS_TRANSITIONS = {
    Deputy.Status.SERVING: {
        Deputy.Status.RESIGNED,
        Deputy.Status.RECALLED,
        Deputy.Status.DIED,
        Deputy.Status.MOVED,
        Deputy.Status.TERM_ENDED,
    },
}

# Reception day workflow.
RECEPTION_TRANSITIONS = {
    (ReceptionDay.Status.PLANNED, "hold"): ReceptionDay.Status.HELD,
    (ReceptionDay.Status.PLANNED, "cancel"): ReceptionDay.Status.CANCELLED,
}

# Voter opinion workflow: (status, action) → new status.
OPINION_TRANSITIONS = {
    (VoterOpinion.Status.OPEN, "forward"): VoterOpinion.Status.FORWARDED,
    (VoterOpinion.Status.OPEN, "close"): VoterOpinion.Status.CLOSED,
    (VoterOpinion.Status.OPEN, "convert"): VoterOpinion.Status.CONVERTED,
    (VoterOpinion.Status.FORWARDED, "reply"): VoterOpinion.Status.CLOSED,
    (VoterOpinion.Status.FORWARDED, "close"): VoterOpinion.Status.CLOSED,
    (VoterOpinion.Status.FORWARDED, "convert"): VoterOpinion.Status.CONVERTED,
    # A message left through a deputy's own code (代表码): the deputy answers it, or hands it to
    # the office (it stays open for staff to forward, close or turn into a suggestion).
    (VoterOpinion.Status.OPEN, "answer"): VoterOpinion.Status.CLOSED,
    (VoterOpinion.Status.OPEN, "hand_over"): VoterOpinion.Status.OPEN,
}
# Actions only the deputy a message is addressed to may take.
DEPUTY_OPINION_ACTIONS = ("answer", "hand_over")
OPINION_ACTION_LABELS = {
    "register": gettext_lazy("登记"),
    "forward": gettext_lazy("转办"),
    "close": gettext_lazy("办结"),
    "convert": gettext_lazy("转为建议"),
    "reply": gettext_lazy("单位答复"),
    "answer": gettext_lazy("代表答复"),
    "hand_over": gettext_lazy("代表转交人大办"),
}


def _require_editor(actor, township_id):
    if not can_edit_township(actor, township_id):
        raise PermissionDenied(_("您无权修改该乡镇的数据。"))


def _same_township(objs, township_id, message):
    for obj in objs:
        if obj is not None and obj.township_id != township_id:
            raise ValidationError(message)


# --- Roster ---------------------------------------------------------------------------------------

ROSTER_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "party",
    "education",
    "occupation",
    "district",
    "group",
    "certificate_no",
    "phone",
    "workplace",
    "level",
    "is_reelected",
)


def _save_roster_row(deputy: Deputy) -> None:
    """Save, turning a uniqueness race lost to a concurrent save (full_clean passed in both
    transactions) into the same clear message instead of a database error."""
    try:
        with transaction.atomic():
            deputy.save()
    except IntegrityError as exc:
        raise ValidationError({"certificate_no": _("代表证号在本届已被使用，请核对。")}) from exc


def district_vacancies(district: ElectoralDistrict) -> int:
    serving = Deputy.objects.filter(district=district, level=Deputy.Level.TOWNSHIP).serving().count()
    return max(district.seats - serving, 0)


@transaction.atomic
def deputy_create(
    *,
    township,
    term,
    actor,
    fields: dict,
    effective_date: dt.date | None = None,
    by_election: bool = False,
    document_ref: str = "",
) -> Deputy:
    """Add a deputy to the roster (elected, or by-elected into a vacant seat of a district)."""
    _require_editor(actor, township.pk)
    if term.township_id != township.pk:
        raise ValidationError(_("届次不属于本乡镇。"))
    _same_township(
        [fields.get("district"), fields.get("group")], township.pk, _("选区或代表小组不属于本乡镇。")
    )
    if by_election:
        district = fields.get("district")
        if district is None:
            raise ValidationError(_("补选代表必须指定选区。"))
        district = ElectoralDistrict.objects.select_for_update().get(pk=district.pk)
        if district_vacancies(district) < 1:
            raise ValidationError(_("该选区没有缺额，不能补选。"))
    deputy = Deputy(
        township=township,
        term=term,
        status=Deputy.Status.SERVING,
        status_since=effective_date or timezone.localdate(),
        **{k: v for k, v in fields.items() if k in ROSTER_FIELDS},
    )
    deputy.fill_pinyin()
    deputy.full_clean()
    _save_roster_row(deputy)
    DeputyStatusChange.objects.create(
        township=township,
        deputy=deputy,
        from_status="",
        to_status=Deputy.Status.SERVING,
        is_by_election=by_election,
        effective_date=deputy.status_since,
        document_ref=document_ref,
        actor=actor,
    )
    audit(
        actor=actor,
        action="deputy.by_election" if by_election else "deputy.create",
        township=township,
        obj=deputy,
    )
    return deputy


@transaction.atomic
def deputy_update(*, deputy: Deputy, actor, fields: dict) -> Deputy:
    """Edit roster fields (not the status: that goes through :func:`deputy_change_status`)."""
    _require_editor(actor, deputy.township_id)
    _same_township(
        [fields.get("district"), fields.get("group")], deputy.township_id, _("选区或代表小组不属于本乡镇。")
    )
    deputy = Deputy.objects.select_for_update(of=("self",)).get(pk=deputy.pk)
    if deputy.status == Deputy.Status.TERM_ENDED:
        raise ValidationError(_("往届代表的档案只读，不能修改。"))
    changed = []
    for key, value in fields.items():
        if key in ROSTER_FIELDS and getattr(deputy, key) != value:
            setattr(deputy, key, value)
            changed.append(key)
    if "name" in changed:
        deputy.fill_pinyin()
    if "party" in changed and deputy.party != Deputy.Party.DEMOCRATIC and deputy.party_name:
        deputy.party_name = ""  # the party as the roster wrote it no longer describes the deputy
    deputy.full_clean()
    _save_roster_row(deputy)
    audit(actor=actor, action="deputy.update", township=deputy.township, obj=deputy, fields=changed)
    return deputy


@transaction.atomic
def deputy_change_status(
    *,
    deputy: Deputy,
    to_status: str,
    effective_date: dt.date,
    actor,
    document_ref: str = "",
    note: str = "",
    expected_status: str | None = None,
    accepted_by_congress: bool = False,
) -> Deputy:
    """Record that a deputy resigned, was recalled, died, moved away or that the term ended.

    A township deputy's resignation takes effect only when the township congress accepts it by a
    majority of all deputies (代表法 art. 49): the presidium may only propose it, so it is recorded
    by the congress vote (``congress.services.vote_record`` on a resignation agenda item, which
    passes ``accepted_by_congress``), never directly."""
    _require_editor(actor, deputy.township_id)
    locked = Deputy.objects.select_for_update(of=("self",)).get(pk=deputy.pk)
    if (
        to_status == Deputy.Status.RESIGNED
        and locked.level == Deputy.Level.TOWNSHIP
        and not accepted_by_congress
    ):
        raise ValidationError(
            _(
                "乡镇人大代表辞职须由人民代表大会过半数代表表决接受（代表法第四十九条），主席团只能提请；"
                "请在人代会议程中添加“接受代表辞职”并表决。"
            )
        )
    if expected_status is not None and locked.status != expected_status:
        raise ValidationError(STALE)
    if to_status not in STATUS_TRANSITIONS.get(locked.status, set()):
        raise ValidationError(
            _("代表当前状态为“%(s)s”，不能变更为“%(t)s”。")
            % {
                "s": locked.get_status_display(),
                "t": Deputy.Status(to_status).label if to_status in Deputy.Status.values else to_status,
            }
        )
    if effective_date > timezone.localdate():
        raise ValidationError(_("生效日期不能晚于今天。"))
    if locked.status_since and effective_date < locked.status_since:
        raise ValidationError(_("生效日期不能早于上一次状态变动日期。"))
    from_status = locked.status
    locked.status = to_status
    locked.status_since = effective_date
    locked.save(update_fields=["status", "status_since"])
    DeputyStatusChange.objects.create(
        township_id=locked.township_id,
        deputy=locked,
        from_status=from_status,
        to_status=to_status,
        effective_date=effective_date,
        document_ref=document_ref.strip(),
        note=note.strip(),
        actor=actor,
    )
    return locked


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
    audit(actor=actor, action="term.create", township=township, obj=term)
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
    audit(actor=actor, action="term.close", township=term.township, obj=term, deputies=len(serving))
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
        action="term.change",
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


# --- Districts, groups, stations --------------------------------------------------------------------


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
    audit(actor=actor, action="district.save", township=township, obj=district, seats=seats)
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
    audit(actor=actor, action="group.save", township=township, obj=group, members=len(members))
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
    audit(actor=actor, action="station.save", township=township, obj=station)
    return station


# --- The three systems ------------------------------------------------------------------------------


@transaction.atomic
def voter_contact_record(
    *, deputy: Deputy, actor, voter_name: str, date: dt.date, way: str, content: str = ""
) -> VoterContact:
    """A deputy's contact with a voter; recorded by the office or by the deputy themself."""
    own = getattr(deputy, "user_id", None) and deputy.user_id == getattr(actor, "pk", None)
    if not own:
        _require_editor(actor, deputy.township_id)
    if date > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天。"))
    contact = VoterContact(
        township_id=deputy.township_id,
        deputy=deputy,
        voter_name=voter_name.strip(),
        date=date,
        way=way,
        content=content.strip(),
        created_by=actor,
    )
    contact.full_clean()
    contact.save()
    return contact


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
    audit(actor=actor, action="reception_day.plan", township=station.township, obj=day)
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
        raise ValidationError(STALE)
    target = RECEPTION_TRANSITIONS.get((locked.status, action))
    if target is None:
        raise ValidationError(_("当前状态下不能执行该操作。"))
    if target == ReceptionDay.Status.HELD and locked.date > timezone.localdate():
        raise ValidationError(_("接待日期未到，不能标记为已接待。"))
    locked.status = target
    locked.save(update_fields=["status"])
    audit(actor=actor, action=f"reception_day.{action}", township=locked.station.township, obj=locked)
    return locked


def _opinion_event(opinion, *, actor, action, from_status, comment="", **extra):
    VoterOpinionEvent.objects.create(
        opinion=opinion,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        from_status=from_status,
        to_status=opinion.status,
        comment=comment,
        extra=extra,
    )


@transaction.atomic
def visitor_register(
    *,
    day: ReceptionDay,
    actor,
    content: str,
    voter_name: str = "",
    voter_phone: str = "",
    voter_address: str = "",
) -> VoterOpinion:
    """Register a visitor's issue on a reception day (选民意见转办卡): it becomes a voter opinion."""
    _require_editor(actor, day.township_id)
    if day.status == ReceptionDay.Status.CANCELLED:
        raise ValidationError(_("该接待日已取消，不能登记来访选民。"))
    opinion = VoterOpinion(
        township_id=day.township_id,
        source=VoterOpinion.Source.RECEPTION,
        station=day.station,
        reception_day=day,
        voter_name=voter_name.strip(),
        voter_phone=voter_phone.strip(),
        voter_address=voter_address.strip(),
        content=content.strip(),
        received_on=day.date,
    )
    opinion.full_clean()
    opinion.save()
    _opinion_event(opinion, actor=actor, action="register", from_status="")
    if day.status == ReceptionDay.Status.PLANNED and day.date <= timezone.localdate():
        # Visitors were received: the day was held (saves the office a second click).
        updated = ReceptionDay.objects.filter(pk=day.pk, status=ReceptionDay.Status.PLANNED).update(
            status=ReceptionDay.Status.HELD
        )
        if updated:
            day.status = ReceptionDay.Status.HELD
            audit(actor=actor, action="reception_day.hold", township=day.station.township, obj=day)
    return opinion


@transaction.atomic
def voter_message_submit(
    *, station: Station, content: str, voter_name: str = "", voter_phone: str = ""
) -> VoterOpinion:
    """A voter's message left through a station's QR code (no login)."""
    if not station.is_active:
        raise ValidationError(_("该联络站暂停接收留言。"))
    opinion = VoterOpinion(
        township_id=station.township_id,
        source=VoterOpinion.Source.QR,
        station=station,
        voter_name=voter_name.strip(),
        voter_phone=voter_phone.strip(),
        content=content.strip(),
        received_on=timezone.localdate(),
    )
    opinion.full_clean()
    opinion.save()
    _opinion_event(opinion, actor=None, action="register", from_status="")
    _notify_new_message(opinion)
    return opinion


@transaction.atomic
def voter_opinion_act(
    *,
    opinion: VoterOpinion,
    action: str,
    actor,
    expected_status: str,
    comment: str = "",
    unit: HandlingUnit | None = None,
    category: str = "",
    title: str = "",
    lead_deputy: Deputy | None = None,
) -> VoterOpinion:
    """Move a voter opinion along its workflow: forward to a unit, close, turn into a suggestion, or
    (for the unit it was forwarded to) reply, which closes it. A suggestion made from an opinion is
    carried by a deputy: ``lead_deputy`` (a serving deputy of the township, usually one of the
    station's) is required for "convert"."""
    locked = VoterOpinion.objects.select_for_update(of=("self",)).get(pk=opinion.pk)
    if action == "reply":
        if not (getattr(actor, "unit_id", None) and actor.unit_id == locked.unit_id):
            raise PermissionDenied(_("只有被转办的单位可以答复。"))
    elif action in DEPUTY_OPINION_ACTIONS:
        if not (
            locked.deputy_id
            and getattr(actor, "pk", None)
            and Deputy.objects.filter(pk=locked.deputy_id, user_id=actor.pk).exists()
        ):
            raise PermissionDenied(_("只有留言对象代表本人可以答复或转交。"))
        if locked.responded_at is not None and locked.status == VoterOpinion.Status.OPEN:
            raise ValidationError(_("这条留言已转交人大办处理。"))
    else:
        _require_editor(actor, locked.township_id)
    if locked.status != expected_status:
        raise ValidationError(STALE)
    target = OPINION_TRANSITIONS.get((locked.status, action))
    if target is None:
        raise ValidationError(
            _("选民意见当前状态为“%(s)s”，不能执行该操作。") % {"s": locked.get_status_display()}
        )
    comment = (comment or "").strip()
    extra = {}
    if action == "forward":
        if unit is None or unit.township_id != locked.township_id or not unit.is_active:
            raise ValidationError(_("请选择本乡镇的承办单位。"))
        locked.unit = unit
        extra["unit"] = unit.name
    elif action in ("close", "reply", "answer"):
        if not comment:
            raise ValidationError(_("请填写处理结果。") if action != "answer" else _("请填写给选民的答复。"))
        locked.result = comment
    elif action == "convert":
        try:
            from suggestions.services import suggestion_create_from_source
        except ImportError as exc:
            raise ValidationError(_("建议模块尚未就绪，暂不能转为建议。")) from exc
        if lead_deputy is None:
            raise ValidationError(_("转为建议须指定领衔代表（由哪位代表提出这条建议）。"))
        if lead_deputy.township_id != locked.township_id or not lead_deputy.is_serving:
            raise ValidationError(_("领衔代表须为本乡镇在任代表。"))
        title = (title or "").strip() or locked.content.strip().splitlines()[0][:40]
        suggestion = suggestion_create_from_source(
            source=locked,
            township=locked.township,
            title=title,
            content=locked.content,
            actor=actor,
            category=category,
            lead_deputy=lead_deputy,
        )
        extra["suggestion_id"] = suggestion.pk
        extra["lead_deputy"] = lead_deputy.name
    if action in DEPUTY_OPINION_ACTIONS and locked.responded_at is None:
        locked.responded_at = timezone.now()
    from_status = locked.status
    locked.status = target
    locked.save()
    _opinion_event(locked, actor=actor, action=action, from_status=from_status, comment=comment, **extra)
    if action == "forward":
        _notify_unit(locked)
    elif action == "hand_over":
        _notify_handed_over(locked)
    return locked


def deputy_code_token(*, deputy: Deputy) -> str:
    """The deputy's 代表码 token, created on first use (rows from bulk imports have none yet)."""
    import secrets

    if not deputy.public_token:
        token = secrets.token_urlsafe(12)
        Deputy.objects.filter(pk=deputy.pk, public_token__isnull=True).update(public_token=token)
        deputy.public_token = Deputy.objects.filter(pk=deputy.pk).values_list("public_token", flat=True).get()
    return deputy.public_token


@transaction.atomic
def deputy_message_submit(
    *, deputy: Deputy, content: str, voter_name: str = "", voter_phone: str = ""
) -> VoterOpinion:
    """A voter's message left through a deputy's personal code (no login). Registered like a
    station message (a voter opinion), addressed to the deputy, who is told at once."""
    if deputy.status != Deputy.Status.SERVING:
        raise ValidationError(_("这位代表目前不在任，暂不接收留言。"))
    opinion = VoterOpinion(
        township_id=deputy.township_id,
        source=VoterOpinion.Source.DEPUTY_CODE,
        deputy=deputy,
        voter_name=voter_name.strip(),
        voter_phone=voter_phone.strip(),
        content=content.strip(),
        received_on=timezone.localdate(),
    )
    opinion.full_clean()
    opinion.save()
    _opinion_event(opinion, actor=None, action="register", from_status="")
    _notify_deputy_message(opinion)
    return opinion


def _notify_new_message(opinion):
    """The station's deputies and the township's presidium staff see a voter's QR message in their
    inbox (in-app only: a public form must not trigger SMS at will)."""

    def send():
        try:
            from notifications.services import notify
        except ImportError:
            return
        from django.urls import reverse

        from presidium.models import Role, User

        recipients = list(
            User.objects.filter(is_active=True)
            .filter(
                Q(role=Role.STAFF, township_id=opinion.township_id)
                | Q(
                    role=Role.DEPUTY,
                    deputy__stations=opinion.station_id,
                    deputy__status=Deputy.Status.SERVING,
                )
            )
            .distinct()
        )
        notify(
            recipients=recipients,
            verb="voter_opinion.new",
            title=_("%(s)s收到选民留言") % {"s": opinion.station},
            body=opinion.content[:200],
            obj=opinion,
            url=reverse("deputies:opinion_detail", kwargs={"pk": opinion.pk}),
            channels=[],
            dedupe_key=f"voter_opinion.new:{opinion.pk}",
        )

    transaction.on_commit(send)


def _notify_deputy_message(opinion):
    """The addressed deputy sees the message in their inbox at once (in-app only, as for station
    messages: a public form must not trigger SMS at will)."""

    def send():
        from django.urls import reverse

        from notifications.services import notify
        from presidium.models import User

        notify(
            recipients=list(User.objects.filter(is_active=True, deputy=opinion.deputy_id)),
            verb="voter_opinion.deputy_code",
            title=_("选民通过代表码给您留言，请答复或转交人大办"),
            body=opinion.content[:200],
            obj=opinion,
            url=reverse("deputies:opinion_detail", kwargs={"pk": opinion.pk}),
            channels=[],
            dedupe_key=f"voter_opinion.deputy_code:{opinion.pk}",
        )

    transaction.on_commit(send)


def _notify_handed_over(opinion):
    """The township's staff take over a message a deputy handed to the office."""

    def send():
        from django.urls import reverse

        from notifications.services import notify
        from presidium.models import Role, User

        notify(
            recipients=list(
                User.objects.filter(is_active=True, role=Role.STAFF, township_id=opinion.township_id)
            ),
            verb="voter_opinion.hand_over",
            title=_("%(name)s代表转交了一条选民留言，请处理") % {"name": opinion.deputy.name},
            body=opinion.content[:200],
            obj=opinion,
            url=reverse("deputies:opinion_detail", kwargs={"pk": opinion.pk}),
            dedupe_key=f"voter_opinion.hand_over:{opinion.pk}",
        )

    transaction.on_commit(send)


def _notify_unit(opinion):
    """Tell the unit's officers (in-app) once the forward is committed, if notifications exist."""

    def send():
        try:
            from notifications.services import notify
        except ImportError:
            return
        from django.urls import reverse

        from presidium.models import Role, User

        officers = list(User.objects.filter(unit_id=opinion.unit_id, role=Role.UNIT, is_active=True))
        if officers:
            notify(
                recipients=officers,
                verb="voter_opinion.forwarded",
                title=_("收到转办的选民意见"),
                body=opinion.content[:200],
                obj=opinion,
                url=reverse("deputies:opinion_detail", kwargs={"pk": opinion.pk}),
                dedupe_key=f"voter_opinion.forwarded:{opinion.pk}",
            )

    transaction.on_commit(send)


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
    if date > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天。"))
    report = DutyReport(
        township_id=deputy.township_id,
        deputy=deputy,
        date=date,
        form=form,
        voters_present=voters_present,
        satisfied=satisfied,
        basically_satisfied=basically_satisfied,
        unsatisfied=unsatisfied,
        summary=summary.strip(),
        created_by=actor,
    )
    report.full_clean()
    report.save()
    audit(actor=actor, action="duty_report.record", township=deputy.township, obj=report)
    return report


@transaction.atomic
def training_record(*, township, actor, topic: str, date: dt.date, hours, attendees=()) -> Training:
    _require_editor(actor, township.pk)
    attendees = list(attendees)
    _same_township(attendees, township.pk, _("参训代表不属于本乡镇。"))
    training = Training(township=township, topic=topic.strip(), date=date, hours=hours, created_by=actor)
    training.full_clean()
    training.save()
    training.attendees.set(attendees)
    audit(actor=actor, action="training.record", township=township, obj=training, attendees=len(attendees))
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
    activity = Activity(
        township=township,
        kind=kind,
        title=title.strip(),
        date=date,
        group=group,
        note=note.strip(),
        created_by=actor,
    )
    activity.full_clean()
    activity.save()
    activity.deputies.set(deputies)
    audit(actor=actor, action="activity.record", township=township, obj=activity)
    return activity


@transaction.atomic
def record_delete(*, obj, actor):
    """Delete a mistaken record (contact, training, activity, duty report); audited."""
    _require_editor(actor, obj.township_id)
    label = f"{obj._meta.verbose_name}：{obj}"
    township = obj.township
    obj.delete()
    audit(actor=actor, action=f"{obj._meta.model_name}.delete", township=township, obj=label)
