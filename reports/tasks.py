"""Thin Celery tasks: take ids, call a service."""

from celery import shared_task


@shared_task(name="reports.render_report_job")
def render_report_job(job_id: int):
    from .services import report_job_run

    job = report_job_run(job_id=job_id)
    return job.status if job else None
