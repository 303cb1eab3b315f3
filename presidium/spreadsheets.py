"""Excel in and out, safely: the one writer every xlsx export uses, and the guard every import runs
before parsing an uploaded spreadsheet.

Writer: text typed by users (a suggestion title, a deputy's workplace …) must never become a formula
in the township's spreadsheet (``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``: formula/CSV injection), and a
control character already stored must not make the export fail (openpyxl raises
``IllegalCharacterError``). ``SafeWorkbook`` passes every value written through ``safe_value``;
``xlsx_response`` scrubs the whole workbook once more before saving, whatever wrote the cells.

Guard: an .xlsx is a zip; a small upload can expand to hundreds of megabytes (a zip bomb) or declare
a hundred thousand rows. ``guard_spreadsheet_upload`` reads only the zip directory and each sheet's
declared dimension, so a bad file is refused in milliseconds with a clear Chinese message.
"""

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A cell whose text starts with one of these is read as a formula (or a DDE command) by Excel/WPS.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_PLAIN_TYPES = (bool, int, float, Decimal, dt.date, dt.datetime, dt.time, dt.timedelta)


def safe_value(value):
    """The value as it may be written into a cell: numbers and dates unchanged; text with the XML
    control characters removed and, if Excel would read it as a formula, prefixed with ``'``."""
    if value is None or isinstance(value, _PLAIN_TYPES):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


_SHEET_TITLE_RE = re.compile(r"[\\*?:/\[\]\x00-\x1f]")


def safe_sheet_title(title) -> str:
    """A sheet name Excel accepts (no ``\\ * ? : / [ ]`` or control characters, 31 characters)."""
    return _SHEET_TITLE_RE.sub("", str(title or "")).strip("'")[:31] or "Sheet"


class SafeWorksheet(Worksheet):
    """A worksheet whose ``append``, ``cell(value=…)`` and ``ws["A1"] = …`` write safe values and
    whose title (often a township's or a session's name) is always a valid sheet name."""

    title = property(
        Worksheet.title.fget, lambda self, value: Worksheet.title.fset(self, safe_sheet_title(value))
    )

    def append(self, iterable):
        if isinstance(iterable, dict):
            return super().append({k: safe_value(v) for k, v in iterable.items()})
        return super().append([safe_value(v) for v in iterable])

    def cell(self, row, column, value=None):
        return super().cell(row, column, safe_value(value) if value is not None else None)

    def __setitem__(self, key, value):
        self[key].value = safe_value(value)


class SafeWorkbook(Workbook):
    """``openpyxl.Workbook`` whose sheets (the active one and every created one) are safe."""

    def __init__(self):
        super().__init__()
        self._sheets.clear()
        self._sheets.append(SafeWorksheet(self))

    def create_sheet(self, title=None, index=None):
        sheet = SafeWorksheet(parent=self, title=title)
        self._add_sheet(sheet=sheet, index=index)
        return sheet


def scrub(workbook) -> None:
    """Neutralise every cell of ``workbook`` in place (the last line of defence before saving)."""
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type in ("s", "f", "inlineStr") and isinstance(cell.value, str):
                    cleaned = safe_value(cell.value)
                    if cleaned != cell.value or cell.data_type == "f":
                        cell.value = cleaned
                        cell.data_type = "s"


