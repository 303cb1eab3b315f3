"""One suggestion's page (with what the office may record for each person) and its files."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from presidium.models import Role
from presidium.permissions import role_required
from presidium.uploads import serve_upload

from .. import selectors, workflow
from ..models import (
    RECORDED_CHANNELS,
    Channel,
    ContactRecord,
    CoSigner,
    ExtensionStatus,
    Level,
    Rating,
    Status,
    Suggestion,
)
from .actions import DRAFT_KEY, PROXY_ACTIONS
from .common import _visible_or_404


@role_required()
def suggestion_detail(request, pk):
    s = _visible_or_404(request, pk)
    rules = s.township.rules
    actions = set(workflow.available_actions(s, request.user))
    ctx = {
        "s": s,
        "actions": actions,
        "today": timezone.localdate(),
        "events": s.events.select_related("actor", "on_behalf_deputy", "on_behalf_unit"),
        "cosigners": s.cosigners.select_related("deputy"),
        "co_units": s.co_units.select_related("unit"),
        "contacts": s.contacts.all(),
        "replies": (replies := list(s.replies.select_related("unit"))),
        "latest_reply": replies[-1] if replies else None,
        "evaluations": s.evaluations.all(),
        "attachments": s.attachments.all(),
        "outcome_classes": rules.outcome_classes,
        "outcome_labels": {c["code"]: c["label"] for c in rules.outcome_classes},
        "categories": rules.categories,
        "levels": Level.choices,
        "reasons": rules.not_accepted_reasons,
        "ratings": Rating.choices,
        "contact_methods": ContactRecord.Method.choices,
        "my_cosign": selectors.open_invitation(s, request.user) if request.user.role == Role.DEPUTY else None,
        "is_staff": workflow.is_staff_of(request.user, s.township_id),
        "extension_pending": s.extension_status == ExtensionStatus.PENDING,
        "channels": [(v, label) for v, label in Channel.choices if v in RECORDED_CHANNELS],
    }
    if ctx["is_staff"]:
        ctx["proxies"] = _proxy_panels(s, request.user)
    draft = request.session.pop(DRAFT_KEY, None)
    if draft and draft.get("pk") == s.pk:
        ctx["draft"] = draft
    source = s.source if s.source_object_id else None
    if source is not None:
        ctx["source"] = source
        try:
            ctx["source_url"] = source.get_absolute_url() if hasattr(source, "get_absolute_url") else ""
        except Exception:  # a source without a resolvable page is shown as text only
            ctx["source_url"] = ""
    if "assign" in actions:
        ctx["units"] = selectors.assignable_units([s.township_id])
    if "merge" in actions:
        # Only items the office has accepted and still handles can absorb a duplicate.
        ctx["merge_targets"] = selectors.merge_targets(request.user, s)
    return render(request, "suggestions/detail.html", ctx)


def _proxy_panels(s: Suggestion, user) -> list[dict]:
    """For each deputy or unit a step belongs to, what the office may record for them now: the same
    transition table decides, with that person's roles (suggestions.workflow.OnBehalf)."""
    panels = []
    principals = []
    if s.lead_deputy_id:
        principals.append(("deputy", s.lead_deputy))
    if s.lead_unit_id:
        principals.append(("unit", s.lead_unit))
    principals += [("unit", c.unit) for c in s.co_units.select_related("unit") if c.unit_id != s.lead_unit_id]
    for kind, who in principals:
        ob = workflow.OnBehalf(channel=Channel.PAPER, **{kind: who})
        actions = set(workflow.available_actions(s, user, ob))
        if actions & {"rate_satisfied", "rate_basic", "rate_unsatisfied", "rate_unsatisfied_final"}:
            actions.add("rate")
        actions &= set(PROXY_ACTIONS)
        if actions:
            panels.append({"kind": kind, "who": who, "actions": actions})
    if s.status not in (Status.DRAFT, Status.CLOSED, Status.WITHDRAWN, Status.MERGED, Status.NOT_ACCEPTED):
        invited = [
            c.deputy for c in s.cosigners.select_related("deputy") if c.state == CoSigner.State.INVITED
        ]
        for deputy in invited:
            panels.append({"kind": "deputy", "who": deputy, "actions": {"cosign"}})
    return panels


@role_required()
def attachment_download(request, pk, file_pk):
    s = _visible_or_404(request, pk)
    att = selectors.attachment_of(s, file_pk)
    if att is None:
        raise Http404
    return serve_upload(att.file, name=att.name)
