"""Demo congress data: for each township's current term, two sessions a year (last year and this
year) with agenda, attendance, votes and an election, the presidium roster, and quarterly presidium
meetings with minutes. Everything that is a workflow step goes through congress.services."""

import datetime as dt

from django.utils import timezone

from deputies.models import Deputy, Term

from . import selectors, services
from .models import AgendaItem, Attendance, Election, MeetingTopic, Observer, PresidiumMembership, Session

ORDER = 20

TOPICS = [
    (
        MeetingTopic.Kind.SUGGESTION_BRIEFING,
        "听取代表建议办理情况通报",
        "会议认为办理总体及时，要求对未办结的建议挂牌督办。",
    ),
    (
        MeetingTopic.Kind.SPECIAL_REPORT,
        "听取镇政府关于农村道路建设情况的专项报告",
        "同意报告，建议加快村组道路硬化进度。",
    ),
    (
        MeetingTopic.Kind.SUPERVISION_PLAN,
        "研究确定下季度代表视察活动计划",
        "确定组织代表视察农村饮水安全工程。",
    ),
    (
        MeetingTopic.Kind.SESSION_DATE,
        "研究下次人代会召开时间及筹备工作",
        "同意按期召开，落实“五落实”筹备要求。",
    ),
]


def _roll(session, deputies, rng, actor):
    rows = []
    for i, d in enumerate(deputies):
        roll = rng.random()
        status = (
            Attendance.Status.PRESENT
            if roll < 0.86 or i < 9
            else (Attendance.Status.LEAVE if roll < 0.95 else Attendance.Status.ABSENT)
        )
        rows.append(Attendance(session=session, deputy=d, status=status, marked_by=actor))
    Attendance.objects.bulk_create(rows)


def _session(*, township, term, number, start, deputies, rng, actor, close=True, election=None, motion=False):
    session = services.session_create(
        township=township,
        term=term,
        number=number,
        kind=Session.Kind.ORDINARY,
        start_date=start,
        end_date=start + dt.timedelta(days=1),
        place=f"{township.name}人民政府大会议室",
        actor=actor,
    )
    for item in Session.CHECKLIST:
        services.session_set_checklist(session=session, item=item, done=True, actor=actor)
    early = start - dt.timedelta(days=rng.choice([3, 5, 7]))
    # The three reports; one each year reaches deputies on the opening day (the late-document figure).
    reports = (
        (AgendaItem.Kind.GOVERNMENT_REPORT, "镇人民政府工作报告", early),
        (AgendaItem.Kind.PRESIDIUM_REPORT, "镇人大主席团工作报告", early),
        (
            AgendaItem.Kind.BUDGET_REPORT,
            f"{start.year}年财政预算执行情况和预算草案的报告",
            start if number % 2 else early,
        ),
    )
    gov = None
    for kind, title, sent_on in reports:
        item = services.agenda_item_add(
            session=session, kind=kind, title=title, document_sent_on=sent_on, actor=actor
        )
        gov = gov or item
    resolution = services.agenda_item_add(
        session=session, kind=AgendaItem.Kind.RESOLUTION, title=f"关于《{gov.title}》的决议", actor=actor
    )
    services.observer_add(session=session, name="陈明华", affiliation="镇党委副书记", actor=actor)
    services.observer_add(
        session=session, name="周丽", affiliation="特邀群众代表", kind=Observer.Kind.CITIZEN, actor=actor
    )
    m = None
    if motion:
        m = services.motion_submit(
            session=session,
            title="关于实施集镇污水管网改造的议案",
            grounds="集镇生活污水直排河道，群众反映强烈。",
            plan="分两期完成管网改造，资金由县级专项和镇级配套解决。",
            lead_deputy=deputies[3],
            co_deputies=deputies[4:9],
            actor=actor,
        )
        m = services.motion_decide(
            motion=m, decision="on_agenda", actor=actor, comment="主席团第一次会议决定"
        )
    services.session_transition(session=session, to_status=Session.Status.PREPARING, actor=actor)
    if start > timezone.localdate():  # seeded early in January: the session cannot open before its day
        return session
    # A report reaching deputies on the opening day: the office confirms opening, the session is flagged.
    services.session_transition(
        session=session, to_status=Session.Status.IN_SESSION, actor=actor, confirm_warnings=True
    )
    _roll(session, deputies, rng, actor)
    if not close:
        return session
    present = Attendance.objects.filter(session=session, status=Attendance.Status.PRESENT).count()
    services.vote_record(item=resolution, votes_for=present - 2, votes_against=1, abstentions=1, actor=actor)
    if m is not None:
        services.vote_record(
            item=m.agenda_item, votes_for=present - 3, votes_against=2, abstentions=1, actor=actor
        )
    if election:
        e = services.election_create(session=session, actor=actor, **election)
        # Every deputy present takes a ballot; one spoils it; the rest mark one candidate each.
        valid = present - 1
        count = {c.pk: max(valid - 1 - i * 3, 0) for i, c in enumerate(e.candidates.all())}
        ballots = {"issued": present, "returned": present, "valid": valid, "invalid": 1}
        services.election_record(election=e, votes=count, ballots=ballots, actor=actor)
    services.session_transition(session=session, to_status=Session.Status.CLOSED, actor=actor)
    return session


