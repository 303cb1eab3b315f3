"""The roster files offices really have: title rows, header on row 3, 序号/备注, dates in three
forms, 大学本科, 民盟盟员, 第一选区, numeric and full-width phones, a blank and a "合计" row, a legacy
.xls — read row by row, mapped once, confirmed, and committed all-or-nothing."""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from congress.models import Session
from congress.selectors import has_quorum, session_deputies
from deputies import importing
from deputies.models import Deputy, DeputyStatusChange, ImportValueMapping

from . import factories as df
from .workbooks import messy_rows, messy_xls, messy_xlsx


@pytest.fixture
def office(cast):
    """The township's districts as the office set them up: 第1选区 with 3 seats, 第2选区 with 2."""
    df.district(cast.township_a, "第1选区", seats=3)
    df.district(cast.township_a, "第2选区", seats=2)
    from deputies.models import ElectoralDistrict

    ElectoralDistrict.objects.filter(township=cast.township_a, name="第1选区").update(seats=3)
    return cast


def _check(cast, content, name="花名册.xlsx", **kwargs):
    sheet = importing.read_upload(name=name, data=content)
    kwargs.setdefault("commit", False)
    return importing.roster_import(
        township=cast.township_a, term=cast.deputy_a.term, sheet=sheet, actor=cast.staff_a, **kwargs
    )


def _counts():
    return Deputy.objects.count(), DeputyStatusChange.objects.count(), ImportValueMapping.objects.count()


ANSWERS = {
    "mappings": {("education", "中央党校大学"): "bachelor"},
    "overrides": {(7, "occupation"): "worker"},
    "accept_inferred": True,
}


@pytest.mark.parametrize("name, content", [("花名册.xlsx", messy_xlsx()), ("花名册.xls", messy_xls())])
def test_an_office_roster_is_read_row_by_row_whatever_excel_saved_it(office, name, content):
    outcome = _check(office, content, name=name)
    assert outcome.header_row == 3
    assert outcome.ignored_columns == ["序号", "备注"]
    assert [r.excel_row for r in outcome.rows] == [4, 5, 6, 7]
    assert [(row, str(reason)[:3]) for row, reason in outcome.skipped][:2] == [(8, "空行"), (9, "合计行")]
    zhang, li, wang, zhao = (r.values for r in outcome.rows)
    # Full-width spaces and digits normalised; a numeric phone cell read as its digits.
    assert (zhang["name"], zhang["phone"], wang["certificate_no"], wang["phone"]) == (
        "张三",
        "13800000001",
        "CG-003",
        "13800000003",
    )
    assert li["name"] == "李四"
    # Year-month dates as text "1975.03", "1980年5月", an Excel date shown yyyy.mm, and "1990-7".
    assert [v["birth_date"] for v in (zhang, li, wang, zhao)] == [
        dt.date(1975, 3, 1),
        dt.date(1980, 5, 1),
        dt.date(1968, 11, 1),
        dt.date(1990, 7, 1),
    ]
    assert zhang["education"] == "bachelor"  # 大学本科 → 本科
    assert (li["party"], li["party_name"]) == ("democratic", "民盟盟员")
    assert (zhao["party"], zhao["party_name"]) == ("democratic", "九三学社社员")
    assert zhang["district"].name == "第1选区" and wang["district"].name == "第2选区"  # 第一选区 = 第1选区
    assert wang["ethnicity"] == "汉族"
    # 备注 "连任" is read as re-elected; "新任" as not; silence is a "待确认" mark.
    assert zhang["is_reelected"] is True and "is_reelected" not in outcome.rows[0].pending
    assert wang["is_reelected"] is False and "is_reelected" not in outcome.rows[2].pending
    assert "is_reelected" in outcome.rows[1].pending
    # No 代表结构类别 column: inferred from the workplace with a visible mark, or left to fill.
    assert (zhang["occupation"], li["occupation"], wang["occupation"]) == (
        "village_cadre",
        "professional",
        "business",
    )
    assert all("occupation" in r.pending and "level" in r.pending for r in outcome.rows)
    assert [(row, col) for row, col, _m in outcome.unfilled] == [(7, "代表结构类别")]
    # The unknown 文化程度 goes to the mapping step, once, with the rows it appears in.
    assert outcome.unknown == {("education", "中央党校大学"): [6]}
    assert outcome.errors == [] and not outcome.ok


