"""Reminder providers for rectification items (整改), written by the notifications app against
supervision.models. Same rules as a suggestion's reply deadline: the responsible unit N days before
(``unit_days_before_due``), on the day (``unit_on_due_day``) and when overdue; the township's staff
after ``overdue_escalate_staff_after_days`` and the county after
``overdue_escalate_county_after_days``. One query per distinct rule value plus one recipient look-up."""

import datetime as dt

from notifications.providers import (
    Candidate,
    before_due_brackets,
    county_staff,
    non_negative_int,
    not_yet,
    reminder_text,
    township_staff,
    unit_officers,
    url_maker,
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


_int = non_negative_int


def _open(county_ids):
    return Rectification.objects.filter(
        status__in=Rectification.OPEN_STATUSES, township__county_id__in=county_ids
    )


def _candidates(rows, rule, recipients_of, title, body):
    url = url_maker("supervision:rectification_detail")
    for r in rows:
        for uid in recipients_of(r):
            yield Candidate(
                rule=rule,
                model=Rectification,
                object_id=r["id"],
                due_date=r["deadline"],
                recipient_id=uid,
                township_id=r["township_id"],
                url=url(r["id"]),
                title=title(r),
                body=body(r),
            )


def _body(r):
    return _("整改事项“%(t)s”由%(u)s负责，期限%(d)s。") % {
        "t": r["title"],
        "u": r["unit__name"],
        "d": r["deadline"].isoformat(),
    }


def unit_deadlines(ctx):
    """Before the deadline, on the day and the day after, to the responsible unit's officers."""
    for days, county_ids in ctx.group(
        "unit_days_before_due", lambda v: tuple(n for n, _l, _h in before_due_brackets(v))
    ):
        for n, low, high in before_due_brackets(list(days)):
            rule = f"rect_before_due_{n}"
            qs = _open(county_ids).filter(
                deadline__gt=ctx.today + dt.timedelta(days=low),
                deadline__lte=ctx.today + dt.timedelta(days=high),
            )
            rows = not_yet(list(qs.values(*FIELDS)), Rectification, rule, due_key="deadline")
            officers = unit_officers(r["unit_id"] for r in rows)
            yield from _candidates(
                rows,
                rule,
                lambda r, o=officers: o.get(r["unit_id"], ()),
                lambda r: _("整改提醒：还有%(n)s天到期") % {"n": (r["deadline"] - ctx.today).days},
                _body,
            )
    on = [cid for value, ids in ctx.group("unit_on_due_day", bool) if value for cid in ids]
    if on:
        rows = not_yet(
            list(_open(on).filter(deadline=ctx.today).values(*FIELDS)),
            Rectification,
            "rect_due_today",
            due_key="deadline",
        )
        officers = unit_officers(r["unit_id"] for r in rows)
        yield from _candidates(
            rows,
            "rect_due_today",
            lambda r: officers.get(r["unit_id"], ()),
            lambda r: _("整改事项今天到期"),
            _body,
        )
    rows = not_yet(
        list(_open(ctx.all_county_ids()).filter(deadline__lt=ctx.today).values(*FIELDS)),
        Rectification,
        "rect_overdue",
        due_key="deadline",
    )
    officers = unit_officers(r["unit_id"] for r in rows)
    yield from _candidates(
        rows,
        "rect_overdue",
        lambda r: officers.get(r["unit_id"], ()),
        lambda r: _("整改事项已逾期%(n)s天") % {"n": (ctx.today - r["deadline"]).days},
        _body,
    )


def escalations(ctx):
    """Overdue items to the township's presidium staff, and later to the county staff."""
    for after, county_ids in ctx.group("overdue_escalate_staff_after_days", lambda v: _int(v, 0)):
        limit = ctx.today - dt.timedelta(days=max(1, after))
        rows = not_yet(
            list(_open(county_ids).filter(deadline__lte=limit).values(*FIELDS)),
            Rectification,
            "rect_overdue_staff",
            due_key="deadline",
        )
        staff = township_staff(r["township_id"] for r in rows)
        yield from _candidates(
            rows,
            "rect_overdue_staff",
            lambda r, s=staff: s.get(r["township_id"], ()),
            lambda r: (
                _("整改逾期：%(u)s的整改事项已逾期%(n)s天")
                % {"u": r["unit__name"], "n": (ctx.today - r["deadline"]).days}
            ),
            _body,
        )
    for after, county_ids in ctx.group("overdue_escalate_county_after_days", lambda v: _int(v, 15)):
        limit = ctx.today - dt.timedelta(days=max(1, after))
        rows = not_yet(
            list(_open(county_ids).filter(deadline__lte=limit).values(*FIELDS)),
            Rectification,
            "rect_overdue_county",
            due_key="deadline",
        )
        county = county_staff(r["township__county_id"] for r in rows)
        yield from _candidates(
            rows,
            "rect_overdue_county",
            lambda r, c=county: c.get(r["township__county_id"], ()),
            lambda r: (
                _("%(t)s：整改事项逾期%(n)s天未完成")
                % {"t": r["township__name"], "n": (ctx.today - r["deadline"]).days}
            ),
            _body,
        )


PROVIDERS = [unit_deadlines, escalations]
