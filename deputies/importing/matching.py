"""Matching rows to the deputies already in the term, their differences, the per-field checks and
the seats of each district."""

from __future__ import annotations

import re
from collections import Counter

from django.utils.translation import gettext as _

from presidium import sheet_reader as sr
from presidium.models import phone_validator

from ..models import Deputy
from .columns import FIELD_LABELS, MAPPING_CHOICES, UPDATABLE, _display
from .outcome import RosterOutcome, RowResult


def _override(key, value, ctx):
    if key in ("district", "group"):
        found = ctx.by_name[key].get(value)
        if found is None:
            raise ValueError(_("“%(v)s”不存在") % {"v": value})
        return found
    if key == "is_reelected":
        return value in (True, "1", "true", "True", "是")
    if key == "ethnicity":
        return sr.compact(value)[:20]
    if key in MAPPING_CHOICES and value in dict(MAPPING_CHOICES[key]):
        return value
    raise ValueError(_("“%(v)s”不是有效选项") % {"v": value})


def _match(values, by_cert, by_name_birth):
    cert = values.get("certificate_no")
    if cert and cert in by_cert:
        return by_cert[cert]
    return by_name_birth.get((values.get("name"), values.get("birth_date")))


def _diffs(row: RowResult) -> list:
    old = row.existing
    diffs = []
    for key in UPDATABLE:
        if key not in row.values or key == "party_name":
            continue
        new = row.values[key]
        if new is None or (new == "" and key not in ("education",)):
            continue
        current = getattr(old, key)
        if key == "party" and (new != current or row.values.get("party_name", "") != old.party_name):
            diffs.append((FIELD_LABELS[key], old.party_label, row.display(key)))
            continue
        if new != current:
            diffs.append((FIELD_LABELS[key], _display(key, current), _display(key, new, row.values)))
    return diffs


_LENGTH_CHECKED = ("name", "ethnicity", "party_name", "certificate_no", "phone", "workplace")
_MAX_LENGTH = {key: Deputy._meta.get_field(key).max_length for key in _LENGTH_CHECKED}


def _field_errors(row: RowResult, column_of) -> list:
    """The model's field checks (lengths, the phone number's format), done directly: 5,000 rows
    do not build 5,000 model instances just to validate them."""
    errors = []
    for key, limit in _MAX_LENGTH.items():
        value = row.values.get(key)
        if value and len(value) > limit:
            message = _("不能超过 %(n)s 个字（现有 %(m)s 个）") % {"n": limit, "m": len(value)}
            errors.append((row.excel_row, column_of.get(key, key), message))
    phone = row.values.get("phone")
    if phone and not _PHONE.match(phone):
        errors.append((row.excel_row, column_of.get("phone", "phone"), str(phone_validator.message)))
    return errors


_PHONE = re.compile(phone_validator.regex.pattern)


def _check_seats(outcome: RosterOutcome, term, by_election_ref: str, start_date) -> None:
    """Serving township deputies per district after the import against the district's seats."""
    serving = Counter(
        Deputy.objects.filter(term=term, status=Deputy.Status.SERVING, level=Deputy.Level.TOWNSHIP)
        .exclude(district=None)
        .values_list("district_id", flat=True)
    )
    before = Counter(serving)
    districts = {}
    for row in outcome.rows:
        old = row.existing
        district = row.values.get("district") or (old.district if old is not None else None)
        level = row.values.get("level") or (old.level if old is not None else Deputy.Level.TOWNSHIP)
        township_level = level == Deputy.Level.TOWNSHIP
        if old is not None and old.status != Deputy.Status.SERVING:
            continue
        if (
            old is not None
            and old.status == Deputy.Status.SERVING
            and old.level == Deputy.Level.TOWNSHIP
            and old.district_id
        ):
            serving[old.district_id] -= 1
        if district is not None and township_level:
            serving[district.pk] += 1
            districts[district.pk] = district
    over_ids = set()
    for pk, district in districts.items():
        if district.seats < serving[pk] <= before[pk]:
            # Already over before this file (an earlier by-election): correcting a phone number in
            # that district must not ask for a by-election reference again; it is said, not refused.
            note = _("选区“%(d)s”应选 %(s)s 名，目前在任 %(n)s 名（本次导入未增加）") % {
                "d": district.name,
                "s": district.seats,
                "n": serving[pk],
            }
            outcome.seat_notes.append(note)
            outcome.warnings.append((None, outcome.headers.get("district", "选区"), note))
        elif serving[pk] > district.seats:
            outcome.seat_overflow.append((district.name, district.seats, serving[pk]))
            over_ids.add(pk)
            outcome.warnings.append(
                (
                    None,
                    outcome.headers.get("district", "选区"),
                    _("选区“%(d)s”应选 %(s)s 名，导入后在任 %(n)s 名，超出 %(x)s 名")
                    % {
                        "d": district.name,
                        "s": district.seats,
                        "n": serving[pk],
                        "x": serving[pk] - district.seats,
                    },
                )
            )
    if over_ids:
        if by_election_ref.strip():
            for row in outcome.rows:
                district = row.values.get("district")
                if (
                    row.action == "new"
                    and district is not None
                    and district.pk in over_ids
                    and start_date > term.start_date
                ):
                    row.by_election = True
        else:
            outcome.blockers.append(_("有选区超出应选名额：如确系补选产生，请填写补选依据文件后再确认导入。"))
