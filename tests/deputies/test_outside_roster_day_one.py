"""An outside tester's first day in a real township: the office's own roster file, built here from
scratch as the office keeps it, goes through the web page (upload → preview → mapping → confirm) and
through ``import_roster``; then logins are issued and a deputy logs in with the mobile number."""

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deputies import services as deputy_services
from deputies.models import Deputy
from presidium.models import Role
from tests import factories as f

HEADERS = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生年月",
    "政治面貌",
    "文化程度",
    "工作单位及职务",
    "选区",
    "代表证号",
    "联系电话",
    "备注",
]


def office_workbook(rows, *, header_on_row_3=True) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["城关镇第十届人民代表大会代表花名册"])
    ws.merge_cells("A1:L1")
    if header_on_row_3:
        ws.append(["填报单位：城关镇人大主席团　填报日期：2026年11月30日"])
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy.mm"
    ws.append([])
    ws.append(["合计 45人"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


ROWS = [
    [
        1,
        "张　三",
        "男",
        "汉族",
        "1975.03",
        "中共党员",
        "大学本科",
        "东关村党支部书记",
        "第一选区",
        "CG10-001",
        13912340001,
        "连任",
    ],
    [
        2,
        "李秀兰",
        "女",
        "汉族",
        "1975年3月",
        "民盟盟员",
        "大专",
        "城关中学教师",
        "第一选区",
        "CG10-002",
        13912340002,
        "",
    ],
    [
        3,
        "王建国",
        "男",
        "回族",
        dt.datetime(1968, 11, 1),
        "群众",
        "初中",
        "种粮大户",
        "第二选区",
        "CG10-003",
        13912340003,
        "连任",
    ],
    [
        4,
        "赵丽",
        "女",
        "汉族",
        "1988.07",
        "中共党员",
        "硕士研究生",
        "城关镇卫生院院长",
        "第二选区",
        "CG10-004",
        13912340004,
        "",
    ],
]


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def chengguan(db):
    county = f.CountyFactory(name="城关县")
    township = f.TownshipFactory(county=county, name="城关镇")
    staff = f.UserFactory(role=Role.STAFF, township=township, full_name="城关镇人大秘书")
    term = deputy_services.term_create(
        township=township, actor=staff, number=10, start_date=dt.date(2021, 12, 28)
    )
    return township, staff, term


def _upload(client, term, content, *, name="城关镇代表花名册.xlsx", mode="add", start_date=""):
    return client.post(
        reverse("deputies:roster_import"),
        {"term": term.pk, "mode": mode, "start_date": start_date, "file": SimpleUploadedFile(name, content)},
    )


def _confirm(client, **form):
    return client.post(reverse("deputies:roster_import_confirm"), form)


def test_a_new_township_imports_its_own_roster_file_through_the_page(chengguan):
    from django.test import Client

    township, staff, term = chengguan
    client = Client()
    client.force_login(staff)

    preview = _upload(client, term, office_workbook(ROWS))
    body = text(preview)
    assert preview.status_code == 200
    assert "表头在第 3 行，读取代表 4 名" in body
    assert "未使用的列（已忽略）：序号、备注" in body
    assert "第 8 行（空行）" in body and "合计 45人" in body
    # A first day: the township has no districts yet. The page says so and links to where they are made.
    assert "第一选区" in body and "第二选区" in body
    assert "本乡镇的选区中没有：第一选区、第二选区" in body
    assert reverse("deputies:districts") in preview.content.decode()
    assert Deputy.objects.filter(township=township).count() == 0

    for name in ("第1选区", "第2选区"):
        client.post(reverse("deputies:districts"), {"name": name, "seats": 2})
    rechecked = _confirm(client, action="recheck")
    body = text(rechecked)
    assert "对应无法识别的值" not in body, body[:3000]
    # Nothing hidden: 代表结构类别 and level are inferred and shown "待确认".
    assert "待确认" in body and "按工作单位“东关村党支部书记”推断" in body

    refused = _confirm(client, action="commit")
    assert "未导入任何数据" in text(refused)
    assert Deputy.objects.filter(township=township).count() == 0

    done = _confirm(client, action="commit", accept_inferred="1")
    assert done.status_code == 302, text(done)[:3000]
    deputies = {d.name: d for d in Deputy.objects.filter(township=township, term=term)}
    assert set(deputies) == {"张三", "李秀兰", "王建国", "赵丽"}
    zhang = deputies["张三"]
    assert zhang.birth_date == dt.date(1975, 3, 1) and deputies["李秀兰"].birth_date == dt.date(1975, 3, 1)
    assert deputies["王建国"].birth_date == dt.date(1968, 11, 1)
    assert zhang.phone == "13912340001" and zhang.district.name == "第1选区"
    assert zhang.education == Deputy.Education.BACHELOR
    assert (
        deputies["李秀兰"].party == Deputy.Party.DEMOCRATIC and deputies["李秀兰"].party_label == "民盟盟员"
    )
    assert zhang.is_reelected and deputies["王建国"].is_reelected and not deputies["赵丽"].is_reelected
    assert len({d.occupation for d in deputies.values()}) >= 3  # not every deputy a 农民
    # The initial roster serves from the term's start.
    assert {d.status_since for d in deputies.values()} == {term.start_date}

    # Search by name finds 张三 (the file had "张　三").
    assert "张三" in text(client.get(reverse("deputies:roster"), {"q": "张三"}))
    composition = text(client.get(reverse("deputies:composition")))
    assert "村(社区)干部" in composition and "专业技术人员" in composition


def test_mid_term_additions_keep_past_quorum_warn_on_seats_and_a_corrected_file_updates(chengguan):
    from django.test import Client

    from congress.models import Session
    from congress.selectors import has_quorum, session_deputies
    from deputies.importing import read_upload, roster_import

    township, staff, term = chengguan
    for name in ("第1选区", "第2选区"):
        deputy_services.district_save(township=township, actor=staff, name=name, seats=2)
    first = roster_import(
        township=township,
        term=term,
        sheet=read_upload(name="a.xlsx", data=office_workbook(ROWS)),
        actor=staff,
        commit=True,
        accept_inferred=True,
    )
    assert first.ok and first.created == 4
    session = Session.objects.create(
        township=township,
        term=term,
        number=3,
        start_date=dt.date(2025, 3, 1),
        end_date=dt.date(2025, 3, 2),
        status=Session.Status.CLOSED,
    )
    assert session_deputies(session).count() == 4 and has_quorum(3, 4, township.rules)

    client = Client()
    client.force_login(staff)
    newcomers = [
        [
            1,
            "孙　红",
            "女",
            "汉族",
            "1979.09",
            "中共党员",
            "大学本科",
            "城关村委会主任",
            "第一选区",
            "CG10-005",
            13912340005,
            "",
        ],
    ]
    preview = _upload(client, term, office_workbook(newcomers))
    body = text(preview)
    assert "选区“第1选区”应选 2 名，导入后在任 3 名" in body
    refused = _confirm(client, action="commit", accept_inferred="1")
    assert "未导入任何数据" in text(refused) and not Deputy.objects.filter(name="孙红").exists()
    done = _confirm(
        client, action="commit", accept_inferred="1", by_election_ref="城关镇选举委员会公告〔2026〕2号"
    )
    assert done.status_code == 302
    sun = Deputy.objects.get(name="孙红")
    assert sun.status_since > dt.date(2025, 3, 2)
    assert session_deputies(session).count() == 4 and has_quorum(3, 4, township.rules)

    # The corrected file: 张三's mobile changed. Adding again is refused with a way out; update mode applies it.
    corrected = [list(r) for r in ROWS]
    corrected[0][10] = 13912349999
    again = _upload(client, term, office_workbook(corrected))
    assert "更新已有代表" in text(again)
    update = _upload(client, term, office_workbook(corrected), mode="update")
    body = text(update)
    assert "13912340001 → 13912349999" in body, body[:4000]
    # 第1选区 is over its seats since the by-election, but this file does not add to it: said, not refused.
    assert "选区“第1选区”应选 2 名，目前在任 3 名（本次导入未增加）" in body
    assert "请填写补选依据文件" not in body
    committed = _confirm(client, action="commit", accept_inferred="1")
    assert committed.status_code == 302, text(committed)[text(committed).find("导入代表花名册 表头") :][:3000]
    assert Deputy.objects.get(name="张三").phone == "13912349999"
    assert Deputy.objects.filter(township=township).count() == 5


def test_the_command_imports_the_same_file_and_fails_on_errors(chengguan, tmp_path, capsys):
    import json

    from django.core.management import call_command

    township, staff, _term = chengguan
    deputy_services.district_save(township=township, actor=staff, name="第1选区", seats=3)
    deputy_services.district_save(township=township, actor=staff, name="第2选区", seats=3)
    bad = [list(r) for r in ROWS]
    bad[1][4] = "1975.13"  # no 13th month
    bad[2][2] = "不详"  # a value to map once
    path = tmp_path / "城关镇.xlsx"
    path.write_bytes(office_workbook(bad))
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_roster", str(path), township=township.name, term=10, dry_run=True, json=True)
    assert exit_info.value.code != 0
    report = json.loads(capsys.readouterr().out)
    assert report["ignored_columns"] == ["序号", "备注"]
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(5, "出生年月")], report["errors"]
    assert report["unmapped"] == [{"column": "性别", "value": "不详", "rows": [6]}]
    assert Deputy.objects.filter(township=township).count() == 0

    path.write_bytes(office_workbook(ROWS))
    call_command("import_roster", str(path), township=township.name, term=10, accept_inferred=True)
    assert Deputy.objects.filter(township=township).count() == 4


def test_imported_deputies_get_logins_sign_in_by_mobile_must_change_password_and_lose_it_on_resigning(
    chengguan,
):
    from django.test import Client

    from deputies.importing import read_upload, roster_import

    township, staff, term = chengguan
    for name in ("第1选区", "第2选区"):
        deputy_services.district_save(township=township, actor=staff, name=name, seats=2)
    roster_import(
        township=township,
        term=term,
        sheet=read_upload(name="a.xlsx", data=office_workbook(ROWS)),
        actor=staff,
        commit=True,
        accept_inferred=True,
    )
    client = Client()
    client.force_login(staff)
    page = client.get(reverse("accounts:deputies"))
    assert page.status_code == 200 and "张三" in text(page)
    slips = client.post(reverse("accounts:deputies_issue"), {"all_missing": "1"})
    html = slips.content.decode()
    assert slips.status_code == 200 and "13912340001" in html
    passwords = re.findall(r'<span class="font-monospace fs-5">([a-z0-9]{10})</span>', html)
    assert len(passwords) == 4
    zhang = Deputy.objects.get(township=township, name="张三")
    assert zhang.user.username == "13912340001"
    # Slips are in roster order; 张三's is the one printed after his mobile number.
    zhang_password = re.search(
        r'<span class="font-monospace fs-5">([a-z0-9]{10})</span>', html[html.index("13912340001") :]
    ).group(1)

    deputy = Client()
    login = deputy.post(reverse("login"), {"username": "13912340001", "password": zhang_password})
    assert login.status_code == 302
    forced = deputy.get(reverse("suggestions:new"))
    assert forced.status_code == 302 and forced["Location"] == reverse("password_change")
    changed = deputy.post(
        reverse("password_change"),
        {
            "old_password": zhang_password,
            "new_password1": "Chengguan#2026",
            "new_password2": "Chengguan#2026",
        },
    )
    assert changed.status_code == 302
    assert deputy.get(reverse("suggestions:new")).status_code == 200

    deputy_services.deputy_change_status(
        deputy=zhang,
        to_status=Deputy.Status.RESIGNED,
        effective_date=dt.date(2026, 11, 30),
        actor=staff,
        document_ref="城关镇第十届人大第六次会议决定",
        accepted_by_congress=True,  # the township congress voted to accept it
    )
    ended = deputy.get(reverse("suggestions:new"))
    assert "代表职务已终止" in text(ended)
    from suggestions.models import Suggestion

    deputy.post(reverse("suggestions:new"), {"title": "东关村道路硬化", "content": "请求硬化道路"})
    assert not Suggestion.objects.filter(title="东关村道路硬化").exists()


def test_a_birth_month_excel_stored_as_a_number_ending_in_1_is_asked_not_guessed(chengguan):
    """Typed into a General cell, 1975.10 becomes the number 1975.1 — the same as January. The
    importer must not silently read October as January: it names the row and the column."""
    from deputies.importing import read_upload, roster_import

    township, staff, term = chengguan
    for name in ("第1选区", "第2选区"):
        deputy_services.district_save(township=township, actor=staff, name=name, seats=3)
    rows = [list(r) for r in ROWS]
    rows[0][4] = 1975.1  # ambiguous
    rows[1][4] = 1975.12  # December, unambiguous
    outcome = roster_import(
        township=township,
        term=term,
        sheet=read_upload(name="a.xlsx", data=office_workbook(rows)),
        actor=staff,
        commit=True,
        accept_inferred=True,
    )
    assert [(r, c) for r, c, _m in outcome.errors] == [(4, "出生年月")]
    assert "无法区分 1 月和 10 月" in str(outcome.errors[0][2]) and "1975.01 或 1975.10" in str(
        outcome.errors[0][2]
    )
    assert Deputy.objects.filter(township=township).count() == 0
    rows[0][4] = "1975.10"
    outcome = roster_import(
        township=township,
        term=term,
        sheet=read_upload(name="a.xlsx", data=office_workbook(rows)),
        actor=staff,
        commit=True,
        accept_inferred=True,
    )
    assert outcome.ok
    assert Deputy.objects.get(name="张三").birth_date == dt.date(1975, 10, 1)
    assert Deputy.objects.get(name="李秀兰").birth_date == dt.date(1975, 12, 1)
