"""Read the spreadsheets offices really keep (.xlsx, legacy .xls as WPS and old Excel save them,
.csv) into plain rows, and the reading rules every importer shares: find the header row under
title rows and filler lines, match column aliases, skip blank and total rows, normalise full-width
text, read year-month dates in every common form.

The roster import (``deputies.importing``) and the history import (``suggestions.history``) both
read through this module, so a file that one accepts the other reads the same way."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from presidium.spreadsheets import guard_spreadsheet_upload

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
HEADER_SCAN_ROWS = 20


@dataclass
class Sheet:
    """The first worksheet as rows of cell values (str, int, float, datetime/date or None).
    ``rows[i]`` is the row Excel shows as number ``i + 1``."""

    rows: list[list]
    name: str = ""


@dataclass
class Column:
    """One column an importer understands: ``aliases`` are header texts seen in real files."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False


@dataclass
class Layout:
    """Where the header is and which file column feeds which field."""

    header_row: int  # Excel row number of the header
    columns: dict[str, int]  # field key → 0-based column index
    headers: dict[str, str]  # field key → the header text as written in the file
    ignored: list[str] = field(default_factory=list)  # headers of columns no field uses


# --- reading the file -----------------------------------------------------------------------------------


def read_sheet(*, name: str, data: bytes) -> Sheet:
    """Parse .xlsx, .xls or .csv bytes; raise ValidationError with a Chinese message."""
    if not data:
        raise ValidationError(_("文件是空的，请选择填写好的文件。"))
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("文件过大（%(mb).1f MB），导入文件不能超过 5 MB。") % {"mb": len(data) / 1048576}
        )
    # Size, zip bomb and declared row count, checked before any parsing (title rows allowed for).
    guard_spreadsheet_upload(
        ContentFile(data, name=name or ""), max_bytes=MAX_UPLOAD_BYTES, max_rows=MAX_ROWS + HEADER_SCAN_ROWS
    )
    lower = (name or "").lower()
    if lower.endswith(".xlsx"):
        rows = _read_xlsx(data)
    elif lower.endswith(".xls"):
        rows = _read_xls(data)
    elif lower.endswith(".csv"):
        rows = _read_csv(data)
    else:
        raise ValidationError(_("只支持 .xlsx、.xls 或 .csv 文件。"))
    while rows and all(is_blank(v) for v in rows[-1]):
        rows.pop()
    if not rows:
        raise ValidationError(_("文件是空的，请选择填写好的文件。"))
    if len(rows) > MAX_ROWS + HEADER_SCAN_ROWS:
        raise ValidationError(_("一次最多导入 %(n)s 行。") % {"n": MAX_ROWS})
    return Sheet(rows=rows, name=name)


_DECIMALS = re.compile(r"^[#0,]*\.(0+)$")


def _xlsx_cell(value, number_format: str):
    """A number shown with fixed decimals (``0.00``: 1975.10) keeps the text Excel shows."""
    if isinstance(value, float):
        match = _DECIMALS.match((number_format or "").split(";")[0].strip())
        if match:
            return f"{value:.{len(match.group(1))}f}"
        if value.is_integer():
            return int(value)
    return value


def _read_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValidationError(
            _("文件不是有效的 Excel(.xlsx) 文件，请用 Excel 或 WPS 打开后另存为 .xlsx 再上传。")
        )
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = wb.worksheets[0]
        rows: list[list] = []
        for row in sheet.iter_rows():
            cells = [_xlsx_cell(c.value, getattr(c, "number_format", "")) for c in row]
            number = next((c.row for c in row if getattr(c, "row", None)), None)
            while number and len(rows) < number - 1:  # rows the file leaves out entirely
                rows.append([])
            rows.append(cells)
            if len(rows) > MAX_ROWS + HEADER_SCAN_ROWS + 1:
                break
        wb.close()
    except ValidationError:
        raise
    except Exception as exc:
        raise ValidationError(_("无法读取该 Excel 文件，请确认文件未损坏。")) from exc
    return rows


