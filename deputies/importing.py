"""Roster import: read the upload safely, check the headers, validate every row with
``RosterResource``, and commit all rows or none."""

import io
import zipfile
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from presidium.selectors import can_edit_township
from presidium.services import audit
from presidium.spreadsheets import guard_spreadsheet_upload

from .models import Deputy, DeputyStatusChange
from .resources import REQUIRED_HEADERS, RosterResource

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000


@dataclass
class ImportOutcome:
    total: int = 0
    errors: list = field(default_factory=list)  # [(excel_row or None, column or "", message)]
    preview: list = field(default_factory=list)  # first rows as lists of cell texts
    headers: list = field(default_factory=list)
    created: int = 0

    @property
    def ok(self):
        return not self.errors


def read_upload(*, name: str, data: bytes) -> tablib.Dataset:
    """Parse .xlsx or .csv bytes into a Dataset; raise ValidationError with a Chinese message."""
    if not data:
        raise ValidationError(_("文件是空的，请选择填写好的花名册文件。"))
    # Size, zip-bomb and declared row count, checked before any parsing.
    guard_spreadsheet_upload(
        ContentFile(data, name=name or ""), max_bytes=MAX_UPLOAD_BYTES, max_rows=MAX_ROWS
    )
    lower = (name or "").lower()
    if lower.endswith(".xlsx"):
        dataset = _read_xlsx(data)
    elif lower.endswith(".csv"):
        dataset = _read_csv(data)
    else:
        raise ValidationError(_("只支持 .xlsx 或 .csv 文件。"))
    # Drop rows that are entirely blank (common at the end of Excel sheets).
    blank = [i for i, row in enumerate(dataset) if all(v in (None, "") for v in row)]
    for i in reversed(blank):
        del dataset[i]
    if len(dataset) == 0:
        raise ValidationError(_("文件中没有代表数据行。"))
    if len(dataset) > MAX_ROWS:
        raise ValidationError(_("一次最多导入 %(n)s 行。") % {"n": MAX_ROWS})
    return dataset


def _read_xlsx(data: bytes) -> tablib.Dataset:
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValidationError(
            _("文件不是有效的 Excel(.xlsx) 文件，请用 Excel 或 WPS 另存为 .xlsx 后再上传。")
        )
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = wb.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        wb.close()
    except Exception as exc:
        raise ValidationError(_("无法读取该 Excel 文件，请确认文件未损坏。")) from exc
    if not rows:
        raise ValidationError(_("文件是空的，请选择填写好的花名册文件。"))
    headers = [str(h).strip() if h is not None else "" for h in rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    dataset = tablib.Dataset(headers=headers)
    for row in rows[1:]:
        values = list(row[:width]) + [None] * max(0, width - len(row))
        dataset.append(values)
    return dataset


def _read_csv(data: bytes) -> tablib.Dataset:
    import csv

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
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise ValidationError(_("文件是空的，请选择填写好的花名册文件。"))
    headers = [h.strip() for h in rows[0]]
    dataset = tablib.Dataset(headers=headers)
    for row in rows[1:]:
        dataset.append((row + [""] * len(headers))[: len(headers)])
    return dataset


def check_headers(dataset: tablib.Dataset):
    headers = list(dataset.headers or [])
    known = set(RosterResource.headers())
    missing = [h for h in REQUIRED_HEADERS if h not in headers]
    unknown = [h for h in headers if h and h not in known]
    duplicated = sorted({h for h in headers if h and headers.count(h) > 1})
    problems = []
    if missing:
        problems.append(_("缺少必填列：%(c)s") % {"c": "、".join(missing)})
    if unknown:
        problems.append(_("无法识别的列：%(c)s") % {"c": "、".join(unknown)})
    if duplicated:
        problems.append(_("重复的列：%(c)s") % {"c": "、".join(duplicated)})
    if problems:
        raise ValidationError(
            "；".join(problems)
            + _("。请使用下载的模板，表头应为：%(h)s") % {"h": "、".join(RosterResource.headers())}
        )


class _TrackingRosterResource(RosterResource):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.created_instances = []

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self.created_instances.extend(self.create_instances)
        super().bulk_create(using_transactions, dry_run, raise_errors, batch_size=batch_size, result=result)

    class Meta(RosterResource.Meta):
        pass


def roster_import(*, township, term, dataset: tablib.Dataset, actor, commit: bool) -> ImportOutcome:
    """Validate every row; with ``commit`` and no error, create all deputies (and their "elected"
    history rows) in one transaction. Any error → nothing is written."""
    if not can_edit_township(actor, township.pk):
        raise PermissionDenied(_("您无权导入该乡镇的代表。"))
    if term.township_id != township.pk:
        raise ValidationError(_("届次不属于本乡镇。"))
    check_headers(dataset)
    outcome = ImportOutcome(total=len(dataset), headers=list(dataset.headers))
    outcome.preview = [["" if v is None else str(v) for v in row] for row in dataset[:20]]
    columns = {name: f.column_name for name, f in RosterResource.fields.items()}
    with transaction.atomic():
        max_pk_before = Deputy.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        resource = _TrackingRosterResource(township=township, term=term)
        result = resource.import_data(
            dataset,
            dry_run=not commit,
            use_transactions=True,
            rollback_on_validation_errors=True,
            raise_errors=False,
        )
        for invalid in result.invalid_rows:
            for key, messages in invalid.error_dict.items():
                column = columns.get(key, "")
                for message in messages:
                    outcome.errors.append((invalid.number + 1, column, str(message)))
        for number, row_errors in result.row_errors():
            for error in row_errors:
                outcome.errors.append((number + 1, "", _("无法保存：%(e)s") % {"e": error.error}))
        for error in result.base_errors:
            outcome.errors.append((None, "", _("导入失败：%(e)s") % {"e": error.error}))
        if outcome.errors or not commit:
            transaction.set_rollback(True)
            outcome.errors.sort(key=lambda e: (e[0] or 0, e[1]))
            return outcome
        created = [d for d in resource.created_instances if d.pk]
        if len(created) != len(resource.created_instances):
            # A database without RETURNING on bulk insert: the new rows are those above the old maximum.
            created = list(Deputy.objects.filter(township=township, pk__gt=max_pk_before))
        DeputyStatusChange.objects.bulk_create(
            [
                DeputyStatusChange(
                    township=township,
                    deputy=d,
                    from_status="",
                    to_status=Deputy.Status.SERVING,
                    effective_date=term.start_date,
                    document_ref=_("花名册导入"),
                    actor=actor,
                )
                for d in created
            ]
        )
        outcome.created = len(created)
        audit(
            actor=actor,
            action="deputy.import",
            township=township,
            obj=_("导入代表 %(n)s 名") % {"n": len(created)},
            rows=len(created),
            term=term.number,
        )
    return outcome
