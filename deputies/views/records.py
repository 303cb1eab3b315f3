"""Records: voter contacts, trainings, activities, duty reports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from presidium.models import Role
from presidium.permissions import role_required
from presidium.selectors import principal_role
from presidium.viewkit import can_edit, page_of, show_errors

from .. import forms, selectors, services
from ..models import Deputy
from .common import READERS

RECORD_KINDS = {
    "contacts": {
        "title": _("联系选民"),
        "selector": selectors.voter_contacts_visible_to,
        "form": forms.VoterContactForm,
    },
    "trainings": {
        "title": _("学习培训"),
        "selector": selectors.trainings_visible_to,
        "form": forms.TrainingForm,
    },
    "activities": {
        "title": _("代表活动"),
        "selector": selectors.activities_visible_to,
        "form": forms.ActivityForm,
    },
    "duty_reports": {
        "title": _("向选民述职"),
        "selector": selectors.duty_reports_visible_to,
        "form": forms.DutyReportForm,
    },
}


def _record_create(request, kind, form):
    data = dict(form.cleaned_data)
    township = request.user.township
    if kind == "contacts":
        deputy = data.pop("deputy", None) or selectors.deputy_for_user(request.user)
        return services.voter_contact_record(deputy=deputy, actor=request.user, **data)
    if kind == "trainings":
        return services.training_record(township=township, actor=request.user, **data)
    if kind == "activities":
        return services.activity_record(township=township, actor=request.user, **data)
    return services.duty_report_record(actor=request.user, **data)


@role_required(*READERS, Role.DEPUTY)
def records(request, kind):
    conf = RECORD_KINDS[kind]
    qs = conf["selector"](request.user)
    q = request.GET.get("q", "").strip()
    if q:
        text = {
            "contacts": Q(voter_name__icontains=q) | Q(content__icontains=q) | Q(deputy__name__icontains=q),
            "trainings": Q(topic__icontains=q),
            "activities": Q(title__icontains=q),
            "duty_reports": Q(deputy__name__icontains=q),
        }[kind]
        qs = qs.filter(text)
    role = principal_role(request.user)
    own_deputy = selectors.deputy_for_user(request.user) if role == Role.DEPUTY else None
    form = None
    can_add = can_edit(request) or (
        kind == "contacts" and own_deputy is not None and own_deputy.status == Deputy.Status.SERVING
    )
    if can_add:
        township = request.user.township
        form = conf["form"](
            request.POST or None,
            township=township,
            **({"deputy": own_deputy} if own_deputy is not None else {}),
            initial={"date": timezone.localdate()},
        )
        if request.method == "POST" and form.is_valid():
            try:
                _record_create(request, kind, form)
            except ValidationError as exc:
                show_errors(request, exc)
            else:
                messages.success(request, _("已登记。"))
                return redirect(f"deputies:{kind}")
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "deputies/records.html",
        {
            "kind": kind,
            "title": conf["title"],
            "page": page_of(request, qs.order_by("-date", "-pk")),
            "form": form,
            "q": q,
            "can_delete": can_edit(request),
        },
    )


@require_POST
@role_required(Role.STAFF)
def record_delete(request, kind, pk):
    conf = RECORD_KINDS.get(kind)
    if conf is None:
        raise Http404
    obj = get_object_or_404(conf["selector"](request.user), pk=pk)
    services.record_delete(obj=obj, actor=request.user)
    messages.success(request, _("已删除。"))
    return redirect(f"deputies:{kind}")
