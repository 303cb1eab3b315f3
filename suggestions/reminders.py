"""Reminder providers for suggestions (written by the notifications app against suggestions.models).

Rules (``CountyRules.reminder_rules``):
- ``unit_days_before_due`` [7, 1]: the lead unit's officers N days before the reply is due;
- ``unit_on_due_day``: the lead unit on the due day;
- overdue: the lead unit the day after; the township's presidium staff after
  ``overdue_escalate_staff_after_days``; the county staff after ``overdue_escalate_county_after_days``;
- ``rating_reminder_after_days`` / ``rating_repeat_after_days``: the lead deputy while a reply
  awaits their rating, and once more later;
- ``intake_wait_workdays``: the office when a submitted item waits for intake (working days);
- assignment: the office when an accepted/returned item passes its assignment deadline (the
  ``assign_due`` the suggestions app computes from ``assign_within_workdays``).
Every provider runs one query per distinct rule value (plus one recipient look-up), never one per item.
"""

import datetime as dt

from notifications.providers import (
    Reminding,
    county_staff,
    days_before_due,
    deputy_users,
    local_midnight,
    non_negative_int,
    not_yet,
    reminder_text,
    township_staff,
    unit_officers,
    workday_cutoff,
    workday_due,
)

from .models import AWAITING_ASSIGNMENT, IN_HANDLING, Status, Suggestion

_ = reminder_text


FIELDS = ("id", "township_id", "township__county_id", "lead_unit_id", "number", "title", "due_date")


def _label(row) -> str:
    return f"{row['number']} {row['title']}".strip()


REMIND = Reminding(Suggestion, "suggestions:detail")
_to_each = REMIND.to_each


def _handling(ctx, county_ids):
    return Suggestion.objects.filter(
        status__in=IN_HANDLING,
        township__county_id__in=county_ids,
        lead_unit__isnull=False,
        due_date__isnull=False,
    )


def unit_before_due(ctx):
    for n, qs in days_before_due(ctx, lambda county_ids: _handling(ctx, county_ids)):
        rule = f"unit_before_due_{n}"
        rows = not_yet(list(qs.values(*FIELDS)), Suggestion, rule)
        officers = unit_officers(r["lead_unit_id"] for r in rows)
        for r in rows:
            title = _("建议办理提醒：还有%(n)s天到期") % {"n": (r["due_date"] - ctx.today).days}
            body = _("“%(s)s”应于%(d)s前答复代表。") % {"s": _label(r), "d": r["due_date"].isoformat()}
            yield from _to_each(rule, r, officers.get(r["lead_unit_id"], ()), title, body)


def unit_due_today(ctx):
    on = [cid for value, ids in ctx.group("unit_on_due_day", bool) if value for cid in ids]
    if not on:
        return
    rule = "unit_due_today"
    rows = not_yet(list(_handling(ctx, on).filter(due_date=ctx.today).values(*FIELDS)), Suggestion, rule)
    officers = unit_officers(r["lead_unit_id"] for r in rows)
    for r in rows:
        title = _("建议今天到期，请及时答复")
        body = _("“%(s)s”的答复期限是今天（%(d)s）。") % {"s": _label(r), "d": r["due_date"].isoformat()}
        yield from _to_each(rule, r, officers.get(r["lead_unit_id"], ()), title, body)


_int = non_negative_int


def overdue(ctx):
    """The unit the day after the due date; the staff and the county after their delays. The
    overdue items are read once; each county's delays pick the escalation subsets in memory."""
    county_ids = ctx.all_county_ids()
    staff_after = {
        c: max(1, _int(ctx.rules_for(c).get("overdue_escalate_staff_after_days"), 0)) for c in county_ids
    }
    county_after = {
        c: max(1, _int(ctx.rules_for(c).get("overdue_escalate_county_after_days"), 15)) for c in county_ids
    }
    overdue_rows = list(
        _handling(ctx, county_ids)
        .filter(due_date__lt=ctx.today)
        .values(*FIELDS, "lead_unit__name", "township__name")
    )

    def late(r):
        return (ctx.today - r["due_date"]).days

    rows = not_yet(overdue_rows, Suggestion, "unit_overdue")
    officers = unit_officers(r["lead_unit_id"] for r in rows)
    for r in rows:
        title = _("建议已逾期%(n)s天") % {"n": late(r)}
        body = _("“%(s)s”的答复期限%(d)s已过，请尽快答复或申请延期。") % {
            "s": _label(r),
            "d": r["due_date"].isoformat(),
        }
        yield from _to_each("unit_overdue", r, officers.get(r["lead_unit_id"], ()), title, body)
    # Staff of the township.
    rows = [r for r in overdue_rows if late(r) >= staff_after.get(r["township__county_id"], 1)]
    rows = not_yet(rows, Suggestion, "overdue_staff")
    staff = township_staff(r["township_id"] for r in rows)
    for r in rows:
        title = _("逾期督办：%(unit)s的建议已逾期%(n)s天") % {"unit": r["lead_unit__name"], "n": late(r)}
        body = _("“%(s)s”应于%(d)s前答复。") % {"s": _label(r), "d": r["due_date"].isoformat()}
        yield from _to_each("overdue_staff", r, staff.get(r["township_id"], ()), title, body)
    # County staff.
    rows = [r for r in overdue_rows if late(r) >= county_after.get(r["township__county_id"], 15)]
    rows = not_yet(rows, Suggestion, "overdue_county")
    county = county_staff(r["township__county_id"] for r in rows)
    for r in rows:
        title = _("%(t)s：代表建议逾期%(n)s天未答复") % {"t": r["township__name"], "n": late(r)}
        body = _("“%(s)s”由%(unit)s承办，期限%(d)s。") % {
            "s": _label(r),
            "unit": r["lead_unit__name"],
            "d": r["due_date"].isoformat(),
        }
        yield from _to_each("overdue_county", r, county.get(r["township__county_id"], ()), title, body)


