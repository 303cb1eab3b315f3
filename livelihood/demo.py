"""Demo livelihood projects: this year's candidate list voted at the January session (already held
and closed by the congress demo, so the count is entered as the record of that vote), then the chosen
projects carried out through the services: milestones (one overdue), progress reports by the
responsible units, supervision groups."""

import datetime as dt

from django.utils import timezone

from congress.models import AgendaItem, Attendance, Session
from congress.selectors import session_quorum
from deputies.models import Deputy
from presidium.models import Role, User

from . import events, services
from .models import Project, ProjectBallot

ORDER = 35

CANDIDATES = [
    ("集镇污水管网改造", "集镇主街", 380),
    ("通组公路硬化12公里", "各行政村", 520),
    ("中心学校食堂改造", "镇中心学校", 160),
    ("农村饮水安全巩固提升", "东片四个村", 240),
    ("敬老院适老化改造", "镇敬老院", 90),
    ("集镇农贸市场提质改造", "集镇", 300),
    ("村级文化广场建设", "两个行政村", 110),
]


def seed(ctx):
    today = ctx["today"]
    for index, township in enumerate(ctx["townships"], start=1):
        staff = ctx["users"].get(f"staff{index}")
        units = ctx["units"].get(township.pk) or []
        if staff is None or len(units) < 3 or Project.objects.filter(township=township).exists():
            continue
        session = (
            Session.objects.filter(
                township=township, start_date__year=today.year, status=Session.Status.CLOSED
            )
            .order_by("start_date")
            .first()
        )
        if session is None:
            continue
        _seed_township(township, staff, units, session, today, ctx["rng"])


def _seed_township(township, staff, units, session, today, rng):
    rules = township.rules
    n = min(
        len(CANDIDATES), rules.livelihood_projects_to_choose + max(rules.livelihood_extra_candidates, 1) + 1
    )
    present = Attendance.objects.filter(session=session, status=Attendance.Status.PRESENT).count()
    if present < 3:
        return
    projects = []
    for i, (title, place, cost) in enumerate(CANDIDATES[:n]):
        projects.append(
            services.project_propose(
                township=township,
                year=today.year,
                title=title,
                content=f"{title}：{place}，由镇人民政府提出，经征求代表和选民意见。",
                location=place,
                estimated_cost=cost,
                unit=units[i % len(units)],
                leader="分管副镇长",
                planned_completion=dt.date(today.year, 11, 30),
                actor=staff,
            )
        )
    # The vote was held at the January session (closed since): its record as counted on paper.
    to_choose = min(rules.livelihood_projects_to_choose, n - 1)
    quorum = session_quorum(session)
    votes = sorted((rng.randint(quorum["majority"], present) for _ in projects), reverse=True)
    ProjectBallot.objects.create(
        session=session,
        township=township,
        to_choose=to_choose,
        max_approvals=to_choose,
        status=ProjectBallot.Status.COUNTED,
        total_deputies=quorum["total"],
        present=present,
        majority=quorum["majority"],
        ballots_issued=present,
        ballots_returned=present,
        ballots_valid=present,
        ballots_invalid=0,
        counted_at=timezone.now(),
        counted_by=staff,
        resolution=AgendaItem.objects.create(
            session=session,
            kind=AgendaItem.Kind.RESOLUTION,
            order=99,
            title=f"关于票决产生{today.year}年民生实事项目的决定（{to_choose}项）",
        ),
    )
    for rank, (p, v) in enumerate(zip(projects, votes, strict=True)):
        chosen = rank < to_choose
        p.session, p.order, p.votes_paper = session, rank + 1, min(v, present)
        p.status = Project.Status.CHOSEN if chosen else Project.Status.NOT_CHOSEN
        p.save(update_fields=["session", "order", "votes_paper", "status"])
        events.transition(project=p, actor=staff, from_status="proposed", to_status="candidate")
        events.transition(project=p, actor=staff, from_status="candidate", to_status=p.status)
    officers = {u.unit_id: u for u in User.objects.filter(role=Role.UNIT, township=township, is_active=True)}
    deputies = list(
        Deputy.objects.filter(township=township, status=Deputy.Status.SERVING).order_by("pk")[:12]
    )
    for i, p in enumerate(projects[:to_choose]):
        actor = officers.get(p.unit_id, staff)
        services.milestone_add(
            project=p, title="完成设计和招投标", due_date=dt.date(today.year, 4, 30), actor=actor
        )
        late = services.milestone_add(
            project=p, title="主体工程完工", due_date=dt.date(today.year, 9, 30), actor=actor
        )
        if deputies:
            services.supervisors_set(project=p, deputies=deputies[i * 3 : i * 3 + 3], actor=staff)
        percent = [100, 70, 40, 20, 10][i % 5]
        services.progress_report(project=p, percent=min(percent, 90), text="工程按计划推进。", actor=actor)
        if percent == 100 or i % 2:
            services.milestone_done(
                milestone=late, done_on=min(today, dt.date(today.year, 9, 28)), actor=actor
            )
        if percent == 100:
            services.progress_report(project=p, percent=100, text="已竣工验收。", actor=actor)
