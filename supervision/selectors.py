"""Reads and visibility for supervision and letters and visits, plus the township figures.

Who sees what:
- presidium staff: their township (everything); county staff: every township of the county (read);
- unit officer: only the rectification items of their own unit and the letters and visits
  forwarded to it;
- deputy: the activities they take part in and open appraisals of their township (to vote);
  never anyone's ballot (there is nothing that links a deputy to a choice).
"""

import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy
from deputies.selectors import deputy_for_user
from presidium.models import Role
from presidium.selectors import principal_role, scope

from .models import (
    ActivityAttachment,
    ActivityKind,
    ActivityParticipant,
    Appraisal,
    AppraisalTarget,
    AppraisalVoter,
    CommitmentItem,
    Finding,
    Petition,
    Rectification,
    RectificationEvidence,
    SupervisionActivity,
    satisfaction_rate,
)

READ_ROLES = (Role.STAFF, Role.COUNTY, Role.ADMIN, "api")


def activities_visible_to(user) -> QuerySet[SupervisionActivity]:
    qs = SupervisionActivity.objects.select_related("township", "certificate_holder")
    role = principal_role(user)
    if role in READ_ROLES:
        return scope(qs, user)
    if role == Role.DEPUTY:
        deputy = deputy_for_user(user)
        if deputy is None:
            return qs.none()
        return scope(qs, user).filter(participants__deputy=deputy)
    return qs.none()


def activity_list(
    user, *, q: str = "", kind: str = "", year: int | None = None
) -> QuerySet[SupervisionActivity]:
    """Activities with their counts (findings, opinions, forwarded, participants) in one query."""
    qs = activities_visible_to(user)
    if kind in ActivityKind.values:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(start_date__year=year)
    if q:
        qs = qs.filter(Q(topic__icontains=q) | Q(law_checked__icontains=q) | Q(plan__icontains=q))
    return qs.annotate(
        problems=_count_of(Finding.objects.filter(kind=Finding.Kind.PROBLEM)),
        opinions=_count_of(Finding.objects.filter(kind=Finding.Kind.OPINION)),
        forwarded=_count_of(Finding.objects.filter(forwarded_at__isnull=False)),
        participant_count=_count_of(ActivityParticipant.objects.all()),
    )


def _count_of(qs):
    """A correlated COUNT per activity: no join fan-out between findings and participants."""
    sub = qs.filter(activity=OuterRef("pk")).order_by().values("activity").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(sub, output_field=IntegerField()), 0)


def activity_figures(activity) -> dict:
    """ "N problems found, M opinions collected, K forwarded", counted from the findings."""
    return Finding.objects.filter(activity=activity).aggregate(
        problems=Count("pk", filter=Q(kind=Finding.Kind.PROBLEM)),
        opinions=Count("pk", filter=Q(kind=Finding.Kind.OPINION)),
        forwarded=Count("pk", filter=Q(forwarded_at__isnull=False)),
    )


def activity_participants(activity) -> QuerySet[ActivityParticipant]:
    """An activity's deputies by team (the activity itself was fetched through visibility)."""
    return (
        ActivityParticipant.objects.filter(activity=activity)
        .select_related("deputy", "team", "team__leader")
        .order_by("team__name", "deputy__name_pinyin")
    )


def activity_findings(activity) -> QuerySet[Finding]:
    return (
        Finding.objects.filter(activity=activity)
        .select_related("forwarded_unit")
        .prefetch_related("rectifications")
    )


def activity_commitments(activity) -> QuerySet[CommitmentItem]:
    return CommitmentItem.objects.filter(activity=activity).select_related("unit")


def activity_record(activity) -> dict:
    """What the activity page and its printable report both show: figures, units, teams,
    findings and commitments."""
    return {
        "figures": activity_figures(activity),
        "units": activity.target_units.all(),
        "participants": activity_participants(activity),
        "findings": activity_findings(activity),
        "commitments": activity_commitments(activity),
    }


def _of_visible_activity(qs, user):
    return qs.select_related("activity", "activity__township").filter(
        activity__in=activities_visible_to(user)
    )


