"""Celery tasks of the notifications app: thin — take ids, call a service, own the retry scheduling."""

from celery import shared_task


@shared_task(name="notifications.tasks.sweep_reminders")
def sweep_reminders():
    """Beat runs this every 15 minutes (presidium/celery.py)."""
    from .engine import run_sweep

    return run_sweep()


# ignore_result: a result would make every apply_async subscribe to the Redis result channel.
@shared_task(name="notifications.tasks.deliver", acks_late=True, ignore_result=True)
def deliver(delivery_id: int):
    """Send one delivery. Exactly-once is the row's claim (see notifications.services); a transient
    failure puts the row back to pending with a backoff and schedules this task again."""
    from presidium.celery import app

    from . import services

    result = services.delivery_attempt(delivery_id=delivery_id)
    if result["outcome"] == "retry" and not app.conf.task_always_eager:
        # The sweep also re-enqueues due pending rows, so a lost retry message only delays the send.
        deliver.apply_async((delivery_id,), countdown=result["countdown"])
    return result["outcome"]


@shared_task(name="notifications.tasks.deliver_batch", acks_late=True, ignore_result=True)
def deliver_batch(delivery_ids: list[int]):
    """Send a chunk of deliveries one by one (each claimed on its own)."""
    from presidium.celery import app

    from . import services

    outcomes = {}
    for delivery_id in delivery_ids:
        result = services.delivery_attempt(delivery_id=delivery_id)
        if result["outcome"] == "retry" and not app.conf.task_always_eager:
            deliver.apply_async((delivery_id,), countdown=result["countdown"])
        outcomes[result["outcome"]] = outcomes.get(result["outcome"], 0) + 1
    return outcomes
