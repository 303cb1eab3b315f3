"""A task goes through Redis to a real worker process and its result comes back."""

from tests.conftest import requires_redis


@requires_redis
def test_a_real_worker_takes_a_task_from_redis_and_answers(celery_worker):
    from presidium.celery import ping

    result = ping.delay()
    assert result.get(timeout=30) == "pong"
