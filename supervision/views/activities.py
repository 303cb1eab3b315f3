"""Pages of supervision activities: list, register, detail, participants, attachments, findings, commitments, printable report."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from presidium.models import Role
from presidium.permissions import role_required
from presidium.selectors import can_edit_township
from presidium.viewkit import (
    call_service,
    page_of,
    query_year,
    run_form_action,
    show_form_errors,
)

from .. import forms, selectors, services
from ..models import (
    ActivityKind,
)
from ._common import READERS, STAFF, _file_response

# --- activities -------------------------------------------------------------------------------


@role_required(*READERS)
def activity_list(request):
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    year = query_year(request)
    qs = selectors.activity_list(request.user, q=q, kind=kind, year=year).order_by("-start_date", "-pk")
    page = page_of(request, qs)
    return render(
        request,
        "supervision/activity_list.html",
        {
            "page": page,
            "q": q,
            "kind": kind,
            "year": year or "",
            "kinds": forms.KIND_CHOICES,
            "can_edit": request.user.is_township_staff,
        },
    )


@role_required(*STAFF)
def activity_create(request):
    form = forms.ActivityForm(
        request.POST or None,
        township_id=request.user.township_id,
        initial={"start_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        units = data.pop("target_units")
        created = call_service(
            request,
            lambda: services.activity_create(
                township=request.user.township, actor=request.user, target_units=units, **data
            ),
            _("监督活动已登记。"),
        )
        if created:
            return redirect("supervision:activity_detail", pk=created.value.pk)
    return render(request, "supervision/activity_form.html", {"form": form})


@role_required(*STAFF)
def activity_edit(request, pk):
    activity = get_object_or_404(selectors.activities_visible_to(request.user), pk=pk)
    form = forms.ActivityForm(request.POST or None, instance=activity, township_id=activity.township_id)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        units = data.pop("target_units")
        if call_service(
            request,
            lambda: services.activity_update(
                activity=activity, actor=request.user, target_units=units, **data
            ),
            _("已保存。"),
        ):
            return redirect("supervision:activity_detail", pk=activity.pk)
    return render(request, "supervision/activity_form.html", {"form": form, "activity": activity})


@role_required(*READERS, Role.DEPUTY)
def activity_detail(request, pk):
    activity = get_object_or_404(selectors.activities_visible_to(request.user), pk=pk)
    tid = activity.township_id
    editable = can_edit_township(request.user, tid)
    ctx = {
        "activity": activity,
        "editable": editable,
        **selectors.activity_record(activity),
        "attachments": activity.attachments.all(),
        "has_commitments": activity.kind in (ActivityKind.SPECIAL_OVERSIGHT, ActivityKind.THREE_ACCOUNTS),
        "appraisal": getattr(activity, "appraisal", None)
        if activity.kind == ActivityKind.APPRAISAL
        else None,
        "is_deputy": request.user.role == Role.DEPUTY,
        "today": timezone.localdate(),
    }
    if editable:
        ctx.update(
            participants_form=forms.ParticipantsForm(township_id=tid),
            finding_form=forms.FindingForm(township_id=tid),
            attachment_form=forms.AttachmentForm(),
            commitment_form=forms.CommitmentForm(township_id=tid),
            check_form=forms.CommitmentCheckForm(),
            forward_form=forms.ForwardForm(township_id=tid),
        )
    return render(request, "supervision/activity_detail.html", ctx)


@role_required(*READERS, Role.DEPUTY)
def activity_pdf(request, pk):
    """The activity's record as a printable report (PDF): figures, teams, report, findings, commitments."""
    from presidium.pdf import pdf_response, render_pdf

    activity = get_object_or_404(selectors.activities_visible_to(request.user), pk=pk)
    pdf = render_pdf(
        "supervision/activity_pdf.html",
        {
            "activity": activity,
            **selectors.activity_record(activity),
            "plan_lines": [line for line in activity.plan.splitlines() if line.strip()],
            "report_lines": [line for line in activity.report.splitlines() if line.strip()],
        },
        request=request,
    )
    return pdf_response(pdf, f"{activity.topic}.pdf")


def _staff_activity(request, pk):
    return get_object_or_404(selectors.activities_visible_to(request.user), pk=pk)