def _read_xls(data: bytes) -> list[list]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
        sheet = book.sheet_by_index(0)
        rows = []
        for r in range(min(sheet.nrows, MAX_ROWS + HEADER_SCAN_ROWS + 2)):
            cells = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
                elif cell.ctype == xlrd.XL_CELL_NUMBER:
                    fmt = ""
                    xf = book.xf_list[cell.xf_index] if cell.xf_index is not None else None
                    if xf is not None and xf.format_key in book.format_map:
                        fmt = book.format_map[xf.format_key].format_str
                    value = _xlsx_cell(float(cell.value), fmt)
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    value = None
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(cell.value)
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    value = None
                else:
                    value = cell.value
                cells.append(value)
            rows.append(cells)
        book.release_resources()
    except Exception as exc:
        raise ValidationError(
            _("无法读取该 .xls 文件，请确认文件未损坏，或用 Excel/WPS 另存为 .xlsx 后再上传。")
        ) from exc
    return rows


def _read_csv(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError(_("无法识别 CSV 文件的编码，请另存为 UTF-8 编码。"))
    if "\x00" in text:
        raise ValidationError(_("文件不是有效的 CSV 文本文件。"))
    return [list(row) for row in csv.reader(io.StringIO(text))]


def dump_sheet(sheet: Sheet) -> bytes:
    """The parsed rows as JSON, kept between the preview and the confirmation so the file is parsed
    once (dates tagged, everything else as read)."""

    def encode(value):
        if isinstance(value, dt.datetime):
            return {"dt": value.isoformat()}
        if isinstance(value, dt.date):
            return {"d": value.isoformat()}
        return value

    return json.dumps({"name": sheet.name, "rows": [[encode(v) for v in row] for row in sheet.rows]}).encode()


def load_sheet(data: bytes) -> Sheet:
    def decode(value):
        if isinstance(value, dict):
            if "dt" in value:
                return dt.datetime.fromisoformat(value["dt"])
            return dt.date.fromisoformat(value["d"])
        return value

    try:
        payload = json.loads(data)
        return Sheet(rows=[[decode(v) for v in row] for row in payload["rows"]], name=payload.get("name", ""))
    except (ValueError, KeyError, TypeError) as exc:
        raise ValidationError(_("导入已失效，请重新上传文件。")) from exc


# --- normalising cell text ------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value) -> str:
    """Cell text with full-width letters, digits and spaces folded (NFKC) and spaces collapsed."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return _text(str(value))


@lru_cache(maxsize=1 << 16)
def _text(value: str) -> str:
    # Rosters repeat the same cells (男, 汉族, 第1选区 …): each distinct text is normalised once.
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", value)).strip()


def compact(value) -> str:
    """Text with every space removed: names ("张　三" → "张三"), numbers, codes."""
    return _SPACES.sub("", text(value))


def number_text(value) -> str:
    """Phone and certificate numbers: a numeric cell (13800000001.0) read as its digits."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return compact(value).replace("-", "") if isinstance(value, int | float) else compact(value)


def phone_text(value) -> str:
    return re.sub(r"[\s\-()（）]", "", number_text(value))


_CN_DIGITS = "〇零一二两三四五六七八九十百"


@lru_cache(maxsize=4096)
def arabic_numerals(value: str) -> str:
    """第一选区 → 第1选区, 第十一代表小组 → 第11代表小组 (cn2an); other text unchanged."""
    if not value or not any(ch in _CN_DIGITS for ch in value):
        return value
    import cn2an

    try:
        return cn2an.transform(value, "cn2an")
    except Exception:  # cn2an refuses some mixed strings; the text stays as written
        return value


def header_key(value) -> str:
    """A header cell as matched against aliases: no spaces, no "*"/"（必填）" marks, no line breaks."""
    key = compact(value)
    key = re.sub(r"[（(][^）)]*[）)]$", "", key)
    return key.strip("*:：")


# --- finding the header ---------------------------------------------------------------------------------


def locate_header(sheet: Sheet, columns: list[Column], *, read_also: tuple[str, ...] = ()) -> Layout:
    """The header is the row (among the first rows) that names the most known columns; rows above it
    (titles, merged cells, "填报单位：…" lines) are passed over. ``read_also`` keys are recognised but
    reported as ignored too (备注 is read only for marks such as 连任)."""
    aliases: dict[str, str] = {}
    for column in columns:
        for alias in (column.label, *column.aliases):
            aliases.setdefault(header_key(alias), column.key)
    best: tuple[int, int] | None = None
    for index, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        matched = {aliases[header_key(v)] for v in row if header_key(v) in aliases}
        if len(matched) >= 2 and (best is None or len(matched) > best[1]):
            best = (index, len(matched))
    required = [c for c in columns if c.required]
    if best is None:
        raise ValidationError(
            _("在文件前 %(n)s 行中没有找到表头行。表头应包含：%(h)s")
            % {"n": HEADER_SCAN_ROWS, "h": "、".join(c.label for c in columns)}
        )
    index = best[0]
    layout = Layout(header_row=index + 1, columns={}, headers={})
    for position, value in enumerate(sheet.rows[index]):
        if is_blank(value):
            continue
        key = aliases.get(header_key(value))
        if key is None or key in layout.columns:
            layout.ignored.append(text(value))
            continue
        layout.columns[key] = position
        layout.headers[key] = text(value)
        if key in read_also:
            layout.ignored.append(text(value))
    missing = [c.label for c in required if c.key not in layout.columns]
    if missing:
        raise ValidationError(
            _("第 %(row)s 行是表头，但缺少必需的列：%(c)s")
            % {"row": layout.header_row, "c": "、".join(missing)}
        )
    return layout


_TOTAL = re.compile(r"^(合计|总计|小计|共计|总数|累计)")


def row_kind(values: list) -> str:
    """ "blank", "total" (合计 45人), or "data"."""
    filled = [text(v) for v in values if not is_blank(v)]
    if not filled:
        return "blank"
    if any(_TOTAL.match(compact(v)) for v in filled[:3]):
        return "total"
    return "data"


def cell(row: list, layout: Layout, key: str):
    position = layout.columns.get(key)
    if position is None or position >= len(row):
        return None
    return row[position]


# --- dates ----------------------------------------------------------------------------------------------

_YMD = re.compile(
    r"^(?P<y>\d{4})\s*(?:[./\-年]\s*(?P<m>\d{1,2})\s*月?(?:\s*[./\-]?\s*(?P<d>\d{1,2})\s*日?)?)?$"
)
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(value, *, earliest=dt.date(1900, 1, 1), latest: dt.date | None = None) -> dt.date:
    """A date or year-month in every form offices type: Excel dates (any display format), 1975.03,
    1975.3, 1975年3月, 1975-3, 1975/03/12, 197503, 19750312, 一九七五年三月. A year-month becomes
    the first of the month. Raises ValueError with a Chinese message."""
    latest = latest or dt.date.today()
    if isinstance(value, dt.datetime):
        parsed = value.date()
    elif isinstance(value, dt.date):
        parsed = value
    elif isinstance(value, int) and 20000 <= value <= 80000:  # an Excel date serial shown as a number
        parsed = _EXCEL_EPOCH + dt.timedelta(days=value)
    elif isinstance(value, float) and 1900 <= value < 2200 and round(value * 100) % 100 == 10:
        # Typed into a number cell, 1975.10 (October) is stored as 1975.1, the same as January:
        # guessing either would silently damage the record, so the office is asked.
        raise ValueError(
            _(
                "“%(v)s”是数字格式，Excel 把 1975.10 也存成 1975.1，无法区分 1 月和 10 月；"
                "请将该单元格设为文本，写作 %(y)s.01 或 %(y)s.10"
            )
            % {"v": f"{value:g}", "y": int(value)}
        )
    else:
        raw = text(value)
        if not raw:
            raise ValueError(_("不能为空"))
        digits = arabic_numerals(raw.replace("〇", "零")) if not raw[:1].isdigit() else raw
        digits = digits.replace("。", ".")
        if re.fullmatch(r"\d{6}", digits):
            digits = f"{digits[:4]}.{digits[4:]}"
        elif re.fullmatch(r"\d{8}", digits):
            digits = f"{digits[:4]}.{digits[4:6]}.{digits[6:]}"
        match = _YMD.match(digits)
        if not match or not match.group("m"):
            raise ValueError(
                _("“%(v)s”不是可识别的日期，应写作 1975.03、1975年3月 或 1975-03-18") % {"v": raw}
            )
        try:
            parsed = dt.date(int(match.group("y")), int(match.group("m")), int(match.group("d") or 1))
        except ValueError:
            raise ValueError(_("“%(v)s”不是有效的日期") % {"v": raw}) from None
    if not (earliest <= parsed <= latest):
        raise ValueError(_("日期“%(v)s”超出合理范围") % {"v": parsed.isoformat()})
    return parsed


# --- a register read row by row (the history imports) -----------------------------------------------------


class Unknown(Exception):
    """A value an importer cannot place: it goes to the mapping step (mapped once per township)."""


@dataclass
class RegisterRow:
    excel_row: int
    values: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)


