"""Pages of the livelihood projects: the list, a project (vetting, milestones, progress, supervision,
score), the session's vote (candidate list, paper count, result sheet PDF), the deputy's phone
ballot, the Excel export and the public page per township (no login, rate-limited)."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.models import Session
from congress.selectors import session_quorum
from presidium.models import Role
from presidium.pdf import pdf_response, render_pdf
from presidium.permissions import role_required
from presidium.selectors import can_edit_township, principal_role, townships_visible_to
from presidium.spreadsheets import SafeWorkbook, xlsx_response
from presidium.uploads import serve_upload
from presidium.viewkit import call_service, client_ip, error_text, page_of, parse_year

from . import forms, selectors, services
from .models import Milestone, Project, ProjectBallot

ALL_ROLES = (Role.STAFF, Role.COUNTY, Role.UNIT, Role.DEPUTY)


@role_required(*ALL_ROLES)
def index(request):
    year = parse_year(request.GET.get("year"))
    status = request.GET.get("status", "")
    q = request.GET.get("q", "").strip()[:50]
    qs = selectors.project_list(request.user, year=year, status=status, q=q)
    township = request.user.township if principal_role(request.user) == Role.STAFF else None
    sessions = []
    if township is not None:
        sessions = selectors.township_sessions(township)[:6]
    return render(
        request,
        "livelihood/index.html",
        {
            "page": page_of(request, qs),
            "year": year or "",
            "status": status,
            "q": q,
            "statuses": Project.Status.choices,
            "can_edit": township is not None,
            "sessions": sessions,
            "this_year": timezone.localdate().year,
            "open_ballots": selectors.ballots_visible_to(request.user).filter(
                status=ProjectBallot.Status.OPEN
            )
            if principal_role(request.user) == Role.DEPUTY
            else [],
        },
    )


@role_required(Role.STAFF)
def project_new(request):
    township = request.user.township
    form = forms.ProjectForm(request.POST or None, township_id=township.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        origin = data.get("suggestion") or data.get("opinion")
        proposers = list(data.get("proposers") or [])
        source = data["source"]
        if data.get("suggestion"):
            source = Project.Source.SUGGESTION
            if data["suggestion"].lead_deputy_id and data["suggestion"].lead_deputy not in proposers:
                proposers.append(data["suggestion"].lead_deputy)
        elif data.get("opinion"):
            source = Project.Source.VOTER_OPINION
        proposed = call_service(
            request,
            lambda: services.project_propose(
                township=township,
                year=data["year"],
                title=data["title"],
                content=data["content"],
                unit=data["unit"],
                planned_completion=data["planned_completion"],
                location=data["location"],
                estimated_cost=data["estimated_cost"],
                leader=data["leader"],
                source=source,
                origin=origin,
                proposers=proposers,
                actor=request.user,
            ),
            _("已登记候选项目。"),
        )
        if proposed:
            return redirect("livelihood:project_detail", proposed.value.pk)
    return render(request, "livelihood/project_form.html", {"form": form})


def _project(request, pk) -> Project:
    return get_object_or_404(
        selectors.projects_visible_to(request.user).select_related(
            "township", "unit", "session__term", "appraisal_target"
        ),
        pk=pk,
    )


ACTIONS = ("vet", "drop", "unvet", "milestone", "milestone_done", "progress", "supervisors", "activity")


@role_required(*ALL_ROLES)
def project_detail(request, pk):
    project = _project(request, pk)
    staff = can_edit_township(request.user, project.township_id)
    unit = staff or (principal_role(request.user) == Role.UNIT and request.user.unit_id == project.unit_id)
    tid = project.township_id
    vet_form = forms.VetForm(township_id=tid) if staff else None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS or not (
            unit if action in ("milestone", "milestone_done", "progress") else staff
        ):
            raise PermissionDenied
        call_service(request, lambda: _act(request, project, action), _("已保存。"))
        return redirect("livelihood:project_detail", project.pk)
    target = project.appraisal_target
    origin_url = ""
    if project.origin_id and principal_role(request.user) in (Role.STAFF, Role.COUNTY, Role.ADMIN):
        name = {"suggestion": "suggestions:detail", "voteropinion": "deputies:opinion_detail"}.get(
            project.origin_type.model if project.origin_type_id else ""
        )
        origin_url = reverse(name, args=[project.origin_id]) if name else ""
    return render(
        request,
        "livelihood/project_detail.html",
        {
            "project": project,
            "staff": staff,
            "unit": unit,
            "vet_form": vet_form,
            "milestone_form": forms.MilestoneForm() if unit else None,
            "progress_form": forms.ProgressForm() if unit else None,
            "supervisors_form": forms.SupervisorsForm(
                township_id=tid, initial={"deputies": list(project.supervisors.all())}
            )
            if staff
            else None,
            "activity_form": forms.ActivityLinkForm(township_id=tid) if staff else None,
            "milestones": project.milestones.all(),
            "reports": project.reports.select_related("reported_by"),
            "supervisors": project.supervisors.all(),
            "proposers": project.proposers.all(),
            "activities": project.activities.all(),
            "events": project.events.select_related("actor"),
            "target": target,
            "carried": project.status in Project.CARRIED,
            "origin_url": origin_url,
            "rectifications": target.rectifications.all() if target else [],
            "today": timezone.localdate(),
        },
    )


def _act(request, project, action):
    post, user = request.POST, request.user
    if action in ("vet", "drop"):
        form = forms.VetForm(post, township_id=project.township_id)
        if not form.is_valid():
            raise ValidationError(_("请选择人代会。"))
        services.project_vet(
            project=project,
            accept=action == "vet",
            session=form.cleaned_data["session"],
            comment=form.cleaned_data["comment"],
            actor=user,
        )
    elif action == "unvet":
        services.project_unvet(project=project, actor=user)
    elif action == "milestone":
        form = forms.MilestoneForm(post)
        if not form.is_valid():
            raise ValidationError(_("请填写节点名称和计划完成日期。"))
        services.milestone_add(project=project, actor=user, **form.cleaned_data)
    elif action == "milestone_done":
        milestone = get_object_or_404(Milestone, pk=post.get("milestone") or 0, project=project)
        services.milestone_done(milestone=milestone, done_on=timezone.localdate(), actor=user)
    elif action == "progress":
        form = forms.ProgressForm(post, request.FILES)
        if not form.is_valid():
            raise ValidationError([e for errs in form.errors.values() for e in errs])
        services.progress_report(project=project, actor=user, **form.cleaned_data)
    elif action == "supervisors":
        form = forms.SupervisorsForm(post, township_id=project.township_id)
        if not form.is_valid():
            raise ValidationError(_("请选择本乡镇在任代表。"))
        services.supervisors_set(project=project, deputies=form.cleaned_data["deputies"], actor=user)
    elif action == "activity":
        form = forms.ActivityLinkForm(post, township_id=project.township_id)
        if not form.is_valid():
            raise ValidationError(_("请选择本乡镇的视察活动。"))
        services.activity_link(project=project, activity=form.cleaned_data["activity"], actor=user)


@role_required(*ALL_ROLES)
def report_photo(request, pk):
    report = get_object_or_404(selectors.progress_reports_visible_to(request.user), pk=pk)
    return serve_upload(report.photo)


# ---------------------------------------------------------------- the vote


def _session(request, pk) -> Session:
    return get_object_or_404(selectors.sessions_visible_to(request.user), pk=pk)


@role_required(Role.STAFF, Role.COUNTY)
def session_vote(request, pk):
    """The session's candidate list, the vote (open, paper count) and its result."""
    session = _session(request, pk)
    staff = can_edit_township(request.user, session.township_id)
    ballot = selectors.ballot_of(session)
    projects = list(selectors.candidates(session))
    candidates = [p for p in projects if p.status == Project.Status.CANDIDATE]
    form = None
    if staff and ballot and ballot.status == ProjectBallot.Status.OPEN:
        form = forms.PaperCountForm(
            request.POST if request.POST.get("action") == "count" else None, projects=candidates
        )
    if request.method == "POST":
        if not staff:
            raise PermissionDenied
        action = request.POST.get("action", "")
        try:
            if action == "open":
                services.ballot_open(session=session, actor=request.user)
            elif action == "count_app" and ballot:
                services.ballot_count(ballot=ballot, actor=request.user)
            elif action == "count" and ballot and form is not None:
                if not form.is_valid():
                    raise ValidationError(_("请完整填写各项票数（不小于0的整数）。"))
                services.ballot_count(
                    ballot=ballot, ballots=form.ballots(), votes=form.votes(), actor=request.user
                )
            elif action == "revote" and ballot:
                services.ballot_reset_void(ballot=ballot, actor=request.user)
            else:
                raise PermissionDenied
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            if action == "count":
                return render(
                    request,
                    "livelihood/session_vote.html",
                    _vote_context(session, ballot, projects, form, staff),
                )
        else:
            messages.success(request, _("已保存。"))
        return redirect("livelihood:session_vote", session.pk)
    return render(
        request, "livelihood/session_vote.html", _vote_context(session, ballot, projects, form, staff)
    )


