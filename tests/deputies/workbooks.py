"""Rosters as township offices really keep them, built in code: a merged title row, a
"填报单位：…　填报日期：…" line, the header on row 3 with 序号 and 备注, birth dates in three forms,
numeric phones, full-width spaces and digits, a blank row and a "合计" row at the bottom."""

import datetime as dt
import io

TITLE = "城关镇第十届人民代表大会代表花名册"
FILLER = "填报单位：城关镇人大主席团　　　填报日期：2026年11月20日"
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

# Cell values in the order of HEADERS; a date cell given as a datetime is written as an Excel date
# displayed "yyyy.mm".
MESSY_ROWS = [
    [
        1,
        "张　三",
        "男",
        "汉族",
        "1975.03",
        "中共党员",
        "大学本科",
        "东岭村党支部书记",
        "第一选区",
        "CG-001",
        13800000001,
        "连任",
    ],
    [
        2,
        "李 四",
        "女",
        "回族",
        "1980年5月",
        "民盟盟员",
        "大专",
        "城关中学教师",
        "第1选区",
        "CG-002",
        "13800000002",
        "",
    ],
    [
        3,
        "王五",
        "男",
        "汉",
        dt.datetime(1968, 11, 1),
        "群众",
        "中央党校大学",
        "兴旺养殖专业合作社理事长",
        "第二选区",
        "ＣＧ-００３",
        "１３８０００００００３",
        "新任",
    ],
    [4, "赵六", "女", "汉族", "1990-7", "九三学社社员", "高中", "", "第二选区", "CG-004", 13800000004, ""],
]


def messy_rows():
    return [list(r) for r in MESSY_ROWS]


def messy_xlsx(rows=None, *, title=TITLE, filler=FILLER, headers=HEADERS, footer=True) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    rows = messy_rows() if rows is None else rows
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    width = len(headers)
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([filler])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.append(headers)
    for number, row in enumerate(rows, start=4):
        ws.append(row)
        for column, value in enumerate(row, start=1):
            if isinstance(value, dt.datetime):
                ws.cell(row=number, column=column).number_format = "yyyy.mm"
    if footer:
        ws.append([])
        ws.append([f"合计　{len(rows)}人"])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=3)
        ws.append(["填表人：刘秘书", None, None, None, None, None, None, "审核人：陈主席"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def messy_xls(rows=None, *, headers=HEADERS) -> bytes:
    """The same roster as legacy Excel 97-2003 (.xls) saves it (xlwt writes the BIFF8 format WPS
    and old Excel use)."""
    import xlwt

    rows = messy_rows() if rows is None else rows
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("花名册")
    sheet.write_merge(0, 0, 0, len(headers) - 1, TITLE)
    sheet.write_merge(1, 1, 0, len(headers) - 1, FILLER)
    for c, value in enumerate(headers):
        sheet.write(2, c, value)
    yyyymm = xlwt.easyxf(num_format_str="yyyy.mm")
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row):
            if isinstance(value, dt.datetime):
                sheet.write(r, c, value, yyyymm)
            elif value not in (None, ""):
                sheet.write(r, c, value)
    total_row = 3 + len(rows) + 1
    sheet.write(total_row, 0, f"合计 {len(rows)}人")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
