"""The Celery app. Without REDIS_URL tasks run eagerly in-process (see settings)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "presidium.settings")

app = Celery("presidium")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The beat schedule lives in code so that every deployment runs the same sweeps.
app.conf.beat_schedule = {
    "reminders-sweep": {
        "task": "notifications.tasks.sweep_reminders",
        "schedule": crontab(minute="*/15"),
    },
}


@app.task(name="presidium.ping")
def ping():
    """Round-trip check used by /healthz and the worker test."""
    return "pong"
