"""The one way an event row is written: ``StatusEvent.record`` on the workflow's event table."""

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from reports.models import JobKind, JobStatus, ReportJob, ReportJobEvent


def _job(cast):
    return ReportJob.objects.create(township=cast.township_a, kind=JobKind.ANNUAL_REPORT, year=2025)


def test_record_writes_the_row_with_its_subject_actor_statuses_action_comment_and_details(cast):
    job = _job(cast)

    event = ReportJobEvent.record(
        job,
        actor=cast.staff_a,
        from_status=JobStatus.QUEUED,
        to_status=JobStatus.RUNNING,
        action="start",
        comment="开始生成",
        pages=3,
        kinds=["annual"],
    )

    row = ReportJobEvent.objects.get(pk=event.pk)
    assert row.job == job
    assert row.actor == cast.staff_a
    assert (row.from_status, row.to_status) == (JobStatus.QUEUED, JobStatus.RUNNING)
    assert row.action == "start"
    assert row.comment == "开始生成"
    assert row.extra == {"pages": 3, "kinds": ["annual"]}


def test_record_takes_the_subjects_key_a_given_moment_and_no_actor_for_an_anonymous_principal(cast):
    job = _job(cast)
    moment = timezone.now() - dt.timedelta(hours=1)

    event = ReportJobEvent.record(
        job.pk, actor=AnonymousUser(), to_status=JobStatus.QUEUED, created_at=moment
    )

    row = ReportJobEvent.objects.get(pk=event.pk)
    assert row.job_id == job.pk
    assert row.actor is None
    assert (row.from_status, row.action, row.comment, row.extra) == ("", "", "", {})
    assert row.created_at == moment
