"""The three books that were missing (group activities, documents register, exemplary deeds), the
petitions register's Excel, and the ``annual_report`` command."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import load_workbook

from presidium.models import AuditEntry
from reports.books import BOOKS
from reports.models import Document, ExemplaryDeed
from tests.deputies import factories as df
from tests.supervision import factories as sf

from .conftest import pdf_text

YEAR = 2025


def _xlsx_text(content: bytes) -> str:
    ws = load_workbook(io.BytesIO(content)).active
    return "|".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


def _book(client, township, kind, ext):
    return client.get(f"/reports/t/{township.pk}/books/{kind}.{ext}?year={YEAR}")


@pytest.mark.django_db
def test_group_activity_book_lists_each_groups_activities_and_nothing_else(cast, staff_client):
    t = cast.township_a
    east = df.group(t, name="东岭代表小组", area="东岭村、西岭村")
    west = df.group(t, name="西岭代表小组")
    a1 = df.activity(
        t, title="走访困难群众", date=dt.date(YEAR, 3, 2), deputies=[cast.deputy_a, cast.deputy_a2]
    )
    a1.group, a1.note = east, "走访5户，收集意见3条"
    a1.save()
    a2 = df.activity(t, title="视察村道硬化", date=dt.date(YEAR, 5, 6), deputies=[cast.deputy_a])
    a2.group = west
    a2.save()
    df.activity(t, title="个人为民办实事", kind="practical_deed", date=dt.date(YEAR, 4, 1))  # no group
    late = df.activity(t, title="上一年的小组活动", date=dt.date(YEAR - 1, 12, 1))
    late.group = east
    late.save()
    other = df.activity(cast.township_b, title="乙镇小组活动", date=dt.date(YEAR, 3, 2))
    other.group = df.group(cast.township_b, name="乙镇小组")
    other.save()

    register = BOOKS["group_activity_book"].build(t, YEAR, cast.staff_a, {})
    assert [name for name, _rows in register.groups] == ["东岭代表小组", "西岭代表小组"]
    east_rows = dict(register.groups)["东岭代表小组"]
    assert east_rows == [
        [1, f"{YEAR}-03-02", "东岭村、西岭村", "走访困难群众", east_rows[0][4], "走访5户，收集意见3条"]
    ]
    assert set(east_rows[0][4].split("、")) == {cast.deputy_a.name, cast.deputy_a2.name}
    pdf = pdf_text(_book(staff_client, t, "group_activity_book", "pdf").content).replace(" ", "")
    xlsx = _xlsx_text(_book(staff_client, t, "group_activity_book", "xlsx").content)
    for text in (pdf, xlsx):
        assert "走访困难群众" in text and "视察村道硬化" in text and "西岭代表小组" in text
        assert "个人为民办实事" not in text and "上一年的小组活动" not in text and "乙镇小组活动" not in text


@pytest.mark.django_db
def test_staff_register_a_document_with_its_filed_copy_and_it_prints_in_the_register(cast, staff_client):
    t = cast.township_a
    copy = SimpleUploadedFile(
        "县人大通知.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", content_type="application/pdf"
    )
    response = staff_client.post(
        f"/reports/t/{t.pk}/documents/new/",
        {
            "direction": "incoming",
            "number": "X人常〔2025〕3号",
            "issuer": "X县人大常委会",
            "date": f"{YEAR}-02-14",
            "title": "关于做好代表建议办理工作的通知",
            "handling": "已传达至各代表小组",
            "copy": copy,
        },
    )
    assert response.status_code == 302
    doc = Document.objects.get()
    assert (doc.township, doc.created_by, doc.number) == (t, cast.staff_a, "X人常〔2025〕3号")
    assert AuditEntry.objects.filter(action="report.document_save").count() == 1
    assert staff_client.get(f"/reports/documents/{doc.pk}/copy/").status_code == 200
    listing = staff_client.get(f"/reports/t/{t.pk}/documents/?year={YEAR}").content.decode()
    assert "关于做好代表建议办理工作的通知" in listing
    Document.objects.create(
        township=cast.township_b, issuer="乙县", date=dt.date(YEAR, 3, 1), title="乙镇文件"
    )
    register = BOOKS["documents_register"].build(t, YEAR, cast.staff_a, {})
    assert [r[5] for r in register.rows] == ["关于做好代表建议办理工作的通知"]
    assert register.rows[0][1] == "收文" and register.rows[0][7] == "有"
    xlsx = _xlsx_text(_book(staff_client, t, "documents_register", "xlsx").content)
    pdf = pdf_text(_book(staff_client, t, "documents_register", "pdf").content).replace(" ", "")
    for text in (xlsx, pdf):
        assert "关于做好代表建议办理工作的通知" in text and "乙镇文件" not in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, message",
    [
        ({"date": "2099-01-01"}, "日期不能晚于今天"),
        ({"title": ""}, "该字段是必填项"),
        ({"date": "二月十四"}, "输入一个有效的日期"),
    ],
)
def test_a_bad_document_gets_a_chinese_message_and_nothing_is_saved(cast, staff_client, data, message):
    base = {"direction": "incoming", "issuer": "县人大", "date": f"{YEAR}-02-14", "title": "通知"}
    response = staff_client.post(f"/reports/t/{cast.township_a.pk}/documents/new/", {**base, **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_a_disguised_file_is_refused_as_the_filed_copy(cast, staff_client):
    fake = SimpleUploadedFile(
        "通知.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    response = staff_client.post(
        f"/reports/t/{cast.township_a.pk}/documents/new/",
        {"direction": "incoming", "issuer": "县人大", "date": f"{YEAR}-02-14", "title": "通知", "copy": fake},
    )
    assert response.status_code == 200 and "不是允许的类型" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_county_staff_read_the_documents_register_but_cannot_register(cast):

    client = cast.client_for(cast.county_staff_a)
    assert client.get(f"/reports/t/{cast.township_a.pk}/documents/").status_code == 200
    response = client.post(
        f"/reports/t/{cast.township_a.pk}/documents/new/",
        {"direction": "incoming", "issuer": "县人大", "date": f"{YEAR}-02-14", "title": "通知"},
    )
    assert response.status_code == 403 and not Document.objects.exists()


@pytest.mark.django_db
def test_a_recorded_deed_feeds_the_book_the_archive_and_the_report(cast, staff_client):
    t = cast.township_a
    response = staff_client.post(
        f"/reports/t/{t.pk}/deeds/new/",
        {
            "deputy": cast.deputy_a.pk,
            "date": f"{YEAR}-06-18",
            "title": "连夜组织群众转移避险",
            "content": "汛期暴雨，带领村民转移12户。",
            "source": "voters",
            "source_note": "东岭村村民联名",
            "verified_by": "王主席",
        },
    )
    assert response.status_code == 302
    deed = ExemplaryDeed.objects.get()
    assert (deed.deputy, deed.created_by) == (cast.deputy_a, cast.staff_a)
    register = BOOKS["deeds_book"].build(t, YEAR, cast.staff_a, {})
    assert len(register.rows) == 1 and register.rows[0][1] == cast.deputy_a.name
    assert register.rows[0][5] == "群众反映（东岭村村民联名）" and register.rows[0][6] == "王主席"
    from deputies.selectors import collect_metrics

    metrics = collect_metrics(
        [cast.deputy_a.pk, cast.deputy_a2.pk], dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    )
    assert (
        metrics[cast.deputy_a.pk]["exemplary_deed"] == 1 and metrics[cast.deputy_a2.pk]["exemplary_deed"] == 0
    )
    from reports.content import build_annual_report

    context = build_annual_report(t, YEAR, user=cast.staff_a, charts_wanted=False)
    deputies = next(c for c in context["chapters"] if c.section == "deputies")
    assert f"全年记录代表先进事迹1件，如{cast.deputy_a.name}连夜组织群众转移避险。" in "".join(
        deputies.opening
    )


@pytest.mark.django_db
def test_a_deed_of_another_townships_deputy_is_refused(cast, staff_client):
    response = staff_client.post(
        f"/reports/t/{cast.township_a.pk}/deeds/new/",
        {
            "deputy": cast.deputy_b.pk,
            "date": f"{YEAR}-06-18",
            "title": "事迹",
            "source": "voters",
            "verified_by": "王",
        },
    )
    assert response.status_code == 200 and not ExemplaryDeed.objects.exists()


@pytest.mark.django_db
def test_the_books_page_links_the_petitions_register_excel_to_a_working_export(cast, staff_client):
    t = cast.township_a
    sf.petition(t, subject="反映村道破损", received_on=dt.date(YEAR, 3, 5))
    sf.petition(cast.township_b, subject="乙镇信访", received_on=dt.date(YEAR, 3, 5))
    page = staff_client.get(f"/reports/t/{t.pk}/books/?year={YEAR}").content.decode()
    url = f"/reports/t/{t.pk}/books/petitions_register.xlsx?year={YEAR}"
    assert url in page
    for path in (f"/reports/t/{t.pk}/documents/?year={YEAR}", f"/reports/t/{t.pk}/deeds/?year={YEAR}"):
        assert path in page
    response = staff_client.get(url)
    assert response.status_code == 200
    text = _xlsx_text(response.content)
    assert "反映村道破损" in text and "乙镇信访" not in text


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_the_annual_report_command_writes_the_report(cast, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    call_command("annual_report", township=cast.township_a.name, year=YEAR, format=fmt, output=str(out))
    data = out.read_bytes()
    if fmt == "docx":
        import docx

        text = "".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    else:
        text = data.decode()
    assert "甲镇人民代表大会主席团工作报告" in text and "各位代表：" in text


@pytest.mark.django_db
def test_the_annual_report_command_refuses_an_unknown_township(cast, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="不存在"):
        call_command(
            "annual_report", township="无此镇", year=YEAR, format="pdf", output=str(tmp_path / "x.pdf")
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind", ["group_activity_book", "documents_register", "deeds_book", "petitions_register"]
)
@pytest.mark.parametrize("ext", ["pdf", "xlsx"])
def test_each_new_book_refuses_another_townships_staff(cast, kind, ext):
    other = cast.client_for(cast.staff_b)
    assert _book(other, cast.township_a, kind, ext).status_code == 404
    assert cast.client_for(cast.unit_officer_a).get(
        f"/reports/t/{cast.township_a.pk}/books/{kind}.{ext}"
    ).status_code in (302, 403)


@pytest.mark.django_db
def test_the_suggestion_briefing_word_file_lists_this_townships_open_items(cast, staff_client):
    import docx

    from suggestions.models import Status
    from tests.suggestions.helpers import make as make_suggestion

    make_suggestion(cast, Status.ASSIGNED, title="增设路灯")
    make_suggestion(cast, Status.ASSIGNED, title="乙镇的建议", side="b")
    response = staff_client.get(f"/reports/t/{cast.township_a.pk}/briefing.docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "增设路灯" in cells and "乙镇的建议" not in cells
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == ["甲镇代表建议办理情况通报"]
    assert (
        cast.client_for(cast.staff_b).get(f"/reports/t/{cast.township_a.pk}/briefing.docx").status_code == 404
    )