def participants_visible_to(user) -> QuerySet[ActivityParticipant]:
    return _of_visible_activity(ActivityParticipant.objects.all(), user)


def attachments_visible_to(user) -> QuerySet[ActivityAttachment]:
    return _of_visible_activity(ActivityAttachment.objects.all(), user)


def findings_visible_to(user) -> QuerySet[Finding]:
    return _of_visible_activity(Finding.objects.all(), user)


def commitments_visible_to(user) -> QuerySet[CommitmentItem]:
    return _of_visible_activity(CommitmentItem.objects.all(), user)


def participations_of(deputy) -> QuerySet[ActivityParticipant]:
    """The activities a deputy took part in (none for a user who is no deputy: ``deputy=None``)."""
    if deputy is None:
        return ActivityParticipant.objects.none()
    return (
        ActivityParticipant.objects.filter(deputy=deputy)
        .select_related("activity", "team")
        .order_by("-activity__start_date")
    )


# --- rectification -----------------------------------------------------------------------


def overdue_q(today: dt.date | None = None) -> Q:
    """Open (not reported complete, not verified) and past the deadline. The deadline itself was
    computed on the holiday calendar when it was set in working days."""
    today = today or timezone.localdate()
    return Q(status__in=Rectification.OPEN_STATUSES, deadline__lt=today)


def rectifications_visible_to(user) -> QuerySet[Rectification]:
    qs = Rectification.objects.select_related("township", "unit", "finding", "finding__activity")
    role = principal_role(user)
    if role in READ_ROLES:
        return scope(qs, user)
    if role == Role.UNIT and user.unit_id:
        return scope(qs, user).filter(unit_id=user.unit_id)
    return qs.none()


def evidence_visible_to(user) -> QuerySet[RectificationEvidence]:
    return RectificationEvidence.objects.filter(rectification__in=rectifications_visible_to(user))


def rectification_list(
    user, *, status: str = "", overdue: bool = False, q: str = "", unit_id=None, today: dt.date | None = None
) -> QuerySet[Rectification]:
    qs = rectifications_visible_to(user)
    if status in Rectification.Status.values:
        qs = qs.filter(status=status)
    elif status == "open":
        qs = qs.filter(status__in=Rectification.OPEN_STATUSES)
    if overdue:
        qs = qs.filter(overdue_q(today))
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(unit__name__icontains=q))
    return qs


def rectification_counts(user, today: dt.date | None = None) -> dict:
    return rectifications_visible_to(user).aggregate(
        open=Count("pk", filter=Q(status__in=Rectification.OPEN_STATUSES)),
        submitted=Count("pk", filter=Q(status=Rectification.Status.SUBMITTED)),
        verified=Count("pk", filter=Q(status=Rectification.Status.VERIFIED)),
        overdue=Count("pk", filter=overdue_q(today)),
    )


# --- appraisals --------------------------------------------------------------------------


def appraisals_visible_to(user) -> QuerySet[Appraisal]:
    qs = Appraisal.objects.select_related("activity", "township")
    role = principal_role(user)
    if role in READ_ROLES:
        return scope(qs, user)
    return qs.none()


def appraisal_targets(appraisal) -> QuerySet[AppraisalTarget]:
    return AppraisalTarget.objects.filter(appraisal=appraisal).select_related("unit").order_by("pk")


def appraisal_targets_visible_to(user) -> QuerySet[AppraisalTarget]:
    return AppraisalTarget.objects.select_related("appraisal", "appraisal__township").filter(
        appraisal__in=appraisals_visible_to(user)
    )


def appraisal_rectifications(appraisal) -> QuerySet[Rectification]:
    return Rectification.objects.filter(appraisal_target__appraisal=appraisal).select_related("unit")


def appraisal_unvoted_deputies(appraisal):
    """The township's serving deputies who have not voted yet (whose paper ballot may be
    recorded)."""
    return (
        Deputy.objects.filter(township_id=appraisal.township_id, status=Deputy.Status.SERVING)
        .exclude(pk__in=appraisal.voters.values("deputy_id"))
        .order_by("name_pinyin")
    )


