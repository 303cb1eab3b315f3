"""The books page, inline book PDFs, the archive Excel export, and the county client's API download."""

import io

import pytest
from django.urls import reverse

from presidium.services import api_key_create
from tests import factories as f

from .conftest import pdf_text

YEAR = 2025


@pytest.mark.django_db
def test_roster_book_prints_this_townships_serving_deputies_only(cast, staff_client):
    f.DeputyFactory(township=cast.township_a, name="欧阳春华")
    f.DeputyFactory(township=cast.township_a, name="已辞职代表", status="resigned")
    f.DeputyFactory(township=cast.township_b, name="乙镇代表不应出现")
    url = reverse("reports:book_pdf", kwargs={"township_id": cast.township_a.pk, "kind": "roster_book"})
    response = staff_client.get(url, {"year": YEAR})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content).replace(" ", "").replace("\n", "")
    assert "甲镇人大代表花名册" in text and "欧阳春华" in text and "代表证号" in text
    assert "已辞职代表" not in text and "乙镇代表不应出现" not in text


@pytest.mark.django_db
def test_archive_book_has_one_page_per_serving_deputy(cast, staff_client):
    from presidium.pdf import render_pdf_document
    from reports.books import BOOKS, book_context

    book = BOOKS["archive_book"]
    register = book.build(cast.township_a, YEAR, cast.staff_a, {})
    names = sorted(p["deputy"].name for p in register.pages)
    assert names == sorted([cast.deputy_a.name, cast.deputy_a2.name])
    rendered = render_pdf_document(book.template, book_context(book, register, cast.township_a, YEAR))
    assert rendered.pages == 2
    assert "履职积分合计" in pdf_text(rendered.content).replace(" ", "")


@pytest.mark.django_db
def test_archive_excel_has_chinese_headers_and_this_townships_rows(cast, staff_client):
    from openpyxl import load_workbook

    url = reverse("reports:export_xlsx", kwargs={"township_id": cast.township_a.pk, "kind": "archive_book"})
    response = staff_client.get(url, {"year": YEAR})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[2]] == ["姓名", "选区", "履职积分", "“六个一”完成", "无履职记录"]
    names = {row[0].value for row in ws.iter_rows(min_row=3)}
    assert names == {cast.deputy_a.name, cast.deputy_a2.name}


@pytest.mark.django_db
def test_registers_exported_by_their_own_app_are_linked_not_duplicated(cast, staff_client):
    page = staff_client.get(
        reverse("reports:books", kwargs={"township_id": cast.township_a.pk}), {"year": YEAR}
    )
    body = page.content.decode()
    assert reverse("deputies:export_roster") in body
    assert reverse("suggestions:export_register") + f"?year={YEAR}" in body
    assert reverse("congress:minutes_book_pdf") + f"?year={YEAR}" in body
    roster_xlsx = reverse(
        "reports:export_xlsx", kwargs={"township_id": cast.township_a.pk, "kind": "roster_book"}
    )
    assert staff_client.get(roster_xlsx).status_code == 404


@pytest.mark.django_db
def test_county_api_key_downloads_a_township_report_of_its_county_only(cast, client):
    _key, raw = api_key_create(name="县大屏", actor=cast.county_staff_a, county=cast.county_a)
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {raw}"}
    ok = client.get(f"/api/v1/reports/annual/{cast.township_a.pk}/{YEAR}/pdf/", **auth)
    assert ok.status_code == 200 and ok["Content-Type"] == "application/pdf"
    assert "甲镇人民代表大会主席团工作报告" in pdf_text(ok.content).replace(" ", "").replace("\n", "")
    other = client.get(f"/api/v1/reports/annual/{cast.township_b.pk}/{YEAR}/pdf/", **auth)
    assert other.status_code == 404
    assert client.get(f"/api/v1/reports/annual/{cast.township_a.pk}/1850/pdf/", **auth).status_code == 404


@pytest.mark.django_db
def test_report_api_refuses_anonymous_callers_deputies_and_unit_officers(cast, client):
    url = f"/api/v1/reports/annual/{cast.township_a.pk}/{YEAR}/pdf/"
    assert client.get(url).status_code in (401, 403)
    for user in (cast.deputy_a.user, cast.unit_officer_a):
        assert cast.client_for(user).get(url).status_code == 403


@pytest.mark.django_db
def test_preview_uses_the_same_template_as_the_pdf(cast, staff_client):
    kwargs = {"township_id": cast.township_a.pk, "year": YEAR}
    preview = staff_client.get(reverse("reports:annual_preview", kwargs=kwargs)).content.decode()
    assert "打印预览" in preview and 'class="speech sheet"' in preview
    assert "甲镇人民代表大会主席团工作报告" in preview and "各位代表：" in preview
    pdf = staff_client.get(reverse("reports:annual_pdf", kwargs=kwargs))
    assert pdf.status_code == 200
    assert "各位代表：" in pdf_text(pdf.content).replace(" ", "")


@pytest.mark.django_db
def test_staff_index_goes_straight_to_their_township_and_county_sees_only_its_townships(cast):
    response = cast.client_for(cast.staff_a).get(reverse("reports:index"))
    assert response.status_code == 302 and f"/reports/t/{cast.township_a.pk}/" in response.url
    page = cast.client_for(cast.county_staff_a).get(reverse("reports:index")).content.decode()
    assert cast.township_a.name in page and cast.township_b.name not in page


@pytest.mark.django_db
def test_user_of_another_township_cannot_render_or_download_this_report(cast):
    kwargs = {"township_id": cast.township_a.pk, "year": YEAR}
    for user in (cast.staff_b, cast.county_staff_b):
        client = cast.client_for(user)
        for name in ("reports:annual", "reports:annual_preview", "reports:annual_pdf"):
            assert client.get(reverse(name, kwargs=kwargs)).status_code == 404
    for user in (cast.deputy_a.user, cast.unit_officer_a):
        assert cast.client_for(user).get(reverse("reports:annual_pdf", kwargs=kwargs)).status_code == 403


@pytest.mark.django_db
def test_a_deputy_downloads_their_own_archive_page_but_not_a_colleagues(cast):
    client = cast.client_for(cast.deputy_a.user)
    own = client.get(
        reverse("reports:deputy_archive_pdf", kwargs={"deputy_id": cast.deputy_a.pk, "year": YEAR})
    )
    assert own.status_code == 200
    text = pdf_text(own.content).replace(" ", "")
    assert cast.deputy_a.name in text and "履职档案" in text
    colleague = reverse("reports:deputy_archive_pdf", kwargs={"deputy_id": cast.deputy_a2.pk, "year": YEAR})
    assert client.get(colleague).status_code == 404
    assert cast.client_for(cast.staff_a).get(colleague).status_code == 200
    assert cast.client_for(cast.unit_officer_a).get(colleague).status_code == 403
