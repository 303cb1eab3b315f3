"""The event rows of a report job (queued → running → done / failed), in the manner of Saleor's
``order/events.py``: services call these functions; nothing else creates the rows."""

from .models import JobStatus, ReportJob, ReportJobEvent


def transition(
    *, job: ReportJob, actor, from_status: str, to_status: str, comment: str = "", action: str = "", **extra
) -> ReportJobEvent:
    return ReportJobEvent.objects.create(
        job=job,
        # A job moved by the worker has no acting user (an anonymous principal counts as none).
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        extra=extra,
    )


def queued(*, job: ReportJob, actor) -> ReportJobEvent:
    return transition(job=job, actor=actor, from_status="", to_status=JobStatus.QUEUED)
