"""The pipeline: read, resolve, match and check every row, then commit when asked and nothing blocks."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from presidium import sheet_reader as sr
from presidium.selectors import can_edit_township

from ..models import Deputy
from .columns import COLUMNS, FIELD_LABELS, MSG_BLANK, MSG_TO_CONFIRM, _once
from .commit import _commit
from .matching import _check_seats, _diffs, _field_errors, _match, _override
from .outcome import RosterOutcome, RowResult
from .reading import Unknown, _Context, _infer, _read_remarks, resolve


def default_start_date(term) -> dt.date:
    """The term's start for the initial roster (no deputy yet), today for deputies added mid-term."""
    if not Deputy.objects.filter(term=term).exists():
        return term.start_date
    return timezone.localdate()


def roster_import(
    *,
    township,
    term,
    sheet: sr.Sheet,
    actor,
    commit: bool,
    mode: str = "add",
    start_date: dt.date | None = None,
    mappings: dict | None = None,
    overrides: dict | None = None,
    accept_inferred: bool = False,
    by_election_ref: str = "",
) -> RosterOutcome:
    """Read every row of ``sheet`` into the roster of ``term``; with ``commit`` and nothing blocking,
    write all rows in one transaction (else nothing). ``actor`` None means the command line.

    ``mappings`` {(field, value in file): target} maps values the reader cannot place (remembered for
    the township on commit); ``overrides`` {(excel row, field): value} are the preview's corrections of
    "待确认" fields; ``accept_inferred`` confirms the remaining marks; ``by_election_ref`` is required
    when a district would exceed its seats."""
    if actor is not None and not can_edit_township(actor, township.pk):
        raise PermissionDenied(_("您无权导入该乡镇的代表。"))
    if term.township_id != township.pk:
        raise ValidationError(_("届次不属于本乡镇。"))
    if mode not in ("add", "update"):
        raise ValidationError(_("导入方式无效。"))
    today = timezone.localdate()
    start_date = start_date or default_start_date(term)
    too_late = start_date > today and start_date != term.start_date  # a new term's roster may come early
    if start_date < term.start_date or too_late or (term.end_date and start_date > term.end_date):
        raise ValidationError(
            _("任职开始日期应在本届开始日期（%(s)s）与今天之间。") % {"s": term.start_date.isoformat()}
        )
    layout = sr.locate_header(sheet, COLUMNS, read_also=("remarks",))
    outcome = RosterOutcome(
        header_row=layout.header_row,
        headers=layout.headers,
        ignored_columns=layout.ignored,
        start_date=start_date,
        mode=mode,
    )
    ctx = _Context(township, mappings)
    overrides = overrides or {}
    present = set(layout.columns)
    column_of = {k: layout.headers.get(k, FIELD_LABELS.get(k, k)) for k in FIELD_LABELS}

    existing = list(Deputy.objects.filter(term=term).select_related("district", "group"))
    by_cert = {d.certificate_no: d for d in existing if d.certificate_no}
    by_name_birth = {(d.name, d.birth_date): d for d in existing if d.birth_date}
    seen_cert: dict[str, int] = {}
    seen_deputy: dict[int, int] = {}

    for index in range(layout.header_row, len(sheet.rows)):
        raw_row = sheet.rows[index]
        excel_row = index + 1
        kind = sr.row_kind(raw_row)
        if kind == "blank":
            outcome.skipped.append((excel_row, _once(MSG_BLANK)))
            continue
        if kind == "total":
            outcome.skipped.append(
                (
                    excel_row,
                    _("合计行“%(t)s”") % {"t": next(sr.text(v) for v in raw_row if not sr.is_blank(v))},
                )
            )
            continue
        name_cell = sr.cell(raw_row, layout, "name")
        filled = sum(1 for v in raw_row if not sr.is_blank(v))
        if sr.is_blank(name_cell) and filled <= 2:
            note = " ".join(sr.text(v) for v in raw_row if not sr.is_blank(v))
            outcome.skipped.append((excel_row, _("非代表数据行“%(t)s”") % {"t": note[:40]}))
            continue
        row = RowResult(excel_row=excel_row)
        row_errors = []
        unmapped = set()
        for key in layout.columns:
            raw = sr.cell(raw_row, layout, key)
            if sr.is_blank(raw) and key not in ("name", "gender", "district"):
                continue
            try:
                row.values[key] = resolve(key, raw, ctx, row.values)
            except Unknown:
                outcome.unknown.setdefault((key, sr.compact(raw)), []).append(excel_row)
                unmapped.add(key)
            except ValueError as exc:
                row_errors.append((excel_row, column_of[key], str(exc)))
        # A row being updated keeps what the file does not say; a new row gets marked inferences.
        row.values.setdefault("remarks", "")
        _read_remarks(row.values)
        match = _match(row.values, by_cert, by_name_birth)
        if match is not None and mode == "update":
            row.existing = match
            row.action = "update"
        else:
            row.pending = _infer(row.values, present, unmapped)
        for (o_row, key), value in overrides.items():
            if o_row == excel_row and value not in (None, ""):
                try:
                    row.values[key] = _override(key, value, ctx)
                except ValueError as exc:
                    row_errors.append((excel_row, column_of[key], str(exc)))
                    continue
                row.pending.pop(key, None)
                if key == "party":
                    row.values.pop("party_name", None)
        for key, reason in row.pending.items():
            if row.values.get(key) is None:
                outcome.unfilled.append(
                    (excel_row, column_of[key], _("%(r)s（须在预览中填写）") % {"r": reason})
                )
        # Duplicates within the file and against the roster.
        cert = row.values.get("certificate_no") or ""
        if cert:
            if cert in seen_cert:
                row_errors.append(
                    (
                        excel_row,
                        column_of["certificate_no"],
                        _("代表证号“%(v)s”与第 %(n)s 行重复") % {"v": cert, "n": seen_cert[cert]},
                    )
                )
            else:
                seen_cert[cert] = excel_row
        if match is not None and mode == "add":
            how = (
                _("代表证号“%(v)s”在本届已存在") % {"v": cert}
                if cert and cert == match.certificate_no
                else _("本届已有同名、同出生年月的代表“%(v)s”") % {"v": match.name}
            )
            row_errors.append(
                (
                    excel_row,
                    column_of["certificate_no" if cert else "name"],
                    how + _("；如需更新已有代表，请选择“更新已有代表”。"),
                )
            )
        if match is not None and mode == "update":
            if match.pk in seen_deputy:
                row_errors.append(
                    (
                        excel_row,
                        column_of["name"],
                        _("与第 %(n)s 行是同一名代表") % {"n": seen_deputy[match.pk]},
                    )
                )
            seen_deputy[match.pk] = excel_row
            if cert and cert != match.certificate_no and cert in by_cert:
                row_errors.append(
                    (
                        excel_row,
                        column_of["certificate_no"],
                        _("代表证号“%(v)s”在本届已被其他代表使用") % {"v": cert},
                    )
                )
        row_errors.extend(_field_errors(row, column_of))
        if row_errors:
            outcome.errors.extend(row_errors)
        if row.action == "update":
            row.diffs = _diffs(row)
            if not row.diffs:
                row.action = "same"
        outcome.rows.append(row)

    outcome.total = len(outcome.rows)
    if not outcome.rows and not outcome.errors:
        raise ValidationError(_("文件中没有代表数据行（表头在第 %(n)s 行）。") % {"n": layout.header_row})
    _check_seats(outcome, term, by_election_ref, start_date)
    for row in outcome.rows:
        for key in row.pending:
            if row.values.get(key) is not None:
                outcome.warnings.append(
                    (
                        row.excel_row,
                        column_of[key],
                        _once(MSG_TO_CONFIRM) % {"v": row.display(key), "r": row.pending[key]},
                    )
                )
    if outcome.unknown:
        outcome.blockers.append(
            _("有 %(n)s 个值无法识别，请在“对应无法识别的值”中逐个对应。") % {"n": len(outcome.unknown)}
        )
    if outcome.unfilled:
        outcome.blockers.append(_("有 %(n)s 项须在预览中填写。") % {"n": len(outcome.unfilled)})
    if outcome.pending_rows and not accept_inferred:
        outcome.blockers.append(
            _("有 %(n)s 行含“待确认”的推断值，请逐项核对或修改后勾选确认。")
            % {"n": len(outcome.pending_rows)}
        )
    outcome.errors.sort(key=lambda e: (e[0] or 0, e[1]))
    if commit and outcome.ok:
        try:
            _commit(
                outcome,
                township=township,
                term=term,
                actor=actor,
                ctx=ctx,
                mappings=mappings or {},
                start_date=start_date,
                by_election_ref=by_election_ref,
            )
        except IntegrityError as exc:  # someone else wrote the same certificate number meanwhile
            raise ValidationError(
                _("花名册在确认前已被他人修改（如代表证号已被使用），未导入任何数据，请重新检查。")
            ) from exc
    return outcome
