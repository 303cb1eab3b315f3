"""The deputies app's performance-archive sources: voter contacts, reception duty, trainings,
activities (incl. the "six ones" deeds) and duty reports. Each is one or two grouped queries,
whatever the number of deputies. Metric names are listed in ``deputies.selectors.METRIC_LABELS``."""

from collections import defaultdict

from django.db.models import Count, Sum

from presidium.registry import register_archive_source

from .models import Activity, DutyReport, ReceptionDay, Training, VoterContact


def _out():
    return defaultdict(dict)


def voter_contacts(deputy_ids, start, end):
    out = _out()
    rows = (
        VoterContact.objects.filter(deputy_id__in=deputy_ids, date__gte=start, date__lte=end)
        .values("deputy_id")
        .annotate(n=Count("pk"), visits=Count("pk", filter=_visit_q()))
    )
    for r in rows:
        out[r["deputy_id"]].update(voter_contact=r["n"], voters_visited=r["visits"])
    return out


def _visit_q():
    from django.db.models import Q

    return Q(way__in=[VoterContact.Way.VISIT, VoterContact.Way.FORUM])


def reception_duty(deputy_ids, start, end):
    out = _out()
    rows = (
        ReceptionDay.deputies.through.objects.filter(
            deputy_id__in=deputy_ids,
            receptionday__date__gte=start,
            receptionday__date__lte=end,
            receptionday__status=ReceptionDay.Status.HELD,
        )
        .values("deputy_id")
        .annotate(n=Count("pk"))
    )
    for r in rows:
        out[r["deputy_id"]]["reception_duty"] = r["n"]
    return out


def trainings(deputy_ids, start, end):
    out = _out()
    rows = (
        Training.attendees.through.objects.filter(
            deputy_id__in=deputy_ids, training__date__gte=start, training__date__lte=end
        )
        .values("deputy_id")
        .annotate(n=Count("pk"), hours=Sum("training__hours"))
    )
    for r in rows:
        out[r["deputy_id"]].update(training=r["n"], training_hours=int(r["hours"] or 0))
    return out


def activities(deputy_ids, start, end):
    out = _out()
    rows = (
        Activity.deputies.through.objects.filter(
            deputy_id__in=deputy_ids, activity__date__gte=start, activity__date__lte=end
        )
        .values("deputy_id", "activity__kind")
        .annotate(n=Count("pk"))
    )
    for r in rows:
        metrics = out[r["deputy_id"]]
        metrics[r["activity__kind"]] = metrics.get(r["activity__kind"], 0) + r["n"]
        metrics["activity"] = metrics.get("activity", 0) + r["n"]
    return out


def duty_reports(deputy_ids, start, end):
    out = _out()
    rows = (
        DutyReport.objects.filter(deputy_id__in=deputy_ids, date__gte=start, date__lte=end)
        .values("deputy_id")
        .annotate(n=Count("pk"))
    )
    for r in rows:
        out[r["deputy_id"]]["duty_report"] = r["n"]
    return out


register_archive_source("deputies.voter_contacts", voter_contacts)
register_archive_source("deputies.reception_duty", reception_duty)
register_archive_source("deputies.trainings", trainings)
register_archive_source("deputies.activities", activities)
register_archive_source("deputies.duty_reports", duty_reports)
