"""HTML views: thin. Objects come through selectors (another township's object is a 404); writes go
through services, whose ValidationError is shown with messages.error and changes nothing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deputies.selectors import deputy_for_user
from presidium.models import Role
from presidium.permissions import role_required
from presidium.selectors import can_edit_township

from . import forms, selectors, services
from .models import (
    ActivityAttachment,
    ActivityKind,
    ActivityParticipant,
    AppraisalTarget,
    CommitmentItem,
    Finding,
    Petition,
    Rectification,
    RectificationEvidence,
)

READERS = (Role.STAFF, Role.COUNTY)
STAFF = (Role.STAFF,)


def _error(request, exc: ValidationError):
    messages.error(request, "；".join(exc.messages))


def _form_errors(request, form):
    text = "；".join(str(e) for errs in form.errors.values() for e in errs)
    messages.error(request, text or _("请检查填写的内容。"))


def _year(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return None
    return year if 2000 <= year <= 2100 else None


def _township_id(request, fallback=None):
    return request.user.township_id or fallback


# --- activities -------------------------------------------------------------------------------


@role_required(*READERS)
def activity_list(request):
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    year = _year(request)
    qs = selectors.activity_list(request.user, q=q, kind=kind, year=year).order_by("-start_date", "-pk")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
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
        try:
            activity = services.activity_create(
                township=request.user.township, actor=request.user, target_units=units, **data
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("监督活动已登记。"))
            return redirect("supervision:activity_detail", pk=activity.pk)
    return render(request, "supervision/activity_form.html", {"form": form})


@role_required(*STAFF)
def activity_edit(request, pk):
    activity = get_object_or_404(selectors.activities_visible_to(request.user), pk=pk)
    form = forms.ActivityForm(request.POST or None, instance=activity, township_id=activity.township_id)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        units = data.pop("target_units")
        try:
            services.activity_update(activity=activity, actor=request.user, target_units=units, **data)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("supervision:activity_detail", pk=activity.pk)
    return render(request, "supervision/activity_form.html", {"form": form, "activity": activity})


@role_required(*READERS, Role.DEPUTY)
def activity_detail(request, pk):
    activity = get_object_or_404(selectors.activities_visible_to(request.user), pk=pk)
    tid = activity.township_id
    editable = can_edit_township(request.user, tid)
    participants = (
        ActivityParticipant.objects.filter(activity=activity)
        .select_related("deputy", "team")
        .order_by("team__name", "deputy__name_pinyin")
    )
    findings = (
        Finding.objects.filter(activity=activity)
        .select_related("forwarded_unit")
        .prefetch_related("rectifications")
    )
    ctx = {
        "activity": activity,
        "editable": editable,
        "figures": selectors.activity_figures(activity),
        "participants": participants,
        "units": activity.target_units.all(),
        "findings": findings,
        "attachments": activity.attachments.all(),
        "commitments": CommitmentItem.objects.filter(activity=activity).select_related("unit"),
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
            "figures": selectors.activity_figures(activity),
            "units": activity.target_units.all(),
            "participants": list(
                ActivityParticipant.objects.filter(activity=activity)
                .select_related("deputy", "team", "team__leader")
                .order_by("team__name", "deputy__name_pinyin")
            ),
            "findings": Finding.objects.filter(activity=activity)
            .select_related("forwarded_unit")
            .prefetch_related("rectifications"),
            "commitments": CommitmentItem.objects.filter(activity=activity).select_related("unit"),
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
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            n = services.activity_add_participants(
                activity=activity,
                deputies=form.cleaned_data["deputies"],
                team_name=form.cleaned_data["team_name"],
                leader=form.cleaned_data["leader"],
                actor=request.user,
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("已添加 %(n)s 名代表。") % {"n": n})
    return redirect("supervision:activity_detail", pk=activity.pk)


@require_POST
@role_required(*STAFF)
def participant_remove(request, pk):
    participant = get_object_or_404(
        ActivityParticipant.objects.select_related("activity", "activity__township").filter(
            activity__in=selectors.activities_visible_to(request.user)
        ),
        pk=pk,
    )
    services.activity_remove_participant(participant=participant, actor=request.user)
    messages.success(request, _("已移除。"))
    return redirect("supervision:activity_detail", pk=participant.activity_id)


@require_POST
@role_required(*STAFF)
def attachment_add(request, pk):
    activity = _staff_activity(request, pk)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.attachment_add(activity=activity, upload=form.cleaned_data["file"], actor=request.user)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("附件已上传。"))
    return redirect("supervision:activity_detail", pk=activity.pk)


def _file_response(field, name):
    try:
        return FileResponse(field.open("rb"), as_attachment=True, filename=name)
    except FileNotFoundError as exc:
        raise Http404 from exc


@role_required(*READERS, Role.DEPUTY)
def attachment_download(request, pk):
    att = get_object_or_404(
        ActivityAttachment.objects.filter(activity__in=selectors.activities_visible_to(request.user)), pk=pk
    )
    return _file_response(att.file, att.name)


@require_POST
@role_required(*STAFF)
def finding_add(request, pk):
    activity = _staff_activity(request, pk)
    form = forms.FindingForm(request.POST, township_id=activity.township_id)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.finding_add(activity=activity, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("已记录。"))
    return redirect("supervision:activity_detail", pk=activity.pk)


def _visible_finding(request, pk):
    return get_object_or_404(
        Finding.objects.select_related("activity", "activity__township").filter(
            activity__in=selectors.activities_visible_to(request.user)
        ),
        pk=pk,
    )


@require_POST
@role_required(*STAFF)
def finding_forward(request, pk):
    finding = _visible_finding(request, pk)
    form = forms.ForwardForm(request.POST, township_id=finding.township_id)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        services.finding_forward(finding=finding, unit=form.cleaned_data["unit"], actor=request.user)
        messages.success(request, _("已转交。"))
    return redirect("supervision:activity_detail", pk=finding.activity_id)


@require_POST
@role_required(*STAFF)
def finding_delete(request, pk):
    finding = _visible_finding(request, pk)
    try:
        services.finding_delete(finding=finding, actor=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("已删除。"))
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
        data = form.cleaned_data
        try:
            rect = services.rectification_create(
                township=finding.activity.township,
                finding=finding,
                actor=request.user,
                unit=data["unit"],
                title=data["title"],
                requirement=data["requirement"],
                deadline=data["deadline"],
                workdays=data["workdays"],
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("整改事项已交办，期限 %(d)s。") % {"d": rect.deadline})
            return redirect("supervision:rectification_detail", pk=rect.pk)
    return render(request, "supervision/rectification_form.html", {"form": form, "finding": finding})


@require_POST
@role_required(*STAFF)
def commitment_add(request, pk):
    activity = _staff_activity(request, pk)
    form = forms.CommitmentForm(request.POST, township_id=activity.township_id)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.commitment_add(activity=activity, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("已建账。"))
    return redirect("supervision:activity_detail", pk=activity.pk)


@require_POST
@role_required(*STAFF)
def commitment_check(request, pk):
    item = get_object_or_404(
        CommitmentItem.objects.select_related("activity", "activity__township").filter(
            activity__in=selectors.activities_visible_to(request.user)
        ),
        pk=pk,
    )
    form = forms.CommitmentCheckForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.commitment_check(item=item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("已登记。"))
    return redirect("supervision:activity_detail", pk=item.activity_id)


# --- appraisal -------------------------------------------------------------------------------


@role_required(*STAFF)
def appraisal_create(request, pk):
    activity = _staff_activity(request, pk)
    form = forms.AppraisalForm(request.POST or None, township_id=activity.township_id)
    if request.method == "POST" and form.is_valid():
        try:
            appraisal = services.appraisal_create(
                activity=activity,
                actor=request.user,
                targets=form.targets(),
                low_score_threshold=form.cleaned_data["low_score_threshold"],
                rectification_workdays=form.cleaned_data["rectification_workdays"],
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("民主测评已开始，代表可在手机上投票。"))
            return redirect("supervision:appraisal_detail", pk=appraisal.pk)
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
            "rectifications": Rectification.objects.filter(
                appraisal_target__appraisal=appraisal
            ).select_related("unit"),
        },
    )


@role_required(*STAFF)
def appraisal_paper(request, pk):
    appraisal = get_object_or_404(selectors.appraisals_visible_to(request.user), pk=pk)
    targets = AppraisalTarget.objects.filter(appraisal=appraisal).select_related("unit").order_by("pk")
    form = forms.PaperCountsForm(request.POST or None, targets=targets)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("票数须为不小于 0 的整数，请检查后重新提交；本次未保存任何数据。"))
        else:
            try:
                services.appraisal_enter_paper(appraisal=appraisal, counts=form.counts(), actor=request.user)
            except ValidationError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("纸质票数已录入。"))
                return redirect("supervision:appraisal_detail", pk=appraisal.pk)
    return render(request, "supervision/appraisal_paper.html", {"appraisal": appraisal, "form": form})


@require_POST
@role_required(*STAFF)
def appraisal_target_report(request, pk):
    target = get_object_or_404(
        AppraisalTarget.objects.select_related("appraisal", "appraisal__township").filter(
            appraisal__in=selectors.appraisals_visible_to(request.user)
        ),
        pk=pk,
    )
    try:
        services.appraisal_target_report(
            target=target, report=request.POST.get("report", "")[:20000], actor=request.user
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("述职报告已保存。"))
    return redirect("supervision:appraisal_detail", pk=target.appraisal_id)


@require_POST
@role_required(*STAFF)
def appraisal_close(request, pk):
    appraisal = get_object_or_404(selectors.appraisals_visible_to(request.user), pk=pk)
    try:
        created = services.appraisal_close(appraisal=appraisal, actor=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("测评已结束，生成整改事项 %(n)s 项。") % {"n": len(created)})
    return redirect("supervision:appraisal_detail", pk=appraisal.pk)


@role_required(Role.DEPUTY)
def appraisal_vote(request, pk):
    deputy = deputy_for_user(request.user)
    appraisal = get_object_or_404(selectors.appraisals_open_for_deputy(request.user), pk=pk)
    if appraisal.has_voted:
        return render(request, "supervision/appraisal_vote.html", {"appraisal": appraisal, "voted": True})
    targets = AppraisalTarget.objects.filter(appraisal=appraisal).select_related("unit").order_by("pk")
    form = forms.VoteForm(request.POST or None, targets=targets)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("请为每个测评对象选择一项。"))
        else:
            try:
                services.appraisal_cast(
                    appraisal=appraisal, deputy=deputy, choices=form.choices(), actor=request.user
                )
            except ValidationError as exc:
                _error(request, exc)
            else:
                messages.success(request, _("投票成功，感谢参加民主测评。您的选择不会被记录到个人。"))
                return redirect("supervision:my")
    return render(request, "supervision/appraisal_vote.html", {"appraisal": appraisal, "form": form})


@role_required(Role.DEPUTY)
def my(request):
    deputy = deputy_for_user(request.user)
    participations = selectors.participations_of(deputy) if deputy else ActivityParticipant.objects.none()
    page = Paginator(participations, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/my.html",
        {
            "page": page,
            "appraisals": selectors.appraisals_open_for_deputy(request.user),
            "deputy": deputy,
        },
    )


# --- rectification -------------------------------------------------------------------------


@role_required(Role.STAFF, Role.COUNTY, Role.UNIT)
def rectification_list(request):
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    qs = selectors.rectification_list(request.user, status=status, overdue=overdue, q=q)
    page = Paginator(qs.order_by("deadline", "pk"), 50).get_page(request.GET.get("page"))
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
            "actions": [(a, services.RECTIFICATION_TRANSITIONS[a].label) for a in actions],
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
    if not form.is_valid():
        _form_errors(request, form)
    else:
        data = form.cleaned_data
        try:
            services.rectification_transition(
                rectification=rect,
                action=data["action"],
                actor=request.user,
                comment=data["comment"],
                files=data["files"],
                expected_version=data["version"],
                new_deadline=data["new_deadline"],
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(
                request,
                _("已%(action)s。") % {"action": services.RECTIFICATION_TRANSITIONS[data["action"]].label},
            )
    return redirect("supervision:rectification_detail", pk=rect.pk)


@role_required(Role.STAFF, Role.COUNTY, Role.UNIT)
def evidence_download(request, pk):
    ev = get_object_or_404(
        RectificationEvidence.objects.filter(
            rectification__in=selectors.rectifications_visible_to(request.user)
        ),
        pk=pk,
    )
    return _file_response(ev.file, ev.name)


# --- letters and visits -----------------------------------------------------------------------


@role_required(*READERS)
def petition_list(request):
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    channel = request.GET.get("channel", "")
    year = _year(request)
    qs = selectors.petition_list(request.user, q=q, status=status, channel=channel, year=year)
    page = Paginator(qs.order_by("-received_on", "-pk"), 50).get_page(request.GET.get("page"))
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
        try:
            petition = services.petition_register(
                township=request.user.township, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("信访已登记。"))
            return redirect("supervision:petition_detail", pk=petition.pk)
    return render(request, "supervision/petition_form.html", {"form": form})


@role_required(*READERS)
def petition_detail(request, pk):
    petition = get_object_or_404(selectors.petitions_visible_to(request.user), pk=pk)
    editable = can_edit_township(request.user, petition.township_id)
    actions = [(k, t.label) for k, t in services.PETITION_TRANSITIONS.items() if petition.status in t.sources]
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
    if not form.is_valid():
        _form_errors(request, form)
    else:
        data = form.cleaned_data
        try:
            services.petition_transition(
                petition=petition,
                action=data["action"],
                actor=request.user,
                unit=data["unit"],
                forwarded_to=data["forwarded_to"],
                result=data["result"],
                comment=data["comment"],
                expected_version=data["version"],
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(
                request, _("已%(action)s。") % {"action": services.PETITION_TRANSITIONS[data["action"]].label}
            )
    return redirect("supervision:petition_detail", pk=petition.pk)


@role_required(Role.STAFF, Role.COUNTY, Role.UNIT)
def rectification_export(request):
    """整改台账 as Excel, with the list's filters; a unit gets only its own items."""
    from .exports import rectification_ledger_xlsx

    qs = selectors.rectification_list(
        request.user,
        status=request.GET.get("status", ""),
        overdue=request.GET.get("overdue") == "1",
        q=request.GET.get("q", "").strip(),
    )
    return rectification_ledger_xlsx(qs.order_by("township_id", "deadline", "pk"), today=timezone.localdate())
