"""Excel export of the county dashboard (openpyxl): one sheet per section, townships as rows."""

from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from presidium.spreadsheets import SafeWorkbook, workbook_bytes

from . import selectors

HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")


def county_workbook(*, county, period, townships, data) -> bytes:
    wb = SafeWorkbook()
    wb.remove(wb.active)
    summed = selectors.totals(data)
    for section in selectors.available_sections():
        labels = selectors.section_labels(section)
        ws = wb.create_sheet(title=str(selectors.SECTION_LABELS[section])[:31])
        ws.append([f"{county.name} {period.label} {selectors.SECTION_LABELS[section]}"])
        ws["A1"].font = Font(bold=True, size=13)
        header = [_("乡镇(街道)"), _("代码"), *labels.values()]
        ws.append(header)
        for cell in ws[2]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for t in townships:
            values = data.get(t.pk, {}).get(section, {})
            ws.append([t.name, t.code, *[values.get(k) for k in labels]])
        total = summed.get(section, {})
        ws.append([_("合计"), "", *[total.get(k) for k in labels]])
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "C3"
        for i in range(1, len(header) + 1):
            ws.column_dimensions[get_column_letter(i)].width = 16 if i > 2 else 14
    if not wb.sheetnames:
        wb.create_sheet(title=_("无数据"))
    return workbook_bytes(wb)
