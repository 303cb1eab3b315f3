"""The performance archive (履职档案): every app's registered sources merged per deputy, the score
lines and "six ones" against the county's rules, dormancy and commendation candidates."""

import datetime as dt
from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from presidium.workdays import add_months

from ..models import Deputy
from .visibility import deputies_visible_to

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


def township_archive_rows(user, *, township, year: int) -> list[dict]:
    """The year's archive of the township's serving deputies the user sees, best score first."""
    start, end = year_range(year)
    deputies = list(deputies_visible_to(user).filter(township=township).serving().order_by("name_pinyin"))
    rows = archive_rows(deputies, start=start, end=end, rules=township.rules)
    rows.sort(key=lambda r: (-r["score"], r["deputy"].name_pinyin))
    return rows
