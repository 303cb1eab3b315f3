"""The roster: add and edit deputies, and the status workflow (leaving office is final)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from presidium.models import AuditAction
from presidium.services import audit
from presidium.workflow import STALE_MESSAGE, TransitionTable

from ..models import ROSTER_FIELDS, Deputy, DeputyStatusChange, ElectoralDistrict
from .base import _require_editor, _same_township

# Deputy status workflow: a serving deputy leaves office in one of these ways; leaving is final
# (a by-election or the next term creates a new roster record).
STATUS_TRANSITIONS = TransitionTable.moves(
    {
        Deputy.Status.SERVING: (
            Deputy.Status.RESIGNED,
            Deputy.Status.RECALLED,
            Deputy.Status.DIED,
            Deputy.Status.MOVED,
            Deputy.Status.TERM_ENDED,
        ),
    },
    roles=("staff",),
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
        action=AuditAction.DEPUTY_BY_ELECTION if by_election else AuditAction.DEPUTY_CREATE,
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
    audit(actor=actor, action=AuditAction.DEPUTY_UPDATE, township=deputy.township, obj=deputy, fields=changed)
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
        raise ValidationError(STALE_MESSAGE)
    if to_status not in STATUS_TRANSITIONS.targets(locked.status):
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
