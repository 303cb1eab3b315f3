"""Roster import: preview, all-or-nothing commit, and every bad input of the issue."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from deputies.models import Deputy, DeputyStatusChange, ElectoralDistrict
from deputies.resources import RosterResource
from presidium.models import AuditEntry

from . import factories as df

HEADERS = RosterResource.headers()


def _row(name="张建国", cert="A-001", district="第1选区", phone="13800000001", birth="1975-03-18", **kw):
    values = {
        "姓名": name,
        "性别": "男",
        "民族": "汉族",
        "出生日期": birth,
        "政治面貌": "中共党员",
        "文化程度": "高中/中专",
        "代表结构类别": "农民",
        "选区": district,
        "代表小组": "",
        "代表证号": cert,
        "手机号码": phone,
        "工作单位及职务": "东岭村村民",
        "代表层级": "乡镇人大代表",
        "是否连任": "否",
    }
    values.update(kw)
    return [values[h] for h in HEADERS]


def _xlsx(rows, headers=HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def setup(cast):
    df.district(cast.township_a, name="第1选区", seats=5)
    ElectoralDistrict.objects.filter(township=cast.township_a, name="第1选区").update(seats=5)
    df.group(cast.township_a, name="第一代表小组")
    return cast


def _upload(client, term, content, name="花名册.xlsx"):
    return client.post(
        reverse("deputies:roster_import"), {"term": term.pk, "file": SimpleUploadedFile(name, content)}
    )


def _baseline():
    return Deputy.objects.count(), DeputyStatusChange.objects.count()


def test_a_valid_roster_is_previewed_then_imported_in_full_with_pinyin_and_history(setup):
    cast = setup
    client = cast.client_for(cast.staff_a)
    term = cast.deputy_a.term
    rows = [
        _row("张建国", "A-001", phone="13800000001", 代表小组="第一代表小组", 是否连任="是"),
        _row("欧阳秀兰", "A-002", phone=13800000002, 性别="女", 出生日期="1980/5/6"),
    ]
    before = Deputy.objects.count()
    preview = _upload(client, term, _xlsx(rows))
    body = preview.content.decode()
    assert "检查通过" in body and "欧阳秀兰" in body
    assert Deputy.objects.count() == before  # preview writes nothing
    response = client.post(reverse("deputies:roster_import_confirm"))
    assert response.status_code == 302
    ouyang = Deputy.objects.get(name="欧阳秀兰")
    assert (ouyang.name_pinyin, ouyang.name_initials, ouyang.phone, ouyang.gender) == (
        "ouyangxiulan",
        "oyxl",
        "13800000002",
        "F",
    )
    assert (
        str(ouyang.birth_date) == "1980-05-06" and ouyang.township == cast.township_a and ouyang.term == term
    )
    zhang = Deputy.objects.get(name="张建国")
    assert zhang.group.name == "第一代表小组" and zhang.is_reelected and zhang.party == "cpc"
    assert DeputyStatusChange.objects.filter(deputy__in=[zhang, ouyang], to_status="serving").count() == 2
    assert AuditEntry.objects.filter(action="deputy.import", township=cast.township_a).exists()


def test_a_csv_in_gbk_encoding_is_read_too(setup):
    cast = setup
    text = ",".join(HEADERS) + "\n" + ",".join(str(v) for v in _row()) + "\n"
    response = _upload(
        cast.client_for(cast.staff_a), cast.deputy_a.term, text.encode("gb18030"), "花名册.csv"
    )
    assert "检查通过" in response.content.decode()


def _errors_of(response):
    return response.content.decode()


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [_row(cert="A-1"), _row("李四", cert="A-1", phone="13800000002")],
            ["第 4 行", "代表证号", "与第 3 行重复"],
        ),
        ([_row(phone="1380000")], ["手机号码", "请输入11位手机号码"]),
        ([_row(birth="1980-13-45")], ["出生日期", "不是有效的日期"]),
        ([_row(姓名="")], ["姓名"]),
    ],
)
def test_bad_rows_are_listed_by_row_and_column_and_nothing_is_imported(setup, rows, expected):
    cast = setup
    rows = [_row("好人", cert="OK-1", phone="13900000000"), *rows]
    before = _baseline()
    body = _errors_of(_upload(cast.client_for(cast.staff_a), cast.deputy_a.term, _xlsx(rows)))
    assert "未导入任何数据" in body
    for text in expected:  # row numbers are Excel's: the header is row 1, the good row row 2
        assert text in body, text
    assert _baseline() == before


@pytest.mark.parametrize(
    ("row", "column", "value"),
    [
        (_row(district="第99选区"), "选区", "第99选区"),
        (_row(性别="未知"), "性别", "未知"),
        (_row(代表小组="不存在的小组"), "代表小组", "不存在的小组"),
    ],
)
def test_values_it_cannot_place_go_to_the_mapping_step_and_block_the_import(setup, row, column, value):
    cast = setup
    client = cast.client_for(cast.staff_a)
    before = _baseline()
    body = _upload(client, cast.deputy_a.term, _xlsx([row])).content.decode()
    assert "对应无法识别的值" in body and f'value="{value}"' in body
    response = client.post(reverse("deputies:roster_import_confirm"), {"action": "commit"})
    assert "未导入任何数据" in response.content.decode()
    assert _baseline() == before


def test_a_certificate_number_already_used_in_the_term_is_refused(setup):
    cast = setup
    body = _errors_of(
        _upload(
            cast.client_for(cast.staff_a),
            cast.deputy_a.term,
            _xlsx([_row(cert=cast.deputy_a.certificate_no)]),
        )
    )
    assert "在本届已存在" in body and not Deputy.objects.filter(name="张建国").exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "roster.xlsx", "文件是空的"),
        (b"MZ\x90\x00 this is really an executable" * 10, "roster.xlsx", "不是有效的 Excel"),
        (b"PK\x03\x04 broken zip", "roster.xlsx", "不是有效的 Excel"),
        (b"hello", "roster.pdf", "只支持 .xlsx、.xls 或 .csv"),
        (b"\xd0\xcf\x11\xe0 not really a workbook", "roster.xls", "无法读取该 .xls 文件"),
    ],
)
def test_unreadable_files_get_a_clear_message_and_nothing_is_imported(setup, content, name, message):
    cast = setup
    before = _baseline()
    response = _upload(cast.client_for(cast.staff_a), cast.deputy_a.term, content, name)
    assert response.status_code == 200 and message in response.content.decode()
    assert _baseline() == before


def test_an_excel_file_with_only_headers_says_there_are_no_rows(setup):
    cast = setup
    body = _upload(cast.client_for(cast.staff_a), cast.deputy_a.term, _xlsx([])).content.decode()
    assert "没有代表数据行" in body


def test_a_missing_required_column_is_named_and_nothing_is_imported(setup):
    cast = setup
    headers = ["名字", "性别", "选区", "备注"]
    before = _baseline()
    body = _upload(
        cast.client_for(cast.staff_a),
        cast.deputy_a.term,
        _xlsx([["张三", "男", "第1选区", ""]], headers=headers),
    ).content.decode()
    assert "第 1 行是表头，但缺少必需的列：姓名" in body
    assert _baseline() == before


def test_a_file_without_any_recognisable_header_says_so(setup):
    cast = setup
    body = _upload(
        cast.client_for(cast.staff_a), cast.deputy_a.term, _xlsx([["a", "b"]], headers=["甲", "乙"])
    ).content.decode()
    assert "没有找到表头行" in body


def test_a_50_mb_file_is_refused_with_a_clear_message(setup):
    cast = setup
    big = b"0" * (50 * 1024 * 1024)
    before = _baseline()
    response = _upload(cast.client_for(cast.staff_a), cast.deputy_a.term, big)
    assert response.status_code == 200 and "文件过大" in response.content.decode()
    assert _baseline() == before


def test_confirm_without_a_pending_upload_changes_nothing(setup):
    cast = setup
    response = cast.client_for(cast.staff_a).post(reverse("deputies:roster_import_confirm"), follow=True)
    assert "导入已失效" in response.content.decode()


def test_rows_that_became_invalid_before_confirmation_roll_the_whole_import_back(setup):
    cast = setup
    client = cast.client_for(cast.staff_a)
    term = cast.deputy_a.term
    _upload(client, term, _xlsx([_row("甲", "C-1"), _row("乙", "C-2", phone="13800000002")]))
    df.deputy(cast.township_a, name="抢先", certificate_no="C-2", term=term)
    before = _baseline()
    response = client.post(reverse("deputies:roster_import_confirm"))
    assert "未导入任何数据" in response.content.decode()
    assert _baseline() == before and not Deputy.objects.filter(name="甲").exists()


def test_the_template_has_the_import_headers_and_a_sample_row(setup):
    cast = setup
    response = cast.client_for(cast.staff_a).get(reverse("deputies:import_template"))
    wb = load_workbook(io.BytesIO(response.content))
    rows = list(wb["花名册"].iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS and rows[1][0] == "张建华"
    assert "填写说明" in wb.sheetnames


def test_an_exported_roster_can_be_imported_into_another_term(setup):
    """Export and import share one layout: the exported file passes the import checks."""
    from deputies.models import Term

    cast = setup
    client = cast.client_for(cast.staff_a)
    Deputy.objects.filter(township=cast.township_a).update(district=df.district(cast.township_a, "第1选区"))
    exported = client.get(reverse("deputies:export_roster")).content
    new_term = Term.objects.create(township=cast.township_a, number=11, start_date="2027-01-01")
    body = _upload(client, new_term, exported).content.decode()
    assert "检查通过" in body
