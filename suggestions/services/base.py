"""The one gate every workflow action passes (:func:`_transition`: lock, table, guard, version,
event, notices) and the small checks the writes share."""

import datetime as dt
from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import Deputy
from presidium.models import Township
from presidium.workflow import STALE_MESSAGE

from .. import events, workflow
from ..attachments import validate_upload
from ..models import (
    Attachment,
    Suggestion,
)
from .notices import _notify, _notify_recorded


def _today() -> dt.date:
    return timezone.localdate()


def _close(s: Suggestion) -> None:
    """The item ends here (不予立案, 并案, 撤回, 满意 …): nothing is due any more."""
    s.closed_at = timezone.now()
    s.due_date = None


def _check_text(value: str, label: str, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("请填写%(label)s。") % {"label": label})
    if max_length and len(value) > max_length:
        raise ValidationError(_("%(label)s不能超过%(n)s个字。") % {"label": label, "n": max_length})
    return value


def _check_category(township: Township, category: str) -> str:
    category = (category or "").strip()
    if category and category not in township.rules.categories:
        raise ValidationError(_("分类“%(c)s”不在本县的建议分类中。") % {"c": category})
    return category


def _check_deputies(township: Township, deputies: Iterable, lead: Deputy | None) -> list[Deputy]:
    out = []
    for d in deputies or ():
        if d.township_id != township.pk:
            raise ValidationError(_("联名代表须为本乡镇代表。"))
        if lead is not None and d.pk == lead.pk:
            continue
        if d.pk not in {x.pk for x in out}:
            out.append(d)
    return out


def _add_files(suggestion, files, *, kind, actor):
    for upload in files or ():
        content_type = validate_upload(upload)
        Attachment.objects.create(
            suggestion=suggestion,
            kind=kind,
            file=upload,
            name=upload.name[:120],
            content_type=content_type,
            size=upload.size,
            uploaded_by=actor,
        )


def _transition(
    *,
    suggestion: Suggestion,
    action: str,
    actor,
    expected_version: int | None = None,
    comment: str = "",
    apply: Callable | None = None,
    extra: dict | None = None,
    on_behalf: workflow.OnBehalf | None = None,
) -> Suggestion:
    """Lock the row, check the table and the guard, apply the change, bump the version, log the event.

    ``expected_version`` is the version the user saw when the page was rendered; a mismatch (or a
    status that no longer allows the action because someone else moved the item) means another
    person acted first: the loser gets a clear "reload" message and nothing changes.

    ``on_behalf`` (代录): staff record the step for the deputy or unit it belongs to; the table is
    checked with that person's roles, the event names them and the channel, and they are told."""
    locked = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("township__county", "lead_deputy")
        .get(pk=suggestion.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(STALE_MESSAGE)
    transition, reason, kind = workflow.check(locked, action, actor, on_behalf)
    if transition is None:
        if kind == workflow.FORBIDDEN:
            raise PermissionDenied(reason)
        if locked.status != suggestion.status or locked.version != suggestion.version:
            raise ValidationError(STALE_MESSAGE)
        raise ValidationError(reason)
    from_status = locked.status
    more = apply(locked) if apply else None
    locked.status = transition.to
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db(fields=["version"])
    events.transition(
        suggestion=locked,
        actor=actor,
        action=action,
        from_status=from_status,
        comment=comment,
        on_behalf=on_behalf,
        **(extra or {}),
        **(more or {}),
    )
    _notify(locked, action, comment, actor=actor, from_status=from_status)
    if on_behalf is not None:
        _notify_recorded(locked, on_behalf, str(transition.label or action))
    suggestion.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked
