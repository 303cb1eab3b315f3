"""The preview and the PDF keep a rendered copy until the township's records change: the next
request is served in a fixed handful of queries, and any change shows at once."""

import datetime as dt

import pytest
from django.urls import reverse

from congress.models import PresidiumMeeting
from tests.congress import factories as cf
from tests.supervision import factories as sf

YEAR = dt.date.today().year


def _preview(client, township):
    return client.get(reverse("reports:annual_preview", kwargs={"township_id": township.pk, "year": YEAR}))


@pytest.mark.django_db
def test_a_second_preview_is_served_from_the_stored_copy_in_a_few_queries(
    cast, staff_client, django_assert_max_num_queries
):
    assert cast.township_a.rules  # a county's rules exist once anyone has used them (created on first use)
    first = _preview(staff_client, cast.township_a)
    assert first.status_code == 200
    with django_assert_max_num_queries(6):
        second = _preview(staff_client, cast.township_a)
    assert second.content == first.content


@pytest.mark.django_db
def test_a_new_record_shows_in_the_next_preview_and_pdf(cast, staff_client):
    t = cast.township_a
    assert "受理群众来信来访" not in _preview(staff_client, t).content.decode()
    staff_client.get(reverse("reports:annual_pdf", kwargs={"township_id": t.pk, "year": YEAR}))
    sf.petition(t, subject="反映村道破损", received_on=dt.date.today())
    assert "受理群众来信来访1件" in _preview(staff_client, t).content.decode()
    cf.meeting(t, date=dt.date.today(), status=PresidiumMeeting.Status.HELD)
    assert "召开主席团会议1次" in _preview(staff_client, t).content.decode()
    from .conftest import pdf_text

    pdf = staff_client.get(reverse("reports:annual_pdf", kwargs={"township_id": t.pk, "year": YEAR}))
    assert "召开主席团会议1次" in pdf_text(pdf.content).replace(" ", "").replace("\n", "")


@pytest.mark.django_db
def test_saved_narrative_shows_in_the_next_preview(cast, staff_client):
    t = cast.township_a
    _preview(staff_client, t)
    staff_client.post(
        reverse("reports:narrative_save", kwargs={"township_id": t.pk, "year": YEAR, "section": "next_year"}),
        {"text": "（一）加强代表履职培训", "version": 0},
    )
    page = _preview(staff_client, t).content.decode()
    assert '<h3 class="lv2">（一）加强代表履职培训</h3>' in page


@pytest.mark.django_db
def test_readers_do_not_share_a_stored_copy(cast, staff_client):
    t = cast.township_a
    _preview(staff_client, t)
    county = cast.client_for(cast.county_staff_a)
    assert _preview(county, t).status_code == 200
    # Another township's staff still cannot reach it (the copy is looked up after the permission check).
    assert _preview(cast.client_for(cast.staff_b), t).status_code == 404


@pytest.mark.django_db
def test_the_editor_preview_pdf_and_word_file_share_one_build(
    cast, staff_client, django_assert_max_num_queries
):
    t = cast.township_a
    assert t.rules
    editor = staff_client.get(reverse("reports:annual", kwargs={"township_id": t.pk, "year": YEAR}))
    assert editor.status_code == 200
    with django_assert_max_num_queries(6):
        assert _preview(staff_client, t).status_code == 200
    with django_assert_max_num_queries(6):
        docx = staff_client.get(reverse("reports:annual_docx", kwargs={"township_id": t.pk, "year": YEAR}))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


@pytest.mark.django_db
def test_a_livelihood_project_change_renews_the_stored_report(cast):
    """The report has a livelihood chapter, so a livelihood write must renew the stored copy."""
    from reports import snapshots
    from tests.livelihood import factories as lf

    y = lf.township_year(cast)
    project = lf.propose(y, title="村道亮化")
    before = snapshots.data_version(cast.township_a.pk)
    project.title = "村道亮化工程"
    project.save(update_fields=["title"])  # a write in the livelihood app alone
    assert snapshots.data_version(cast.township_a.pk) != before
