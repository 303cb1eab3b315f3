"""A township year built by hand: nine deputies of the current term (two with logins), a session
sitting with its roll call taken, and the county's rules for choosing three projects."""

import datetime as dt
from dataclasses import dataclass

from congress.models import Attendance, Session
from deputies.models import Deputy
from livelihood import services
from presidium.models import CountyRules
from tests.congress import factories as cf

YEAR = dt.date.today().year


@dataclass
class Year:
    township: object
    staff: object
    session: Session
    deputies: list
    units: list


def rules(county, **kw):
    values = {
        "livelihood_projects_to_choose": 3,
        "livelihood_max_approvals": 3,
        "livelihood_extra_candidates": 1,
        **kw,
    }
    obj, _ = CountyRules.objects.update_or_create(county=county, defaults=values)
    return obj


def township_year(cast, *, present=9, extra_deputies=7) -> Year:
    township = cast.township_a
    rules(township.county)
    term = cf.term_for(township)
    Deputy.objects.filter(pk__in=[cast.deputy_a.pk, cast.deputy_a2.pk]).update(term=term)
    others = cf.deputies(township, extra_deputies)
    deputies = [cast.deputy_a, cast.deputy_a2, *others]
    session = cf.session(township, status=Session.Status.IN_SESSION, start_date=dt.date(YEAR, 1, 10))
    for d in deputies[:present]:
        Attendance.objects.create(session=session, deputy=d, status=Attendance.Status.PRESENT)
    return Year(township, cast.staff_a, session, deputies, [cast.unit_a, cast.unit_a2])


TITLES = ("集镇污水管网改造", "村道硬化三公里", "敬老院扩建", "中心学校食堂改造", "河道清淤")


def propose(y: Year, title="集镇污水管网改造", unit=None, **kw):
    return services.project_propose(
        township=y.township,
        year=YEAR,
        title=title,
        content=f"{title}：建设内容详见政府清单。",
        unit=unit or y.units[0],
        planned_completion=dt.date(YEAR, 11, 30),
        actor=y.staff,
        **kw,
    )


def candidates(y: Year, n=4) -> list:
    out = []
    for i, title in enumerate(TITLES[:n]):
        p = propose(y, title=title, unit=y.units[i % 2])
        out.append(services.project_vet(project=p, accept=True, session=y.session, actor=y.staff))
    return out


def small_vote(township, staff, *, unit, title="乙镇机密项目XYZ", count=True):
    """A township with three more deputies and every deputy of the session present (the township may
    already have some, e.g. the cast's), two candidates, one place: the vote opened and (``count``)
    counted on paper, the first candidate chosen. Returns the ballot."""
    from congress.selectors import session_deputies

    rules(township.county, livelihood_projects_to_choose=1, livelihood_max_approvals=1)
    cf.deputies(township, 3)
    session = cf.session(township, status=Session.Status.IN_SESSION, start_date=dt.date(YEAR, 1, 10))
    sitting = list(session_deputies(session))
    for d in sitting:
        Attendance.objects.create(session=session, deputy=d, status=Attendance.Status.PRESENT)
    n = len(sitting)
    projects = []
    for name in (title, f"{title}二"):
        p = services.project_propose(
            township=township,
            year=YEAR,
            title=name,
            content="内容",
            unit=unit,
            planned_completion=dt.date(YEAR, 11, 30),
            actor=staff,
        )
        projects.append(services.project_vet(project=p, accept=True, session=session, actor=staff))
    ballot = services.ballot_open(session=session, actor=staff)
    if count:
        ballot = services.ballot_count(
            ballot=ballot,
            actor=staff,
            ballots={"issued": n, "returned": n, "valid": n, "invalid": 0},
            votes={projects[0].pk: n, projects[1].pk: 0},
        )
    return ballot
