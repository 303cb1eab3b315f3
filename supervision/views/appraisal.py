"""Democratic scoring pages: open, paper entry, reports, results, close, and the deputies' ballot."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deputies.selectors import deputy_for_user
from presidium.models import Role
from presidium.permissions import role_required
from presidium.selectors import can_edit_township
from presidium.viewkit import call_service, page_of

from .. import forms, selectors, services
from ._common import READERS, STAFF
from .activities import _staff_activity

# --- appraisal -------------------------------------------------------------------------------


@role_required(*STAFF)
def appraisal_create(request, pk):
    activity = _staff_activity(request, pk)
    form = forms.AppraisalForm(request.POST or None, township_id=activity.township_id)
    if request.method == "POST" and form.is_valid():
        created = call_service(
            request,
            lambda: services.appraisal_create(
                activity=activity,
                actor=request.user,
                targets=form.targets(),
                low_score_threshold=form.cleaned_data["low_score_threshold"],
                rectification_workdays=form.cleaned_data["rectification_workdays"],
            ),
            _("民主测评已开始，代表可在手机上投票。"),
        )
        if created:
            return redirect("supervision:appraisal_detail", pk=created.value.pk)
    return render(request, "supervision/appraisal_form.html", {"form": form, "activity": activity})


@role_required(*READERS)
def appraisal_detail(request, pk):
    appraisal = get_object_or_404(selectors.appraisals_visible_to(request.user), pk=pk)
    return render(
        request,
        "supervision/appraisal_detail.html",
        {
            "appraisal": appraisal,
            "res": selectors.appraisal_results(appraisal),
            "editable": can_edit_township(request.user, appraisal.township_id),
            "rectifications": selectors.appraisal_rectifications(appraisal),
        },
    )


@role_required(*STAFF)
def appraisal_paper(request, pk):
    appraisal = get_object_or_404(selectors.appraisals_visible_to(request.user), pk=pk)
    targets = selectors.appraisal_targets(appraisal)
    form = forms.PaperCountsForm(request.POST or None, targets=targets)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("票数须为不小于 0 的整数，请检查后重新提交；本次未保存任何数据。"))
        else:
            if call_service(
                request,
                lambda: services.appraisal_enter_paper(
                    appraisal=appraisal, counts=form.counts(), actor=request.user
                ),
                _("纸质票数已录入。"),
            ):
                return redirect("supervision:appraisal_detail", pk=appraisal.pk)
    return render(
        request,
        "supervision/appraisal_paper.html",
        {
            "appraisal": appraisal,
            "form": form,
            "entitled": services.entitled_voters(appraisal),
            "online": appraisal.voters.count(),
        },
    )


@require_POST
@role_required(*STAFF)
def appraisal_target_report(request, pk):
    target = get_object_or_404(selectors.appraisal_targets_visible_to(request.user), pk=pk)
    call_service(
        request,
        lambda: services.appraisal_target_report(
            target=target, report=request.POST.get("report", "")[:20000], actor=request.user
        ),
        _("述职报告已保存。"),
    )
    return redirect("supervision:appraisal_detail", pk=target.appraisal_id)


@require_POST
@role_required(*STAFF)
def appraisal_close(request, pk):
    appraisal = get_object_or_404(selectors.appraisals_visible_to(request.user), pk=pk)
    closed = call_service(request, lambda: services.appraisal_close(appraisal=appraisal, actor=request.user))
    if closed:
        messages.success(request, _("测评已结束，生成整改事项 %(n)s 项。") % {"n": len(closed.value)})
    return redirect("supervision:appraisal_detail", pk=appraisal.pk)


@role_required(Role.DEPUTY)
def appraisal_vote(request, pk):
    deputy = deputy_for_user(request.user)
    appraisal = get_object_or_404(selectors.appraisals_open_for_deputy(request.user), pk=pk)
    if appraisal.has_voted:
        return render(request, "supervision/appraisal_vote.html", {"appraisal": appraisal, "voted": True})
    targets = selectors.appraisal_targets(appraisal)
    form = forms.VoteForm(request.POST or None, targets=targets)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("请为每个测评对象选择一项。"))
        else:
            if call_service(
                request,
                lambda: services.appraisal_cast(
                    appraisal=appraisal, deputy=deputy, choices=form.choices(), actor=request.user
                ),
                _("投票成功，感谢参加民主测评。您的选择不会被记录到个人。"),
            ):
                return redirect("supervision:my")
    return render(request, "supervision/appraisal_vote.html", {"appraisal": appraisal, "form": form})


@role_required(*STAFF)
def appraisal_record_ballot(request, pk):
    """The office records one deputy's paper ballot for them (代录): the same rules as the deputy's
    own vote (serving deputy of the township, once, every target); the choices stay unlinked."""
    appraisal = get_object_or_404(selectors.appraisals_visible_to(request.user), pk=pk)
    if not can_edit_township(request.user, appraisal.township_id):
        raise PermissionDenied
    targets = selectors.appraisal_targets(appraisal)
    deputies = selectors.appraisal_unvoted_deputies(appraisal)
    form = forms.RecordedBallotForm(request.POST or None, targets=targets, deputies=deputies)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("请选择投票代表，并为每个测评对象选择一项。"))
        else:
            deputy = form.cleaned_data["deputy"]
            if call_service(
                request,
                lambda: services.appraisal_cast(
                    appraisal=appraisal,
                    deputy=deputy,
                    choices=form.choices(),
                    actor=request.user,
                    recorded=True,
                ),
                _("已代 %(name)s 录入纸质选票。") % {"name": deputy.name},
                refused=(ValidationError, PermissionDenied),
            ):
                return redirect("supervision:appraisal_record_ballot", pk=appraisal.pk)
    return render(
        request,
        "supervision/appraisal_record_ballot.html",
        {"appraisal": appraisal, "form": form, "res": selectors.appraisal_results(appraisal)},
    )


@role_required(Role.DEPUTY)
def my(request):
    deputy = deputy_for_user(request.user)
    participations = selectors.participations_of(deputy)
    page = page_of(request, participations)
    return render(
        request,
        "supervision/my.html",
        {
            "page": page,
            "appraisals": selectors.appraisals_open_for_deputy(request.user),
            "deputy": deputy,
        },
    )
