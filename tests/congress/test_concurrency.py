"""Two tablets at the door: concurrent roll-call marks and concurrent vote entry on PostgreSQL."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from congress import services
from congress.models import Attendance, Session, Vote

from . import factories as cf

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'",
        reason="row locks and concurrent inserts need PostgreSQL; SQLite serialises writers",
    ),
]


def _run_at_once(jobs):
    """Run callables in threads released together; return their results or exceptions."""
    from django.db import connections

    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_two_staff_marking_the_same_deputy_at_once_leave_exactly_one_row(cast):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    deputy = cast.deputy_a
    results = _run_at_once(
        [
            lambda: services.attendance_mark(
                session=session, deputy=deputy, status="present", actor=cast.staff_a
            ),
            lambda: services.attendance_mark(
                session=session, deputy=deputy, status="leave", actor=cast.staff_a
            ),
            lambda: services.attendance_mark(
                session=session, deputy=deputy, status="present", actor=cast.staff_a
            ),
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Attendance.objects.filter(session=session, deputy=deputy).count() == 1


def test_many_tablets_marking_different_deputies_lose_no_mark(cast):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    deps = cf.deputies(cast.township_a, 8)
    results = _run_at_once(
        [
            (
                lambda d=d: services.attendance_mark(
                    session=session, deputy=d, status="present", actor=cast.staff_a
                )
            )
            for d in deps
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Attendance.objects.filter(session=session, status="present").count() == 8


def test_two_staff_entering_the_same_vote_at_once_one_wins_the_other_is_told_to_refresh(cast):
    session = cf.session(cast.township_a, status=Session.Status.IN_SESSION)
    Attendance.objects.bulk_create(
        [Attendance(session=session, deputy=d, status="present") for d in (cast.deputy_a, cast.deputy_a2)]
    )
    item = cf.agenda_item(session)
    results = _run_at_once(
        [
            lambda: services.vote_record(
                item=item, votes_for=2, votes_against=0, abstentions=0, actor=cast.staff_a
            ),
            lambda: services.vote_record(
                item=item, votes_for=1, votes_against=1, abstentions=0, actor=cast.staff_a
            ),
        ]
    )
    errors = [r for r in results if isinstance(r, ValidationError)]
    assert len(errors) == 1 and "已被他人修改，请刷新后重试。" in errors[0].messages[0]
    assert Vote.objects.filter(agenda_item=item).count() == 1


assert connection  # the skip condition above reads it
