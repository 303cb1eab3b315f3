"""Two people acting on the same item at once (real row locks: PostgreSQL only)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from suggestions import services
from suggestions.models import Status, Suggestion

from .helpers import make

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")


def _race(n, work):
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = ("ok", work(i))
        except Exception as exc:
            results[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_assignment_has_one_winner_and_the_loser_is_told_to_reload(cast):
    s = make(cast, Status.ACCEPTED)
    seen = s.version
    units = [cast.unit_a, cast.unit_a2]

    def work(i):
        item = Suggestion.objects.get(pk=s.pk)
        return services.suggestion_assign(
            suggestion=item, actor=cast.staff_a, unit=units[i], expected_version=seen
        )

    results = _race(2, work)
    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["error", "ok"]
    error = next(r[1] for r in results if r[0] == "error")
    assert isinstance(error, ValidationError) and "已被他人修改，请刷新后重试。" in error.messages[0]
    s.refresh_from_db()
    assert s.status == Status.ASSIGNED and s.events.filter(action="assign").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_acceptances_get_distinct_consecutive_numbers(cast):
    items = [make(cast, Status.SUBMITTED, title=f"建议{i}") for i in range(6)]

    def work(i):
        return services.suggestion_accept(suggestion=items[i], actor=cast.staff_a).number

    results = _race(6, work)
    assert all(r[0] == "ok" for r in results), results
    numbers = sorted(r[1] for r in results)
    year = numbers[0][:4]
    assert numbers == [f"{year}-{i:03d}" for i in range(1, 7)]