def appraisals_open_for_deputy(user) -> QuerySet[Appraisal]:
    """Open appraisals of the deputy's township, each marked ``has_voted``."""
    from django.db.models import Exists, OuterRef

    from .models import AppraisalVoter

    deputy = deputy_for_user(user)
    if deputy is None or not deputy.is_serving:
        return Appraisal.objects.none()
    return (
        Appraisal.objects.filter(township_id=deputy.township_id, status=Appraisal.Status.OPEN)
        .select_related("activity")
        .annotate(has_voted=Exists(AppraisalVoter.objects.filter(appraisal=OuterRef("pk"), deputy=deputy)))
        .order_by("-activity__start_date")
    )


def ballot_sums(prefix: str = "") -> dict:
    """Aggregates of appraisal-target ballots for ``.annotate``/``.aggregate``: ``good`` (满意 and
    基本满意, paper and online) and ``bad`` (不满意); ``prefix`` reaches the target through a relation
    (``"appraisal_target__"``). Feed them to :func:`satisfaction_rate` (good, good + bad)."""
    fields = {
        "good": ("paper_satisfied", "paper_basic", "app_satisfied", "app_basic"),
        "bad": ("paper_unsatisfied", "app_unsatisfied"),
    }
    out = {}
    for name, names in fields.items():
        expr = Sum(prefix + names[0])
        for field in names[1:]:
            expr = expr + Sum(prefix + field)
        out[name] = expr
    return out


def appraisal_results(appraisal, targets=None) -> dict:
    """Per-target tallies and satisfaction rates; the most and the least satisfied target.

    Ranking: satisfaction rate ((满意+基本满意)/有效票), then the share of 满意, then fewer
    unsatisfied; targets without ballots are not ranked. ``targets``: the appraisal's targets when
    the caller already holds them (a report over many appraisals prefetches them; with ``voters``
    prefetched too, this reads nothing more)."""
    if targets is None:
        targets = AppraisalTarget.objects.filter(appraisal=appraisal).select_related("unit").order_by("pk")
    targets = list(targets)
    ranked = [t for t in targets if t.total]

    def key(t):
        return (t.satisfaction_rate, t.satisfied / t.total, -t.unsatisfied / t.total)

    ranked.sort(key=key, reverse=True)
    voters = dict(appraisal.voters.values_list("channel").annotate(n=Count("pk")).order_by())
    totals = {
        "satisfied": sum(t.satisfied for t in targets),
        "basic": sum(t.basic for t in targets),
        "unsatisfied": sum(t.unsatisfied for t in targets),
    }
    totals["total"] = sum(totals.values())
    totals["rate"] = satisfaction_rate(totals["satisfied"] + totals["basic"], totals["total"])
    return {
        "targets": targets,
        "ranked": ranked,
        "most": ranked[0] if ranked else None,
        "least": ranked[-1] if len(ranked) > 1 else None,
        "totals": totals,
        "below_line": [t for t in ranked if t.satisfaction_rate < appraisal.low_score_threshold],
        "voters": voters.get(AppraisalVoter.Channel.ONLINE, 0),
        # Paper ballots the office recorded for named deputies (代录), apart from bulk paper counts.
        "voters_recorded": voters.get(AppraisalVoter.Channel.PAPER, 0),
    }


# --- letters and visits ----------------------------------------------------------------


def petitions_visible_to(user) -> QuerySet[Petition]:
    """Staff and county staff read the township's register; a unit officer reads the cases
    forwarded (转办) to their own unit, so that they can handle them."""
    qs = Petition.objects.select_related("township", "forwarded_unit", "deputy")
    role = principal_role(user)
    if role in READ_ROLES:
        return scope(qs, user)
    if role == Role.UNIT and user.unit_id:
        return scope(qs, user).filter(forwarded_unit_id=user.unit_id)
    return qs.none()


