"""County scale: a register too big to write inside the request goes to the background job (same
filters, the requester's own visibility, only the requester downloads it), streamed through the safe
writer; the inline export and the job write the same rows."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.models import JobKind, JobStatus, ReportJob
from suggestions.models import Status
from tests import factories as f

from .helpers import make


@pytest.fixture
def eager_tasks():
    from presidium.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


def _rows(content: bytes):
    ws = load_workbook(io.BytesIO(content)).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _download(client, job):
    response = client.get(reverse("reports:job_download", kwargs={"pk": job.pk}))
    return response, (b"".join(response.streaming_content) if response.status_code == 200 else b"")


@pytest.mark.django_db
def test_a_register_over_the_threshold_is_written_in_the_background_and_only_its_requester_gets_it(
    cast, settings, django_capture_on_commit_callbacks, eager_tasks
):
    settings.EXPORT_BACKGROUND_ROWS = 2
    make(cast, Status.CLOSED, title="村口道路坑洼需修复")
    make(cast, Status.SIGNED, title='=HYPERLINK("http://evil.example","点我")')
    make(cast, Status.SUBMITTED, title="@SUM(1+1)\x07路灯")
    make(cast, Status.CLOSED, side="b", title="乙镇的建议")
    staff = cast.client_for(cast.staff_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.get(reverse("suggestions:export_register"))

    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:job_detail", kwargs={"pk": job.pk})
    assert (job.kind, job.status, job.progress, job.created_by) == (
        JobKind.SUGGESTIONS_XLSX,
        JobStatus.DONE,
        100,
        cast.staff_a,
    )
    assert job.message == "共 3 行"
    page = staff.get(response.url).content.decode()
    assert "下载 Excel" in page and "甲镇" in page

    download, content = _download(staff, job)
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _rows(content)
    assert rows[0][:3] == ["乡镇", "编号", "建议标题"]
    titles = sorted(r[2] for r in rows[1:])
    # Formulas are written as text, control characters removed; the other township's item is absent.
    assert titles == sorted(
        ["村口道路坑洼需修复", '\'=HYPERLINK("http://evil.example","点我")', "'@SUM(1+1)路灯"]
    )
    statuses = {r[2]: r[15] for r in rows[1:]}
    assert statuses["村口道路坑洼需修复"] == "已办结"

    # Township B's staff, and even another user of the same county, cannot see or download it.
    colleague = f.UserFactory(role="county", county=cast.county_a)
    for outsider in (cast.staff_b, cast.county_staff_b, colleague):
        client = cast.client_for(outsider)
        assert client.get(reverse("reports:job_detail", kwargs={"pk": job.pk})).status_code == 404
        assert _download(client, job)[0].status_code == 404


@pytest.mark.django_db
def test_a_county_users_background_export_holds_every_township_of_the_county_and_no_other(
    cast, settings, django_capture_on_commit_callbacks, eager_tasks
):
    settings.EXPORT_BACKGROUND_ROWS = 1
    second = f.TownshipFactory(county=cast.county_a, name="甲二镇")
    make(cast, Status.CLOSED, title="甲镇建议")
    make(cast, Status.CLOSED, title="甲镇另一条")
    make(cast, Status.CLOSED, side="b", title="乙镇建议")
    county = cast.client_for(cast.county_staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = county.get(reverse("suggestions:export_register"), {"q": "甲镇"})
    job = ReportJob.objects.get()
    assert response.status_code == 302 and job.params["filters"] == {"q": "甲镇"}
    assert job.params["scope"] == cast.county_a.name and job.township.county_id == cast.county_a.pk
    assert job.filename() == f"{cast.county_a.name}代表建议登记簿（Excel）.xlsx"
    rows = _rows(_download(county, job)[1])
    assert sorted(r[2] for r in rows[1:]) == ["甲镇另一条", "甲镇建议"]
    assert second.pk  # a township with no items does not break the export
    # The township's own staff never see a county user's export.
    staff_a = cast.client_for(cast.staff_a)
    assert staff_a.get(reverse("reports:job_detail", kwargs={"pk": job.pk})).status_code == 404


@pytest.mark.django_db
def test_under_the_threshold_the_register_downloads_at_once_with_the_same_rows_as_the_job(
    cast, settings, django_capture_on_commit_callbacks, eager_tasks
):
    make(cast, Status.CLOSED, title="第一条")
    make(cast, Status.NOT_ACCEPTED, title="第二条")
    staff = cast.client_for(cast.staff_a)
    settings.EXPORT_BACKGROUND_ROWS = 100
    inline = staff.get(reverse("suggestions:export_register"))
    assert inline.status_code == 200 and not ReportJob.objects.exists()
    settings.EXPORT_BACKGROUND_ROWS = 0
    with django_capture_on_commit_callbacks(execute=True):
        staff.get(reverse("suggestions:export_register"))
    background = _download(staff, ReportJob.objects.get())[1]
    assert _rows(inline.content) == _rows(background)


@pytest.mark.django_db
def test_the_same_export_asked_twice_is_one_job_but_two_users_get_one_each(cast, settings):
    settings.EXPORT_BACKGROUND_ROWS = 0
    make(cast, Status.CLOSED)
    colleague = f.UserFactory(role="staff", township=cast.township_a)
    for user in (cast.staff_a, cast.staff_a, colleague):
        cast.client_for(user).get(reverse("suggestions:export_register"), {"status": "closed"})
    assert sorted(ReportJob.objects.values_list("created_by_id", flat=True)) == sorted(
        [cast.staff_a.pk, colleague.pk]
    )


@pytest.mark.django_db
def test_the_export_reads_a_fixed_number_of_queries_whatever_the_rows(cast, django_assert_num_queries):
    from suggestions import exports
    from suggestions.selectors import suggestions_visible_to

    make(cast, Status.CLOSED)
    with django_assert_num_queries(5) as first:
        exports.register_bytes(suggestions_visible_to(cast.staff_a))
    for status in (Status.SIGNED, Status.CLOSED, Status.SUBMITTED, Status.NOT_ACCEPTED):
        make(cast, status)
    make(cast, Status.CLOSED, side="b")
    with django_assert_num_queries(len(first.captured_queries)):
        exports.register_bytes(suggestions_visible_to(cast.county_staff_a))


def _titles(response):
    import re

    body = response.content.decode()
    return re.findall(r'href="/suggestions/\d+/">([^<]+)</a>', body), body


def _link(body, label):
    import html
    import re

    match = re.search(r'href="\?([^"]*)">' + label + "<", body)
    return html.unescape(match.group(1)) if match else None


@pytest.mark.django_db
def test_keyset_pages_walk_the_whole_list_once_even_when_many_rows_share_a_timestamp(
    cast, settings, time_machine
):
    import datetime as dt

    from suggestions.views import lists as views

    settings.EXPORT_BACKGROUND_ROWS = 10_000
    views.PAGE_SIZE, previous = 3, views.PAGE_SIZE
    try:
        # Eight items received in the same instant (a batch of paper suggestions), then three later.
        time_machine.move_to(dt.datetime(2025, 3, 1, 9, 0), tick=False)
        for i in range(8):
            make(cast, Status.SUBMITTED, title=f"同一时刻{i}")
        time_machine.move_to(dt.datetime(2025, 3, 2, 9, 0), tick=False)
        for i in range(3):
            make(cast, Status.SUBMITTED, title=f"次日{i}")
        staff = cast.client_for(cast.staff_a)
        url = reverse("suggestions:list")

        seen, query = [], "status=submitted"
        while query is not None:
            titles, body = _titles(staff.get(f"{url}?{query}"))
            assert len(titles) <= 3 and "共 11 条" in body
            seen += titles
            query = _link(body, "下一页")
        assert seen[:3] == ["次日2", "次日1", "次日0"]
        assert sorted(seen) == sorted([f"同一时刻{i}" for i in range(8)] + [f"次日{i}" for i in range(3)])
        assert len(seen) == len(set(seen)) == 11

        # Back from the last page gives the same pages as walking forward (the last holds the rest).
        titles, body = _titles(staff.get(f"{url}?status=submitted&last=1"))
        assert titles == seen[9:] and _link(body, "下一页") is None
        back = []
        query = _link(body, "上一页")
        while query is not None:
            titles, body = _titles(staff.get(f"{url}?{query}"))
            back = titles + back
            query = _link(body, "上一页")
        assert back == seen[:9]
        # A stale or hand-edited cursor starts again at the first page.
        assert _titles(staff.get(f"{url}?after=garbage"))[0] == seen[:3]
        assert _titles(staff.get(f"{url}?before=99999999999999999999999.1"))[0] == seen[:3]
    finally:
        views.PAGE_SIZE = previous


@pytest.mark.django_db
def test_the_list_reads_a_fixed_number_of_queries_on_any_page(cast, django_assert_max_num_queries):
    from suggestions.views import lists as views

    views.PAGE_SIZE, previous = 2, views.PAGE_SIZE
    try:
        for _i in range(3):
            make(cast, Status.CLOSED)
        staff = cast.client_for(cast.staff_a)
        url = reverse("suggestions:list")
        staff.get(url)
        with django_assert_max_num_queries(30) as first:
            staff.get(url)
        for _i in range(4):
            make(cast, Status.SIGNED)
        for query in ("", "?last=1", "?q=道路"):
            with django_assert_max_num_queries(len(first.captured_queries)):
                assert staff.get(url + query).status_code == 200
    finally:
        views.PAGE_SIZE = previous


@pytest.mark.django_db
def test_search_finds_title_content_and_lead_deputy_name_alike_on_sqlite_and_postgresql(cast):
    """Run on both databases (CI runs this file on PostgreSQL too, where the trigram indexes serve
    the three-character queries): the same data gives the same answers."""
    from suggestions.selectors import filter_suggestions, suggestions_visible_to

    bridge = make(cast, Status.SUBMITTED, title="修缮石桥村文化礼堂")
    wifi = make(cast, Status.SUBMITTED, title="村委会WiFi覆盖")
    by_deputy = make(cast, Status.SUBMITTED, title="另一条")
    make(cast, Status.SUBMITTED, side="b", title="修缮乙镇石桥")
    visible = suggestions_visible_to(cast.staff_a)
    mine = [cast.township_a.pk]

    def search(q, **kw):
        return set(filter_suggestions(visible, {"q": q}, **kw))

    assert search("石桥村") == {bridge}  # three characters: the trigram index on PostgreSQL
    assert search("石桥") == {bridge}  # two characters: a scan of the township's rows
    assert search("wifi") == search("WIFI") == {wifi}  # case does not matter
    assert search("雨天积水") == {bridge, wifi, by_deputy}  # in the content
    deputy_name = cast.deputy_a.name
    assert search(deputy_name, township_ids=mine) == search(deputy_name) == {bridge, wifi, by_deputy}
    assert search(deputy_name, township_ids=[cast.township_b.pk]) == set()
    assert search("没有这样的建议") == set()
