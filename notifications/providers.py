"""Helpers shared by the reminder providers in ``<app>/reminders.py``: rule brackets and recipient
look-ups, each a single query for any number of objects."""

import datetime as dt
from collections import defaultdict
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, gettext

from presidium.models import Role
from presidium.workdays import add_workdays, workdays_between

from .engine import Candidate, SweepContext
from .rules import int_list


@lru_cache(maxsize=256)
def _translated(language, message):
    return gettext(message)


def reminder_text(message):
    """A reminder string in the active language, translated once per language (sweeps build
    thousands of the same titles)."""
    return _translated(get_language(), message)


def non_negative_int(value, default):
    """A rule parameter as a whole number ≥ 0, or ``default`` when it is not one."""
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return default


__all__ = [
    "Candidate",
    "Reminding",
    "SweepContext",
    "before_due_brackets",
    "county_staff",
    "days_before_due",
    "deputy_users",
    "local_midnight",
    "not_yet",
    "overdue_by",
    "safe_reverse",
    "township_staff",
    "unit_officers",
    "url_maker",
    "workday_cutoff",
]


def before_due_brackets(days) -> list[tuple[int, int, int]]:
    """[7, 1] → [(7, 1, 7), (1, 0, 1)]: the "N days before" reminder fires while
    ``today + low < due <= today + high``, so an item that enters late gets only the nearest
    reminder, and a sweep that missed a day still catches up."""
    ordered = [d for d in int_list(days, [7, 1]) if d > 0]
    out = []
    for i, n in enumerate(ordered):
        low = ordered[i + 1] if i + 1 < len(ordered) else 0
        out.append((n, low, n))
    return out


def days_before_due(ctx, open_items, *, due_field: str = "due_date"):
    """(N, query set) for each "N days before" bracket of the counties' ``unit_days_before_due``:
    the items of ``open_items(county_ids)`` whose ``due_field`` falls in it."""
    for days, county_ids in ctx.group(
        "unit_days_before_due", lambda v: tuple(n for n, _lo, _hi in before_due_brackets(v))
    ):
        for n, low, high in before_due_brackets(list(days)):
            yield (
                n,
                open_items(county_ids).filter(
                    **{
                        f"{due_field}__gt": ctx.today + dt.timedelta(days=low),
                        f"{due_field}__lte": ctx.today + dt.timedelta(days=high),
                    }
                ),
            )


def overdue_by(ctx, rule: str, default: int, open_items, *, due_field: str = "due_date"):
    """For each group of counties with the same ``rule`` value (days, ``default`` when unset, at
    least one): the items of ``open_items(county_ids)`` overdue by that many days or more."""
    for after, county_ids in ctx.group(rule, lambda v: non_negative_int(v, default)):
        limit = ctx.today - dt.timedelta(days=max(1, after))
        yield open_items(county_ids).filter(**{f"{due_field}__lte": limit})


class Reminding:
    """The candidates of one provider module: reminders about ``model`` rows (``values()`` dicts)
    linking to the detail route ``route`` of the row's ``url_key``, due on its ``due_key``, in the
    township of its ``township_key``."""

    def __init__(self, model, route: str, *, due_key="due_date", township_key="township_id", url_key="id"):
        self.model, self.route = model, route
        self.due_key, self.township_key, self.url_key = due_key, township_key, url_key
        self._url = None

    def url(self, pk) -> str:
        if self._url is None:  # reverse() once, at the first sweep (not at import)
            self._url = url_maker(self.route)
        return self._url(pk)

    def to_each(self, rule, r, recipient_ids, title, body, *, due_date=None):
        """One candidate per recipient of the row ``r``."""
        for uid in recipient_ids:
            yield Candidate(
                rule=rule,
                model=self.model,
                object_id=r["id"],
                due_date=r[self.due_key] if due_date is None else due_date,
                recipient_id=uid,
                township_id=r[self.township_key],
                url=self.url(r[self.url_key]),
                title=title,
                body=body,
            )

    def candidates(self, rows, rule, recipients_of, title, body):
        """For each row, its ``recipients_of(r)``, with ``title(r)`` and ``body(r)``."""
        for r in rows:
            yield from self.to_each(rule, r, recipients_of(r), title(r), body(r))


