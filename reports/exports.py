"""Excel (xlsx) of a register with Chinese headers, from the same rows as the printed book."""

from django.http import HttpResponse

from presidium.spreadsheets import xlsx_response as _xlsx_response


def xlsx_bytes(register) -> bytes:
    """The book as xlsx, streamed (openpyxl write-only) with every value through ``safe_value``."""
    import io

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from presidium.spreadsheets import safe_sheet_title, safe_value

    rows = list(register.rows)
    groups = [(caption, list(group_rows)) for caption, group_rows in register.groups]
    sample = rows[:200] + [r for _c, g in groups for r in g][: max(0, 200 - len(rows))]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(safe_sheet_title(str(register.title)[:31] or "Sheet1"))
    for i, header in enumerate(register.headers, start=1):
        width = max([len(str(header))] + [len(str(r[i - 1])) for r in sample if len(r) >= i]) + 2
        ws.column_dimensions[get_column_letter(i)].width = min(40, width * 1.6)
    ws.freeze_panes = "A3"

    def styled(value, **style):
        cell = WriteOnlyCell(ws, value=safe_value(value))
        for name, v in style.items():
            setattr(cell, name, v)
        return cell

    ws.append([styled(str(register.title), font=Font(bold=True, size=14))])
    fill, bold = PatternFill("solid", fgColor="EEEEEE"), Font(bold=True)
    centre = Alignment(horizontal="center")
    ws.append([styled(str(h), font=bold, fill=fill, alignment=centre) for h in register.headers])
    for row in rows:
        ws.append([safe_value(v) for v in row])
    for caption, group_rows in groups:
        # A book kept per group (e.g. one deputy group's activities): the group's name heads its rows.
        ws.append([styled(str(caption), font=bold)])
        for row in group_rows:
            ws.append([safe_value(v) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


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
