"""Reads of the livelihood projects: visibility, the candidate list, the result, the public page and
the township figures (``township_stats``)."""

import datetime as dt

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from congress.models import Session
from presidium.models import Role, Township
from presidium.selectors import principal_role, scope
from supervision.models import satisfaction_rate
from supervision.selectors import ballot_sums

from .models import BallotVoter, Milestone, ProgressReport, Project, ProjectBallot

# Vetting is internal to the presidium: a deputy sees the list once it is a candidate list (and
# the projects they proposed themselves); a unit only its own projects.
PUBLISHED = (
    Project.Status.CANDIDATE,
    Project.Status.CHOSEN,
    Project.Status.NOT_CHOSEN,
    Project.Status.IN_PROGRESS,
    Project.Status.COMPLETED,
)


def projects_visible_to(user) -> QuerySet[Project]:
    qs = scope(Project.objects.all(), user)
    role = principal_role(user)
    if role == Role.UNIT:
        return qs.filter(unit_id=user.unit_id) if user.unit_id else qs.none()
    if role == Role.DEPUTY:
        deputy_id = getattr(getattr(user, "deputy", None), "pk", None)
        return qs.filter(Q(status__in=PUBLISHED) | Q(proposers__pk=deputy_id)).distinct()
    return qs


def ballots_visible_to(user) -> QuerySet[ProjectBallot]:
    qs = scope(ProjectBallot.objects.select_related("session__term", "session__township"), user)
    if principal_role(user) == Role.UNIT:
        return qs.none()
    return qs


def ballots_for_deputy(user) -> QuerySet[ProjectBallot]:
    """The ballots of the deputy's own township (the vote page; ``ballot_cast`` checks the rest)."""
    return ProjectBallot.objects.filter(township_id=user.township_id).select_related("session__term")


def has_voted(ballot, deputy) -> bool:
    return BallotVoter.objects.filter(ballot=ballot, deputy=deputy).exists()


def ballot_of(session, *, counted: bool = False) -> ProjectBallot | None:
    """The session's project vote (``counted``: only once its result is counted)."""
    qs = ProjectBallot.objects.filter(session=session)
    if counted:
        qs = qs.filter(counted_at__isnull=False)
    return qs.first()


def progress_reports_visible_to(user) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(project__in=projects_visible_to(user))


def sessions_visible_to(user) -> QuerySet[Session]:
    """Congress sessions whose project vote the user may open (their township's; the county's)."""
    return scope(Session.objects.select_related("term", "township"), user)


def township_sessions(township) -> QuerySet[Session]:
    """The township's sessions (newest first by the model's order), to put projects to the vote."""
    return Session.objects.filter(township=township).select_related("term", "township")


def public_townships() -> QuerySet[Township]:
    """Every township: the public page of the chosen projects needs no login."""
    return Township.objects.select_related("county")


def project_list(user, *, year=None, status="", q=""):
    qs = projects_visible_to(user).select_related("township", "unit", "session__term")
    if year:
        qs = qs.filter(year=year)
    if status in Project.Status.values:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(location__icontains=q) | Q(unit__name__icontains=q))
    return qs.order_by("-year", "township_id", "order", "pk")


def candidates(session) -> QuerySet[Project]:
    return (
        Project.objects.filter(session=session)
        .exclude(status=Project.Status.PROPOSED)
        .select_related("unit")
        .order_by("order", "pk")
    )


def ranked(session) -> list[Project]:
    """The candidates best first (votes), for the result sheet."""
    rows = list(candidates(session).annotate(total=F("votes_paper") + F("votes_app")))
    return sorted(rows, key=lambda p: (-p.total, p.order or 0, p.pk))


def public_projects(township, year: int) -> QuerySet:
    """What the public page shows: the year's chosen projects, no person and no internal field."""
    return (
        Project.objects.filter(township=township, year=year, status__in=Project.CARRIED)
        .select_related("unit", "appraisal_target__appraisal")
        .order_by("order", "pk")
    )


def overdue_milestones(township_ids, today: dt.date) -> QuerySet[Milestone]:
    return Milestone.objects.filter(
        project__township_id__in=township_ids, done_on__isnull=True, due_date__lt=today
    )


