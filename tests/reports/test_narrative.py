"""Staff edit the narrative of each section, saved per township-year; concurrent edits do not
overwrite each other; other townships and other roles cannot write."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from presidium.models import AuditEntry
from reports.models import ReportNarrative
from reports.services import narrative_save

YEAR = 2025


def _url(township, section="suggestions", year=YEAR):
    return reverse(
        "reports:narrative_save", kwargs={"township_id": township.pk, "year": year, "section": section}
    )


@pytest.mark.django_db
def test_staff_saves_a_section_and_it_is_kept_per_township_and_year(cast, staff_client):
    response = staff_client.post(_url(cast.township_a), {"text": "一年来，共收到代表建议。", "version": 0})
    assert response.status_code == 302
    n = ReportNarrative.objects.get(township=cast.township_a, year=YEAR, section="suggestions")
    assert n.text == "一年来，共收到代表建议。" and n.version == 1 and n.updated_by == cast.staff_a
    assert not ReportNarrative.objects.filter(year=YEAR + 1).exists()
    assert AuditEntry.objects.filter(action="report.narrative_save", township=cast.township_a).count() == 1
    page = staff_client.get(
        reverse("reports:annual", kwargs={"township_id": cast.township_a.pk, "year": YEAR})
    )
    assert "一年来，共收到代表建议。" in page.content.decode()


@pytest.mark.django_db
def test_second_editor_with_a_stale_version_is_told_to_refresh_and_nothing_changes(cast, staff_client):
    narrative_save(
        township=cast.township_a,
        year=YEAR,
        section="suggestions",
        text="第一版",
        version=0,
        actor=cast.staff_a,
    )
    narrative_save(
        township=cast.township_a,
        year=YEAR,
        section="suggestions",
        text="第二版",
        version=1,
        actor=cast.staff_a,
    )
    response = staff_client.post(_url(cast.township_a), {"text": "过期的修改", "version": 1}, follow=True)
    assert "已被他人修改，请刷新后重试。" in response.content.decode()
    n = ReportNarrative.objects.get(township=cast.township_a, year=YEAR, section="suggestions")
    assert (n.text, n.version) == ("第二版", 2)


@pytest.mark.django_db
def test_first_save_of_a_section_someone_else_just_created_is_a_conflict(cast):
    narrative_save(
        township=cast.township_a, year=YEAR, section="overview", text="甲", version=0, actor=cast.staff_a
    )
    with pytest.raises(ValidationError, match="已被他人修改"):
        narrative_save(
            township=cast.township_a, year=YEAR, section="overview", text="乙", version=0, actor=cast.staff_a
        )


@pytest.mark.django_db
def test_county_staff_reads_the_report_but_cannot_edit_the_narrative(cast):
    client = cast.client_for(cast.county_staff_a)
    page = client.get(reverse("reports:annual", kwargs={"township_id": cast.township_a.pk, "year": YEAR}))
    assert page.status_code == 200 and "只读" in page.content.decode()
    response = client.post(_url(cast.township_a), {"text": "县里改的", "version": 0})
    assert response.status_code == 403
    assert not ReportNarrative.objects.exists()
    with pytest.raises(PermissionDenied):
        narrative_save(
            township=cast.township_a,
            year=YEAR,
            section="overview",
            text="x",
            version=0,
            actor=cast.county_staff_a,
        )


@pytest.mark.django_db
def test_staff_of_another_township_cannot_write_this_townships_narrative(cast):
    client = cast.client_for(cast.staff_b)
    response = client.post(_url(cast.township_a), {"text": "乙镇改甲镇", "version": 0})
    assert response.status_code == 404
    assert not ReportNarrative.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "字" * 20001, "version": 0}, "正文"),
        ({"text": "正常", "version": "abc"}, "正文保存失败"),
        ({"text": "正常"}, "正文保存失败"),
    ],
)
def test_bad_input_gives_a_chinese_message_and_saves_nothing(cast, staff_client, data, message):
    response = staff_client.post(_url(cast.township_a), data, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReportNarrative.objects.exists()


@pytest.mark.django_db
def test_unknown_section_or_year_out_of_range_is_not_found(cast, staff_client):
    assert (
        staff_client.post(_url(cast.township_a, section="nonsense"), {"text": "x", "version": 0}).status_code
        == 404
    )
    assert staff_client.post(_url(cast.township_a, year=1999), {"text": "x", "version": 0}).status_code == 404
    assert not ReportNarrative.objects.exists()
