"""Warnings: a township behind the yearly sessions, the presidium-meeting rule or the presidium size
limits; and what is still missing before a session opens (late report documents)."""

import datetime as dt

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import (
    AgendaItem,
    Session,
)
from .presidium import active_members, meeting_gaps, presidium_size_limits


def township_warnings(township, today: dt.date | None = None) -> list[str]:
    """Warnings shown on the congress pages: sessions behind the yearly number, each finished period of
    the presidium-meeting rule without a held meeting, a presidium outside its size limits."""
    today = today or timezone.localdate()
    rules = township.rules
    out = []
    year_start = dt.date(today.year, 1, 1)
    held = Session.objects.filter(
        township=township,
        kind=Session.Kind.ORDINARY,
        start_date__gte=year_start,
        start_date__lte=today,
        status__in=[Session.Status.IN_SESSION, Session.Status.CLOSED],
    ).count()
    planned = (
        Session.objects.filter(
            township=township,
            kind=Session.Kind.ORDINARY,
            start_date__year=today.year,
            start_date__gt=today,
        )
        .exclude(status=Session.Status.CANCELLED)
        .count()
    )
    if held + planned < rules.sessions_per_year:
        out.append(
            _("今年已召开人代会 %(held)s 次、已安排 %(planned)s 次，少于每年 %(need)s 次的要求。")
            % {"held": held, "planned": planned, "need": rules.sessions_per_year}
        )
    gaps = meeting_gaps([township.pk], dt.date(today.year, 1, 1), today, today)[township.pk]
    for p_start, p_end in gaps:
        out.append(_("%(s)s 至 %(e)s 期间未召开主席团会议。") % {"s": p_start, "e": p_end})
    from deputies.selectors import current_term

    term = current_term(township)
    if term is not None and Session.objects.filter(term=term).exists():
        members = active_members(term, today).count()
        lower, upper = presidium_size_limits(township, term, today)
        if not lower <= members <= upper:
            out.append(
                _("主席团现有成员 %(n)s 人，不在规定的 %(min)s–%(max)s 人之间。")
                % {"n": members, "min": lower, "max": upper}
            )
    return out


def opening_warnings(session: Session) -> list[str]:
    """What is still missing for opening: unfinished 五落实 items, and report items whose documents
    have not reached the deputies before the opening day. Opening with any asks for confirmation."""
    out = [_("五落实未完成：%(l)s") % {"l": label} for _name, label, done in session.checklist if not done]
    for item in session.agenda_items.filter(kind__in=AgendaItem.REPORT_KINDS).order_by("order", "pk"):
        if item.document_late:
            out.append(_("《%(t)s》未在开幕前送达代表") % {"t": item.title})
    return out


def late_documents_q() -> Q:
    """Report items whose documents reached deputies on the opening day, later, or not at all."""
    return Q(kind__in=AgendaItem.REPORT_KINDS) & (
        Q(document_sent_on__isnull=True) | Q(document_sent_on__gte=F("session__start_date"))
    )
