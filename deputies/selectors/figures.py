"""The deputies app's township figures (``township_stats``, read by dashboards and the annual
report): grouped set queries whatever the number of townships, and the years with data."""

import datetime as dt
from collections import defaultdict

from django.db.models import Case, Count, DateField, DateTimeField, Exists, OuterRef, Q, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from presidium.models import Township
from presidium.workdays import add_months

from ..models import (
    Activity,
    Deputy,
    DutyReport,
    ElectoralDistrict,
    ReceptionDay,
    Station,
    Training,
    VoterContact,
    VoterOpinion,
    serving_on_q,
)
from .archive import PASSIVE_METRICS, SIX_ONES_METRICS, collect_metrics

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


def _activity_tables(lo, hi, lo_dt, hi_dt) -> list:
    """(queryset, deputy field) per kind of record that makes an archive source report a non-passive
    metric (see PASSIVE_METRICS) for a deputy in [lo, hi]: the same filters as the sources. Each app
    gives its own rows through its selectors."""
    from congress.selectors import deputy_attendance_records
    from livelihood.selectors import deputy_project_records
    from reports.selectors import deputy_deed_records
    from suggestions.selectors import deputy_suggestion_records
    from supervision.selectors import deputy_activity_records

    return [
        # congress: meeting_attended / presidium_meeting_attended (leave and absence are passive)
        *deputy_attendance_records(lo, hi),
        # suggestions.made: suggestion (led, not merged; co-signed, confirmed)
        *deputy_suggestion_records(lo_dt, hi_dt),
        # supervision: supervision_activities (and its kinds), certificate_inspections
        *deputy_activity_records(lo, hi),
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
        *deputy_deed_records(lo, hi),
        # livelihood: livelihood_supervised, livelihood_proposed (a project belongs to its year)
        *deputy_project_records(lo, hi),
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
        from suggestions.selectors import deputy_suggestion_records

        led, joint = deputy_suggestion_records(_day_start(start), _day_start(end + dt.timedelta(days=1)))
        return [joint] if metric == "suggestion_joint" else [led, joint]
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
    return [
        model.objects.filter(township_id__in=township_ids)
        .annotate(y=ExtractYear("date"))
        .values_list("y", flat=True)
        .distinct()
        for model in (VoterContact, ReceptionDay, Training)
    ]
