"""Performance-archive source: the exemplary deeds recorded for each deputy (代表先进事迹)."""

import datetime as dt

from django.db.models import Count

from presidium.registry import register_archive_source

from .models import ExemplaryDeed


def exemplary_deeds(deputy_ids: list[int], start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
    """{deputy_id: {"exemplary_deed": n}} for deeds dated in [start, end]; one grouped query."""
    out = {d: {"exemplary_deed": 0} for d in deputy_ids}
    if not deputy_ids:
        return out
    for row in (
        ExemplaryDeed.objects.filter(deputy_id__in=deputy_ids, date__gte=start, date__lte=end)
        .values("deputy_id")
        .annotate(n=Count("pk"))
    ):
        out[row["deputy_id"]]["exemplary_deed"] = row["n"]
    return out


register_archive_source("exemplary_deeds", exemplary_deeds)
