"""In a real browser (Debian's chromium through Playwright): the job page polls with htmx and shows
the download link as soon as the background rendering is done, without a reload."""

from pathlib import Path

import pytest
from django.test import Client

from reports.models import JobKind, JobStatus
from reports.services import report_job_request, report_job_run

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports"


def test_job_page_shows_progress_then_the_download_link_without_reloading(
    transactional_db, live_server, cast, browser, eager_tasks, monkeypatch
):
    # Queue without running: the page must pick up the finished state by polling.
    monkeypatch.setattr("reports.tasks.render_report_job.delay", lambda job_id: None)
    job, _created = report_job_request(
        township=cast.township_a, kind=JobKind.ANNUAL_REPORT, year=2025, actor=cast.staff_a
    )
    client = Client()
    client.force_login(cast.staff_a)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(30000)
    page.goto(f"{live_server.url}/reports/jobs/{job.pk}/")
    assert "排队中" in page.locator(f"#job-{job.pk}").inner_text()
    page.locator(".progress-bar").wait_for()
    report_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    link = page.locator(f"#job-{job.pk} a", has_text="下载 PDF")
    link.wait_for()
    assert page.locator(".progress-bar").count() == 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "job-done-phone.png"), full_page=True)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")
