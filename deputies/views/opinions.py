"""Voter opinions: list, detail and the actions on one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presidium.models import Role
from presidium.permissions import role_required
from presidium.selectors import principal_role
from presidium.viewkit import page_of, show_errors
from suggestions.selectors import suggestion_from_source

from .. import forms, selectors, services
from ..models import VoterOpinion
from .common import READERS


@role_required(*READERS, Role.UNIT, Role.DEPUTY)
def opinions(request):
    qs = selectors.voter_opinions_visible_to(request.user)
    status = request.GET.get("status", "")
    source = request.GET.get("source", "")
    q = request.GET.get("q", "").strip()
    if status in VoterOpinion.Status.values:
        qs = qs.filter(status=status)
    if source in VoterOpinion.Source.values:
        qs = qs.filter(source=source)
    if q:
        qs = qs.filter(Q(content__icontains=q) | Q(voter_name__icontains=q))
    return render(
        request,
        "deputies/opinions.html",
        {
            "page": page_of(request, qs.order_by("-received_on", "-pk")),
            "status": status,
            "source": source,
            "q": q,
            "statuses": VoterOpinion.Status.choices,
            "sources": VoterOpinion.Source.choices,
        },
    )


def _lead_choices(opinion, deputies):
    """The deputies who may carry a suggestion made from this opinion: the addressed deputy (a
    message left through their code), the station's or the reception day's serving deputies first,
    then the rest of the township's."""
    first = {opinion.deputy_id} if opinion.deputy_id else set()
    if opinion.station_id:
        first |= set(opinion.station.deputies.values_list("pk", flat=True))
    if opinion.reception_day_id:
        first |= set(opinion.reception_day.deputies.values_list("pk", flat=True))
    deputies = list(deputies)
    return [d for d in deputies if d.pk in first], [d for d in deputies if d.pk not in first]


# After each action on a voter opinion: what happens next.
OPINION_DONE_MESSAGES = {
    "forward": gettext_lazy("已转办，承办单位会收到通知，答复后自动办结。"),
    "close": gettext_lazy("已办结，处理结果已记录。"),
    "convert": gettext_lazy("已转为建议，将按建议流程审查、交办。"),
    "reply": gettext_lazy("答复已提交，这条选民意见已办结。"),
    "answer": gettext_lazy("答复已记录，这条留言已办结。"),
    "hand_over": gettext_lazy("已转交人大办，人大办会转办或答复选民。"),
}


@role_required(*READERS, Role.UNIT, Role.DEPUTY)
def opinion_detail(request, pk):
    opinion = get_object_or_404(selectors.voter_opinions_visible_to(request.user), pk=pk)
    form = forms.OpinionActionForm(
        request.POST or None, township_id=opinion.township_id, initial={"expected_status": opinion.status}
    )
    if request.method == "POST":
        role = principal_role(request.user)
        if role == Role.COUNTY or (
            role == Role.DEPUTY and request.POST.get("action") not in services.DEPUTY_OPINION_ACTIONS
        ):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.voter_opinion_act(
                    opinion=opinion,
                    action=data["action"],
                    actor=request.user,
                    expected_status=data["expected_status"],
                    comment=data["comment"],
                    unit=data["unit"],
                    category=data["category"],
                    title=data["title"],
                    lead_deputy=data["lead_deputy"],
                )
            except (ValidationError, PermissionDenied) as exc:
                show_errors(request, exc)
            else:
                messages.success(request, str(OPINION_DONE_MESSAGES.get(data["action"], _("已保存。"))))
                return redirect("deputies:opinion_detail", pk=pk)
        else:
            messages.error(request, _("提交的内容不完整，请重试。"))
    role = principal_role(request.user)
    suggestion = (
        suggestion_from_source(request.user, opinion)
        if opinion.status == VoterOpinion.Status.CONVERTED
        else None
    )
    suggestion_url = reverse("suggestions:detail", kwargs={"pk": suggestion.pk}) if suggestion else None
    rules = opinion.township.rules
    return render(
        request,
        "deputies/opinion_detail.html",
        {
            "opinion": opinion,
            "events": opinion.events.select_related("actor"),
            "form": form,
            "suggestion": suggestion,
            "suggestion_url": suggestion_url,
            "categories": rules.categories,
            "can_handle": role == Role.STAFF
            and opinion.status in (VoterOpinion.Status.OPEN, VoterOpinion.Status.FORWARDED),
            "can_reply": role == Role.UNIT and opinion.status == VoterOpinion.Status.FORWARDED,
            "can_answer": role == Role.DEPUTY
            and opinion.deputy_id is not None
            and opinion.deputy.user_id == request.user.pk
            and opinion.status == VoterOpinion.Status.OPEN
            and opinion.responded_at is None,
            "units": form.fields["unit"].queryset,
            "lead_choices": _lead_choices(opinion, form.fields["lead_deputy"].queryset)
            if role == Role.STAFF
            else ([], []),
        },
    )