def _vote_context(session, ballot, projects, form, staff):
    return {
        "session": session,
        "ballot": ballot,
        "projects": projects,
        "ranked": selectors.ranked(session) if ballot and ballot.counted_at else [],
        "form": form,
        "staff": staff,
        "rule": services.candidate_rule(session),
        "quorum": session_quorum(session),
        "voters": ballot.voters.count() if ballot else 0,
    }


@role_required(Role.STAFF, Role.COUNTY)
def session_vote_pdf(request, pk):
    """The result sheet (票决结果报告单) of a counted vote."""
    session = _session(request, pk)
    ballot = selectors.ballot_of(session, counted=True)
    if ballot is None:
        raise Http404
    pdf = render_pdf(
        "livelihood/result_pdf.html",
        {"session": session, "ballot": ballot, "ranked": selectors.ranked(session)},
        request=request,
    )
    return pdf_response(pdf, _("%(s)s民生实事项目票决结果.pdf") % {"s": session.official_name})


@role_required(Role.STAFF, Role.COUNTY)
def progress_pdf(request, township_id, year):
    """The progress report of a township's chosen projects for a presidium meeting (mid-year or
    year end): each project's progress, milestones (overdue marked), latest report and score."""
    township = get_object_or_404(townships_visible_to(request.user), pk=township_id)
    projects = list(
        selectors.public_projects(township, year)
        .select_related("unit", "appraisal_target__appraisal")
        .prefetch_related("milestones", "reports", "supervisors")
    )
    pdf = render_pdf(
        "livelihood/progress_pdf.html",
        {"township": township, "year": year, "projects": projects, "today": timezone.localdate()},
        request=request,
    )
    return pdf_response(pdf, _("%(t)s%(y)s年民生实事项目实施情况报告.pdf") % {"t": township.name, "y": year})


