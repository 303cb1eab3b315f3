"""Rectification deadlines given in working days are recomputed when the holiday calendar of a
year they were provisionally computed over is loaded (presidium.services.holiday_year_load)."""

from presidium.workdays import due_after


def recompute_provisional() -> int:
    from .models import Rectification

    items = list(Rectification.objects.filter(deadline_provisional=True, deadline_workdays__isnull=False))
    for r in items:
        due = due_after(r.assigned_on, workdays=r.deadline_workdays)
        r.deadline, r.deadline_provisional = due.date, due.provisional
    Rectification.objects.bulk_update(items, ["deadline", "deadline_provisional"], batch_size=500)
    return len(items)