def _meetings(*, township, term, year, today, rng, actor, skip_quarter=None):
    for quarter in range(4):
        day = dt.date(year, quarter * 3 + 2, rng.randint(8, 25))
        if day >= today or quarter == skip_quarter:
            continue
        members = list(selectors.active_members(term, day).order_by("pk"))
        meeting = services.meeting_create(
            township=township,
            term=term,
            date=day,
            place="镇人大主席团会议室",
            chair=members[0].deputy,
            actor=actor,
        )
        services.observer_add(meeting=meeting, name="李副镇长", affiliation="镇人民政府副镇长", actor=actor)
        for i, m in enumerate(members):
            status = (
                Attendance.Status.PRESENT
                if i < len(members) - 1 or rng.random() < 0.6
                else Attendance.Status.LEAVE
            )
            services.meeting_mark_attendance(meeting=meeting, deputy=m.deputy, status=status, actor=actor)
        services.meeting_transition(meeting=meeting, to_status="held", actor=actor)
        kind, title, decision = TOPICS[quarter]
        topic = services.topic_add(
            meeting=meeting, kind=kind, title=title, reference=f"{year}年第{quarter + 1}季度", actor=actor
        )
        n = len(members)
        services.topic_record_vote(
            topic=topic, votes_for=n - 2, votes_against=0, abstentions=1, decision=decision, actor=actor
        )
        services.meeting_save_minutes(
            meeting=meeting,
            recorder="人大秘书",
            actor=actor,
            minutes=(
                f"{day:%Y年%m月%d日}，镇人大主席团召开{year}年第{quarter + 1}次会议，{members[0].deputy.name}主持。\n"
                f"会议{title}。\n与会成员进行了认真讨论，一致认为：{decision}\n会议要求各代表小组抓好落实。"
            ),
        )


def seed(ctx):
    rng = ctx["rng"]
    today = ctx["today"]
    this_year, last_year = today.year, today.year - 1
    for index, township in enumerate(ctx["townships"], start=1):
        actor = ctx["users"].get(f"staff{index}")
        term = Term.objects.filter(township=township).order_by("-number").first()
        if actor is None or term is None:
            continue
        deputies = list(
            Deputy.objects.filter(
                township=township, term=term, level=Deputy.Level.TOWNSHIP, status=Deputy.Status.SERVING
            ).order_by("pk")
        )
        if len(deputies) < 12:
            continue
        number = max(1, 2 * (last_year - term.start_date.year - 1) + 2)
        first = _session(
            township=township,
            term=term,
            number=number,
            start=dt.date(last_year, 1, 10),
            deputies=deputies,
            rng=rng,
            actor=actor,
            motion=True,
        )
        # The presidium elected at the term's first session, entered on the roster.
        for i, d in enumerate(deputies[:8]):
            role = (
                PresidiumMembership.Role.CHAIR
                if i == 0
                else (PresidiumMembership.Role.VICE_CHAIR if i == 1 else PresidiumMembership.Role.MEMBER)
            )
            services.membership_add(session=first, deputy=d, role=role, actor=actor)
        # Two by-elections: a presidium member at the year-end session, a deputy town head in January.
        by_elections = (
            (
                1,
                dt.date(last_year, 12, 20),
                Election.Position.PRESIDIUM_MEMBER,
                [(deputies[9].name, deputies[9])],
            ),
            (2, dt.date(this_year, 1, 12), Election.Position.DEPUTY_TOWN_HEAD, [("吴志刚", None)]),
        )
        for offset, start, position, candidates in by_elections:
            _session(
                township=township,
                term=term,
                number=number + offset,
                start=start,
                deputies=deputies,
                rng=rng,
                actor=actor,
                election={
                    "position": position,
                    "kind": Election.Kind.BY_ELECTION,
                    "seats": 1,
                    "candidates": candidates,
                },
            )
        second = (
            dt.date(this_year, 12, 18) if today < dt.date(this_year, 7, 1) else today - dt.timedelta(days=20)
        )
        if second < today:
            _session(
                township=township,
                term=term,
                number=number + 3,
                start=second,
                deputies=deputies,
                rng=rng,
                actor=actor,
            )
        else:
            services.session_create(
                township=township,
                term=term,
                number=number + 3,
                kind=Session.Kind.ORDINARY,
                start_date=second,
                place=f"{township.name}人民政府大会议室",
                actor=actor,
            )
        for year in (last_year, this_year):
            _meetings(
                township=township,
                term=term,
                year=year,
                today=today,
                rng=rng,
                actor=actor,
                skip_quarter=1 if (index == len(ctx["townships"]) and year == this_year) else None,
            )
    ctx["congress_ready"] = True