def workbook_bytes(workbook) -> bytes:
    scrub(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def dataset_workbook(dataset, *, title: str = "") -> SafeWorkbook:
    """A tablib ``Dataset`` (django-import-export's export) written through the safe writer."""
    wb = SafeWorkbook()
    ws = wb.active
    if title or dataset.title:
        ws.title = (title or dataset.title)[:31]
    if dataset.headers:
        ws.append(dataset.headers)
    for row in dataset:
        ws.append(list(row))
    ws.freeze_panes = "A2"
    return wb


def stream_xlsx(sheets, *, target=None, progress=None, every: int = 1000) -> bytes | None:
    """Write a large workbook with openpyxl's write-only mode: rows go straight to the file, so
    memory and time stay proportional to the cells, not to a cell object per value.

    ``sheets`` is an iterable of ``(title, headers, rows, widths)``; ``rows`` any iterable of lists
    (a generator is fine), ``widths`` ``{column number: width}`` or None. Every value passes through
    ``safe_value`` (formulas neutralised, control characters removed) exactly as ``SafeWorkbook``.
    ``progress(n)`` is called with the number of rows written every ``every`` rows. Writes to
    ``target`` (a path or a binary file) if given, else returns the bytes."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    written = 0
    for title, headers, rows, widths in sheets:
        ws = wb.create_sheet(title=safe_sheet_title(title))
        for i in range(1, len(headers) + 1):
            ws.column_dimensions[get_column_letter(i)].width = (widths or {}).get(i, 14)
        ws.freeze_panes = "A2"
        header_cells = []
        for h in headers:
            cell = WriteOnlyCell(ws, value=safe_value(str(h)))
            cell.font, cell.alignment = bold, centre
            header_cells.append(cell)
        ws.append(header_cells)
        append = ws.append
        for row in rows:
            append([safe_value(v) for v in row])
            written += 1
            if progress is not None and written % every == 0:
                progress(written)
    if target is not None:
        wb.save(target)
        return None
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_response(workbook_or_bytes, filename: str) -> HttpResponse:
    """The download of a workbook: scrubbed, as an attachment with a UTF-8 file name."""
    content = workbook_or_bytes if isinstance(workbook_or_bytes, bytes) else workbook_bytes(workbook_or_bytes)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Upload guard ------------------------------------------------------------------------------------------

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024  # all zip entries together, once inflated
MAX_ENTRY_RATIO = 120  # inflated / compressed size of one entry; real workbooks stay well under 50
MAX_ROWS = 5000

_DIMENSION_RE = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)?(\d+)?(?::([A-Z]+)?(\d+))?\"")
_ROW_RE = re.compile(rb"<(?:\w+:)?row[\s>]")


def _refuse(message, **params):
    raise ValidationError(message % params if params else message, code="spreadsheet_upload")


def guard_spreadsheet_upload(
    uploaded_file, *, max_bytes: int = MAX_UPLOAD_BYTES, max_rows: int = MAX_ROWS
) -> None:
    """Refuse, before any parsing, an upload too big to import: over ``max_bytes``; an .xlsx whose
    zip entries inflate beyond ``MAX_UNCOMPRESSED_BYTES`` or by more than ``MAX_ENTRY_RATIO`` times
    (a zip bomb); or a sheet that declares more than ``max_rows`` rows. Reads only the zip directory
    and the head of each sheet, so it answers in milliseconds. Raises ``ValidationError`` with a
    Chinese message; leaves the file positioned at its start."""
    size = getattr(uploaded_file, "size", None)
    if size is None:
        uploaded_file.seek(0, io.SEEK_END)
        size = uploaded_file.tell()
    if size > max_bytes:
        _refuse(
            _("文件过大（%(mb).1f MB），表格文件不能超过 %(max)s MB。"),
            mb=size / 1048576,
            max=max_bytes // 1048576,
        )
    name = (getattr(uploaded_file, "name", "") or "").lower()
    uploaded_file.seek(0)
    head = uploaded_file.read(4)
    uploaded_file.seek(0)
    if name.endswith(".csv"):
        data = uploaded_file.read(max_bytes + 1)
        uploaded_file.seek(0)
        rows = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
        if rows - 1 > max_rows:
            _refuse(
                _("文件有约 %(rows)s 行，一次最多导入 %(max)s 行，请分批导入。"), rows=rows - 1, max=max_rows
            )
        return
    if head != b"PK\x03\x04":
        return  # not a zip (.xls or junk): the reader gives its own message; the size is bounded
    try:
        archive = zipfile.ZipFile(uploaded_file)
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        uploaded_file.seek(0)
        _refuse(_("文件不是有效的 Excel(.xlsx) 文件，请用 Excel 或 WPS 另存为 .xlsx 后再上传。"))
    try:
        total = 0
        for info in entries:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if total > MAX_UNCOMPRESSED_BYTES or (info.file_size > 1048576 and ratio > MAX_ENTRY_RATIO):
                _refuse(
                    _(
                        "文件解压后内容异常庞大（约 %(mb)s MB），可能已损坏或含有大量空白格式，"
                        "请将数据复制到新建的表格中另存后再上传。"
                    ),
                    mb=max(total, info.file_size) // 1048576,
                )
        for info in entries:
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            rows = _declared_rows(archive, info)
            if rows is not None and rows - 1 > max_rows:
                _refuse(
                    _("表格有 %(rows)s 行，一次最多导入 %(max)s 行，请分批导入。"),
                    rows=rows - 1,
                    max=max_rows,
                )
    finally:
        archive.close()
        uploaded_file.seek(0)


def _declared_rows(archive, info) -> int | None:
    """The last row number a sheet declares (its ``<dimension ref="A1:N5001">``); without one, the
    number of ``<row>`` elements, counted while streaming (the entry's size is already bounded)."""
    with archive.open(info) as fh:
        head = fh.read(4096)
        match = _DIMENSION_RE.search(head)
        if match and (match.group(4) or match.group(2)):
            return int(match.group(4) or match.group(2))
        count = len(_ROW_RE.findall(head))
        tail = head[-16:]
        while chunk := fh.read(1 << 20):
            count += len(_ROW_RE.findall(tail + chunk)) - len(_ROW_RE.findall(tail))
            tail = chunk[-16:]
        return count