@dataclass
class RegisterReport:
    """What reading a register found: rows, ignored columns, skipped rows, errors (row, column,
    message), warnings, and values waiting in the mapping step {(field, value): [rows]}."""

    header_row: int | None = None
    headers: dict = field(default_factory=dict)
    ignored_columns: list = field(default_factory=list)
    rows: list[RegisterRow] = field(default_factory=list)
    skipped: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    unknown: dict = field(default_factory=dict)
    created: int = 0
    choices: dict = field(default_factory=dict)  # mapping step: field → [(target, label)]
    labels: dict = field(default_factory=dict)  # field → column label

    @property
    def ok(self):
        return not self.errors and not self.unknown

    @property
    def unknown_list(self):
        """[(field, label, value in file, rows, choices)] for the mapping step."""
        return [
            (key, self.headers.get(key) or self.labels.get(key, key), source, rows, self.choices.get(key, []))
            for (key, source), rows in sorted(self.unknown.items())
        ]

    @property
    def total(self):
        return len(self.rows)


def read_register(sheet: Sheet, columns: list[Column], resolve, *, first_key: str) -> RegisterReport:
    """Read every data row below the header: ``resolve(key, raw, values)`` returns the stored value,
    raises ``Unknown`` (→ mapping step) or ``ValueError`` (→ an error naming the row and column).
    Blank, total and note rows (no ``first_key`` value and at most two filled cells) are skipped."""
    layout = locate_header(sheet, columns)
    report = RegisterReport(
        header_row=layout.header_row, headers=layout.headers, ignored_columns=layout.ignored
    )
    required = {c.key for c in columns if c.required}
    for index in range(layout.header_row, len(sheet.rows)):
        raw_row = sheet.rows[index]
        excel_row = index + 1
        kind = row_kind(raw_row)
        filled = [text(v) for v in raw_row if not is_blank(v)]
        if kind == "blank":
            report.skipped.append((excel_row, _("空行")))
            continue
        if kind == "total":
            report.skipped.append((excel_row, _("合计行“%(t)s”") % {"t": filled[0][:40]}))
            continue
        if is_blank(cell(raw_row, layout, first_key)) and len(filled) <= 2:
            report.skipped.append((excel_row, _("非数据行“%(t)s”") % {"t": " ".join(filled)[:40]}))
            continue
        row = RegisterRow(excel_row=excel_row)
        for key in layout.columns:
            raw = cell(raw_row, layout, key)
            if is_blank(raw):
                if key in required:
                    report.errors.append((excel_row, layout.headers[key], _("不能为空")))
                continue
            try:
                row.values[key] = resolve(key, raw, row.values)
            except Unknown:
                report.unknown.setdefault((key, compact(raw)), []).append(excel_row)
            except ValueError as exc:
                report.errors.append((excel_row, layout.headers[key], str(exc)))
        report.rows.append(row)
    return report