def test_after_mapping_and_confirming_the_roster_is_written_and_the_mapping_remembered(office):
    before = _counts()
    outcome = _check(office, messy_xlsx(), commit=True, **ANSWERS)
    assert outcome.ok, outcome.blockers
    assert outcome.created == 4 and _counts()[0] == before[0] + 4
    wang = Deputy.objects.get(certificate_no="CG-003")
    assert wang.education == "bachelor" and wang.occupation == "business"
    zhao = Deputy.objects.get(name="赵六")
    assert zhao.occupation == "worker" and zhao.party_label == "九三学社社员"
    zhang = Deputy.objects.get(name="张三")
    assert zhang.is_reelected and zhang.name_pinyin == "zhangsan" and zhang.phone == "13800000001"
    assert (
        ImportValueMapping.objects.get(township=office.township_a, source="中央党校大学").target == "bachelor"
    )
    # The next file from this township needs no mapping for that value.
    second = messy_rows()[2:3]
    second[0][9] = "CG-103"
    again = _check(office, messy_xlsx(second))
    assert again.unknown == {} and again.rows[0].values["education"] == "bachelor"


def test_a_refused_import_writes_nothing_not_even_the_mappings(office):
    before = _counts()
    answers = dict(ANSWERS, accept_inferred=False)
    outcome = _check(office, messy_xlsx(), commit=True, **answers)
    assert not outcome.ok and outcome.created == 0
    assert _counts() == before


def test_a_bad_cell_names_the_excel_row_and_the_column_as_the_file_calls_it(office):
    rows = messy_rows()
    rows[1][4] = "1980年13月"
    rows[2][10] = "1380000"
    rows[3][8] = "　"  # a district cell holding only a full-width space
    outcome = _check(office, messy_xlsx(rows), commit=True, **ANSWERS)
    assert [(row, col) for row, col, _m in outcome.errors] == [(5, "出生年月"), (6, "联系电话"), (7, "选区")]
    assert "选区不能为空" in outcome.errors[2][2] and outcome.unknown == {}
    assert "不是有效的日期" in outcome.errors[0][2]
    assert Deputy.objects.filter(name__in=["张三", "李四"]).count() == 0


def test_the_upload_page_walks_through_mapping_confirmation_and_commit(office):
    client = office.client_for(office.staff_a)
    term = office.deputy_a.term
    response = client.post(
        reverse("deputies:roster_import"),
        {"term": term.pk, "mode": "add", "file": SimpleUploadedFile("城关镇花名册.xls", messy_xls())},
    )
    body = response.content.decode()
    assert "表头在第 3 行" in body and "序号、备注" in body and "中央党校大学" in body
    assert "待确认" in body and "第 9 行" in body
    form = {
        "map_field_0": "education",
        "map_source_0": "中央党校大学",
        "map_target_0": "bachelor",
        "fix-7-occupation": "worker",
        "action": "commit",
    }
    refused = client.post(reverse("deputies:roster_import_confirm"), form)
    assert "未导入任何数据" in refused.content.decode() and not Deputy.objects.filter(name="赵六").exists()
    done = client.post(reverse("deputies:roster_import_confirm"), {**form, "accept_inferred": "1"})
    assert done.status_code == 302
    assert Deputy.objects.filter(township=office.township_a, term=term).count() == 2 + 4


def test_deputies_added_mid_term_leave_past_sessions_quorate(office):
    """A session held last year with every deputy of the time present stays quorate after ten more
    deputies are imported mid-term (they start serving today, not at the term's start)."""
    cast = office
    term = cast.deputy_a.term
    session = Session.objects.create(
        township=cast.township_a,
        term=term,
        number=2,
        start_date=dt.date(2025, 3, 1),
        end_date=dt.date(2025, 3, 2),
    )
    before = session_deputies(session).count()
    assert before == 2 and has_quorum(2, before, cast.township_a.rules)
    rows = []
    for i in range(10):
        row = messy_rows()[0]
        row[1], row[9], row[10] = f"新代表{i}", f"MID-{i}", 13900000000 + i
        row[8] = "第1选区" if i < 3 else "第2选区"
        rows.append(row)
    wb = messy_xlsx(rows)
    outcome = _check(
        cast, wb, commit=True, accept_inferred=True, by_election_ref="城关镇选举委员会公告〔2026〕1号"
    )
    assert outcome.ok and outcome.created == 10 and outcome.start_date == timezone.localdate()
    assert session_deputies(session).count() == before
    assert has_quorum(2, session_deputies(session).count(), cast.township_a.rules)
    change = DeputyStatusChange.objects.get(deputy__certificate_no="MID-5")
    assert change.effective_date == timezone.localdate() and change.is_by_election


