"""The congress figures per township for dashboards and the annual report, and the years with data."""

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import (
    AgendaItem,
    Election,
    Motion,
    PresidiumMeeting,
    Session,
    Vote,
)
from .checks import late_documents_q
from .presidium import meeting_gaps, rules_by_township

STATS_LABELS = {
    "sessions_held": _("召开人代会次数"),
    "sessions_ordinary": _("其中例会"),
    "sessions_extraordinary": _("其中临时会议"),
    "sessions_required": _("应召开人代会次数"),
    "reports_reviewed": _("听取审议工作报告数"),
    "resolutions_passed": _("通过决议决定数"),
    "elections_held": _("选举(补选)次数"),
    "motions_received": _("收到议案数"),
    "presidium_meetings_held": _("召开主席团会议次数"),
    "quarters_without_presidium_meeting": _("未召开主席团会议的季度数"),
    "late_report_documents": _("未提前送达代表的报告数"),
    "sessions_opened_unprepared": _("筹备未落实即开幕的会议次数"),
}


# No rates among the congress figures (see presidium.figures).
STATS_RATES: dict[str, tuple[str, str]] = {}


HELD = [Session.Status.IN_SESSION, Session.Status.CLOSED]


def township_stats(*, township_ids: list[int], start: dt.date, end: dt.date) -> dict[int, dict]:
    """Congress figures per township for [start, end]; grouped queries, never one per township."""
    today = timezone.localdate()
    out = {tid: dict.fromkeys(STATS_LABELS, 0) for tid in township_ids}
    in_range = Q(start_date__gte=start, start_date__lte=end)
    for row in (
        Session.objects.filter(in_range, township_id__in=township_ids, status__in=HELD)
        .values("township_id")
        .annotate(
            n=Count("pk"),
            ordinary=Count("pk", filter=Q(kind=Session.Kind.ORDINARY)),
            extra=Count("pk", filter=Q(kind=Session.Kind.EXTRAORDINARY)),
            unprepared=Count("pk", filter=~Q(opening_flags=[])),
        )
    ):
        o = out[row["township_id"]]
        o["sessions_held"], o["sessions_ordinary"], o["sessions_extraordinary"] = (
            row["n"],
            row["ordinary"],
            row["extra"],
        )
        o["sessions_opened_unprepared"] = row["unprepared"]
    item_range = Q(
        session__start_date__gte=start, session__start_date__lte=end, session__township_id__in=township_ids
    )
    for row in (
        AgendaItem.objects.filter(item_range, session__status__in=HELD)
        .values("session__township_id")
        .annotate(reports=Count("pk", filter=Q(kind__in=AgendaItem.REPORT_KINDS)))
    ):
        out[row["session__township_id"]]["reports_reviewed"] = row["reports"]
    for row in (
        AgendaItem.objects.filter(item_range, session__start_date__lte=today)
        .exclude(session__status=Session.Status.CANCELLED)
        .filter(late_documents_q())
        .values("session__township_id")
        .annotate(n=Count("pk"))
    ):
        out[row["session__township_id"]]["late_report_documents"] = row["n"]
    for row in (
        Vote.objects.filter(
            agenda_item__session__start_date__gte=start,
            agenda_item__session__start_date__lte=end,
            agenda_item__session__township_id__in=township_ids,
            agenda_item__kind=AgendaItem.Kind.RESOLUTION,
            passed=True,
        )
        .values("agenda_item__session__township_id")
        .annotate(n=Count("pk"))
    ):
        out[row["agenda_item__session__township_id"]]["resolutions_passed"] = row["n"]
    for row in (
        Election.objects.filter(item_range, held_at__isnull=False)
        .values("session__township_id")
        .annotate(n=Count("pk"))
    ):
        out[row["session__township_id"]]["elections_held"] = row["n"]
    for row in Motion.objects.filter(item_range).values("session__township_id").annotate(n=Count("pk")):
        out[row["session__township_id"]]["motions_received"] = row["n"]
    for row in (
        PresidiumMeeting.objects.filter(
            township_id__in=township_ids, status=PresidiumMeeting.Status.HELD, date__gte=start, date__lte=end
        )
        .values("township_id")
        .annotate(n=Count("pk"))
    ):
        out[row["township_id"]]["presidium_meetings_held"] = row["n"]
    for tid, gaps in meeting_gaps(township_ids, start, end, today).items():
        out[tid]["quarters_without_presidium_meeting"] = len(gaps)
    # Sessions required: the yearly number, pro rata over the months of the range.
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    for tid, rules in rules_by_township(township_ids).items():
        out[tid]["sessions_required"] = round(rules.sessions_per_year * months / 12)
    return out


def data_year_queries(township_ids) -> list:
    """Years with sessions or presidium meetings (planned ones included)."""
    from django.db.models.functions import ExtractYear

    return [
        Session.objects.filter(township_id__in=township_ids)
        .annotate(y=ExtractYear("start_date"))
        .values_list("y", flat=True)
        .distinct(),
        PresidiumMeeting.objects.filter(township_id__in=township_ids)
        .annotate(y=ExtractYear("date"))
        .values_list("y", flat=True)
        .distinct(),
    ]
