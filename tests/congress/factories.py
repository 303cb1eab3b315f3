"""Builders for congress tests: a term with N deputies, sessions, meetings and the presidium roster."""

import datetime as dt

from congress.models import (
    AgendaItem,
    Candidate,
    Election,
    Motion,
    PresidiumMeeting,
    PresidiumMembership,
    Session,
)
from deputies.models import Deputy, Term
from tests import factories as f

START = dt.date(2025, 1, 10)


def term_for(township) -> Term:
    return Term.objects.filter(township=township).order_by("-number").first() or f.TermFactory(
        township=township
    )


def deputies(township, n, **kwargs) -> list[Deputy]:
    term = term_for(township)
    district = f.ElectoralDistrictFactory(township=township)
    return [f.DeputyFactory(township=township, term=term, district=district, **kwargs) for _ in range(n)]


def session(township, *, status=Session.Status.PLANNED, start_date=START, number=None, **kwargs) -> Session:
    term = term_for(township)
    if number is None:
        number = (
            Session.objects.filter(term=term).order_by("-number").values_list("number", flat=True).first()
            or 0
        ) + 1
    return Session.objects.create(
        township=township, term=term, number=number, start_date=start_date, status=status, **kwargs
    )


def agenda_item(
    sess, kind=AgendaItem.Kind.RESOLUTION, title="关于政府工作报告的决议", **kwargs
) -> AgendaItem:
    return AgendaItem.objects.create(session=sess, kind=kind, title=title, **kwargs)


def motion(sess, lead, co=(), title="关于集镇污水管网改造的议案") -> Motion:
    m = Motion.objects.create(
        township=sess.township, session=sess, title=title, grounds="据", plan="案", lead_deputy=lead
    )
    m.co_deputies.set(co)
    return m


def election(sess, candidates, position=Election.Position.PRESIDIUM_MEMBER, seats=1) -> Election:
    e = Election.objects.create(session=sess, position=position, seats=seats)
    for d in candidates:
        Candidate.objects.create(
            election=e,
            name=d.name if isinstance(d, Deputy) else d,
            deputy=d if isinstance(d, Deputy) else None,
        )
    return e


def roster(township, members, start=dt.date(2022, 1, 1)) -> list[PresidiumMembership]:
    term = term_for(township)
    return [
        PresidiumMembership.objects.create(township=township, term=term, deputy=d, start_date=start)
        for d in members
    ]


def meeting(township, *, date=None, status=PresidiumMeeting.Status.PLANNED, **kwargs) -> PresidiumMeeting:
    return PresidiumMeeting.objects.create(
        township=township, term=term_for(township), date=date or dt.date.today(), status=status, **kwargs
    )
