"""The event rows of a report job (queued → running → done / failed), in the manner of Saleor's
``order/events.py``: services call these functions; nothing else creates the rows. A job moved by
the worker has no acting user (``StatusEvent.record`` records an anonymous principal as none)."""

from .models import JobStatus, ReportJob, ReportJobEvent


def transition(*, job: ReportJob, **fields) -> ReportJobEvent:
    """A status change of the job (``StatusEvent.record``'s keywords)."""
    return ReportJobEvent.record(job, **fields)


def queued(*, job: ReportJob, actor) -> ReportJobEvent:
    return ReportJobEvent.record(job, actor=actor, to_status=JobStatus.QUEUED)
