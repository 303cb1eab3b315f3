"""Performance-archive source: supervision activities each deputy took part in (履职档案)."""

import datetime as dt

from django.db.models import Count, Q

from presidium.registry import register_archive_source

from .models import ActivityKind, ActivityParticipant, SupervisionActivity

METRICS = (
    "supervision_activities",
    "inspections",
    "law_enforcement_inspections",
    "research",
    "appraisals",
    "certificate_inspections",
)


def supervision_participation(
    deputy_ids: list[int], start: dt.date, end: dt.date
) -> dict[int, dict[str, int]]:
    """{deputy_id: {metric: count}} for activities starting in [start, end]; two grouped queries."""
    out = {d: dict.fromkeys(METRICS, 0) for d in deputy_ids}
    if not deputy_ids:
        return out
    rows = (
        ActivityParticipant.objects.filter(
            deputy_id__in=deputy_ids, activity__start_date__gte=start, activity__start_date__lte=end
        )
        .values("deputy_id")
        .annotate(
            total=Count("pk"),
            inspections=Count("pk", filter=Q(activity__kind=ActivityKind.INSPECTION)),
            law=Count("pk", filter=Q(activity__kind=ActivityKind.LAW_ENFORCEMENT)),
            research=Count("pk", filter=Q(activity__kind=ActivityKind.RESEARCH)),
            appraisals=Count("pk", filter=Q(activity__kind=ActivityKind.APPRAISAL)),
        )
    )
    for r in rows:
        out[r["deputy_id"]].update(
            supervision_activities=r["total"],
            inspections=r["inspections"],
            law_enforcement_inspections=r["law"],
            research=r["research"],
            appraisals=r["appraisals"],
        )
    for r in (
        SupervisionActivity.objects.filter(
            certificate_holder_id__in=deputy_ids, start_date__gte=start, start_date__lte=end
        )
        .values("certificate_holder_id")
        .annotate(n=Count("pk"))
    ):
        out[r["certificate_holder_id"]]["certificate_inspections"] = r["n"]
    return out


register_archive_source("supervision", supervision_participation)
