"""What an import found: one result per row and the outcome of the whole file (preview and commit)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..models import Deputy
from .columns import FIELD_LABELS, MAPPING_CHOICES, _display


@dataclass
class RowResult:
    excel_row: int
    values: dict = field(default_factory=dict)  # field → cleaned value
    pending: dict = field(default_factory=dict)  # field → why it is inferred ("待确认")
    action: str = "new"  # "new", "update", "same"
    existing: Deputy | None = None
    diffs: list = field(default_factory=list)  # [(label, old, new)]
    by_election: bool = False

    def display(self, key):
        value = self.values.get(key)
        return _display(key, value, self.values)


@dataclass
class RosterOutcome:
    total: int = 0
    header_row: int | None = None
    headers: dict = field(default_factory=dict)  # field → header as written
    ignored_columns: list = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)
    skipped: list = field(default_factory=list)  # [(excel_row, reason)]
    errors: list = field(default_factory=list)  # [(excel_row, column, message)]
    warnings: list = field(default_factory=list)  # [(excel_row or None, column, message)]
    unknown: dict = field(default_factory=dict)  # (field, source) → [excel rows]
    seat_overflow: list = field(default_factory=list)  # [(district name, seats, after)]
    seat_notes: list = field(default_factory=list)  # districts over their seats before this file
    start_date: dt.date | None = None
    mode: str = "add"
    created: int = 0
    updated: int = 0
    unfilled: list = field(default_factory=list)  # [(excel_row, column, message)]: fill in the preview
    blockers: list = field(default_factory=list)  # why a confirmation is refused

    @property
    def ok(self):
        """True when nothing blocks committing (errors, unmapped values, unconfirmed marks, seats)."""
        return not self.errors and not self.blockers

    @property
    def pending_rows(self):
        return [r for r in self.rows if r.pending]

    @property
    def new_count(self):
        return sum(1 for r in self.rows if r.action == "new")

    @property
    def update_count(self):
        return sum(1 for r in self.rows if r.action == "update")

    @property
    def same_count(self):
        return sum(1 for r in self.rows if r.action == "same")

    @property
    def unknown_list(self):
        """[(field, field label, source value, rows, choices)] for the mapping step."""
        return [
            (key, FIELD_LABELS[key], source, rows, MAPPING_CHOICES.get(key))
            for (key, source), rows in sorted(self.unknown.items())
        ]

    def as_dict(self) -> dict:
        return {
            "header_row": self.header_row,
            "ignored_columns": self.ignored_columns,
            "rows": [
                {
                    "row": r.excel_row,
                    "action": r.action,
                    "values": {k: r.display(k) for k in r.values if k not in ("remarks", "party_name")},
                    "to_confirm": sorted(r.pending),
                    "differences": [[str(a), b, c] for a, b, c in r.diffs],
                }
                for r in self.rows
            ],
            "skipped": [{"row": n, "reason": str(m)} for n, m in self.skipped],
            "warnings": [{"row": n, "column": c, "message": str(m)} for n, c, m in self.warnings],
            "errors": [{"row": n, "column": c, "message": str(m)} for n, c, m in self.errors],
            "to_fill": [{"row": n, "column": c, "message": str(m)} for n, c, m in self.unfilled],
            "unmapped": [
                {"column": FIELD_LABELS[k], "value": v, "rows": rows} for (k, v), rows in self.unknown.items()
            ],
            "blockers": [str(b) for b in self.blockers],
            "created": self.created,
            "updated": self.updated,
        }
