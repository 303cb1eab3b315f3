"""Celery tasks of the dashboards: refresh the summary table (beat: every 10 minutes)."""

from celery import shared_task

from . import services


@shared_task(
    name="dashboards.refresh_figures",
    acks_late=True,
    autoretry_for=(Exception,),
    max_retries=3,
    retry_backoff=True,
)
def refresh_figures(township_ids=None):
    written = services.refresh_figures(township_ids=township_ids)
    services.prune_figures()
    return written
