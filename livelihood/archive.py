"""Performance-archive source (履职档案): the livelihood projects a deputy supervised in a
supervision group, and those the deputy proposed that reached the candidate list, in the years the
period touches. One grouped query whatever the number of deputies."""

import datetime as dt

from django.db.models import Count, Q

from deputies.models import Deputy
from presidium.registry import register_archive_source

from .models import Project
from .selectors import PUBLISHED

METRICS = ("livelihood_supervised", "livelihood_proposed")


def livelihood_participation(
    deputy_ids: list[int], start: dt.date, end: dt.date
) -> dict[int, dict[str, int]]:
    out = {d: dict.fromkeys(METRICS, 0) for d in deputy_ids}
    if not deputy_ids:
        return out
    in_years = {"year__gte": start.year, "year__lte": end.year}
    supervised = Project.objects.filter(status__in=Project.CARRIED, **in_years)
    proposed = Project.objects.filter(status__in=PUBLISHED, **in_years)
    rows = (
        Deputy.objects.filter(pk__in=deputy_ids)
        .annotate(
            sup=Count(
                "supervised_livelihood_projects",
                filter=Q(supervised_livelihood_projects__in=supervised),
                distinct=True,
            ),
            prop=Count(
                "proposed_livelihood_projects",
                filter=Q(proposed_livelihood_projects__in=proposed),
                distinct=True,
            ),
        )
        .filter(Q(sup__gt=0) | Q(prop__gt=0))
        .values_list("pk", "sup", "prop")
    )
    for pk, sup, prop in rows:
        out[pk].update(livelihood_supervised=sup, livelihood_proposed=prop)
    return out


register_archive_source("livelihood", livelihood_participation)
