"""Roster import (花名册导入): one pipeline for the upload page and the ``import_roster`` command.

It takes the file an office really has (see ``presidium.sheet_reader``): the header is found under
title rows, columns go by their usual names, unused columns are listed as ignored, values are read
through synonyms (大学本科 → 本科, 民盟盟员 → 民主党派 kept as written, 第一选区 = 第1选区), values it
cannot place are mapped once per township, and a field the file lacks is inferred with a visible
"待确认" mark or filled in the preview — never silently defaulted. Update mode matches existing
deputies by certificate number, else name + birth date, and shows the differences. New deputies
start serving on the date chosen at import, so past sessions keep their figures; a district never
silently exceeds its seats. Nothing is written unless every row is acceptable (all or nothing).

The package by stage: ``columns`` (what a file may say), ``reading`` (one value), ``outcome`` (the
results), ``matching`` (existing deputies, differences, checks, seats), ``commit`` (the write) and
``pipeline`` (``roster_import``). Every public name is re-exported here."""

from .columns import (
    COLUMN_LABELS,
    COLUMNS,
    DEMOCRATIC,
    EDUCATION,
    FIELD_LABELS,
    GENDER,
    LEVEL,
    MAPPABLE,
    MAPPING_CHOICES,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    MSG_BLANK,
    MSG_BY_WORKPLACE,
    MSG_CANNOT_INFER,
    MSG_ETHNICITY,
    MSG_LEVEL,
    MSG_PARTY,
    MSG_REELECTED,
    MSG_TO_CONFIRM,
    NO,
    OCCUPATION,
    OCCUPATION_HINTS,
    PARTY,
    PENDING,
    UPDATABLE,
    YES,
    read_upload,
)
from .outcome import RosterOutcome, RowResult
from .pipeline import default_start_date, roster_import
from .reading import Unknown, resolve

__all__ = [
    "COLUMNS",
    "COLUMN_LABELS",
    "DEMOCRATIC",
    "EDUCATION",
    "FIELD_LABELS",
    "GENDER",
    "LEVEL",
    "MAPPABLE",
    "MAPPING_CHOICES",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "MSG_BLANK",
    "MSG_BY_WORKPLACE",
    "MSG_CANNOT_INFER",
    "MSG_ETHNICITY",
    "MSG_LEVEL",
    "MSG_PARTY",
    "MSG_REELECTED",
    "MSG_TO_CONFIRM",
    "NO",
    "OCCUPATION",
    "OCCUPATION_HINTS",
    "PARTY",
    "PENDING",
    "UPDATABLE",
    "YES",
    "RosterOutcome",
    "RowResult",
    "Unknown",
    "default_start_date",
    "read_upload",
    "resolve",
    "roster_import",
]