def petition_list(user, *, q: str = "", status: str = "", channel: str = "", year: int | None = None):
    qs = petitions_visible_to(user)
    if status in Petition.Status.values:
        qs = qs.filter(status=status)
    if channel in Petition.Channel.values:
        qs = qs.filter(channel=channel)
    if year:
        qs = qs.filter(received_on__year=year)
    if q:
        qs = qs.filter(Q(subject__icontains=q) | Q(person_name__icontains=q) | Q(content__icontains=q))
    return qs


def petition_counts(qs) -> dict:
    """Received / forwarded / investigated / closed, counted from the records."""
    return qs.aggregate(
        received=Count("pk"),
        forwarded=Count("pk", filter=Q(forwarded_at__isnull=False)),
        investigated=Count("pk", filter=Q(investigated_at__isnull=False)),
        closed=Count("pk", filter=Q(status=Petition.Status.CLOSED)),
    )


# --- township figures (dashboards, annual report, stats API) ----------------------------------

STATS_LABELS = {
    "activities": _("监督活动"),
    "inspections": _("视察"),
    "law_enforcement_inspections": _("执法检查"),
    "research": _("调研"),
    "special_reports": _("听取专项工作报告"),
    "special_oversight": _("专项督查"),
    "appraisals": _("评议"),
    "three_accounts": _("三账监督"),
    "deputy_participations": _("代表参加监督活动(人次)"),
    "voters_visited": _("走访选民(人次)"),
    "forums_held": _("召开座谈会(次)"),
    "problems_found": _("发现问题"),
    "opinions_collected": _("收集意见建议"),
    "findings_forwarded": _("转交问题和意见"),
    "rectifications": _("整改事项"),
    "rectifications_open": _("整改中"),
    "rectifications_closed": _("整改销号"),
    "rectifications_overdue": _("整改逾期"),
    "appraisal_targets": _("民主测评对象"),
    "appraisal_ballots": _("民主测评票数(按测评对象计)"),
    "appraisal_ballots_satisfied": _("其中满意和基本满意票"),
    "appraisal_satisfaction_rate": _("民主测评满意率(%)"),
    "petitions_received": _("受理信访"),
    "petitions_forwarded": _("信访转办"),
    "petitions_investigated": _("信访调查"),
    "petitions_closed": _("信访办结"),
}

# Rates and the counts they are computed from, so that a county total is recomputed from the summed
# counts (dashboards) instead of averaging the townships' rates.
STATS_RATES = {
    "appraisal_satisfaction_rate": ("appraisal_ballots_satisfied", "appraisal_ballots"),
}

KIND_KEYS = {
    ActivityKind.INSPECTION: "inspections",
    ActivityKind.LAW_ENFORCEMENT: "law_enforcement_inspections",
    ActivityKind.RESEARCH: "research",
    ActivityKind.SPECIAL_REPORT: "special_reports",
    ActivityKind.SPECIAL_OVERSIGHT: "special_oversight",
    ActivityKind.APPRAISAL: "appraisals",
    ActivityKind.THREE_ACCOUNTS: "three_accounts",
}


