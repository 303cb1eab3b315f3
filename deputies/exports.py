"""The deputies app's spreadsheets: the roster import template, the roster and the grouping book
(代表分组及花名册), and the year's performance archive. Every workbook is written through
``presidium.spreadsheets`` (``SafeWorkbook``: no formula injection, no illegal characters); views only
pick the rows and send the file with ``xlsx_response``."""

from openpyxl.styles import Alignment, Font

from presidium.spreadsheets import SafeWorkbook, dataset_workbook

from .models import Deputy
from .resources import RosterResource


def import_template_workbook() -> SafeWorkbook:
    """The roster import template: the columns, one example row and a sheet of the accepted values."""
    wb = SafeWorkbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(RosterResource.headers())
    ws.append(
        [
            "张建华",
            "男",
            "汉族",
            "1975-03-18",
            "中共党员",
            "高中/中专",
            "农民",
            "第1选区",
            "",
            "D-001",
            "13800000000",
            "某某村党支部书记",
            "乡镇人大代表",
            "否",
        ]
    )
    for cell in ws[1]:
        cell.font = Font(bold=True)
    options = wb.create_sheet("填写说明")
    options.append(["列", "可填写的值"])
    options.append(["性别", "、".join(str(label) for _c, label in Deputy.Gender.choices)])
    options.append(["政治面貌", "、".join(str(label) for _c, label in Deputy.Party.choices)])
    options.append(["文化程度", "、".join(str(label) for _c, label in Deputy.Education.choices)])
    options.append(["代表结构类别", "、".join(str(label) for _c, label in Deputy.Occupation.choices)])
    options.append(["代表层级", "、".join(str(label) for _c, label in Deputy.Level.choices)])
    options.append(["出生日期（出生年月）", "1975.03、1975年3月、1975-03-18 或 Excel 日期均可"])
    options.append(["选区、代表小组", "须与系统中已建立的名称一致"])
    options.append(["是否连任", "是 / 否"])
    return wb


def roster_workbook(deputies) -> SafeWorkbook:
    """The roster (代表花名册) of ``deputies`` (a queryset, in the order given) in the import columns."""
    dataset = RosterResource().export(queryset=deputies)
    return dataset_workbook(dataset, title="代表花名册")


def grouping_workbook(township, deputies, leaders) -> SafeWorkbook:
    """代表分组及花名册: the printed book's layout, one block per group; ``deputies`` in group order,
    ``leaders`` the ids of the group leaders."""
    wb = SafeWorkbook()
    ws = wb.active
    ws.title = "代表分组及花名册"
    headers = [
        "序号",
        "代表小组",
        "组内职务",
        "姓名",
        "性别",
        "出生日期",
        "政治面貌",
        "文化程度",
        "工作单位及职务",
        "选区",
        "代表证号",
        "联系电话",
    ]
    ws.append([f"{township.name}人大代表分组及花名册"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(headers)
    for i, d in enumerate(deputies, start=1):
        ws.append(
            [
                i,
                d.group.name if d.group_id else "未分组",
                "组长" if d.pk in leaders else "组员",
                d.name,
                d.get_gender_display(),
                d.birth_date.strftime("%Y-%m-%d") if d.birth_date else "",
                d.party_label,
                d.get_education_display(),
                d.workplace,
                d.district.name if d.district_id else "",
                d.certificate_no,
                d.phone,
            ]
        )
    return wb


def archive_workbook(rows, year: int) -> SafeWorkbook:
    """The year's archive rows (``selectors.archive_rows``, in the order given) as a spreadsheet."""
    wb = SafeWorkbook()
    ws = wb.active
    ws.title = f"{year}年履职档案"
    lines = rows[0]["lines"] if rows else []
    six = rows[0]["six_ones"] if rows else []
    ws.append(
        [
            "姓名",
            "选区",
            *[str(line["label"]) for line in lines],
            *[f"六个一：{s['label']}" for s in six],
            "积分",
            "休眠",
        ]
    )
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        d = r["deputy"]
        ws.append(
            [
                d.name,
                d.district.name if d.district_id else "",
                *[line["count"] for line in r["lines"]],
                *[f"{s['done']}/{s['target']}" for s in r["six_ones"]],
                r["score"],
                "是" if r["dormant"] else "",
            ]
        )
    return wb
