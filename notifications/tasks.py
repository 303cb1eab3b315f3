"""Celery tasks of the notifications app (the reminders engine fills this in)."""

from celery import shared_task


@shared_task(name="notifications.tasks.sweep_reminders")
def sweep_reminders():
    return 0
