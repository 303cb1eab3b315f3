"""Reminder providers for rectification items (整改), written by the notifications app against
supervision.models. Same rules as a suggestion's reply deadline: the responsible unit N days before
(``unit_days_before_due``), on the day (``unit_on_due_day``) and when overdue; the township's staff
after ``overdue_escalate_staff_after_days`` and the county after
``overdue_escalate_county_after_days``. One query per distinct rule value plus one recipient look-up."""

from notifications.providers import (
    Reminding,
    county_staff,
    days_before_due,
    not_yet,
    overdue_by,
    reminder_text,
    township_staff,
    unit_officers,
)

from .models import Rectification

FIELDS = (
    "id",
    "township_id",
    "township__county_id",
    "township__name",
    "unit_id",
    "unit__name",
    "title",
    "deadline",
)


_ = reminder_text
REMIND = Reminding(Rectification, "supervision:rectification_detail", due_key="deadline")


def _open(county_ids):
    return Rectification.objects.filter(
        status__in=Rectification.OPEN_STATUSES, township__county_id__in=county_ids
    )


def _body(r):
    return _("整改事项“%(t)s”由%(u)s负责，期限%(d)s。") % {
        "t": r["title"],
        "u": r["unit__name"],
        "d": r["deadline"].isoformat(),
    }


def _not_yet(qs, rule):
    return not_yet(list(qs.values(*FIELDS)), Rectification, rule, due_key="deadline")


def unit_deadlines(ctx):
    """Before the deadline, on the day and the day after, to the responsible unit's officers."""
    for n, qs in days_before_due(ctx, _open, due_field="deadline"):
        rule = f"rect_before_due_{n}"
        rows = _not_yet(qs, rule)
        officers = unit_officers(r["unit_id"] for r in rows)
        yield from REMIND.candidates(
            rows,
            rule,
            lambda r, o=officers: o.get(r["unit_id"], ()),
            lambda r: _("整改提醒：还有%(n)s天到期") % {"n": (r["deadline"] - ctx.today).days},
            _body,
        )
    on = [cid for value, ids in ctx.group("unit_on_due_day", bool) if value for cid in ids]
    if on:
        rows = _not_yet(_open(on).filter(deadline=ctx.today), "rect_due_today")
        officers = unit_officers(r["unit_id"] for r in rows)
        yield from REMIND.candidates(
            rows,
            "rect_due_today",
            lambda r: officers.get(r["unit_id"], ()),
            lambda r: _("整改事项今天到期"),
            _body,
        )
    rows = _not_yet(_open(ctx.all_county_ids()).filter(deadline__lt=ctx.today), "rect_overdue")
    officers = unit_officers(r["unit_id"] for r in rows)
    yield from REMIND.candidates(
        rows,
        "rect_overdue",
        lambda r: officers.get(r["unit_id"], ()),
        lambda r: _("整改事项已逾期%(n)s天") % {"n": (ctx.today - r["deadline"]).days},
        _body,
    )


def escalations(ctx):
    """Overdue items to the township's presidium staff, and later to the county staff."""

    def late(r):
        return (ctx.today - r["deadline"]).days

    # (rule setting, its default days, reminder rule, the row's key of the recipients, who they are, title)
    steps = (
        (
            "overdue_escalate_staff_after_days",
            0,
            "rect_overdue_staff",
            "township_id",
            township_staff,
            lambda r: _("整改逾期：%(u)s的整改事项已逾期%(n)s天") % {"u": r["unit__name"], "n": late(r)},
        ),
        (
            "overdue_escalate_county_after_days",
            15,
            "rect_overdue_county",
            "township__county_id",
            county_staff,
            lambda r: _("%(t)s：整改事项逾期%(n)s天未完成") % {"t": r["township__name"], "n": late(r)},
        ),
    )
    for setting, default, rule, key, people, title in steps:
        for qs in overdue_by(ctx, setting, default, _open, due_field="deadline"):
            rows = _not_yet(qs, rule)
            recipients = people(r[key] for r in rows)
            yield from REMIND.candidates(
                rows, rule, lambda r, p=recipients, k=key: p.get(r[k], ()), title, _body
            )


PROVIDERS = [unit_deadlines, escalations]