def test_the_initial_roster_of_a_term_starts_at_the_term_start(office):
    from deputies.models import Term

    term = Term.objects.create(township=office.township_a, number=11, start_date=dt.date(2026, 1, 5))
    sheet = importing.read_upload(name="a.xlsx", data=messy_xlsx())
    outcome = importing.roster_import(
        township=office.township_a, term=term, sheet=sheet, actor=office.staff_a, commit=True, **ANSWERS
    )
    assert outcome.created == 4 and outcome.start_date == term.start_date
    assert set(Deputy.objects.filter(term=term).values_list("status_since", flat=True)) == {term.start_date}


def test_a_district_over_its_seats_is_warned_and_refused_without_a_by_election_reference(office):
    rows = messy_rows()
    for row in rows:
        row[8] = "第二选区"  # four deputies into a district of two seats
    before = _counts()
    outcome = _check(office, messy_xlsx(rows), commit=True, **ANSWERS)
    assert outcome.seat_overflow == [("第2选区", 2, 4)]
    assert any("超出 2 名" in str(m) for _r, _c, m in outcome.warnings)
    assert not outcome.ok and _counts() == before
    confirmed = _check(office, messy_xlsx(rows), commit=True, by_election_ref="补选公告第3号", **ANSWERS)
    assert confirmed.ok and confirmed.created == 4


def test_update_mode_matches_by_certificate_else_name_and_birth_and_shows_the_differences(office):
    cast = office
    term = cast.deputy_a.term
    district1 = df.district(cast.township_a, "第1选区")
    by_cert = df.deputy(
        cast.township_a,
        name="张三",
        certificate_no="CG-001",
        phone="13700000000",
        term=term,
        district=district1,
    )
    by_birth = df.deputy(
        cast.township_a,
        name="李四",
        certificate_no="",
        birth_date=dt.date(1980, 5, 1),
        term=term,
        district=district1,
    )
    by_birth.occupation = "intellectual"
    by_birth.save()
    refused = _check(cast, messy_xlsx(messy_rows()[:2]))
    assert [(row, col) for row, col, _m in refused.errors] == [(4, "代表证号"), (5, "代表证号")]
    assert "更新已有代表" in refused.errors[0][2]
    outcome = _check(cast, messy_xlsx(messy_rows()[:2]), mode="update", commit=True)
    assert [(r.action, r.existing) for r in outcome.rows] == [("update", by_cert), ("update", by_birth)]
    assert ("手机号码", "13700000000", "13800000001") in outcome.rows[0].diffs
    assert outcome.ok and outcome.updated == 2 and outcome.created == 0
    by_cert.refresh_from_db()
    by_birth.refresh_from_db()
    assert by_cert.phone == "13800000001" and by_cert.is_reelected
    # The file says nothing of 代表结构类别: the office's value is kept, not replaced by a guess.
    assert by_birth.certificate_no == "CG-002" and by_birth.occupation == "intellectual"
    assert by_birth.party_label == "民盟盟员"


def test_the_command_prints_rows_ignored_columns_and_errors_and_fails_on_errors(office, tmp_path, capsys):
    path = tmp_path / "城关镇.xls"
    path.write_bytes(messy_xls())
    township = office.township_a
    with pytest.raises(SystemExit) as exit_:
        call_command("import_roster", str(path), township=township.code, term=10, dry_run=True, json=True)
    assert exit_.value.code == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ignored_columns"] == ["序号", "备注"]
    assert [r["row"] for r in report["rows"]] == [4, 5, 6, 7]
    assert report["unmapped"] == [{"column": "文化程度", "value": "中央党校大学", "rows": [6]}]
    assert report["to_fill"][0]["row"] == 7 and report["to_fill"][0]["column"] == "代表结构类别"
    assert Deputy.objects.filter(name="张三").count() == 0
    rows = messy_rows()
    rows[3][7] = "城关镇农机站职工"
    path.write_bytes(messy_xls(rows))
    out = io.StringIO()
    call_command(
        "import_roster",
        str(path),
        township=township.code,
        term=10,
        map=["文化程度=中央党校大学:本科"],
        accept_inferred=True,
        stdout=out,
    )
    assert "新增 4 名" in out.getvalue()
    assert Deputy.objects.get(name="赵六").occupation == "worker"


