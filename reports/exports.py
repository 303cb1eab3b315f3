"""Excel (xlsx) of a register with Chinese headers, from the same rows as the printed book."""

import io
from urllib.parse import quote

from django.http import HttpResponse


def xlsx_bytes(register) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = str(register.title)[:31] or "Sheet1"
    ws.append([str(register.title)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([str(h) for h in register.headers])
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEEEEE")
        cell.alignment = Alignment(horizontal="center")
    rows = list(register.rows)
    for _caption, group_rows in register.groups:
        rows += group_rows
    for row in rows:
        ws.append([_cell(v) for v in row])
    for i, header in enumerate(register.headers, start=1):
        width = max([len(str(header))] + [len(str(r[i - 1])) for r in rows[:200] if len(r) >= i]) + 2
        ws.column_dimensions[get_column_letter(i)].width = min(40, width * 1.6)
    ws.freeze_panes = "A3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(value):
    if isinstance(value, int | float) or value is None:
        return value
    text = str(value)
    # Neutralise spreadsheet formulas in user-typed text (CSV/formula injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def xlsx_response(register, filename: str) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(register), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
