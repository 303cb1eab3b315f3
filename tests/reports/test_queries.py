"""Building the report and the registers reads set-based: the number of queries does not grow with
the number of sessions, meetings, activities, petitions or deputies."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congress.models import PresidiumMeeting, Session
from reports.books import BOOKS
from reports.content import build_annual_report
from tests import factories as f
from tests.congress import factories as cf
from tests.supervision import factories as sf

YEAR = 2025


def _add_rows(cast, n):
    t = cast.township_a
    for i in range(n):
        s = cf.session(t, status=Session.Status.CLOSED, start_date=dt.date(YEAR, 1, 1) + dt.timedelta(days=i))
        cf.agenda_item(s, title=f"决议{i}")
        m = cf.meeting(
            t, date=dt.date(YEAR, 3, 1) + dt.timedelta(days=i), status=PresidiumMeeting.Status.HELD
        )
        m.topics.create(title=f"议题{i}")
        sf.activity(t, topic=f"视察{i}", start_date=dt.date(YEAR, 5, 1) + dt.timedelta(days=i))
        sf.petition(t, subject=f"信访{i}", received_on=dt.date(YEAR, 6, 1) + dt.timedelta(days=i))
        f.DeputyFactory(township=t)


def _count(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx)


@pytest.mark.django_db
def test_report_and_registers_use_a_fixed_number_of_queries(cast):
    def report():
        build_annual_report(cast.township_a, YEAR, user=cast.staff_a)

    def registers():
        for kind in ("roster_book", "petitions_register", "suggestions_register", "archive_book"):
            BOOKS[kind].build(cast.township_a, YEAR, cast.staff_a, {})

    _add_rows(cast, 1)
    report(), registers()
    few_report, few_registers = _count(report), _count(registers)
    _add_rows(cast, 6)
    assert _count(report) <= few_report
    assert _count(registers) <= few_registers
