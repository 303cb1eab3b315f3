"""The pipeline every history import shares (past years' registers from Excel → closed records,
kept with their register numbers and marked imported): the reader's township units and remembered
value mappings, the permission check and reading (``presidium.sheet_reader``), the register-number
checks, the all-or-none commit and the rows, events and mappings it writes. Each app's importer
(``suggestions.history``, ``supervision.history``) says only what is its own: columns, values,
checks and the record it builds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import ImportValueMapping
from presidium import sheet_reader as sr
from presidium.models import HandlingUnit
from presidium.selectors import can_edit_township


@dataclass(frozen=True)
class Kind:
    """One kind of register: the ``model`` its rows become (its events under ``model.events``, its
    remembered mappings under "<model name>.<column>"), the ``closed`` status they are imported in,
    and the ``key`` that finds an inserted record again: (register number, the column that starts a
    row, the record's day)."""

    model: type
    closed: str
    key: tuple[str, str, str]

    @property
    def prefix(self) -> str:
        return self.model._meta.model_name

    @property
    def events(self) -> type:
        return self.model.events.field.model


def at_nine(day: dt.date | None):
    """The moment an imported record's day is stored as (09:00 local), None for no day."""
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=timezone.get_current_timezone())


class Reader:
    """The township's handling units and the value mappings remembered for the register ``kind``
    (``ImportValueMapping`` rows whose field starts with ``<prefix>.``), the ones of this run on top."""

    kind: Kind
    columns: list  # the register's columns (``sheet_reader.Column``)
    mapped_columns: tuple[str, ...]  # the columns whose values may be mapped

    def __init__(self, township, mappings):
        self.township = township
        self.units = {sr.compact(u.name): u for u in HandlingUnit.objects.filter(township=township)}
        self.units_by_pk = {str(u.pk): u for u in self.units.values()}
        stored = ImportValueMapping.objects.filter(
            township=township, field__startswith=f"{self.kind.prefix}."
        )
        self.mappings = {(m.field.removeprefix(f"{self.kind.prefix}."), m.source): m.target for m in stored}
        self.mappings.update(mappings or {})

    # Columns whose values are those of a set of choices: {column key: TextChoices class}.
    enums: dict = {}

    def choices(self, key) -> list[tuple[str, str]]:
        """What a value of column ``key`` may be mapped to, for the mapping step."""
        if key in self.enums:
            return [(str(v), str(label)) for v, label in self.enums[key].choices]
        return []

    def mapped(self, key, source):
        """What ``source`` in column ``key`` was mapped to, as the importer uses it; None when it
        was not (or the target is no longer valid)."""
        target = self.mappings.get((key, source))
        if target is None:
            return None
        if key in self.enums:
            return target if target in self.enums[key].values else None
        return self.mapped_target(key, source, target)

    def mapped_target(self, key, source, target):
        """A remembered ``target`` of a column that is not an enum, as the importer uses it."""
        return None


def read(reader: Reader, sheet: sr.Sheet, *, actor) -> sr.RegisterReport:
    """The register read by the importer's ``reader`` (refused to whom may not edit the township),
    with the choices of its mapped columns and the columns' labels."""
    if not can_edit_township(actor, reader.township.pk):
        raise PermissionDenied(_("您无权导入该乡镇的数据。"))
    report = sr.read_register(sheet, reader.columns, reader.resolve, first_key=reader.kind.key[1])
    report.choices = {key: reader.choices(key) for key in reader.mapped_columns}
    report.labels = {c.key: c.label for c in reader.columns}
    return report


def number_in_use(report, row, number: str, *, existing: set, seen: dict) -> bool:
    """Whether the row's register number is already the township's or an earlier row's (an error
    is added); the row is remembered as the number's."""
    col = report.headers.get
    error = None
    if number in existing:
        error = _("编号“%(n)s”在本乡镇已存在") % {"n": number}
    elif number in seen:
        error = _("编号“%(n)s”与第 %(r)s 行重复") % {"n": number, "r": seen[number]}
    if error:
        report.errors.append((row.excel_row, col("number"), error))
    seen[number] = row.excel_row
    return error is not None


def finish(report, write, *, commit: bool, township, actor, mappings) -> sr.RegisterReport:
    """Errors in sheet order; with ``commit`` and nothing wrong, every row imported in one
    transaction by ``write(report, township=…, actor=…, mappings=…)``."""
    report.errors.sort(key=lambda e: (e[0] or 0, e[1] or ""))
    if commit and report.ok:
        try:
            with transaction.atomic():
                write(report, township=township, actor=actor, mappings=mappings or {})
        except IntegrityError as exc:  # the same number registered by someone else meanwhile
            raise ValidationError(
                _("登记簿在确认前已有变化（如编号已被使用），未导入任何数据，请重新检查。")
            ) from exc
    return report


def save(kind: Kind, report, objs, *, township, actor, mappings) -> None:
    """Insert the imported records ``objs`` (ids read back by ``kind.key`` where the database
    returns none), one "import" event each, closed from nothing, and the mappings of this run.
    Call inside the import's transaction (``finish``)."""
    model = kind.model
    if objs:
        model.objects.bulk_create(objs, batch_size=500)
        if any(o.pk is None for o in objs):
            by_key = {
                tuple(getattr(r, f) for f in kind.key): r.pk
                for r in model.objects.filter(township=township, is_imported=True)
            }
            for o in objs:
                o.pk = by_key[tuple(getattr(o, f) for f in kind.key)]
        record = model.events.field.name
        kind.events.objects.bulk_create(
            [
                kind.events(
                    **{record: o},
                    actor=actor,
                    action="import",
                    from_status="",
                    to_status=kind.closed,
                    comment=_("历史登记簿导入（原编号 %(n)s）") % {"n": o.number or "—"},
                )
                for o in objs
            ],
            batch_size=500,
        )
    for (column, source), target in mappings.items():
        ImportValueMapping.objects.update_or_create(
            township=township,
            field=f"{kind.prefix}.{column}",
            source=source[:100],
            defaults={"target": str(target)[:100], "created_by": actor},
        )
    report.created = len(objs)
