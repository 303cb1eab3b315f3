"""Reminder providers for reception days (接待选民日), written by the notifications app against
deputies.models: the deputies on duty N days before (``reception_days_before``, default 5 and 3),
and the township's staff to publish the station's announcement while it is still unannounced within
the largest of those windows. One query per distinct rule value plus one recipient look-up."""

import datetime as dt

from django.utils.translation import gettext as _

from notifications.providers import Candidate, before_due_brackets, not_yet, township_staff, url_maker

from .models import ReceptionDay

FIELDS = ("id", "township_id", "date", "station__name")


def _planned(county_ids):
    return ReceptionDay.objects.filter(status=ReceptionDay.Status.PLANNED, township__county_id__in=county_ids)


def duty_deputies(ctx):
    url = url_maker("deputies:reception_day_detail")
    for days, county_ids in ctx.group(
        "reception_days_before", lambda v: tuple(n for n, _l, _h in before_due_brackets(v))
    ):
        for n, low, high in before_due_brackets(list(days)):
            rule = f"reception_duty_{n}"
            qs = _planned(county_ids).filter(
                date__gt=ctx.today + dt.timedelta(days=low), date__lte=ctx.today + dt.timedelta(days=high)
            )
            rows = not_yet(list(qs.values(*FIELDS)), ReceptionDay, rule, due_key="date")
            duty = {}
            for day_id, user_id in ReceptionDay.deputies.through.objects.filter(
                receptionday_id__in=[r["id"] for r in rows],
                deputy__user__isnull=False,
                deputy__user__is_active=True,
            ).values_list("receptionday_id", "deputy__user_id"):
                duty.setdefault(day_id, []).append(user_id)
            for r in rows:
                for uid in duty.get(r["id"], ()):
                    yield Candidate(
                        rule=rule,
                        model=ReceptionDay,
                        object_id=r["id"],
                        due_date=r["date"],
                        recipient_id=uid,
                        township_id=r["township_id"],
                        url=url(r["id"]),
                        title=_("接待选民日值班提醒：%(d)s %(s)s")
                        % {"d": r["date"].isoformat(), "s": r["station__name"]},
                        body=_("您是%(d)s在%(s)s接待选民的值班代表，请按时到站。")
                        % {"d": r["date"].isoformat(), "s": r["station__name"]},
                    )


def announcement(ctx):
    url = url_maker("deputies:reception_day_detail")
    for days, county_ids in ctx.group(
        "reception_days_before", lambda v: max([n for n, _l, _h in before_due_brackets(v)] or [5])
    ):
        rule = "reception_announce"
        qs = _planned(county_ids).filter(
            announced_on__isnull=True, date__gte=ctx.today, date__lte=ctx.today + dt.timedelta(days=days)
        )
        rows = not_yet(list(qs.values(*FIELDS)), ReceptionDay, rule, due_key="date")
        staff = township_staff(r["township_id"] for r in rows)
        for r in rows:
            for uid in staff.get(r["township_id"], ()):
                yield Candidate(
                    rule=rule,
                    model=ReceptionDay,
                    object_id=r["id"],
                    due_date=r["date"],
                    recipient_id=uid,
                    township_id=r["township_id"],
                    url=url(r["id"]),
                    title=_("请发布接待选民日公告：%(s)s %(d)s")
                    % {"s": r["station__name"], "d": r["date"].isoformat()},
                    body=_("接待选民日应提前%(n)s天向选民公告。") % {"n": days},
                )


PROVIDERS = [duty_deputies, announcement]