# ---------------------------------------------------------------- figures

STATS_LABELS = {
    "livelihood_candidates": _("民生实事候选项目"),
    "livelihood_chosen": _("票决确定民生实事项目"),
    "livelihood_completed": _("民生实事项目已完成"),
    "livelihood_on_time": _("民生实事项目按期完成"),
    "livelihood_completion_rate": _("民生实事项目完成率(%)"),
    "livelihood_score_ballots": _("民生实事测评票数"),
    "livelihood_score_satisfied": _("民生实事测评满意及基本满意票数"),
    "livelihood_satisfaction_rate": _("民生实事项目满意率(%)"),
}
STATS_RATES = {
    "livelihood_completion_rate": ("livelihood_completed", "livelihood_chosen"),
    "livelihood_satisfaction_rate": ("livelihood_score_satisfied", "livelihood_score_ballots"),
}


def _rate(num, den):
    return round(num * 100 / den, 1) if den else None


def township_stats(*, township_ids: list[int], start: dt.date, end: dt.date) -> dict:
    """Projects of the years the period touches (a project belongs to its year): candidates on a
    session's list, chosen, completed, completed by the planned date, and the year-end score. Two
    grouped queries, whatever the number of townships."""
    out = {tid: dict.fromkeys(STATS_LABELS, 0) for tid in township_ids}
    for t in out.values():
        t["livelihood_completion_rate"] = t["livelihood_satisfaction_rate"] = None
    if not township_ids:
        return out
    base = Project.objects.filter(township_id__in=township_ids, year__gte=start.year, year__lte=end.year)
    carried = Q(status__in=Project.CARRIED)
    for row in base.values("township_id").annotate(
        cand=Count("pk", filter=Q(status__in=PUBLISHED)),
        chosen=Count("pk", filter=carried),
        done=Count("pk", filter=Q(status=Project.Status.COMPLETED)),
        on_time=Count(
            "pk", filter=Q(status=Project.Status.COMPLETED, completed_on__lte=F("planned_completion"))
        ),
    ):
        t = out[row["township_id"]]
        t["livelihood_candidates"], t["livelihood_chosen"] = row["cand"], row["chosen"]
        t["livelihood_completed"], t["livelihood_on_time"] = row["done"], row["on_time"]
        t["livelihood_completion_rate"] = _rate(row["done"], row["chosen"])
    for row in (
        base.filter(appraisal_target__isnull=False)
        .values("township_id")
        .annotate(**ballot_sums("appraisal_target__"))
    ):
        t = out[row["township_id"]]
        good, total = row["good"] or 0, (row["good"] or 0) + (row["bad"] or 0)
        t["livelihood_score_ballots"], t["livelihood_score_satisfied"] = total, good
        t["livelihood_satisfaction_rate"] = satisfaction_rate(good, total)
    return out


def deputy_project_records(lo, hi) -> list[tuple[QuerySet, str]]:
    """(rows, deputy field) of the projects the archive source counts for a deputy in [lo, hi]:
    supervising a carried project, proposing a published one; a project belongs to its year. ``lo``
    and ``hi`` are dates or expressions (``OuterRef``)."""
    lo_year = ExtractYear(lo) if hasattr(lo, "resolve_expression") else lo.year
    hi_year = ExtractYear(hi) if hasattr(hi, "resolve_expression") else hi.year
    return [
        (
            Project.supervisors.through.objects.filter(
                project__status__in=Project.CARRIED, project__year__gte=lo_year, project__year__lte=hi_year
            ),
            "deputy",
        ),
        (
            Project.proposers.through.objects.filter(
                project__status__in=PUBLISHED, project__year__gte=lo_year, project__year__lte=hi_year
            ),
            "deputy",
        ),
    ]


def ballots_awaiting_vote(deputy) -> QuerySet[ProjectBallot]:
    """The open ballots of the deputy's township the deputy has not voted in yet (their landing page)."""
    return (
        ProjectBallot.objects.filter(township_id=deputy.township_id, status=ProjectBallot.Status.OPEN)
        .exclude(Exists(BallotVoter.objects.filter(ballot=OuterRef("pk"), deputy=deputy)))
        .select_related("session__term")
    )