@pytest.mark.parametrize(
    ("value", "number_format", "expected"),
    [
        ("1975.03", None, dt.date(1975, 3, 1)),
        ("1975年3月", None, dt.date(1975, 3, 1)),
        ("1975-3", None, dt.date(1975, 3, 1)),
        ("1975/03/18", None, dt.date(1975, 3, 18)),
        ("197503", None, dt.date(1975, 3, 1)),
        ("一九七五年三月", None, dt.date(1975, 3, 1)),
        ("１９７５．０３", None, dt.date(1975, 3, 1)),
        (dt.datetime(1975, 3, 1), "yyyy.mm", dt.date(1975, 3, 1)),
        (1975.03, "General", dt.date(1975, 3, 1)),
        (1975.1, "0.00", dt.date(1975, 10, 1)),  # typed 1975.10 in a cell formatted with two decimals
        (27454, "General", dt.date(1975, 3, 1)),  # an Excel date serial shown as a plain number
    ],
)
def test_birth_months_in_every_form_offices_type_them(office, value, number_format, expected):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "出生年月", "选区"])
    ws.append(["张三", "男", value, "第1选区"])
    if number_format:
        ws["C2"].number_format = number_format
    buffer = io.BytesIO()
    wb.save(buffer)
    outcome = _check(office, buffer.getvalue())
    assert outcome.errors == [] and outcome.rows[0].values["birth_date"] == expected


def test_the_update_page_shows_each_difference_before_anything_changes(office):
    cast = office
    term = cast.deputy_a.term
    zhang = df.deputy(cast.township_a, name="张三", certificate_no="CG-001", phone="13700000000", term=term)
    client = cast.client_for(cast.staff_a)
    response = client.post(
        reverse("deputies:roster_import"),
        {
            "term": term.pk,
            "mode": "update",
            "file": SimpleUploadedFile("更正.xlsx", messy_xlsx(messy_rows()[:1])),
        },
    )
    body = response.content.decode()
    assert "将更新的代表" in body and "13700000000 → 13800000001" in body
    zhang.refresh_from_db()
    assert zhang.phone == "13700000000"
    done = client.post(reverse("deputies:roster_import_confirm"), {"action": "commit"})
    assert done.status_code == 302
    zhang.refresh_from_db()
    assert zhang.phone == "13800000001" and zhang.is_reelected


def test_a_deputy_whose_party_changes_by_hand_no_longer_shows_the_imported_party_name(office):
    from deputies.services import deputy_update

    cast = office
    _check(cast, messy_xlsx(), commit=True, **ANSWERS)
    li = Deputy.objects.get(name="李四")
    assert li.party_label == "民盟盟员"
    deputy_update(deputy=li, actor=cast.staff_a, fields={"party": Deputy.Party.CPC})
    li.refresh_from_db()
    assert li.party_label == "中共党员"


def test_a_certificate_number_taken_by_someone_else_during_the_commit_gives_a_message_and_writes_nothing(
    office, monkeypatch
):
    """The check passed, then another office member saved the same certificate number: the
    database refuses the insert, the import says why and leaves nothing behind."""
    cast = office
    df.deputy(cast.township_a, name="抢先", certificate_no="CG-002", term=cast.deputy_a.term)
    # the check did not see it yet (patched where the pipeline looks it up)
    monkeypatch.setattr(importing.pipeline, "_match", lambda *args: None)
    before = _counts()
    with pytest.raises(ValidationError, match="已被他人修改"):
        _check(cast, messy_xlsx(), commit=True, by_election_ref="补选公告第1号", **ANSWERS)
    assert _counts() == before
