"""Background rendering: a tracked job (queued → running → done / failed), progress polled by htmx,
download when done; one job for double clicks; other townships never see the job or its file."""

import pytest
from django.urls import reverse

from reports.models import JobKind, JobStatus, ReportJob, ReportJobEvent
from reports.services import JOB_TRANSITIONS, report_job_request, report_job_run

from .conftest import pdf_text

YEAR = 2025


def _create(client, township, kind="annual_report", year=YEAR):
    return client.post(
        reverse("reports:job_create", kwargs={"township_id": township.pk}), {"kind": kind, "year": year}
    )


@pytest.mark.django_db
def test_staff_queues_the_annual_report_and_downloads_the_pdf_when_done(
    cast, staff_client, django_capture_on_commit_callbacks, eager_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _create(staff_client, cast.township_a)
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "reports:job_detail", kwargs={"pk": job.pk}
    )
    assert (job.status, job.progress, job.created_by) == (JobStatus.DONE, 100, cast.staff_a)
    assert job.pages >= 3 and job.size == job.file.size
    assert [(e.from_status, e.to_status) for e in job.events.all()] == [
        ("", "queued"),
        ("queued", "running"),
        ("running", "done"),
    ]
    download = staff_client.get(reverse("reports:job_download", kwargs={"pk": job.pk}))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    content = b"".join(download.streaming_content)
    assert "甲镇人民代表大会主席团工作报告" in pdf_text(content).replace(" ", "").replace("\n", "")


@pytest.mark.django_db
def test_double_click_makes_one_job(cast):
    first, created = report_job_request(
        township=cast.township_a, kind=JobKind.ANNUAL_REPORT, year=YEAR, actor=cast.staff_a
    )
    second, created_again = report_job_request(
        township=cast.township_a, kind=JobKind.ANNUAL_REPORT, year=YEAR, actor=cast.staff_a
    )
    assert created and not created_again and first == second
    assert ReportJob.objects.count() == 1


@pytest.mark.django_db
def test_progress_is_polled_with_htmx_until_the_job_is_finished(cast, staff_client):
    job, _created = report_job_request(
        township=cast.township_a, kind=JobKind.ANNUAL_REPORT, year=YEAR, actor=cast.staff_a
    )
    url = reverse("reports:job_detail", kwargs={"pk": job.pk})
    partial = staff_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in partial and "排队中" in partial and "<html" not in partial
    report_job_run(job_id=job.pk)
    done = staff_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done and reverse("reports:job_download", kwargs={"pk": job.pk}) in done


@pytest.mark.django_db
def test_a_task_delivered_twice_renders_once(cast):
    job, _created = report_job_request(
        township=cast.township_a, kind=JobKind.ANNUAL_REPORT, year=YEAR, actor=cast.staff_a
    )
    assert report_job_run(job_id=job.pk).status == JobStatus.DONE
    assert report_job_run(job_id=job.pk) is None
    assert ReportJobEvent.objects.filter(job=job, to_status="running").count() == 1


@pytest.mark.django_db
def test_a_rendering_failure_is_recorded_on_the_job(cast, monkeypatch):
    job, _created = report_job_request(
        township=cast.township_a, kind=JobKind.ANNUAL_REPORT, year=YEAR, actor=cast.staff_a
    )

    def boom(*args, **kwargs):
        raise RuntimeError("font missing")

    monkeypatch.setattr("reports.books.render_pdf_document", boom)
    report_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "RuntimeError" in job.message and not job.file
    assert job.events.last().to_status == "failed"


def test_the_job_workflow_has_no_way_back_from_a_finished_state():
    assert JOB_TRANSITIONS.targets(JobStatus.DONE) == [] and JOB_TRANSITIONS.targets(JobStatus.FAILED) == []
    assert JobStatus.DONE not in JOB_TRANSITIONS.targets(JobStatus.QUEUED)


@pytest.mark.django_db
def test_staff_of_another_township_cannot_see_or_download_the_job(cast, staff_client):
    job, _created = report_job_request(
        township=cast.township_a, kind=JobKind.ANNUAL_REPORT, year=YEAR, actor=cast.staff_a
    )
    report_job_run(job_id=job.pk)
    other = cast.client_for(cast.staff_b)
    assert other.get(reverse("reports:job_detail", kwargs={"pk": job.pk})).status_code == 404
    assert other.get(reverse("reports:job_download", kwargs={"pk": job.pk})).status_code == 404
    county_b = cast.client_for(cast.county_staff_b)
    assert county_b.get(reverse("reports:job_download", kwargs={"pk": job.pk})).status_code == 404
    county_a = cast.client_for(cast.county_staff_a)
    assert county_a.get(reverse("reports:job_download", kwargs={"pk": job.pk})).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"kind": "nonsense", "year": YEAR},
        {"kind": "annual_report", "year": "x"},
        {"kind": "annual_report", "year": 1850},
    ],
)
def test_bad_job_requests_are_refused_with_a_message_and_create_nothing(cast, staff_client, data):
    response = staff_client.post(
        reverse("reports:job_create", kwargs={"township_id": cast.township_a.pk}), data, follow=True
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "请选择正确的报告类型和年度" in body or "年度超出范围" in body
    assert not ReportJob.objects.exists()


@pytest.mark.django_db
def test_deputies_and_unit_officers_cannot_request_jobs(cast):
    for user in (cast.deputy_a.user, cast.unit_officer_a):
        assert _create(cast.client_for(user), cast.township_a).status_code == 403
    assert not ReportJob.objects.exists()


@pytest.mark.django_db
def test_recent_jobs_list_uses_a_fixed_number_of_queries(cast, staff_client, django_assert_max_num_queries):
    url = reverse("reports:books", kwargs={"township_id": cast.township_a.pk})
    ReportJob.objects.create(
        township=cast.township_a,
        kind=JobKind.ANNUAL_REPORT,
        year=YEAR,
        created_by=cast.staff_a,
        status=JobStatus.DONE,
    )
    staff_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(url).status_code == 200
    ReportJob.objects.bulk_create(
        [
            ReportJob(
                township=cast.township_a,
                kind=JobKind.ANNUAL_REPORT,
                year=YEAR,
                created_by=cast.staff_a,
                status=JobStatus.DONE,
            )
            for _ in range(30)
        ]
    )
    with django_assert_max_num_queries(len(few)):
        assert staff_client.get(url).status_code == 200


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_renders_the_job(cast, celery_worker):
    import time

    job, _created = report_job_request(
        township=cast.township_a, kind=JobKind.ANNUAL_REPORT, year=YEAR, actor=cast.staff_a
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.5)
    assert job.status == JobStatus.DONE, job.message
    # The worker wrote a real multi-page PDF (its length follows the records, not a constant; the
    # file itself lives in the worker's own media folder).
    assert job.pages >= 3 and job.size > 10_000
    celery_worker.wait_idle()


@pytest.mark.django_db
def test_a_job_lost_long_ago_does_not_block_a_new_request(cast):
    import datetime as dt

    from django.utils import timezone

    lost = ReportJob.objects.create(
        township=cast.township_a,
        kind=JobKind.ANNUAL_REPORT,
        year=YEAR,
        status=JobStatus.RUNNING,
        created_by=cast.staff_a,
        created_at=timezone.now() - dt.timedelta(hours=2),
    )
    assert lost.looks_stalled
    job, created = report_job_request(
        township=cast.township_a, kind=JobKind.ANNUAL_REPORT, year=YEAR, actor=cast.staff_a
    )
    assert created and job != lost