@role_required(Role.DEPUTY)
def ballot_vote(request, pk):
    """The deputy's phone ballot: tick up to N candidates, once."""
    ballot = get_object_or_404(selectors.ballots_for_deputy(request.user), pk=pk)
    deputy = getattr(request.user, "deputy", None)
    if deputy is None:
        raise PermissionDenied
    projects = list(selectors.candidates(ballot.session).filter(status=Project.Status.CANDIDATE))
    voted = selectors.has_voted(ballot, deputy)
    if request.method == "POST" and call_service(
        request,
        lambda: services.ballot_cast(
            ballot=ballot, deputy=deputy, project_ids=request.POST.getlist("project"), actor=request.user
        ),
        _("投票成功，谢谢！"),
    ):
        return redirect("livelihood:ballot_vote", ballot.pk)
    return render(
        request,
        "livelihood/ballot_vote.html",
        {"ballot": ballot, "projects": projects, "voted": voted},
    )


@role_required(Role.STAFF)
@require_POST
def score_open(request):
    year = parse_year(request.POST.get("year"))
    try:
        if year is None:
            raise ValidationError(_("请填写年度。"))
        appraisal = services.score_open(township=request.user.township, year=year, actor=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("livelihood:index")
    messages.success(request, _("已开始年终满意度测评，代表可在手机上投票，纸质票在测评页录入。"))
    return redirect("supervision:appraisal_detail", appraisal.pk)


@role_required(Role.STAFF, Role.COUNTY, Role.UNIT)
def export(request):
    year = parse_year(request.GET.get("year"))
    qs = selectors.project_list(request.user, year=year, status=request.GET.get("status", ""))
    wb = SafeWorkbook()
    ws = wb.active
    ws.title = _("民生实事项目")
    ws.append(
        [
            _("乡镇"),
            _("年度"),
            _("项目名称"),
            _("实施地点"),
            _("估算投资(万元)"),
            _("责任单位"),
            _("责任领导"),
            _("计划完成日期"),
            _("状态"),
            _("得票"),
            _("完成进度(%)"),
            _("完成日期"),
            _("满意率(%)"),
        ]
    )
    for p in qs.select_related("appraisal_target"):
        rate = p.appraisal_target.satisfaction_rate if p.appraisal_target_id else None
        ws.append(
            [
                p.township.name,
                p.year,
                p.title,
                p.location,
                p.estimated_cost,
                p.unit.name,
                p.leader,
                p.planned_completion,
                p.get_status_display(),
                p.votes,
                p.progress,
                p.completed_on,
                rate,
            ]
        )
    return xlsx_response(wb, _("民生实事项目.xlsx"))


# ---------------------------------------------------------------- the public page


def _public_limit() -> tuple[int, int]:
    rate = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get("livelihood_public", "120/hour")
    count, _sep, period = rate.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(period[:1], 3600)
    return int(count), seconds


def public(request, township_id):
    """The year's chosen projects of a township for anyone (no login): title, place, unit, planned
    date, progress and final score. No person (proposers, supervisors, staff) and no vote detail."""
    township = get_object_or_404(selectors.public_townships(), pk=township_id)
    limit, period = _public_limit()
    key = f"livelihood-public:{client_ip(request)}"
    cache.add(key, 0, period)
    try:
        used = cache.incr(key)
    except ValueError:
        cache.set(key, 1, period)
        used = 1
    if used > limit:
        return render(request, "livelihood/public.html", {"township": township, "limited": True}, status=429)
    year = parse_year(request.GET.get("year")) or timezone.localdate().year
    return render(
        request,
        "livelihood/public.html",
        {
            "township": township,
            "year": year,
            "projects": selectors.public_projects(township, year),
            "years": range(year - 2, min(year + 2, dt.date.today().year + 2)),
        },
    )
