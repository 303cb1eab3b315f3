"""Reminder providers for the milestones of chosen livelihood projects: the responsible unit N days
before a milestone is due (``unit_days_before_due``) and once it is overdue; the township's staff
once it is overdue by ``overdue_escalate_staff_after_days``. One query per distinct rule value plus
one recipient look-up; a milestone reminded once for a due date is not reminded again."""

import datetime as dt

from notifications.providers import (
    Candidate,
    before_due_brackets,
    non_negative_int,
    not_yet,
    reminder_text,
    township_staff,
    unit_officers,
    url_maker,
)

from .models import Milestone, Project

FIELDS = (
    "id",
    "due_date",
    "title",
    "project_id",
    "project__title",
    "project__township_id",
    "project__unit_id",
    "project__unit__name",
)


_ = reminder_text


_int = non_negative_int


def _open(county_ids):
    return Milestone.objects.filter(
        done_on__isnull=True,
        project__status__in=Project.CARRIED,
        project__township__county_id__in=county_ids,
    ).exclude(project__status=Project.Status.COMPLETED)


def _body(r):
    return _("民生实事项目“%(p)s”的节点“%(m)s”由%(u)s负责，计划%(d)s完成。") % {
        "p": r["project__title"],
        "m": r["title"],
        "u": r["project__unit__name"],
        "d": r["due_date"].isoformat(),
    }


def _candidates(rows, rule, recipients_of, title):
    url = url_maker("livelihood:project_detail")
    for r in rows:
        for uid in recipients_of(r):
            yield Candidate(
                rule=rule,
                model=Milestone,
                object_id=r["id"],
                due_date=r["due_date"],
                recipient_id=uid,
                township_id=r["project__township_id"],
                url=url(r["project_id"]),
                title=title(r),
                body=_body(r),
            )


def milestone_deadlines(ctx):
    for days, county_ids in ctx.group(
        "unit_days_before_due", lambda v: tuple(n for n, _l, _h in before_due_brackets(v))
    ):
        for n, low, high in before_due_brackets(list(days)):
            rule = f"livelihood_before_due_{n}"
            qs = _open(county_ids).filter(
                due_date__gt=ctx.today + dt.timedelta(days=low),
                due_date__lte=ctx.today + dt.timedelta(days=high),
            )
            rows = not_yet(list(qs.values(*FIELDS)), Milestone, rule)
            officers = unit_officers(r["project__unit_id"] for r in rows)
            yield from _candidates(
                rows,
                rule,
                lambda r, o=officers: o.get(r["project__unit_id"], ()),
                lambda r: _("民生实事节点提醒：还有%(n)s天到期") % {"n": (r["due_date"] - ctx.today).days},
            )
    rows = not_yet(
        list(_open(ctx.all_county_ids()).filter(due_date__lt=ctx.today).values(*FIELDS)),
        Milestone,
        "livelihood_overdue",
    )
    officers = unit_officers(r["project__unit_id"] for r in rows)
    yield from _candidates(
        rows,
        "livelihood_overdue",
        lambda r: officers.get(r["project__unit_id"], ()),
        lambda r: _("民生实事项目节点已逾期%(n)s天") % {"n": (ctx.today - r["due_date"]).days},
    )
    for after, county_ids in ctx.group("overdue_escalate_staff_after_days", lambda v: _int(v, 0)):
        limit = ctx.today - dt.timedelta(days=max(1, after))
        rows = not_yet(
            list(_open(county_ids).filter(due_date__lte=limit).values(*FIELDS)),
            Milestone,
            "livelihood_overdue_staff",
        )
        staff = township_staff(r["project__township_id"] for r in rows)
        yield from _candidates(
            rows,
            "livelihood_overdue_staff",
            lambda r, s=staff: s.get(r["project__township_id"], ()),
            lambda r: (
                _("民生实事项目“%(p)s”节点逾期%(n)s天")
                % {"p": r["project__title"], "n": (ctx.today - r["due_date"]).days}
            ),
        )


PROVIDERS = [milestone_deadlines]
