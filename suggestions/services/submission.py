"""A deputy's suggestion: drafting, submitting, withdrawing, and the co-signers' answers."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import Deputy
from presidium.workflow import STALE_MESSAGE

from .. import events, workflow
from ..deadlines import set_due
from ..models import (
    Attachment,
    CoSigner,
    SourceKind,
    Status,
    Suggestion,
)
from .base import (
    _add_files,
    _check_category,
    _check_deputies,
    _check_text,
    _close,
    _transition,
)
from .notices import _notify_recorded


def _create(
    *,
    township,
    title,
    content,
    actor,
    status,
    source_kind,
    lead_deputy=None,
    co_deputies=(),
    category="",
    reasons="",
    solution="",
    during_session=False,
    source=None,
    files=(),
    received_at=None,
    session=None,
    level="",
    originals=(),
    cosigners_confirmed=False,
) -> Suggestion:
    title = _check_text(title, _("标题"), 120)
    content = _check_text(content, _("内容"))
    category = _check_category(township, category)
    if lead_deputy is not None and lead_deputy.township_id != township.pk:
        raise ValidationError(_("领衔代表须为本乡镇代表。"))
    cos = _check_deputies(township, co_deputies, lead_deputy)
    now = timezone.now()
    s = Suggestion(
        township=township,
        title=title,
        content=content,
        reasons=(reasons or "").strip(),
        solution=(solution or "").strip(),
        category=category,
        status=status,
        source_kind=source_kind,
        lead_deputy=lead_deputy,
        created_by=actor if getattr(actor, "pk", None) else None,
        during_session=during_session,
        session=session,
        created_at=now,
    )
    if level:
        s.level = level
    if source is not None:
        s.source_content_type = ContentType.objects.get_for_model(source)
        s.source_object_id = source.pk
    if status == Status.SUBMITTED:
        _set_received(s, received_at or now)
    s.save()
    if cosigners_confirmed:
        # Signatures on a paper form are the co-signers' confirmation.
        CoSigner.objects.bulk_create(
            [CoSigner(suggestion=s, deputy=d, state=CoSigner.State.CONFIRMED, responded_at=now) for d in cos]
        )
    else:
        CoSigner.objects.bulk_create([CoSigner(suggestion=s, deputy=d) for d in cos])
    _add_files(s, files, kind=Attachment.Kind.SUBMISSION, actor=actor)
    _add_files(s, originals, kind=Attachment.Kind.ORIGINAL, actor=actor)
    events.transition(
        suggestion=s,
        actor=actor,
        action="create",
        from_status=Status.DRAFT,
        source_kind=source_kind,
        cosigners=[d.pk for d in cos],
    )
    return s


def _set_received(s: Suggestion, now):
    """Received at ``now``: the assignment clock starts from that day (the working-day rule)."""
    s.submitted_at = now
    # Between sessions the office assigns within N working days; session items go to the
    # assignment meeting (交办会) after the session, so no working-day clock runs for them.
    set_due(
        s,
        "assign_due",
        rules=s.township.rules,
        stage=None if s.during_session else "assign",
        start=timezone.localtime(now).date(),
    )
    s.due_date = s.assign_due


@transaction.atomic
def suggestion_create_by_deputy(
    *,
    deputy: Deputy,
    actor,
    title: str,
    content: str,
    reasons: str = "",
    solution: str = "",
    category: str = "",
    co_deputies=(),
    files=(),
    submit: bool = False,
) -> Suggestion:
    """A deputy's own suggestion from the phone: saved as a private draft, or submitted at once."""
    if deputy.user_id != actor.pk:
        raise PermissionDenied(_("只能以本人名义提出建议。"))
    s = _create(
        township=deputy.township,
        title=title,
        content=content,
        actor=actor,
        status=Status.DRAFT,
        source_kind=SourceKind.ONLINE,
        lead_deputy=deputy,
        co_deputies=co_deputies,
        category=category,
        reasons=reasons,
        solution=solution,
        files=files,
    )
    if submit:
        suggestion_submit(suggestion=s, actor=actor)
    return s


