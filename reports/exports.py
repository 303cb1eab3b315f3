"""Excel (xlsx) of a register with Chinese headers, from the same rows as the printed book."""

from django.http import HttpResponse

from presidium.spreadsheets import SafeWorkbook, workbook_bytes
from presidium.spreadsheets import xlsx_response as _xlsx_response


def xlsx_bytes(register) -> bytes:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = SafeWorkbook()
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
    for row in register.rows:
        ws.append(row)
    for caption, group_rows in register.groups:
        # A book kept per group (e.g. one deputy group's activities): the group's name heads its rows.
        ws.append([str(caption)])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        for row in group_rows:
            ws.append(row)
        rows += group_rows
    for i, header in enumerate(register.headers, start=1):
        width = max([len(str(header))] + [len(str(r[i - 1])) for r in rows[:200] if len(r) >= i]) + 2
        ws.column_dimensions[get_column_letter(i)].width = min(40, width * 1.6)
    ws.freeze_panes = "A3"
    return workbook_bytes(wb)


def xlsx_response(register, filename: str) -> HttpResponse:
    return _xlsx_response(xlsx_bytes(register), filename)


def render_export(job, *, progress=lambda p: None) -> tuple[bytes, int]:
    """The file of a background export job, built with its requester's visibility and filters (the
    same rows the requester would get inline): (xlsx bytes, number of rows)."""
    from django.core.exceptions import PermissionDenied

    from .models import JobKind

    if job.created_by is None or not job.created_by.is_active:
        raise PermissionDenied("the requester no longer has access")
    if job.kind == JobKind.SUGGESTIONS_XLSX:
        from suggestions import exports, selectors

        qs = selectors.filter_suggestions(
            selectors.suggestions_visible_to(job.created_by), (job.params or {}).get("filters", {})
        )
        total = qs.count()
        progress(10)
        content = exports.register_bytes(qs, progress=lambda n: progress(10 + int(85 * n / max(total, 1))))
        return content, total
    raise LookupError(f"no export for {job.kind}")
