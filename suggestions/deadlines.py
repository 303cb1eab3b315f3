"""Deadlines as data: ONE function turns a stage and its start date into a due date, from the
county's rules (CountyRules) and the official working-day calendar (presidium.workdays)."""

import datetime as dt

from presidium.workdays import add_months, add_workdays, next_workday_on_or_after

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


def due_date(*, rules, stage: str, start: dt.date) -> dt.date:
    """The due date of ``stage`` for an item whose stage began on ``start``."""
    field, unit = STAGES[stage]
    amount = getattr(rules, field)
    if unit == "workdays":
        return add_workdays(start, amount)
    return next_workday_on_or_after(add_months(start, amount))