def rating(ctx):
    """The lead deputy while a reply awaits their rating: after N days, and once more later."""
    for (first, repeat), county_ids in _rating_groups(ctx):
        for rule, days in (("rating_wait", first), ("rating_repeat", repeat)):
            if days is None:
                continue
            cutoff = local_midnight(ctx.today - dt.timedelta(days=days) + dt.timedelta(days=1))
            qs = Suggestion.objects.filter(
                status=Status.REPLIED,
                township__county_id__in=county_ids,
                lead_deputy__isnull=False,
                replied_at__lt=cutoff,
                replied_at__isnull=False,
            )
            rows = not_yet(
                list(
                    qs.values("id", "township_id", "number", "title", "lead_deputy_id", "replied_at", "round")
                ),
                Suggestion,
                rule,
                due_key=None,
                since_key="replied_at",
            )
            users = deputy_users(r["lead_deputy_id"] for r in rows)
            for r in rows:
                uid = users.get(r["lead_deputy_id"])
                if uid is None:
                    continue
                replied = r["replied_at"].astimezone(cutoff.tzinfo).date()
                title = _("您的建议已答复，请测评") if rule == "rating_wait" else _("您的建议答复仍待测评")
                body = _("“%(s)s”已于%(d)s答复，请对办理结果进行满意度测评。") % {
                    "s": _label(r),
                    "d": replied.isoformat(),
                }
                yield from _to_each(rule, r, [uid], title, body, due_date=replied + dt.timedelta(days=days))


def _rating_groups(ctx):
    def pair(county_id):
        rules = ctx.rules_for(county_id)
        first = rules.get("rating_reminder_after_days")
        repeat = rules.get("rating_repeat_after_days")
        return (_int(first, 0) if first is not None else None, _int(repeat, 7) if repeat else None)

    groups = {}
    for county_id in ctx.all_county_ids():
        groups.setdefault(pair(county_id), []).append(county_id)
    return list(groups.items())


def office_waiting(ctx):
    """The office: a submitted item waiting for intake longer than ``intake_wait_workdays`` working
    days; an accepted (or returned) item past its assignment deadline."""
    for wait, county_ids in ctx.group("intake_wait_workdays", lambda v: _int(v, 3)):
        rule = "intake_wait"
        cutoff = workday_cutoff(ctx.today, wait)
        qs = Suggestion.objects.filter(
            status=Status.SUBMITTED,
            township__county_id__in=county_ids,
            submitted_at__isnull=False,
            submitted_at__lt=local_midnight(cutoff + dt.timedelta(days=1)),
        )
        rows = not_yet(
            list(qs.values("id", "township_id", "title", "submitted_at", "lead_deputy__name")),
            Suggestion,
            rule,
            due_key=None,
            since_key="submitted_at",
        )
        staff = township_staff(r["township_id"] for r in rows)
        for r in rows:
            submitted = r["submitted_at"].astimezone(local_midnight(ctx.today).tzinfo).date()
            title = _("有建议等待审查已超过%(n)s个工作日") % {"n": wait}
            body = _("%(who)s于%(d)s提交的“%(s)s”尚未审查立案。") % {
                "who": r["lead_deputy__name"] or "",
                "d": submitted.isoformat(),
                "s": r["title"],
            }
            due = workday_due(submitted, wait)
            yield from _to_each(rule, r, staff.get(r["township_id"], ()), title, body, due_date=due)
    rule = "assign_overdue"
    qs = Suggestion.objects.filter(
        status__in=[s for s in AWAITING_ASSIGNMENT if s != Status.SUBMITTED], assign_due__lt=ctx.today
    )
    rows = not_yet(
        list(qs.values("id", "township_id", "number", "title", "assign_due")),
        Suggestion,
        rule,
        due_key="assign_due",
    )
    staff = township_staff(r["township_id"] for r in rows)
    for r in rows:
        title = _("建议已超过交办期限")
        body = _("“%(s)s”应于%(d)s前交办承办单位。") % {"s": _label(r), "d": r["assign_due"].isoformat()}
        yield from _to_each(rule, r, staff.get(r["township_id"], ()), title, body, due_date=r["assign_due"])


PROVIDERS = [unit_before_due, unit_due_today, overdue, rating, office_waiting]
