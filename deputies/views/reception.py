"""Reception days (接待选民日): plan, register visitors, status."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from presidium.models import Role
from presidium.permissions import role_required
from presidium.viewkit import call_service, can_edit, page_of, show_errors, staff_township

from .. import forms, selectors, services
from ..models import reception_announce_min_days
from .common import READERS


@role_required(*READERS)
def reception_days(request):
    qs = selectors.reception_day_rows(request.user)
    form = None
    if can_edit(request):
        township = staff_township(request)
        form = forms.ReceptionDayForm(request.POST or None, township=township)
        if request.method == "POST" and form.is_valid():
            try:
                day = services.reception_day_plan(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                show_errors(request, exc)
            else:
                messages.success(request, _("已安排接待选民日。"))
                warning = services.reception_day_notice_warning(day)
                if warning:
                    messages.warning(request, warning)
                return redirect("deputies:reception_day_detail", pk=day.pk)
    elif request.method == "POST":
        raise PermissionDenied
    page = page_of(request, qs)
    rules = request.user.county.rules if request.user.county_id else None
    min_days = reception_announce_min_days(rules) if rules else 3
    for day in page:
        day.late_notice = day.announcement_late(min_days)
    return render(
        request, "deputies/reception_days.html", {"page": page, "form": form, "announce_min_days": min_days}
    )


@role_required(*READERS)
def reception_day_detail(request, pk):
    day = get_object_or_404(selectors.reception_days_visible_to(request.user), pk=pk)
    form = forms.VisitorForm(request.POST or None)
    if request.method == "POST":
        if not can_edit(request):
            raise PermissionDenied
        if form.is_valid() and call_service(
            request,
            lambda: services.visitor_register(day=day, actor=request.user, **form.cleaned_data),
            _("已登记来访选民意见。"),
        ):
            return redirect("deputies:reception_day_detail", pk=pk)
    return render(
        request,
        "deputies/reception_day_detail.html",
        {
            "day": day,
            "form": form,
            "can_edit": can_edit(request),
            "duty": day.deputies.order_by("name_pinyin"),
            "visitors": day.opinions.order_by("pk"),
        },
    )


@require_POST
@role_required(Role.STAFF)
def reception_day_status(request, pk):
    day = get_object_or_404(selectors.reception_days_visible_to(request.user), pk=pk)
    try:
        services.reception_day_transition(day=day, action=request.POST.get("action", ""), actor=request.user)
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        messages.success(request, _("接待日状态已更新。"))
    return redirect("deputies:reception_day_detail", pk=pk)
