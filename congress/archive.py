"""Performance-archive source: meetings attended, on leave and absent per deputy (sessions of the
congress and, for presidium members, presidium meetings). Two grouped queries for any number of deputies."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count

from presidium.registry import register_archive_source

from .models import Attendance, MeetingAttendance, PresidiumMeeting, Session

METRICS = {
    Attendance.Status.PRESENT: "meeting_attended",
    Attendance.Status.LEAVE: "meeting_leave",
    Attendance.Status.ABSENT: "meeting_absent",
}


def meetings(deputy_ids: list[int], start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
    """{deputy_id: {meeting_attended, meeting_leave, meeting_absent, presidium_meeting_attended, …}}.

    ``meeting_*`` counts congress sessions plus presidium meetings; ``presidium_meeting_*`` the latter alone."""
    out: dict[int, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys([*METRICS.values(), *(f"presidium_{m}" for m in METRICS.values())], 0)
    )
    sessions = (
        Attendance.objects.filter(
            deputy_id__in=deputy_ids, session__start_date__gte=start, session__start_date__lte=end
        )
        .exclude(session__status=Session.Status.CANCELLED)
        .values("deputy_id", "status")
        .annotate(n=Count("pk"))
    )
    for row in sessions:
        out[row["deputy_id"]][METRICS[row["status"]]] += row["n"]
    presidium = (
        MeetingAttendance.objects.filter(
            deputy_id__in=deputy_ids,
            meeting__date__gte=start,
            meeting__date__lte=end,
            meeting__status=PresidiumMeeting.Status.HELD,
        )
        .values("deputy_id", "status")
        .annotate(n=Count("pk"))
    )
    for row in presidium:
        metric = METRICS[row["status"]]
        out[row["deputy_id"]][metric] += row["n"]
        out[row["deputy_id"]][f"presidium_{metric}"] += row["n"]
    return {pk: dict(v) for pk, v in out.items()}


register_archive_source("congress", meetings)
