"""Letters and visits pages: register, list with counts, detail and transitions."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from presidium.models import Role
from presidium.permissions import role_required
from presidium.selectors import can_edit_township
from presidium.viewkit import call_service, page_of, query_year

from .. import forms, selectors, services
from ..models import (
    Petition,
)
from ._common import READERS, STAFF, run_transition

# --- letters and visits -----------------------------------------------------------------------


@role_required(*READERS, Role.UNIT)
def petition_list(request):
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    channel = request.GET.get("channel", "")
    year = query_year(request)
    qs = selectors.petition_list(request.user, q=q, status=status, channel=channel, year=year)
    page = page_of(request, qs.order_by("-received_on", "-pk"))
    return render(
        request,
        "supervision/petition_list.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "channel": channel,
            "year": year or "",
            "counts": selectors.petition_counts(qs),
            "statuses": Petition.Status.choices,
            "channels": Petition.Channel.choices,
            "can_edit": request.user.is_township_staff,
        },
    )


@role_required(*STAFF)
def petition_create(request):
    form = forms.PetitionForm(
        request.POST or None,
        township_id=request.user.township_id,
        initial={"received_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        registered = call_service(
            request,
            lambda: services.petition_register(
                township=request.user.township, actor=request.user, **form.cleaned_data
            ),
            _("信访已登记。"),
        )
        if registered:
            return redirect("supervision:petition_detail", pk=registered.value.pk)
    return render(request, "supervision/petition_form.html", {"form": form})


@role_required(*READERS, Role.UNIT)
def petition_detail(request, pk):
    petition = get_object_or_404(selectors.petitions_visible_to(request.user), pk=pk)
    editable = can_edit_township(request.user, petition.township_id)
    table = services.PETITION_TRANSITIONS
    actions = [(a, table.label(a)) for a in table.actions_from(petition.status)]
    return render(
        request,
        "supervision/petition_detail.html",
        {
            "petition": petition,
            "editable": editable,
            "actions": actions if editable else [],
            "events": petition.events.select_related("actor"),
            "form": forms.PetitionActionForm(
                township_id=petition.township_id, initial={"version": petition.version}
            ),
        },
    )


@require_POST
@role_required(*STAFF)
def petition_act(request, pk):
    petition = get_object_or_404(selectors.petitions_visible_to(request.user), pk=pk)
    form = forms.PetitionActionForm(request.POST, township_id=petition.township_id)
    run_transition(
        request,
        form,
        services.PETITION_TRANSITIONS,
        services.petition_transition,
        petition=petition,
        fields=("unit", "forwarded_to", "result"),
    )
    return redirect("supervision:petition_detail", pk=petition.pk)
