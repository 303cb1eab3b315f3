"""Drive a suggestion through the real services to any status (no shortcuts past the workflow).

Every test that needs suggestions in a given state (any app's tests: dashboards, congress, the
isolation matrix) builds them here: ``make`` for one item, ``make_on`` for one whose clock started
on a given day (its due dates follow from that day), ``copies`` for many rows of one real state."""

import datetime as dt

import time_machine
from django.utils import timezone

from suggestions import services
from suggestions.models import Status, Suggestion
from tests import factories as f

PATH = {
    Status.DRAFT: [],
    Status.SUBMITTED: ["submit"],
    Status.ACCEPTED: ["submit", "accept"],
    Status.NOT_ACCEPTED: ["submit", "not_accept"],
    Status.MERGED: ["submit", "merge"],
    Status.WITHDRAWN: ["submit", "withdraw"],
    Status.ASSIGNED: ["submit", "accept", "assign"],
    Status.RETURNED: ["submit", "accept", "assign", "return"],
    Status.SIGNED: ["submit", "accept", "assign", "sign"],
    Status.REPLIED: ["submit", "accept", "assign", "sign", "contact", "reply"],
    Status.REHANDLING: ["submit", "accept", "assign", "sign", "contact", "reply", "unsatisfied"],
    Status.CLOSED: ["submit", "accept", "assign", "sign", "contact", "reply", "satisfied"],
}


def people(cast, side="a"):
    if side == "a":
        return {
            "staff": cast.staff_a,
            "deputy": cast.deputy_a,
            "unit": cast.unit_a,
            "officer": cast.unit_officer_a,
            "co_unit": cast.unit_a2,
            "co_officer": cast.unit_officer_a2,
            "township": cast.township_a,
        }
    co_unit = f.HandlingUnitFactory(township=cast.township_b, name=f"乙协办{Suggestion.objects.count()}")
    return {
        "staff": cast.staff_b,
        "deputy": cast.deputy_b,
        "unit": cast.unit_b,
        "officer": cast.unit_officer_b,
        "co_unit": co_unit,
        "co_officer": f.UserFactory(role="unit", unit=co_unit),
        "township": cast.township_b,
    }


def make(
    cast, status=Status.SUBMITTED, side="a", title="村口道路坑洼需修复", outcome="A", co_unit=True, **kw
) -> Suggestion:
    """``status`` reached through the services, by the side's deputy, staff and unit officers.
    Assigned items go to the side's unit with a co-unit (``co_unit=False``: the lead unit alone)."""
    p = people(cast, side)
    s = services.suggestion_create_by_deputy(
        deputy=p["deputy"],
        actor=p["deputy"].user,
        title=title,
        content="村口到小学的道路坑洼不平，雨天积水。",
        category=kw.pop("category", "道路建设"),
        **kw,
    )
    for step in PATH[status]:
        if step == "submit":
            services.suggestion_submit(suggestion=s, actor=p["deputy"].user)
        elif step == "accept":
            services.suggestion_accept(suggestion=s, actor=p["staff"])
        elif step == "not_accept":
            services.suggestion_not_accept(suggestion=s, actor=p["staff"], reason="无实质内容")
        elif step == "merge":
            other = make(cast, Status.SUBMITTED, side=side, title="重复的道路建议")
            services.suggestion_merge(suggestion=s, into=other, actor=p["staff"])
        elif step == "withdraw":
            services.suggestion_withdraw(suggestion=s, actor=p["deputy"].user)
        elif step == "assign":
            services.suggestion_assign(
                suggestion=s, actor=p["staff"], unit=p["unit"], co_units=[p["co_unit"]] if co_unit else []
            )
        elif step == "return":
            services.suggestion_return(suggestion=s, actor=p["officer"], reason="不属于本单位职责")
        elif step == "sign":
            services.suggestion_sign(suggestion=s, actor=p["officer"])
        elif step == "contact":
            services.suggestion_record_contact(
                suggestion=s,
                actor=p["officer"],
                contacted_on=dt.date.today(),
                method="phone",
                summary="电话联系代表，说明办理计划。",
            )
        elif step == "reply":
            services.suggestion_reply(
                suggestion=s, actor=p["officer"], outcome_class=outcome, text="已安排资金修复道路。"
            )
        elif step == "unsatisfied":
            services.suggestion_evaluate(
                suggestion=s, actor=p["deputy"].user, rating="unsatisfied", comment="只修了一半"
            )
        elif step == "satisfied":
            services.suggestion_evaluate(suggestion=s, actor=p["deputy"].user, rating="satisfied")
    s.refresh_from_db()
    assert s.status == status, (s.status, status)
    return s


def make_on(cast, status, day: dt.date, **kw) -> Suggestion:
    """``make`` with every step taken at 10:00 on ``day``: received, assigned and replied that day,
    so its due dates are the ones the county's rules give from that day."""
    moment = dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(moment, tick=False):
        return make(cast, status, **kw)


def copies(suggestion: Suggestion, n: int, *, title="{i}") -> list[Suggestion]:
    """``n`` more rows in exactly ``suggestion``'s state (a real one, built through the services),
    for list and paging tests where building each through the workflow would only cost time.
    Numbered ones take the next free numbers of their year."""
    model = type(suggestion)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    last = model.objects.filter(township=suggestion.township, year=suggestion.year).exclude(seq=None)
    last = max(last.values_list("seq", flat=True), default=0)
    rows = []
    for i in range(n):
        row = model(**{f.attname: getattr(suggestion, f.attname) for f in fields})
        row.title = title.format(i=i)
        if suggestion.seq is not None:
            row.seq = last + 1 + i
            row.number = f"{suggestion.year}-{row.seq:03d}"
        rows.append(row)
    return model.objects.bulk_create(rows)
