"""Reads and visibility for deputies, the township figures (``township_stats``) and the performance
archive composed from every app's registered sources."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, QuerySet, Sum
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
    return scope(Deputy.objects.filter(status=Deputy.Status.SERVING), user).only("id", "name", "township_id")


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
    qs = scope(VoterOpinion.objects.select_related("station", "unit", "reception_day"), user)
    if role in ROSTER_ROLES:
        return qs
    if role == Role.UNIT:
        return qs.filter(unit_id=user.unit_id)
    if role == Role.DEPUTY:
        # Messages and visits at the stations the deputy serves (read-only).
        return qs.filter(station__in=Station.objects.filter(deputies__user_id=user.pk))
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


def district_vacancy_rows(township_id) -> list[dict]:
    """Each district with seats, serving township-level deputies and vacancies (one query)."""
    districts = (
        ElectoralDistrict.objects.filter(township_id=township_id)
        .annotate(
            serving=Count(
                "deputies",
                filter=Q(deputies__status=Deputy.Status.SERVING, deputies__level=Deputy.Level.TOWNSHIP),
            )
        )
        .order_by("name")
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
    qs = Deputy.objects.filter(township_id=township_id, status=Deputy.Status.SERVING)
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
    return {
        "total": total,
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
    "deputies_serving": _("在任代表数"),
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
    "six_ones_rate": _("“六个一”全部完成率(%)"),
}


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
    serving = Q(status=Deputy.Status.SERVING)
    deputy_counts = _count_by_township(
        Deputy.objects.filter(serving),
        township_ids,
        deputies_serving=Count("pk"),
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
                filter=Q(deputies__status=Deputy.Status.SERVING, deputies__level=Deputy.Level.TOWNSHIP),
            )
        )
        .values("township_id", "seats", "serving")
    )
    for d in districts:
        result[d["township_id"]]["district_vacancies"] += max(d["seats"] - d["serving"], 0)
    # Dormant deputies and six-ones completion: the archive over every serving deputy (set-based).
    deputies = list(
        Deputy.objects.filter(serving, township_id__in=township_ids).only(
            "id", "township_id", "status", "name_pinyin"
        )
    )
    townships = {t.pk: t for t in Township.objects.filter(pk__in=township_ids).select_related("county")}
    by_county = defaultdict(list)
    for d in deputies:
        by_county[townships[d.township_id].county_id].append(d)
    for county_id, group in by_county.items():
        rules = next(t for t in townships.values() if t.county_id == county_id).rules
        rows = archive_rows(group, start=start, end=end, rules=rules, today=min(end, timezone.localdate()))
        complete = defaultdict(int)
        for row in rows:
            tid = row["deputy"].township_id
            if row["dormant"]:
                result[tid]["deputies_dormant"] += 1
            if row["six_ones"] and row["six_ones_met"] == len(row["six_ones"]):
                complete[tid] += 1
        for tid in {d.township_id for d in group}:
            serving_n = result[tid]["deputies_serving"]
            result[tid]["six_ones_rate"] = round(100 * complete[tid] / serving_n, 1) if serving_n else 0
    return result


def training_hours_total(qs) -> float:
    return float(qs.aggregate(h=Sum("hours"))["h"] or 0)
