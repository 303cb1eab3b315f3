"""Reminder providers for congress meetings, written by the notifications app against
congress.models: members N days before a presidium meeting (``meeting_days_before``, default 3 and 1)
— the presidium members serving on the meeting day (``congress.selectors.member_on``) — and every serving deputy with a login before a
session opens. One query per distinct rule value plus one recipient look-up."""

import datetime as dt

from django.utils.translation import gettext as _

from deputies.models import Deputy
from notifications.providers import Candidate, before_due_brackets, not_yet, safe_reverse
from presidium.numerals import cn_number

from .models import PresidiumMeeting, PresidiumMembership, Session
from .selectors import member_on


def _brackets(ctx):
    return ctx.group("meeting_days_before", lambda v: tuple(n for n, _l, _h in before_due_brackets(v)))


def _deputy_page(_pk):
    # Recipients are deputies: the staff detail pages are closed to them, their own page is not.
    return safe_reverse("congress:my_meetings")


def presidium_meetings(ctx):
    url = _deputy_page
    for days, county_ids in _brackets(ctx):
        for n, low, high in before_due_brackets(list(days)):
            rule = f"meeting_before_{n}"
            qs = PresidiumMeeting.objects.filter(
                status=PresidiumMeeting.Status.PLANNED,
                township__county_id__in=county_ids,
                date__gt=ctx.today + dt.timedelta(days=low),
                date__lte=ctx.today + dt.timedelta(days=high),
            )
            rows = not_yet(
                list(qs.values("id", "township_id", "term_id", "date", "place")),
                PresidiumMeeting,
                rule,
                due_key="date",
            )
            members = {}
            for term_id, user_id, start, end in PresidiumMembership.objects.filter(
                term_id__in={r["term_id"] for r in rows},
                deputy__user__isnull=False,
                deputy__user__is_active=True,
            ).values_list("term_id", "deputy__user_id", "start_date", "end_date"):
                members.setdefault(term_id, []).append((user_id, start, end))
            for r in rows:
                # The members serving on the meeting day, as the meeting notice counts them.
                serving = [
                    uid
                    for uid, start, end in members.get(r["term_id"], ())
                    if member_on(start, end, r["date"])
                ]
                for uid in serving:
                    yield Candidate(
                        rule=rule,
                        model=PresidiumMeeting,
                        object_id=r["id"],
                        due_date=r["date"],
                        recipient_id=uid,
                        township_id=r["township_id"],
                        url=url(r["id"]),
                        title=_("主席团会议提醒：%(d)s") % {"d": r["date"].isoformat()},
                        body=_("主席团会议将于%(d)s在%(p)s召开，请按时出席。")
                        % {"d": r["date"].isoformat(), "p": r["place"] or _("（地点另行通知）")},
                    )


def sessions(ctx):
    url = _deputy_page
    for days, county_ids in _brackets(ctx):
        for n, low, high in before_due_brackets(list(days)):
            rule = f"session_before_{n}"
            qs = Session.objects.filter(
                status__in=[Session.Status.PLANNED, Session.Status.PREPARING],
                township__county_id__in=county_ids,
                start_date__gt=ctx.today + dt.timedelta(days=low),
                start_date__lte=ctx.today + dt.timedelta(days=high),
            )
            rows = not_yet(
                list(qs.values("id", "township_id", "term_id", "number", "start_date", "place")),
                Session,
                rule,
                due_key="start_date",
            )
            deputies = {}
            for term_id, user_id in (
                Deputy.objects.filter(
                    term_id__in={r["term_id"] for r in rows}, user__isnull=False, user__is_active=True
                )
                .serving()
                .values_list("term_id", "user_id")
            ):
                deputies.setdefault(term_id, []).append(user_id)
            for r in rows:
                for uid in deputies.get(r["term_id"], ()):
                    yield Candidate(
                        rule=rule,
                        model=Session,
                        object_id=r["id"],
                        due_date=r["start_date"],
                        recipient_id=uid,
                        township_id=r["township_id"],
                        url=url(r["id"]),
                        title=_("人代会提醒：本届第%(n)s次会议%(d)s开幕")
                        % {"n": cn_number(r["number"]), "d": r["start_date"].isoformat()},
                        body=_("会议地点：%(p)s。请提前阅读会议材料。") % {"p": r["place"] or _("另行通知")},
                    )


PROVIDERS = [presidium_meetings, sessions]
