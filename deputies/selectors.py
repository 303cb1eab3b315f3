"""Reads and visibility for deputies, the township figures (``township_stats``) and the performance
archive composed from every app's registered sources."""

import datetime as dt
from collections import defaultdict

from django.db.models import (
    Case,
    Count,
    DateField,
    DateTimeField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from presidium.models import Role, Township
from presidium.selectors import principal_role, scope
from presidium.workdays import add_months

from .models import (
    Activity,
    Deputy,
    DeputyGroup,
    DutyReport,
    ElectoralDistrict,
    ReceptionDay,
    Station,
    Term,
    Training,
    VoterContact,
    VoterOpinion,
    serving_on_q,
)

# Roles that read the township roster; a deputy reads only their own record; unit officers nothing.
ROSTER_ROLES = (Role.STAFF, Role.COUNTY, Role.ADMIN, "api")


def deputies_visible_to(user) -> QuerySet[Deputy]:
    """Staff see their township's roster, county staff (and API keys) their county's, a deputy only
    their own record, a unit officer none."""
    qs = scope(Deputy.objects.select_related("township", "term", "district", "group"), user)
    role = principal_role(user)
    if role in ROSTER_ROLES:
        return qs
    if role == Role.DEPUTY:
        return qs.filter(user_id=user.pk)
    return qs.none()


def deputy_directory(user) -> QuerySet[Deputy]:
    """Names of the serving deputies of the user's township, for pickers (co-signers, duty rosters).
    Views built on it must show names only, never phones or certificates."""
    role = principal_role(user)
    if role is None or role == Role.UNIT:
        return Deputy.objects.none()
    return (
        scope(Deputy.objects.serving(), user)
        .select_related("district")
        .only("id", "name", "township_id", "birth_date", "district__name")
    )


def deputy_for_user(user) -> Deputy | None:
    if principal_role(user) != Role.DEPUTY:
        return None
    return Deputy.objects.select_related("township", "term", "district", "group").filter(user=user).first()


def current_term(township) -> Term | None:
    return Term.objects.filter(township=township).order_by("-number").first()


def terms_visible_to(user) -> QuerySet[Term]:
    if principal_role(user) not in ROSTER_ROLES:
        return Term.objects.none()
    return scope(Term.objects.select_related("township"), user)


def districts_visible_to(user) -> QuerySet[ElectoralDistrict]:
    if principal_role(user) not in ROSTER_ROLES:
        return ElectoralDistrict.objects.none()
    return scope(ElectoralDistrict.objects.select_related("township"), user)


def groups_visible_to(user) -> QuerySet[DeputyGroup]:
    if principal_role(user) not in ROSTER_ROLES:
        return DeputyGroup.objects.none()
    return scope(DeputyGroup.objects.select_related("township", "leader"), user)


def stations_visible_to(user) -> QuerySet[Station]:
    if principal_role(user) not in ROSTER_ROLES:
        return Station.objects.none()
    return scope(Station.objects.select_related("township"), user)


def reception_days_visible_to(user) -> QuerySet[ReceptionDay]:
    if principal_role(user) not in ROSTER_ROLES:
        return ReceptionDay.objects.none()
    return scope(ReceptionDay.objects.select_related("station"), user)


def voter_opinions_visible_to(user) -> QuerySet[VoterOpinion]:
    """Staff/county: their township(s). A unit officer: opinions forwarded to their unit. A deputy:
    opinions left at the stations they serve."""
    role = principal_role(user)
    qs = scope(VoterOpinion.objects.select_related("station", "unit", "reception_day", "deputy"), user)
    if role in ROSTER_ROLES:
        return qs
    if role == Role.UNIT:
        return qs.filter(unit_id=user.unit_id)
    if role == Role.DEPUTY:
        # Messages and visits at the stations the deputy serves (read-only), and the messages
        # voters left through the deputy's own code (代表码), which the deputy answers.
        return qs.filter(
            Q(station__in=Station.objects.filter(deputies__user_id=user.pk)) | Q(deputy__user_id=user.pk)
        )
    return qs.none()


def _records(model, user):
    role = principal_role(user)
    qs = scope(model.objects.all(), user)
    if role in ROSTER_ROLES:
        return qs
    if role == Role.DEPUTY:
        deputy_field = "deputy__user_id" if hasattr(model, "deputy") else None
        if deputy_field is None:
            field = "attendees" if model is Training else "deputies"
            return qs.filter(**{f"{field}__user_id": user.pk}).distinct()
        return qs.filter(**{deputy_field: user.pk})
    return qs.none()


def voter_contacts_visible_to(user):
    return _records(VoterContact, user).select_related("deputy")


def duty_reports_visible_to(user):
    return _records(DutyReport, user).select_related("deputy")


def trainings_visible_to(user):
    return _records(Training, user).annotate(attendee_count=Count("attendees", distinct=True))


def activities_visible_to(user):
    return (
        _records(Activity, user)
        .select_related("group")
        .annotate(deputy_count=Count("deputies", distinct=True))
    )


def search_deputies(qs: QuerySet[Deputy], q: str) -> QuerySet[Deputy]:
    """Name, full pinyin (zhangsan), initials (zs) or certificate number."""
    q = (q or "").strip()
    if not q:
        return qs
    lowered = q.lower().replace(" ", "")
    return qs.filter(
        Q(name__icontains=q)
        | Q(name_pinyin__startswith=lowered)
        | Q(name_initials__startswith=lowered)
        | Q(certificate_no__icontains=q)
    )


# --- Vacancies and composition -------------------------------------------------------------------


def district_vacancy_rows(township_id, on: dt.date | None = None) -> list[dict]:
    """Each district with seats, township-level deputies in service on ``on`` (today) and vacancies
    (one query)."""
    on = on or timezone.localdate()
    districts = (
        ElectoralDistrict.objects.filter(township_id=township_id)
        .annotate(
            serving=Count(
                "deputies",
                filter=serving_on_q(on, "deputies__") & Q(deputies__level=Deputy.Level.TOWNSHIP),
            )
        )
        .order_by("sort_key", "name")
    )
    return [
        {"district": d, "seats": d.seats, "serving": d.serving, "vacancies": max(d.seats - d.serving, 0)}
        for d in districts
    ]


AGE_BANDS = (
    (0, 35, _("35岁及以下")),
    (36, 45, _("36-45岁")),
    (46, 55, _("46-55岁")),
    (56, 200, _("56岁及以上")),
)


def _age(birth: dt.date | None, on: dt.date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def composition(*, township_id: int, term_id: int | None = None, on: dt.date | None = None) -> dict:
    """代表结构 of the serving deputies: counts and percentages per dimension (one query) and the
    cadre-share warning against the county's threshold."""
    on = on or timezone.localdate()
    qs = Deputy.objects.filter(township_id=township_id).serving(on)
    if term_id:
        qs = qs.filter(term_id=term_id)
    rows = list(
        qs.values(
            "gender", "party", "occupation", "education", "ethnicity", "birth_date", "is_reelected", "level"
        )
    )
    total = len(rows)

    def pct(n):
        return round(100 * n / total, 1) if total else 0.0

    def dimension(key, choices):
        counts = defaultdict(int)
        for r in rows:
            counts[r[key]] += 1
        labels = dict(choices)
        return [
            {"label": labels.get(k, k or _("未填")), "count": n, "percent": pct(n)}
            for k, n in sorted(counts.items(), key=lambda kv: -kv[1])
        ]

    ages = [_age(r["birth_date"], on) for r in rows]
    age_rows = []
    for low, high, label in AGE_BANDS:
        n = sum(1 for a in ages if a is not None and low <= a <= high)
        age_rows.append({"label": label, "count": n, "percent": pct(n)})
    unknown = sum(1 for a in ages if a is None)
    if unknown:
        age_rows.append({"label": _("未填"), "count": unknown, "percent": pct(unknown)})
    minority = sum(1 for r in rows if r["ethnicity"] and r["ethnicity"] != "汉族")
    reelected = sum(1 for r in rows if r["is_reelected"])
    women = sum(1 for r in rows if r["gender"] == Deputy.Gender.FEMALE)
    cadres = sum(1 for r in rows if r["occupation"] == Deputy.Occupation.CADRE)
    township = Township.objects.select_related("county").get(pk=township_id)
    threshold = township.rules.cadre_share_warning_percent
    township_level = sum(1 for r in rows if r["level"] == Deputy.Level.TOWNSHIP)
    return {
        "total": total,
        # The township congress's own deputies (the base of quorum and majority) and the county- or
        # city-level deputies organised in the township, who are counted in "在任代表" but not there.
        "township_level": township_level,
        "higher_level": total - township_level,
        "dimensions": [
            (_("代表结构类别"), dimension("occupation", Deputy.Occupation.choices)),
            (_("性别"), dimension("gender", Deputy.Gender.choices)),
            (_("政治面貌"), dimension("party", Deputy.Party.choices)),
            (_("民族"), dimension("ethnicity", [])),
            (_("年龄"), age_rows),
            (_("文化程度"), dimension("education", Deputy.Education.choices)),
            (_("代表层级"), dimension("level", Deputy.Level.choices)),
        ],
        "highlights": [
            {"label": _("妇女代表"), "count": women, "percent": pct(women)},
            {"label": _("少数民族代表"), "count": minority, "percent": pct(minority)},
            {"label": _("连任代表"), "count": reelected, "percent": pct(reelected)},
            {"label": _("党政干部代表"), "count": cadres, "percent": pct(cadres)},
        ],
        "cadre_percent": pct(cadres),
        "cadre_threshold": threshold,
        "cadre_warning": total > 0 and pct(cadres) > threshold,
    }


# --- Performance archive ---------------------------------------------------------------------------

# Metric names shared with other apps' archive sources (see docs/DEVELOPING.md):
#   congress:    meeting_attended, meeting_leave, meeting_absent
#   suggestions: suggestion, suggestion_resolved (any further keys are shown too)
#   supervision: inspection
#   deputies:    voter_contact, voters_visited, reception_duty, training, training_hours, duty_report,
#                activity, group_activity, voter_forum, practical_deed, needy_household, dispute_mediation
METRIC_LABELS = {
    "meeting_attended": _("出席会议"),
    "meeting_leave": _("请假"),
    "meeting_absent": _("缺席会议"),
    "activity": _("参加活动(含监督活动)"),
    "group_activity": _("小组活动"),
    "exemplary_deed": _("先进事迹"),
    "inspection": _("参加视察检查"),
    "voter_contact": _("联系选民"),
    "voters_visited": _("走访选民"),
    "reception_duty": _("接待选民日值班"),
    "suggestion": _("提出建议"),
    "suggestion_resolved": _("建议已解决"),
    "suggestion_joint": _("联名建议"),
    "suggestion_accepted": _("建议被立案"),
    "supervision_activities": _("参加监督活动"),
    "inspections": _("视察"),
    "law_enforcement_inspections": _("执法检查"),
    "research": _("调研"),
    "appraisals": _("评议"),
    "certificate_inspections": _("持证视察"),
    "livelihood_supervised": _("监督民生实事项目"),
    "livelihood_proposed": _("提出民生实事候选项目"),
    "presidium_meeting_attended": _("出席主席团会议"),
    "presidium_meeting_leave": _("主席团会议请假"),
    "presidium_meeting_absent": _("主席团会议缺席"),
    "training": _("参加培训"),
    "training_hours": _("培训学时"),
    "duty_report": _("向选民述职"),
    "voter_forum": _("选民座谈会"),
    "practical_deed": _("为民办实事"),
    "needy_household": _("帮扶困难户"),
    "dispute_mediation": _("调解矛盾纠纷"),
    "six_ones_item": _("“六个一”完成项"),
}
# "Six ones" target key (CountyRules.six_ones_targets) → metric counted for it.
SIX_ONES_METRICS = {
    "voters_visited": ("voters_visited", _("走访选民")),
    "voter_forums": ("voter_forum", _("召开选民座谈会")),
    "suggestions": ("suggestion", _("提出有价值的建议")),
    "practical_deeds": ("practical_deed", _("为民办实事")),
    "needy_households_helped": ("needy_household", _("帮扶困难户")),
    "disputes_mediated": ("dispute_mediation", _("调解矛盾纠纷")),
}
# A score line may count several metrics: the "activity" line covers the deputies app's activities
# and the supervision activities a deputy joined (both are "activities" in the archive).
SCORE_LINE_METRICS = {"activity": ("activity", "supervision_activities")}
# Metrics that show a deputy was active (dormancy ignores leave/absence).
PASSIVE_METRICS = {
    "meeting_leave",
    "meeting_absent",
    "presidium_meeting_leave",
    "presidium_meeting_absent",
    "training_hours",
    "suggestion_resolved",
    "suggestion_accepted",
}


def collect_metrics(deputy_ids: list[int], start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
    """Merge every registered archive source: {deputy_id: {metric: count}} (sums across sources)."""
    from presidium.registry import archive_sources

    merged: dict[int, dict[str, int]] = {pk: defaultdict(int) for pk in deputy_ids}
    if not deputy_ids:
        return merged
    for _name, fn in sorted(archive_sources().items()):
        for deputy_id, metrics in (fn(deputy_ids, start, end) or {}).items():
            if deputy_id in merged:
                for metric, value in metrics.items():
                    merged[deputy_id][metric] += value or 0
    return merged


def score_lines(metrics: dict[str, int], rules) -> tuple[list[dict], list[dict], int]:
    """(score lines, six-ones lines, total): each line shows the count, points per item, cap and the
    points it earned, so the formula is transparent."""
    six_lines = []
    for key, target in rules.six_ones_targets.items():
        metric, label = SIX_ONES_METRICS.get(key, (key, key))
        done = metrics.get(metric, 0)
        six_lines.append({"key": key, "label": label, "target": target, "done": done, "met": done >= target})
    counts = dict(metrics)
    counts["six_ones_item"] = sum(1 for line in six_lines if line["met"])
    lines, total = [], 0
    for metric, weight in rules.archive_weights.items():
        count = sum(counts.get(m, 0) for m in SCORE_LINE_METRICS.get(metric, (metric,)))
        per, cap = weight.get("points", 0), weight.get("cap")
        raw = count * per
        points = raw
        if cap is not None:
            points = max(raw, cap) if per < 0 else min(raw, cap)
        lines.append(
            {
                "metric": metric,
                "label": METRIC_LABELS.get(metric, metric),
                "count": count,
                "per": per,
                "cap": cap,
                "points": points,
            }
        )
        total += points
    return lines, six_lines, total


def year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def archive_rows(deputies: list[Deputy], *, start: dt.date, end: dt.date, rules, today=None) -> list[dict]:
    """One row per deputy: metrics, score lines, six-ones, total, dormant flag. A fixed number of
    queries whatever the number of deputies (each source is set-based)."""
    today = today or timezone.localdate()
    ids = [d.pk for d in deputies]
    metrics = collect_metrics(ids, start, end)
    dormant_start = add_months(today, -rules.dormant_after_months)
    recent = collect_metrics(ids, dormant_start, today)
    rows = []
    for d in deputies:
        m = metrics[d.pk]
        lines, six_lines, total = score_lines(m, rules)
        active = sum(v for k, v in recent[d.pk].items() if k not in PASSIVE_METRICS and v > 0)
        rows.append(
            {
                "deputy": d,
                "metrics": dict(m),
                "lines": lines,
                "six_ones": six_lines,
                "six_ones_met": sum(1 for s in six_lines if s["met"]),
                "score": total,
                "dormant": d.status == Deputy.Status.SERVING and active == 0,
                "extra_metrics": [
                    (METRIC_LABELS.get(k, k), v)
                    for k, v in sorted(m.items())
                    if v and k not in rules.archive_weights
                ],
            }
        )
    return rows


def commendation_candidates(rows: list[dict], limit: int = 10) -> list[dict]:
    """Serving deputies who met every "six ones" target, best score first."""
    eligible = [
        r
        for r in rows
        if r["deputy"].status == Deputy.Status.SERVING
        and r["six_ones"]
        and r["six_ones_met"] == len(r["six_ones"])
    ]
    return sorted(eligible, key=lambda r: (-r["score"], r["deputy"].name_pinyin))[:limit]


# --- Township figures --------------------------------------------------------------------------------

STATS_LABELS = {
    # All serving deputies organised in the township, of every level; the congress's quorum and
    # majority count the township deputies only (congress.selectors.current_deputies).
    "deputies_serving": _("在任代表数(含编入本镇的县级以上代表)"),
    "deputies_serving_township": _("其中乡镇人大代表数(法定人数的基数)"),
    "deputies_serving_higher": _("其中县级以上人大代表数(不计入法定人数)"),
    "deputies_female": _("妇女代表数"),
    "deputies_cpc": _("中共党员代表数"),
    "deputies_cadre": _("党政干部代表数"),
    "deputies_farmer_worker": _("工人农民代表数"),
    "deputies_minority": _("少数民族代表数"),
    "deputies_reelected": _("连任代表数"),
    "deputies_dormant": _("无履职记录代表数"),
    "district_vacancies": _("代表缺额数"),
    "stations": _("家站点数"),
    "reception_days_held": _("接待选民日场次"),
    "reception_visitors": _("接待来访选民人次"),
    "voter_opinions": _("收集选民意见数"),
    "voter_opinions_converted": _("选民意见转为建议数"),
    "voter_contacts": _("代表联系选民次数"),
    "trainings": _("培训场次"),
    "training_person_times": _("培训人次"),
    "activities": _("代表活动次数"),
    "duty_reports": _("向选民述职人次"),
    "six_ones_complete": _("“六个一”全部完成代表数"),
    "six_ones_rate": _("“六个一”全部完成率(%)"),
}
# A county total recomputes a rate from the summed counts (dashboards), never averages the rates.
STATS_RATES = {"six_ones_rate": ("six_ones_complete", "deputies_serving")}


def _count_by_township(qs, township_ids, **annotations):
    out = defaultdict(dict)
    for row in qs.filter(township_id__in=township_ids).values("township_id").annotate(**annotations):
        tid = row.pop("township_id")
        out[tid].update(row)
    return out


def township_stats(*, township_ids: list[int], start: dt.date, end: dt.date) -> dict[int, dict]:
    """The deputies app's figures per township for [start, end] (grouped queries, never one per township)."""
    township_ids = list(township_ids)
    result = {tid: dict.fromkeys(STATS_LABELS, 0) for tid in township_ids}
    if not township_ids:
        return result
    # Deputies in service at the end of the period (or today): a past year's figures never change.
    on = min(end, timezone.localdate())
    serving = serving_on_q(on)
    deputy_counts = _count_by_township(
        Deputy.objects.filter(serving),
        township_ids,
        deputies_serving=Count("pk"),
        deputies_serving_township=Count("pk", filter=Q(level=Deputy.Level.TOWNSHIP)),
        deputies_serving_higher=Count("pk", filter=~Q(level=Deputy.Level.TOWNSHIP)),
        deputies_female=Count("pk", filter=Q(gender=Deputy.Gender.FEMALE)),
        deputies_cpc=Count("pk", filter=Q(party=Deputy.Party.CPC)),
        deputies_cadre=Count("pk", filter=Q(occupation=Deputy.Occupation.CADRE)),
        deputies_farmer_worker=Count(
            "pk", filter=Q(occupation__in=[Deputy.Occupation.FARMER, Deputy.Occupation.WORKER])
        ),
        deputies_minority=Count("pk", filter=~Q(ethnicity="汉族") & ~Q(ethnicity="")),
        deputies_reelected=Count("pk", filter=Q(is_reelected=True)),
    )
    in_range = Q(date__gte=start, date__lte=end)
    parts = [
        deputy_counts,
        _count_by_township(Station.objects.filter(is_active=True), township_ids, stations=Count("pk")),
        _count_by_township(
            ReceptionDay.objects.filter(in_range, status=ReceptionDay.Status.HELD),
            township_ids,
            reception_days_held=Count("pk"),
        ),
        _count_by_township(
            VoterOpinion.objects.filter(received_on__gte=start, received_on__lte=end),
            township_ids,
            voter_opinions=Count("pk"),
            reception_visitors=Count("pk", filter=Q(source=VoterOpinion.Source.RECEPTION)),
            voter_opinions_converted=Count("pk", filter=Q(status=VoterOpinion.Status.CONVERTED)),
        ),
        _count_by_township(VoterContact.objects.filter(in_range), township_ids, voter_contacts=Count("pk")),
        _count_by_township(
            Training.objects.filter(in_range),
            township_ids,
            trainings=Count("pk", distinct=True),
            training_person_times=Count("attendees"),
        ),
        _count_by_township(Activity.objects.filter(in_range), township_ids, activities=Count("pk")),
        _count_by_township(DutyReport.objects.filter(in_range), township_ids, duty_reports=Count("pk")),
    ]
    for part in parts:
        for tid, values in part.items():
            result[tid].update({k: v or 0 for k, v in values.items()})
    # Vacancies: seats minus serving township-level deputies, per district (one query).
    districts = (
        ElectoralDistrict.objects.filter(township_id__in=township_ids)
        .annotate(
            serving=Count(
                "deputies",
                filter=serving_on_q(on, "deputies__") & Q(deputies__level=Deputy.Level.TOWNSHIP),
            )
        )
        .values("township_id", "seats", "serving")
    )
    for d in districts:
        result[d["township_id"]]["district_vacancies"] += max(d["seats"] - d["serving"], 0)
    # Dormant deputies and six-ones completion: set queries over the activity tables, grouped by township.
    counties = _counties_of(township_ids)
    today = min(end, timezone.localdate())
    base = Deputy.objects.filter(serving, township_id__in=township_ids)  # in service on ``on``
    extra = _extra_sources()
    for tid, n in _dormant_by_township(base, counties, today, extra).items():
        result[tid]["deputies_dormant"] = n
    serving_by_township = {tid: values["deputies_serving"] for tid, values in result.items()}
    complete = _six_ones_complete_by_township(
        base, counties, start, end, serving_by_township, generic=bool(extra)
    )
    for tid, values in result.items():
        values["six_ones_complete"] = complete.get(tid, 0)
        if values["deputies_serving"]:
            values["six_ones_rate"] = round(100 * complete.get(tid, 0) / values["deputies_serving"], 1)
    return result


# The archive sources whose metrics the set queries below reproduce (``_activity_tables`` for dormancy,
# ``_metric_records`` for the six ones), with the sources' own filters. A source registered under another
# name still counts, the slow way (asked per call); a test checks that the registry matches this list.
ACTIVITY_SOURCES = frozenset(
    {
        "congress",
        "deputies.activities",
        "deputies.duty_reports",
        "deputies.reception_duty",
        "deputies.trainings",
        "deputies.voter_contacts",
        "exemplary_deeds",
        "livelihood",
        "suggestions.made",
        "supervision",
    }
)


def _extra_sources() -> dict:
    """Registered archive sources the set queries here do not cover (none unless an app adds one)."""
    from presidium.registry import archive_sources

    return {name: fn for name, fn in archive_sources().items() if name not in ACTIVITY_SOURCES}


def _counties_of(township_ids) -> dict:
    """{county_id: (County with its rules, [township ids])}: one query (rules missing are created on first use)."""
    townships = Township.objects.filter(pk__in=township_ids).select_related("county__countyrules")
    out = {}
    for t in townships:
        out.setdefault(t.county_id, (t.county, []))[1].append(t.pk)
    return out


def _received_between(lo, hi) -> Q:
    """``suggestions.selectors.received_in`` with datetime bounds given as expressions or values."""
    return Q(submitted_at__gte=lo, submitted_at__lt=hi) & ~Q(status="draft")


def _activity_tables(lo, hi, lo_dt, hi_dt) -> list:
    """(queryset, deputy field) per kind of record that makes an archive source report a non-passive
    metric (see PASSIVE_METRICS) for a deputy in [lo, hi]: the same filters as the sources."""
    from congress.models import Attendance, MeetingAttendance, PresidiumMeeting, Session
    from livelihood.models import Project
    from livelihood.selectors import PUBLISHED as LIVELIHOOD_PUBLISHED
    from reports.models import ExemplaryDeed
    from suggestions.models import CoSigner, Suggestion
    from supervision.models import ActivityParticipant, SupervisionActivity

    lo_year = ExtractYear(lo) if hasattr(lo, "resolve_expression") else lo.year
    hi_year = ExtractYear(hi) if hasattr(hi, "resolve_expression") else hi.year
    return [
        # congress: meeting_attended / presidium_meeting_attended (leave and absence are passive)
        (
            Attendance.objects.filter(
                status=Attendance.Status.PRESENT, session__start_date__gte=lo, session__start_date__lte=hi
            ).exclude(session__status=Session.Status.CANCELLED),
            "deputy",
        ),
        (
            MeetingAttendance.objects.filter(
                status=Attendance.Status.PRESENT,
                meeting__date__gte=lo,
                meeting__date__lte=hi,
                meeting__status=PresidiumMeeting.Status.HELD,
            ),
            "deputy",
        ),
        # suggestions.made: suggestion (led, not merged; co-signed, confirmed)
        (Suggestion.objects.filter(_received_between(lo_dt, hi_dt)).exclude(status="merged"), "lead_deputy"),
        (
            CoSigner.objects.filter(
                state=CoSigner.State.CONFIRMED,
                suggestion__submitted_at__gte=lo_dt,
                suggestion__submitted_at__lt=hi_dt,
            ).exclude(suggestion__status="draft"),
            "deputy",
        ),
        # supervision: supervision_activities (and its kinds), certificate_inspections
        (
            ActivityParticipant.objects.filter(activity__start_date__gte=lo, activity__start_date__lte=hi),
            "deputy",
        ),
        (SupervisionActivity.objects.filter(start_date__gte=lo, start_date__lte=hi), "certificate_holder"),
        # deputies: voter_contact, reception_duty, training, activity, duty_report
        (VoterContact.objects.filter(date__gte=lo, date__lte=hi), "deputy"),
        (
            ReceptionDay.deputies.through.objects.filter(
                receptionday__date__gte=lo,
                receptionday__date__lte=hi,
                receptionday__status=ReceptionDay.Status.HELD,
            ),
            "deputy",
        ),
        (Training.attendees.through.objects.filter(training__date__gte=lo, training__date__lte=hi), "deputy"),
        (Activity.deputies.through.objects.filter(activity__date__gte=lo, activity__date__lte=hi), "deputy"),
        (DutyReport.objects.filter(date__gte=lo, date__lte=hi), "deputy"),
        # exemplary_deeds (reports app): exemplary_deed
        (ExemplaryDeed.objects.filter(date__gte=lo, date__lte=hi), "deputy"),
        # livelihood: livelihood_supervised, livelihood_proposed (a project belongs to its year)
        (
            Project.supervisors.through.objects.filter(
                project__status__in=Project.CARRIED, project__year__gte=lo_year, project__year__lte=hi_year
            ),
            "deputy",
        ),
        (
            Project.proposers.through.objects.filter(
                project__status__in=LIVELIHOOD_PUBLISHED,
                project__year__gte=lo_year,
                project__year__lte=hi_year,
            ),
            "deputy",
        ),
    ]


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _dormant_by_township(base, counties, today, extra_sources) -> dict[int, int]:
    """Serving deputies with no non-passive record in their county's dormancy window (``archive_rows``'
    "dormant"): one query, NOT EXISTS per activity table, the window start following each county's rules.
    Sources outside ACTIVITY_SOURCES (if any) are then asked about the remaining deputies only."""
    windows = defaultdict(list)  # window start -> township ids of the counties using it
    for county, tids in counties.values():
        windows[add_months(today, -county.rules.dormant_after_months)].extend(tids)
    if not windows:
        return {}
    if len(windows) == 1:
        (lo,) = windows
        qs = base.annotate(_lo=Value(lo, output_field=DateField()), _lo_dt=Value(_day_start(lo)))
    else:
        qs = base.annotate(
            _lo=Case(
                *(When(township_id__in=tids, then=Value(lo)) for lo, tids in windows.items()),
                output_field=DateField(),
            ),
            _lo_dt=Case(
                *(When(township_id__in=tids, then=Value(_day_start(lo))) for lo, tids in windows.items()),
                output_field=DateTimeField(),
            ),
        )
    hi_dt = _day_start(today + dt.timedelta(days=1))
    for table, field in _activity_tables(OuterRef("_lo"), today, OuterRef("_lo_dt"), hi_dt):
        qs = qs.filter(~Exists(table.filter(**{field: OuterRef("pk")})))
    if not extra_sources:
        return dict(
            qs.values("township_id").annotate(n=Count("pk")).values_list("township_id", "n").order_by()
        )
    candidates = defaultdict(dict)  # window start -> {deputy id: township id}
    for pk, tid, lo in qs.values_list("pk", "township_id", "_lo"):
        candidates[lo][pk] = tid
    out = defaultdict(int)
    for lo, deputies in candidates.items():
        active = set()
        for _name, fn in sorted(extra_sources.items()):
            for pk, metrics in (fn(list(deputies), lo, today) or {}).items():
                if any(v and v > 0 for k, v in metrics.items() if k not in PASSIVE_METRICS):
                    active.add(pk)
        for pk, tid in deputies.items():
            if pk not in active:
                out[tid] += 1
    return out


def _metric_records(metric: str, start: dt.date, end: dt.date) -> list | None:
    """[(queryset, deputy field)] whose rows the sources count for ``metric`` in [start, end] (summed over
    the tables), or None when the metric has no set query here (then the archive sources are asked)."""
    in_range = Q(date__gte=start, date__lte=end)
    if metric == "voter_contact":
        return [(VoterContact.objects.filter(in_range), "deputy")]
    if metric == "voters_visited":
        visits = VoterContact.objects.filter(
            in_range, way__in=[VoterContact.Way.VISIT, VoterContact.Way.FORUM]
        )
        return [(visits, "deputy")]
    if metric == "duty_report":
        return [(DutyReport.objects.filter(in_range), "deputy")]
    if metric == "activity" or metric in Activity.Kind.values:
        qs = Activity.deputies.through.objects.filter(activity__date__gte=start, activity__date__lte=end)
        return [(qs if metric == "activity" else qs.filter(activity__kind=metric), "deputy")]
    if metric in ("suggestion", "suggestion_joint"):
        from suggestions.models import CoSigner, Suggestion

        received = _received_between(_day_start(start), _day_start(end + dt.timedelta(days=1)))
        joint = CoSigner.objects.filter(
            state=CoSigner.State.CONFIRMED, suggestion__in=Suggestion.objects.filter(received)
        )
        if metric == "suggestion_joint":
            return [(joint, "deputy")]
        return [
            (Suggestion.objects.filter(received).exclude(status="merged"), "lead_deputy"),
            (joint, "deputy"),
        ]
    return None


def _metric_counts(records, township_ids, at_least: int, on: dt.date) -> dict[int, tuple[int, int]]:
    """{deputy id: (township id, rows)} for the serving deputies of the townships: one grouped query per
    table; with a single table, only the deputies reaching ``at_least``."""
    counts: dict[int, list] = {}
    for qs, field in records:
        rows = (
            qs.filter(serving_on_q(on, f"{field}__"), **{f"{field}__township_id__in": township_ids})
            .values(field, f"{field}__township_id")
            .annotate(_n=Count("pk"))
            .order_by()
        )
        if len(records) == 1:
            rows = rows.filter(_n__gte=at_least)
        for deputy_id, tid, n in rows.values_list(field, f"{field}__township_id", "_n"):
            counts.setdefault(deputy_id, [tid, 0])[1] += n
    return {pk: (tid, n) for pk, (tid, n) in counts.items()}


def _six_ones_complete_by_township(base, counties, start, end, serving, *, generic=False) -> dict[int, int]:
    """Serving deputies who met every "six ones" target of their county in [start, end] (``archive_rows``'
    six_ones_met == len(six_ones)), per township. One grouped query per metric the targets name (whatever
    the number of townships or counties), then a pass over the deputies those return. Counties whose targets
    name a metric without a set query here (all, when ``generic``: sources outside ACTIVITY_SOURCES are
    registered) are computed from the archive sources (one call for all of them)."""
    by_targets = defaultdict(list)  # targets -> township ids of the counties that set them
    for county, tids in counties.values():
        targets = county.rules.six_ones_targets
        if targets:  # no targets: nobody "completed" them
            by_targets[tuple(sorted(targets.items()))].extend(tids)
    out = defaultdict(int)
    records, lowest, configs, fallback = {}, {}, [], {}
    for targets, tids in by_targets.items():
        needs = [(SIX_ONES_METRICS.get(key, (key, key))[0], target) for key, target in targets]
        needs = [(metric, target) for metric, target in needs if target > 0]  # 0 is always met
        for metric, _target in needs:
            if metric not in records:
                records[metric] = None if generic else _metric_records(metric, start, end)
        if any(records[metric] is None for metric, _target in needs):
            fallback.update((tid, dict(targets)) for tid in tids)
        elif not needs:
            for tid in tids:
                out[tid] = serving.get(tid, 0)
        else:
            configs.append((needs, tids))
            for metric, target in needs:
                lowest[metric] = min(lowest.get(metric, target), target)
    if configs:
        in_scope = [tid for _needs, tids in configs for tid in tids]
        counts = {
            metric: _metric_counts(records[metric], in_scope, lowest[metric], min(end, timezone.localdate()))
            for metric in lowest
        }
        for needs, tids in configs:
            tids = set(tids)
            (first, first_target), rest = needs[0], needs[1:]
            for pk, (tid, n) in counts[first].items():
                if (
                    tid in tids
                    and n >= first_target
                    and all(counts[m].get(pk, (tid, 0))[1] >= t for m, t in rest)
                ):
                    out[tid] += 1
    if fallback:
        deputies = list(base.filter(township_id__in=fallback).values_list("pk", "township_id"))
        metrics = collect_metrics([pk for pk, _tid in deputies], start, end)
        for pk, tid in deputies:
            m = metrics[pk]
            if all(m.get(SIX_ONES_METRICS.get(k, (k, k))[0], 0) >= t for k, t in fallback[tid].items()):
                out[tid] += 1
    return out


def training_hours_total(qs) -> float:
    return float(qs.aggregate(h=Sum("hours"))["h"] or 0)


def data_year_queries(township_ids) -> list:
    """Years with deputies' activity records (voter contacts, reception days, trainings)."""
    from django.db.models.functions import ExtractYear

    return [
        model.objects.filter(township_id__in=township_ids)
        .annotate(y=ExtractYear("date"))
        .values_list("y", flat=True)
        .distinct()
        for model in (VoterContact, ReceptionDay, Training)
    ]