def local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))


def workday_cutoff(today: dt.date, workdays: int) -> dt.date:
    """The latest day ``d`` with ``workdays_between(d, today) >= workdays`` — an item that started on
    or before it has waited at least that many working days (holidays and 调休 counted)."""
    d = today
    if workdays <= 0:
        return d
    while workdays_between(d, today) < workdays:
        d -= dt.timedelta(days=1)
    return d


def workday_due(start: dt.date, workdays: int) -> dt.date:
    return add_workdays(start, max(0, workdays))


def _group(rows):
    out = defaultdict(list)
    for key, user_id in rows:
        out[key].append(user_id)
    return out


def _active_users():
    return get_user_model().objects.filter(is_active=True)


def unit_officers(unit_ids) -> dict[int, list[int]]:
    """{unit_id: [user ids of its officers]}."""
    return _group(
        _active_users().filter(role=Role.UNIT, unit_id__in=set(unit_ids)).values_list("unit_id", "id")
    )


def township_staff(township_ids) -> dict[int, list[int]]:
    """{township_id: [user ids of its presidium staff]}."""
    return _group(
        _active_users()
        .filter(role=Role.STAFF, township_id__in=set(township_ids))
        .values_list("township_id", "id")
    )


def county_staff(county_ids) -> dict[int, list[int]]:
    return _group(
        _active_users().filter(role=Role.COUNTY, county_id__in=set(county_ids)).values_list("county_id", "id")
    )


def deputy_users(deputy_ids) -> dict[int, int]:
    """{deputy_id: user id} for deputies that have an active login."""
    from deputies.models import Deputy

    return dict(
        Deputy.objects.filter(pk__in=set(deputy_ids), user__isnull=False, user__is_active=True).values_list(
            "id", "user_id"
        )
    )


def not_yet(
    rows: list[dict],
    model,
    rule: str,
    due_key: str | None = "due_date",
    since_key: str | None = None,
    id_key: str = "id",
) -> list[dict]:
    """Drop rows (``values()`` dicts of ``model``) that already have a reminder for ``rule`` — for
    their current ``due_key`` date, or created after ``since_key`` (e.g. the latest reply), or at all
    when both are None — so that a repeated sweep re-yields nothing for them (the unique key would
    ignore them anyway; this keeps sweeps cheap). One indexed query per 5,000 rows; done as a
    look-up rather than an SQL anti-join because right after a large sweep the planner's statistics
    of the notification table are stale and it picks a nested loop."""
    from django.contrib.contenttypes.models import ContentType

    from .models import Notification

    if not rows:
        return rows
    ct = ContentType.objects.get_for_model(model)
    ids = [r[id_key] for r in rows]
    seen: dict[int, list] = defaultdict(list)
    for i in range(0, len(ids), 5000):
        for target_id, due, created in Notification.objects.filter(
            target_type=ct, rule=rule, target_id__in=ids[i : i + 5000]
        ).values_list("target_id", "due_date", "created_at"):
            seen[target_id].append((due, created))

    def fresh(r) -> bool:
        previous = seen.get(r[id_key])
        if not previous:
            return True
        if due_key:
            return all(due != r[due_key] for due, _c in previous)
        if since_key and r[since_key]:
            return all(created < r[since_key] for _d, created in previous)
        return False

    return [r for r in rows if fresh(r)]


def url_maker(name: str):
    """A fast ``pk -> url`` for a detail route taking one int (reverse() once, not once per row)."""
    sentinel = 987654321
    try:
        template = reverse(name, args=[sentinel])
    except NoReverseMatch:
        return lambda pk: ""
    head, tail = template.split(str(sentinel), 1)
    return lambda pk: f"{head}{pk}{tail}"


def safe_reverse(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""
