"""Rectification pages: list (overdue visible), detail with the allowed actions, evidence, ledger export."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from presidium.models import Role
from presidium.permissions import role_required
from presidium.viewkit import page_of

from .. import forms, selectors, services
from ..models import (
    Rectification,
)
from ._common import _file_response, run_transition

# --- rectification -------------------------------------------------------------------------


@role_required(Role.STAFF, Role.COUNTY, Role.UNIT)
def rectification_list(request):
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    qs = selectors.rectification_list(request.user, status=status, overdue=overdue, q=q)
    page = page_of(request, qs.order_by("deadline", "pk"))
    return render(
        request,
        "supervision/rectification_list.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "overdue": overdue,
            "today": timezone.localdate(),
            "statuses": Rectification.Status.choices,
            "counts": selectors.rectification_counts(request.user),
        },
    )


@role_required(Role.STAFF, Role.COUNTY, Role.UNIT)
def rectification_detail(request, pk):
    rect = get_object_or_404(selectors.rectifications_visible_to(request.user), pk=pk)
    actions = services.rectification_actions_for(rect, request.user)
    return render(
        request,
        "supervision/rectification_detail.html",
        {
            "rect": rect,
            "actions": [(a, services.RECTIFICATION_TRANSITIONS.label(a)) for a in actions],
            "events": rect.events.select_related("actor").prefetch_related("evidence"),
            "form": forms.RectificationActionForm(initial={"version": rect.version}),
            "overdue": rect.is_overdue(),
            "today": timezone.localdate(),
        },
    )


@require_POST
@role_required(Role.STAFF, Role.UNIT)
def rectification_act(request, pk):
    rect = get_object_or_404(selectors.rectifications_visible_to(request.user), pk=pk)
    form = forms.RectificationActionForm(request.POST, request.FILES)
    run_transition(
        request,
        form,
        services.RECTIFICATION_TRANSITIONS,
        services.rectification_transition,
        rectification=rect,
        fields=("files", "new_deadline"),
    )
    return redirect("supervision:rectification_detail", pk=rect.pk)


@role_required(Role.STAFF, Role.COUNTY, Role.UNIT)
def evidence_download(request, pk):
    ev = get_object_or_404(selectors.evidence_visible_to(request.user), pk=pk)
    return _file_response(ev.file, ev.name)


@role_required(Role.STAFF, Role.COUNTY, Role.UNIT)
def rectification_export(request):
    """整改台账 as Excel, with the list's filters; a unit gets only its own items."""
    from ..exports import rectification_ledger_xlsx

    qs = selectors.rectification_list(
        request.user,
        status=request.GET.get("status", ""),
        overdue=request.GET.get("overdue") == "1",
        q=request.GET.get("q", "").strip(),
    )
    return rectification_ledger_xlsx(qs.order_by("township_id", "deadline", "pk"), today=timezone.localdate())