def township_stats(
    *, township_ids: list[int], start: dt.date, end: dt.date, today: dt.date | None = None
) -> dict:
    """Figures per township for activities starting in [start, end]; rectifications assigned in the
    period (overdue as of ``today``); petitions received in the period. A fixed number of grouped
    queries, whatever the number of townships."""
    today = today or timezone.localdate()
    out = {tid: dict.fromkeys(STATS_LABELS, 0) for tid in township_ids}
    for tid in out:
        out[tid]["appraisal_satisfaction_rate"] = None
    if not township_ids:
        return out
    period = Q(township_id__in=township_ids)

    acts = SupervisionActivity.objects.filter(period, start_date__gte=start, start_date__lte=end)
    for row in acts.values("township_id", "kind").annotate(
        n=Count("pk"), v=Sum("voters_visited"), f=Sum("forums_held")
    ):
        t = out[row["township_id"]]
        t[KIND_KEYS[row["kind"]]] += row["n"]
        t["activities"] += row["n"]
        t["voters_visited"] += row["v"] or 0
        t["forums_held"] += row["f"] or 0
    for row in (
        ActivityParticipant.objects.filter(
            activity__township_id__in=township_ids,
            activity__start_date__gte=start,
            activity__start_date__lte=end,
        )
        .values("activity__township_id")
        .annotate(n=Count("pk"))
    ):
        out[row["activity__township_id"]]["deputy_participations"] = row["n"]
    for row in (
        Finding.objects.filter(period, activity__start_date__gte=start, activity__start_date__lte=end)
        .values("township_id")
        .annotate(
            p=Count("pk", filter=Q(kind=Finding.Kind.PROBLEM)),
            o=Count("pk", filter=Q(kind=Finding.Kind.OPINION)),
            fw=Count("pk", filter=Q(forwarded_at__isnull=False)),
        )
    ):
        t = out[row["township_id"]]
        t["problems_found"], t["opinions_collected"], t["findings_forwarded"] = row["p"], row["o"], row["fw"]
    for row in (
        Rectification.objects.filter(period, assigned_on__gte=start, assigned_on__lte=end)
        .values("township_id")
        .annotate(
            n=Count("pk"),
            op=Count("pk", filter=~Q(status=Rectification.Status.VERIFIED)),
            cl=Count("pk", filter=Q(status=Rectification.Status.VERIFIED)),
            od=Count("pk", filter=overdue_q(today)),
        )
    ):
        t = out[row["township_id"]]
        t["rectifications"], t["rectifications_open"] = row["n"], row["op"]
        t["rectifications_closed"], t["rectifications_overdue"] = row["cl"], row["od"]
    for row in (
        AppraisalTarget.objects.filter(
            appraisal__township_id__in=township_ids,
            appraisal__activity__start_date__gte=start,
            appraisal__activity__start_date__lte=end,
        )
        .values("appraisal__township_id")
        .annotate(n=Count("pk"), **ballot_sums())
    ):
        t = out[row["appraisal__township_id"]]
        t["appraisal_targets"] = row["n"]
        good, total = row["good"] or 0, (row["good"] or 0) + (row["bad"] or 0)
        t["appraisal_ballots"], t["appraisal_ballots_satisfied"] = total, good
        t["appraisal_satisfaction_rate"] = satisfaction_rate(good, total)
    for row in (
        Petition.objects.filter(period, received_on__gte=start, received_on__lte=end)
        .values("township_id")
        .annotate(
            r=Count("pk"),
            fw=Count("pk", filter=Q(forwarded_at__isnull=False)),
            inv=Count("pk", filter=Q(investigated_at__isnull=False)),
            cl=Count("pk", filter=Q(status=Petition.Status.CLOSED)),
        )
    ):
        t = out[row["township_id"]]
        t["petitions_received"], t["petitions_forwarded"] = row["r"], row["fw"]
        t["petitions_investigated"], t["petitions_closed"] = row["inv"], row["cl"]
    return out


def data_year_queries(township_ids) -> list:
    """Years with supervision activities or rectification items."""
    from django.db.models.functions import ExtractYear

    from .models import Rectification, SupervisionActivity

    return [
        model.objects.filter(township_id__in=township_ids)
        .annotate(y=ExtractYear(field))
        .values_list("y", flat=True)
        .distinct()
        for model, field in ((SupervisionActivity, "start_date"), (Rectification, "assigned_on"))
    ]


def deputy_activity_records(lo, hi) -> list[tuple[QuerySet, str]]:
    """(rows, deputy field) of the supervision activities starting in [lo, hi] that the archive source
    counts for a deputy: taking part, or inspecting with the deputy's certificate (持证视察). ``lo``
    and ``hi`` are dates or expressions (``OuterRef``)."""
    return [
        (
            ActivityParticipant.objects.filter(activity__start_date__gte=lo, activity__start_date__lte=hi),
            "deputy",
        ),
        (SupervisionActivity.objects.filter(start_date__gte=lo, start_date__lte=hi), "certificate_holder"),
    ]
