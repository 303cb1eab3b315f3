"""Deadlines as data: ONE function turns a stage and its start date into a due date, from the
county's rules (CountyRules) and the official working-day calendar (presidium.workdays.due_after).

Each due date set on a suggestion records its basis (stage and start) in ``deadline_basis`` so a
date computed over a provisional calendar year (``deadlines_provisional``) is recomputed when the
State Council's calendar for that year is loaded."""

import datetime as dt

from presidium.workdays import Due, due_after

# stage → (CountyRules field, unit). Working-day stages count the Chinese holiday calendar with its
# make-up working weekends; month stages end on the same day of the month, moved to the next working
# day when that day is a holiday or weekend (a deadline never falls on a day the office is closed).
STAGES = {
    "assign": ("assign_within_workdays", "workdays"),  # office assigns after receipt
    "return": ("return_within_workdays", "workdays"),  # unit may return a wrong assignment
    "reply": ("reply_within_months", "months"),  # unit replies after assignment
    "extension_max": ("extension_max_months", "months"),  # latest date an extension may reach
    "rehandle": ("rehandle_within_months", "months"),  # second reply after an unsatisfied rating
    "co_input": ("co_unit_input_within_months", "months"),  # co-units send input to the lead unit
}

DUE_FIELDS = ("assign_due", "return_due", "co_input_due", "reply_due")


def due(*, rules, stage: str, start: dt.date) -> Due:
    field, unit = STAGES[stage]
    return due_after(start, **{unit: getattr(rules, field)})


def due_date(*, rules, stage: str, start: dt.date) -> dt.date:
    """The due date of ``stage`` for an item whose stage began on ``start``."""
    return due(rules=rules, stage=stage, start=start).date


def set_due(item, field: str, *, rules, stage: str | None, start: dt.date | None) -> dt.date | None:
    """Set ``item.<field>`` to the stage's due date (None clears it) and record its basis."""
    basis = dict(item.deadline_basis or {})
    if stage is None or start is None:
        setattr(item, field, None)
        basis.pop(field, None)
    else:
        setattr(item, field, due_date(rules=rules, stage=stage, start=start))
        basis[field] = [stage, start.isoformat()]
    item.deadline_basis = basis
    refresh_provisional(item)
    return getattr(item, field)


def forget_basis(item, field: str) -> None:
    """``field`` now holds a date someone chose (an approved extension): not the rule's any more."""
    basis = dict(item.deadline_basis or {})
    basis.pop(field, None)
    item.deadline_basis = basis
    refresh_provisional(item)


def refresh_provisional(item) -> bool:
    from presidium.workdays import span_is_provisional

    item.deadlines_provisional = any(
        getattr(item, f, None) is not None
        and span_is_provisional(dt.date.fromisoformat(start), getattr(item, f))
        for f, (_stage, start) in (item.deadline_basis or {}).items()
    )
    return item.deadlines_provisional


def recompute_provisional() -> int:
    """Re-derive every provisional due date from its recorded basis (after a year is loaded).
    ``due_date`` (the current stage's date) follows the field it mirrored."""
    from .models import Suggestion

    changed = []
    items = Suggestion.objects.filter(deadlines_provisional=True).select_related(
        "township__county__countyrules"
    )
    for s in items:
        rules = s.township.rules
        for f, (stage, start) in (s.deadline_basis or {}).items():
            old = getattr(s, f, None)
            if old is None:
                continue
            new = due_date(rules=rules, stage=stage, start=dt.date.fromisoformat(start))
            setattr(s, f, new)
            if s.due_date == old:
                s.due_date = new
        refresh_provisional(s)
        changed.append(s)
    Suggestion.objects.bulk_update(
        changed, [*DUE_FIELDS, "due_date", "deadlines_provisional"], batch_size=500
    )
    return len(changed)
