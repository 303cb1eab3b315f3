"""Spreadsheet uploads are measured before they are parsed: a zip bomb or a sheet declaring 100,000
rows is refused within a second or two with a clear Chinese message, and nothing is imported."""

import io
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from deputies.models import Deputy
from deputies.resources import RosterResource
from presidium.spreadsheets import guard_spreadsheet_upload


def _small_workbook(rows=3) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(RosterResource.headers())
    for _i in range(rows):
        ws.append(["张三", "男", "汉族", "1975-03-18", "群众", "高中/中专", "农民", "第1选区"] + [""] * 6)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rewrite(content: bytes, replace: dict[str, bytes]) -> bytes:
    """The same workbook with some zip entries replaced (as a hand-crafted file would be)."""
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, data in replace.items():
            if name not in src.namelist():
                dst.writestr(name, data)
    return out.getvalue()


def zip_bomb() -> bytes:
    """1 MB of upload that inflates to about 100 MB of 'sheet' (the probe's file: 1.7 MB → 440 MB)."""
    sheet = b'<worksheet><dimension ref="A1:N4"/><sheetData>' + b" " * (100 * 1024 * 1024) + b"</sheetData>"
    return _rewrite(_small_workbook(), {"xl/worksheets/sheet1.xml": sheet})


def declared_rows(rows: int, *, with_dimension=True) -> bytes:
    content = _small_workbook()
    src = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    if with_dimension:
        sheet = src.replace(b'<dimension ref="A1:N4"/>', f'<dimension ref="A1:N{rows + 1}"/>'.encode())
    else:
        body = b"".join(
            f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>x</t></is></c></row>'.encode()
            for i in range(1, rows + 2)
        )
        sheet = b"<worksheet><sheetData>" + body + b"</sheetData></worksheet>"
    return _rewrite(content, {"xl/worksheets/sheet1.xml": sheet})


def _upload(name, content):
    return SimpleUploadedFile(name, content)


def test_an_ordinary_workbook_passes_the_guard_and_is_left_at_its_start():
    upload = _upload("花名册.xlsx", _small_workbook())
    guard_spreadsheet_upload(upload)
    assert upload.read(2) == b"PK"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (zip_bomb, "解压后内容异常庞大"),
        (lambda: declared_rows(100_000), "表格有 100000 行"),
        (lambda: declared_rows(6_000, with_dimension=False), "表格有 6000 行"),
        (lambda: b"PK\x03\x04" + b"junk" * 100, "不是有效的 Excel"),
        (lambda: b"0" * (6 * 1024 * 1024), "文件过大"),
    ],
    ids=["zip-bomb", "100k-declared-rows", "6k-rows-no-dimension", "broken-zip", "too-big"],
)
def test_a_dangerous_spreadsheet_is_refused_quickly_with_a_chinese_message(content, message):
    data = content()
    started = time.monotonic()
    with pytest.raises(ValidationError) as exc:
        guard_spreadsheet_upload(_upload("花名册.xlsx", data))
    assert time.monotonic() - started < 2
    assert message in " ".join(exc.value.messages)


def test_a_csv_with_too_many_lines_is_refused_before_parsing():
    data = ("姓名,性别,选区\n" + "张三,男,第1选区\n" * 6000).encode()
    with pytest.raises(ValidationError, match="一次最多导入"):
        guard_spreadsheet_upload(_upload("花名册.csv", data))


def test_the_roster_import_refuses_a_zip_bomb_within_two_seconds_and_imports_nothing(cast):
    before = Deputy.objects.count()
    client = cast.client_for(cast.staff_a)
    bomb = zip_bomb()
    started = time.monotonic()
    response = client.post(
        reverse("deputies:roster_import"),
        {"term": cast.deputy_a.term.pk, "file": SimpleUploadedFile("花名册.xlsx", bomb)},
    )
    assert time.monotonic() - started < 2
    assert response.status_code == 200 and "解压后内容异常庞大" in response.content.decode()
    assert Deputy.objects.count() == before


def test_the_roster_import_refuses_a_100000_row_sheet_before_reading_it(cast):
    client = cast.client_for(cast.staff_a)
    content = declared_rows(100_000)
    started = time.monotonic()
    response = client.post(
        reverse("deputies:roster_import"),
        {"term": cast.deputy_a.term.pk, "file": SimpleUploadedFile("花名册.xlsx", content)},
    )
    assert time.monotonic() - started < 2
    body = response.content.decode()
    assert "表格有 100000 行" in body and "一次最多导入" in body
