"""Reminder providers for the milestones of chosen livelihood projects: the responsible unit N days
before a milestone is due (``unit_days_before_due``) and once it is overdue; the township's staff
once it is overdue by ``overdue_escalate_staff_after_days``. One query per distinct rule value plus
one recipient look-up; a milestone reminded once for a due date is not reminded again."""

from notifications.providers import (
    Reminding,
    days_before_due,
    not_yet,
    overdue_by,
    reminder_text,
    township_staff,
    unit_officers,
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
REMIND = Reminding(
    Milestone, "livelihood:project_detail", township_key="project__township_id", url_key="project_id"
)


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


def _officers(rows):
    officers = unit_officers(r["project__unit_id"] for r in rows)
    return lambda r: officers.get(r["project__unit_id"], ())


def milestone_deadlines(ctx):
    for n, qs in days_before_due(ctx, _open):
        rule = f"livelihood_before_due_{n}"
        rows = not_yet(list(qs.values(*FIELDS)), Milestone, rule)
        yield from REMIND.candidates(
            rows,
            rule,
            _officers(rows),
            lambda r: _("民生实事节点提醒：还有%(n)s天到期") % {"n": (r["due_date"] - ctx.today).days},
            _body,
        )
    rows = not_yet(
        list(_open(ctx.all_county_ids()).filter(due_date__lt=ctx.today).values(*FIELDS)),
        Milestone,
        "livelihood_overdue",
    )
    yield from REMIND.candidates(
        rows,
        "livelihood_overdue",
        _officers(rows),
        lambda r: _("民生实事项目节点已逾期%(n)s天") % {"n": (ctx.today - r["due_date"]).days},
        _body,
    )
    for qs in overdue_by(ctx, "overdue_escalate_staff_after_days", 0, _open):
        rows = not_yet(list(qs.values(*FIELDS)), Milestone, "livelihood_overdue_staff")
        staff = township_staff(r["project__township_id"] for r in rows)
        yield from REMIND.candidates(
            rows,
            "livelihood_overdue_staff",
            lambda r, s=staff: s.get(r["project__township_id"], ()),
            lambda r: (
                _("民生实事项目“%(p)s”节点逾期%(n)s天")
                % {"p": r["project__title"], "n": (ctx.today - r["due_date"]).days}
            ),
            _body,
        )


PROVIDERS = [milestone_deadlines]