@transaction.atomic
def suggestion_update_draft(
    *,
    suggestion: Suggestion,
    actor,
    title: str,
    content: str,
    reasons: str = "",
    solution: str = "",
    category: str = "",
    co_deputies=(),
    files=(),
) -> Suggestion:
    s = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("lead_deputy", "township")
        .get(pk=suggestion.pk)
    )
    if s.status != Status.DRAFT or not s.lead_deputy or s.lead_deputy.user_id != actor.pk:
        raise PermissionDenied(_("只能修改本人的草稿。"))
    s.title = _check_text(title, _("标题"), 120)
    s.content = _check_text(content, _("内容"))
    s.reasons, s.solution = (reasons or "").strip(), (solution or "").strip()
    s.category = _check_category(s.township, category)
    wanted = _check_deputies(s.township, co_deputies, s.lead_deputy)
    s.save()
    s.cosigners.exclude(deputy__in=wanted).delete()
    existing = set(s.cosigners.values_list("deputy_id", flat=True))
    CoSigner.objects.bulk_create([CoSigner(suggestion=s, deputy=d) for d in wanted if d.pk not in existing])
    _add_files(s, files, kind=Attachment.Kind.SUBMISSION, actor=actor)
    return s


@transaction.atomic
def cosigner_respond(*, suggestion: Suggestion, actor, confirm: bool, on_behalf=None) -> CoSigner:
    """A co-signer confirms (or declines) the lead deputy's invitation; with ``on_behalf`` the office
    records the deputy's answer given on paper, by phone or in person."""
    rows = CoSigner.objects.select_for_update(of=("self",)).filter(suggestion=suggestion)
    if on_behalf is not None:
        if not workflow.is_staff_of(actor, suggestion.township_id):
            raise PermissionDenied(_("只有本乡镇人大办可以代录。"))
        if on_behalf.deputy is None:
            raise PermissionDenied(_("只有联名代表本人可以确认联名。"))
        row = rows.filter(deputy=on_behalf.deputy).first()
        if row is None:
            raise PermissionDenied(_("%(name)s不是这条建议的联名代表。") % {"name": on_behalf.deputy.name})
    else:
        row = rows.filter(deputy__user=actor).first()
    if row is None:
        raise PermissionDenied(_("您不是这条建议的联名代表。"))
    if suggestion.status in (Status.CLOSED, Status.WITHDRAWN, Status.MERGED, Status.NOT_ACCEPTED):
        raise ValidationError(_("建议已结束，不能再确认联名。"))
    if row.state != CoSigner.State.INVITED:
        raise ValidationError(STALE_MESSAGE)
    row.state = CoSigner.State.CONFIRMED if confirm else CoSigner.State.DECLINED
    row.responded_at = timezone.now()
    row.save(update_fields=["state", "responded_at"])
    events.cosign_answered(
        suggestion=suggestion, deputy_id=row.deputy_id, confirmed=confirm, actor=actor, on_behalf=on_behalf
    )
    if on_behalf is not None:
        label = workflow.ACTION_LABELS["cosign" if confirm else "cosign_decline"]
        _notify_recorded(suggestion, on_behalf, str(label))
    return row


@transaction.atomic
def suggestion_submit(*, suggestion, actor, expected_version=None) -> Suggestion:
    def apply(s):
        _set_received(s, timezone.now())

    return _transition(
        suggestion=suggestion, action="submit", actor=actor, expected_version=expected_version, apply=apply
    )


@transaction.atomic
def suggestion_withdraw(
    *, suggestion, actor, reason: str = "", expected_version=None, on_behalf=None
) -> Suggestion:
    def apply(s):
        _close(s)

    return _transition(
        suggestion=suggestion,
        action="withdraw",
        actor=actor,
        expected_version=expected_version,
        comment=reason,
        apply=apply,
        on_behalf=on_behalf,
    )