@require_POST
@role_required(*STAFF)
def participants_add(request, pk):
    activity = _staff_activity(request, pk)
    form = forms.ParticipantsForm(request.POST, township_id=activity.township_id)
    added = run_form_action(
        request,
        form,
        lambda data: services.activity_add_participants(
            activity=activity,
            deputies=data["deputies"],
            team_name=data["team_name"],
            leader=data["leader"],
            actor=request.user,
        ),
    )
    if added:
        messages.success(request, _("已添加 %(n)s 名代表。") % {"n": added.value})
    return redirect("supervision:activity_detail", pk=activity.pk)


@require_POST
@role_required(*STAFF)
def participant_remove(request, pk):
    participant = get_object_or_404(selectors.participants_visible_to(request.user), pk=pk)
    services.activity_remove_participant(participant=participant, actor=request.user)
    messages.success(request, _("已移除。"))
    return redirect("supervision:activity_detail", pk=participant.activity_id)


@require_POST
@role_required(*STAFF)
def attachment_add(request, pk):
    activity = _staff_activity(request, pk)
    form = forms.AttachmentForm(request.POST, request.FILES)
    run_form_action(
        request,
        form,
        lambda data: services.attachment_add(activity=activity, upload=data["file"], actor=request.user),
        _("附件已上传。"),
    )
    return redirect("supervision:activity_detail", pk=activity.pk)


@role_required(*READERS, Role.DEPUTY)
def attachment_download(request, pk):
    att = get_object_or_404(selectors.attachments_visible_to(request.user), pk=pk)
    return _file_response(att.file, att.name)


@require_POST
@role_required(*STAFF)
def finding_add(request, pk):
    return _add_to_activity(request, pk, forms.FindingForm, services.finding_add, _("已记录。"))


def _add_to_activity(request, pk, form_class, service, success):
    """Record something on an activity from its page (a finding, a commitment) and go back."""
    activity = _staff_activity(request, pk)
    form = form_class(request.POST, township_id=activity.township_id)
    run_form_action(
        request, form, lambda data: service(activity=activity, actor=request.user, **data), success
    )
    return redirect("supervision:activity_detail", pk=activity.pk)


def _visible_finding(request, pk):
    return get_object_or_404(selectors.findings_visible_to(request.user), pk=pk)


@require_POST
@role_required(*STAFF)
def finding_forward(request, pk):
    finding = _visible_finding(request, pk)
    form = forms.ForwardForm(request.POST, township_id=finding.township_id)
    if not form.is_valid():
        show_form_errors(request, form)
    else:
        services.finding_forward(finding=finding, unit=form.cleaned_data["unit"], actor=request.user)
        messages.success(request, _("已转交。"))
    return redirect("supervision:activity_detail", pk=finding.activity_id)


@require_POST
@role_required(*STAFF)
def finding_delete(request, pk):
    finding = _visible_finding(request, pk)
    call_service(request, lambda: services.finding_delete(finding=finding, actor=request.user), _("已删除。"))
    return redirect("supervision:activity_detail", pk=finding.activity_id)


@role_required(*STAFF)
def rectification_create(request, pk):
    finding = _visible_finding(request, pk)
    form = forms.RectificationForm(
        request.POST or None,
        township_id=finding.township_id,
        initial={"title": finding.content[:200], "unit": finding.forwarded_unit_id},
    )
    if request.method == "POST" and form.is_valid():
        assigned = call_service(
            request,
            lambda: services.rectification_create(
                township=finding.activity.township, finding=finding, actor=request.user, **form.cleaned_data
            ),
        )
        if assigned:
            messages.success(request, _("整改事项已交办，期限 %(d)s。") % {"d": assigned.value.deadline})
            return redirect("supervision:rectification_detail", pk=assigned.value.pk)
    return render(request, "supervision/rectification_form.html", {"form": form, "finding": finding})


@require_POST
@role_required(*STAFF)
def commitment_add(request, pk):
    return _add_to_activity(request, pk, forms.CommitmentForm, services.commitment_add, _("已建账。"))


@require_POST
@role_required(*STAFF)
def commitment_check(request, pk):
    item = get_object_or_404(selectors.commitments_visible_to(request.user), pk=pk)
    form = forms.CommitmentCheckForm(request.POST)
    run_form_action(
        request,
        form,
        lambda data: services.commitment_check(item=item, actor=request.user, **data),
        _("已登记。"),
    )
    return redirect("supervision:activity_detail", pk=item.activity_id)
