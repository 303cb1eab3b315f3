"""Excel: the rectification ledger (整改台账)."""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from presidium.spreadsheets import SafeWorkbook, xlsx_response


def rectification_ledger_xlsx(qs, *, today) -> HttpResponse:
    from openpyxl.styles import Alignment, Font

    wb = SafeWorkbook()
    ws = wb.active
    ws.title = _("整改台账")
    headers = [
        _("序号"),
        _("乡镇"),
        _("整改事项"),
        _("整改单位"),
        _("来源"),
        _("交办日期"),
        _("整改期限"),
        _("状态"),
        _("是否逾期"),
        _("销号时间"),
    ]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, r in enumerate(qs.iterator(chunk_size=500), start=1):
        source = str(r.finding.activity) if r.finding_id else (_("民主测评") if r.appraisal_target_id else "")
        ws.append(
            [
                i,
                r.township.name,
                r.title,
                r.unit.name,
                source,
                r.assigned_on,
                r.deadline,
                r.get_status_display(),
                _("逾期") if r.is_overdue(today) else "",
                r.closed_at.date() if r.closed_at else None,
            ]
        )
    for col, width in zip("ABCDEFGHIJ", (6, 10, 40, 16, 30, 12, 12, 14, 8, 12), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for cell in (row[5], row[6], row[9]):
            cell.number_format = "yyyy-mm-dd"
    return xlsx_response(wb, _("整改台账") + ".xlsx")
