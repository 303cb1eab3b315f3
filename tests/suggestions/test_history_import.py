"""Past years' registers as offices keep them (title row, header on row 3, numbers like 2023-017,
a deputy of a past term, units and outcomes written their own way, a 合计 row) become closed,
imported records that count in the figures of their year."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deputies.importing import read_upload
from deputies.models import ImportValueMapping
from suggestions import history
from suggestions.models import Status, Suggestion, SuggestionCounter
from suggestions.selectors import township_stats
from supervision import history as petition_history
from supervision.models import Petition
from supervision.selectors import township_stats as supervision_stats
from tests.deputies import factories as df

SUGGESTION_HEADERS = [
    "序号",
    "建议编号",
    "案由",
    "领衔代表",
    "类别",
    "主办单位",
    "提出日期",
    "交办日期",
    "办结日期",
    "办理结果",
    "代表评价",
    "备注",
]


def _register(headers, rows, title="城关镇2023年人大代表建议办理情况登记表", total="合计：%s件") -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.append(["填报单位：城关镇人大主席团　　　　填报日期：2024年1月10日"])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    ws.append([])
    ws.append([total % len(rows)])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def office(cast):
    """甲镇 with a deputy of the current term (周卫东) and one of the past term (孙老代表)."""
    from deputies.models import Term

    old_term = Term.objects.create(
        township=cast.township_a, number=9, start_date=dt.date(2016, 12, 1), end_date=dt.date(2021, 12, 27)
    )
    cast.old_deputy = df.deputy(cast.township_a, name="孙老代表", term=old_term, status="term_ended")
    cast.deputy_a.name = "周卫东"
    cast.deputy_a.save()
    return cast


def _rows(cast):
    return [
        [
            1,
            "2023-001",
            "修缮东岭村村道",
            "周卫东",
            "道路建设",
            "甲财政所",
            "2023.03",
            "2023年3月20日",
            "2023-06-15",
            "A",
            "满意",
            "",
        ],
        [
            2,
            "2023-002",
            "新建西河灌溉渠",
            "孙老代表",
            "水利设施类",
            "镇水利站",
            dt.datetime(2023, 4, 2),
            "",
            "2023.9.30",
            "列入计划",
            "基本满意",
            "",
        ],
        [
            3,
            "2023-003",
            "增设农村广播",
            "钱七",
            "农村广播",
            "甲派出所",
            "2023年5月",
            "",
            "2023-08-01",
            "留作参考",
            "不满意",
            "代表已调离",
        ],
    ]


def _check(cast, content, commit=False, mappings=None, module=history):
    sheet = read_upload(name="登记簿.xlsx", data=content)
    return module.history_import(
        township=cast.township_a, sheet=sheet, actor=cast.staff_a, commit=commit, mappings=mappings
    )


def test_a_past_suggestions_register_is_read_row_by_row(office):
    cast = office
    report = _check(cast, _register(SUGGESTION_HEADERS, _rows(cast)))
    assert report.header_row == 3 and report.ignored_columns == ["序号", "备注"]
    assert [r.excel_row for r in report.rows] == [4, 5, 6]
    assert [row for row, _reason in report.skipped] == [7, 8]
    first, second, third = (r.values for r in report.rows)
    assert (first["number"], first["lead_deputy"], first["category"], first["unit"]) == (
        "2023-001",
        cast.deputy_a,
        "道路建设",
        cast.unit_a,
    )
    assert first["submitted"] == dt.date(2023, 3, 1) and first["assigned"] == dt.date(2023, 3, 20)
    assert second["lead_deputy"] == cast.old_deputy  # a deputy of the past term, by the date
    assert second["category"] == "水利设施" and second["outcome"] == "B" and second["rating"] == "basic"
    assert third["outcome"] == "C" and third["rating"] == "unsatisfied"
    # Values it cannot place wait in the mapping step, each once.
    assert report.unknown == {("unit", "镇水利站"): [5], ("lead_deputy", "钱七"): [6]}
    assert not report.ok


def test_mapped_and_confirmed_the_register_becomes_closed_imported_records_counted_in_their_year(office):
    cast = office
    year_start, year_end = dt.date(2023, 1, 1), dt.date(2023, 12, 31)
    before = township_stats(township_ids=[cast.township_a.pk], start=year_start, end=year_end)[
        cast.township_a.pk
    ]
    mappings = {("unit", "镇水利站"): str(cast.unit_a2.pk), ("lead_deputy", "钱七"): history.NONE}
    report = _check(cast, _register(SUGGESTION_HEADERS, _rows(cast)), commit=True, mappings=mappings)
    assert report.ok and report.created == 3, (report.errors, report.unknown)
    imported = {s.number: s for s in Suggestion.objects.filter(township=cast.township_a, is_imported=True)}
    assert set(imported) == {"2023-001", "2023-002", "2023-003"}
    first = imported["2023-001"]
    assert (first.status, first.year, first.seq, first.outcome_class, first.rating) == (
        Status.CLOSED,
        2023,
        1,
        "A",
        "satisfied",
    )
    assert (
        imported["2023-002"].lead_unit == cast.unit_a2 and imported["2023-002"].lead_deputy == cast.old_deputy
    )
    assert imported["2023-003"].lead_deputy is None and "钱七" in imported["2023-003"].content
    assert first.events.get().action == "import"
    stats = township_stats(township_ids=[cast.township_a.pk], start=year_start, end=year_end)[
        cast.township_a.pk
    ]
    assert stats["received"] - before["received"] == 3
    assert stats["replied"] - before["replied"] == 3 and stats["resolved"] - before["resolved"] == 1
    assert stats["planned"] - before["planned"] == 1 and stats["satisfied"] - before["satisfied"] == 2
    assert stats["closed"] - before["closed"] == 3
    assert SuggestionCounter.objects.get(township=cast.township_a, year=2023).last == 3
    # The mapping is remembered: the next register from this township needs none.
    assert ImportValueMapping.objects.filter(township=cast.township_a, field="suggestion.unit").count() == 1


def test_the_imported_suggestions_count_in_the_deputys_archive_of_that_year(office):
    from deputies.selectors import archive_rows

    cast = office
    mappings = {("unit", "镇水利站"): str(cast.unit_a2.pk), ("lead_deputy", "钱七"): history.NONE}
    _check(cast, _register(SUGGESTION_HEADERS, _rows(cast)), commit=True, mappings=mappings)
    rows = archive_rows(
        [cast.deputy_a], start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31), rules=cast.township_a.rules
    )
    assert rows[0]["metrics"]["suggestion"] == 1
    assert rows[0]["metrics"]["suggestion_resolved"] == 1


def test_a_number_already_used_or_repeated_refuses_the_whole_register(office):
    cast = office
    rows = _rows(cast)
    rows[2][1] = "2023-001"
    mappings = {("unit", "镇水利站"): str(cast.unit_a2.pk), ("lead_deputy", "钱七"): history.NONE}
    report = _check(cast, _register(SUGGESTION_HEADERS, rows), commit=True, mappings=mappings)
    assert [(row, col) for row, col, _m in report.errors] == [(6, "建议编号")]
    assert "与第 4 行重复" in report.errors[0][2]
    assert not Suggestion.objects.filter(is_imported=True).exists()
    assert not ImportValueMapping.objects.exists()


def test_bad_dates_name_the_row_and_column(office):
    cast = office
    rows = _rows(cast)
    rows[0][6] = "去年春天"
    rows[1][8] = "2023.1.1"  # replied before it was made
    report = _check(cast, _register(SUGGESTION_HEADERS, rows))
    assert [(row, col) for row, col, _m in report.errors] == [(4, "提出日期"), (5, "办结日期")]


PETITION_HEADERS = [
    "序号",
    "登记编号",
    "来信来访日期",
    "信访方式",
    "信访人",
    "联系电话",
    "反映问题",
    "转办单位",
    "处理结果",
    "办结日期",
]


def test_a_past_petitions_register_becomes_closed_petitions_counted_in_their_year(office):
    cast = office
    rows = [
        [
            1,
            "XF2022-01",
            "2022.3.5",
            "来访",
            "王　大爷",
            13900000001,
            "宅基地纠纷",
            "甲财政所",
            "已调解",
            "2022.4.1",
        ],
        [
            2,
            "XF2022-02",
            "2022年6月8日",
            "来信",
            "李某",
            "",
            "村道积水",
            "县交通运输局",
            "已转县交通局",
            "2022-06-20",
        ],
        [3, "XF2022-03", dt.datetime(2022, 9, 9), "电话", "赵某", "", "低保评定", "", "已答复", ""],
    ]
    content = _register(PETITION_HEADERS, rows, title="城关镇2022年人民来信来访登记簿", total="合计 %s 件")
    report = _check(cast, content, module=petition_history)
    assert report.unknown == {("unit", "县交通运输局"): [5]}
    mappings = {("unit", "县交通运输局"): petition_history.OUTSIDE}
    report = _check(cast, content, commit=True, mappings=mappings, module=petition_history)
    assert report.ok and report.created == 3, (report.errors, report.unknown)
    first, second, third = Petition.objects.filter(is_imported=True).order_by("number")
    assert (first.number, first.person_name, first.contact, first.forwarded_unit) == (
        "XF2022-01",
        "王大爷",
        "13900000001",
        cast.unit_a,
    )
    assert second.forwarded_to == "县交通运输局" and second.channel == "letter"
    assert third.channel == "phone" and third.closed_at.date() == dt.date(2022, 9, 9)
    assert {p.status for p in (first, second, third)} == {Petition.Status.CLOSED}
    stats = supervision_stats(
        township_ids=[cast.township_a.pk], start=dt.date(2022, 1, 1), end=dt.date(2022, 12, 31)
    )
    assert stats[cast.township_a.pk]["petitions_received"] == 3
    assert stats[cast.township_a.pk]["petitions_closed"] == 3


def test_the_history_page_previews_maps_and_imports(office):
    cast = office
    client = cast.client_for(cast.staff_a)
    response = client.post(
        reverse("suggestions:history_import"),
        {
            "kind": "suggestions",
            "file": SimpleUploadedFile("2023年建议登记簿.xlsx", _register(SUGGESTION_HEADERS, _rows(cast))),
        },
    )
    body = response.content.decode()
    assert "表头在第 3 行" in body and "镇水利站" in body and "钱七" in body
    assert not Suggestion.objects.filter(is_imported=True).exists()
    mapping_form = {
        "map_field_0": "lead_deputy",
        "map_source_0": "钱七",
        "map_target_0": history.NONE,
        "map_field_1": "unit",
        "map_source_1": "镇水利站",
        "map_target_1": str(cast.unit_a2.pk),
        "action": "commit",
    }
    done = client.post(reverse("suggestions:history_import_confirm"), mapping_form)
    assert done.status_code == 302
    assert Suggestion.objects.filter(township=cast.township_a, is_imported=True).count() == 3


def test_other_townships_staff_cannot_confirm_a_pending_history_import(office):
    cast = office
    client = cast.client_for(cast.staff_b)
    response = client.post(reverse("suggestions:history_import_confirm"), {"action": "commit"}, follow=True)
    assert "导入已失效" in response.content.decode()
    assert not Suggestion.objects.filter(is_imported=True).exists()
