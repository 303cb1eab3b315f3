"""Demo suggestions: per township a few hundred over two years in every state — drafts, intake,
assignment, handling (some overdue), replies, ratings, re-handling, planned items still tracked —
with their event timelines. Bulk inserts, so seeding stays fast."""

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from deputies.models import Deputy

from .deadlines import set_due
from .models import (
    ContactRecord,
    CoSigner,
    CoUnit,
    ExtensionStatus,
    Level,
    SourceKind,
    Status,
    Suggestion,
    SuggestionCounter,
    SuggestionEvaluation,
    SuggestionEvent,
    SuggestionReply,
)

ORDER = 30
PER_TOWNSHIP = 260

VILLAGES = [
    "东岭村",
    "西坑村",
    "石门村",
    "桃源村",
    "新塘村",
    "上湾村",
    "下洲村",
    "枫树村",
    "黄家村",
    "柳溪村",
    "茶山村",
    "竹林村",
]
TITLES = {
    "村级化债": [
        "关于化解{v}历史遗留债务的建议",
        "关于{v}集体经济收入偿还村级债务的建议",
        "关于规范{v}工程欠款清偿程序的建议",
    ],
    "道路建设": [
        "关于硬化{v}至镇区道路的建议",
        "关于修复{v}村口坑洼路面的建议",
        "关于拓宽{v}通组公路的建议",
        "关于在{v}路段增设错车道的建议",
    ],
    "桥梁建设": ["关于重建{v}危桥的建议", "关于加固{v}漫水桥护栏的建议"],
    "水利设施": [
        "关于清淤{v}山塘水库的建议",
        "关于修复{v}灌溉水渠的建议",
        "关于解决{v}农田灌溉用水难的建议",
        "关于加固{v}河堤的建议",
    ],
    "村容村貌": ["关于整治{v}垃圾乱堆乱放的建议", "关于在{v}增设路灯的建议", "关于改造{v}公共厕所的建议"],
    "农村广播": ["关于修复{v}应急广播的建议", "关于在{v}增设广播喇叭的建议"],
    "社会保障": [
        "关于提高{v}高龄老人补贴发放效率的建议",
        "关于{v}低保评定公开透明的建议",
        "关于在{v}建设居家养老服务点的建议",
    ],
    "教育": [
        "关于改善{v}小学校车接送的建议",
        "关于修缮{v}教学点校舍的建议",
        "关于增加中心学校寄宿床位的建议",
    ],
    "医疗卫生": [
        "关于{v}卫生室配备常用药品的建议",
        "关于卫生院增设夜间急诊的建议",
        "关于为{v}老人开展免费体检的建议",
    ],
    "生态环境": [
        "关于治理{v}养殖场污水直排的建议",
        "关于加强{v}山林防火巡查的建议",
        "关于整治{v}河道采砂的建议",
    ],
    "产业发展": ["关于扶持{v}油茶产业的建议", "关于在{v}建设农产品冷库的建议", "关于发展{v}乡村旅游的建议"],
    "其他": ["关于{v}网络信号覆盖的建议", "关于增开{v}至县城班车的建议"],
}
CATEGORY_UNIT = {
    "村级化债": "财政所",
    "道路建设": "交管站",
    "桥梁建设": "村建所",
    "水利设施": "水利站",
    "村容村貌": "村建所",
    "农村广播": "政府办公室",
    "社会保障": "民政办",
    "教育": "中心学校",
    "医疗卫生": "卫生院",
    "生态环境": "林业站",
    "产业发展": "农业服务中心",
    "其他": "政府办公室",
}
CO_UNIT = {"道路建设": "国土所", "水利设施": "财政所", "产业发展": "财政所", "生态环境": "派出所"}
REPLIES = {
    "A": "经实地查看，已安排专项资金落实，相关工作已完成，请代表监督。",
    "B": "该事项已列入明年工作计划，资金争取到位后组织实施，届时将及时向代表反馈。",
    "C": "受资金和政策限制，目前暂不具备实施条件，已作为今后工作的参考，并向代表作了解释。",
}


def _held_sessions(township, today):
    from congress.models import Session

    return list(
        Session.objects.filter(township=township, start_date__lte=today)
        .exclude(status=Session.Status.CANCELLED)
        .order_by("start_date")
    )


def _at(day: dt.date, hour=10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _unit_by_name(units, name):
    for u in units:
        if u.name.endswith(name):
            return u
    return units[0]


def _fate(rng, age):
    """The final state of an item received ``age`` days ago (older items are further along)."""
    r = rng.random()
    if age > 150:
        table = [
            (0.05, "not_accepted"),
            (0.08, "withdrawn"),
            (0.10, "merged"),
            (0.14, "overdue_signed"),
            (0.22, "rehandled_closed"),
            (0.26, "rehandling"),
            (0.30, "replied"),
            (1.0, "closed"),
        ]
    elif age > 40:
        table = [
            (0.04, "not_accepted"),
            (0.06, "withdrawn"),
            (0.12, "assigned"),
            (0.40, "signed"),
            (0.55, "replied"),
            (0.60, "rehandling"),
            (0.63, "returned"),
            (1.0, "closed"),
        ]
    else:
        table = [
            (0.06, "draft"),
            (0.22, "submitted"),
            (0.36, "accepted"),
            (0.55, "assigned"),
            (0.85, "signed"),
            (0.90, "not_accepted"),
            (1.0, "returned"),
        ]
    for limit, fate in table:
        if r < limit:
            return fate
    return table[-1][1]


def seed(ctx):
    rng, today = ctx["rng"], ctx["today"]
    start = dt.date(today.year - 1, 1, 5)
    span = (today - start).days
    for index, township in enumerate(ctx["townships"], start=1):
        rules = township.rules
        deputies = (ctx.get("deputies") or {}).get(township.pk) or list(
            Deputy.objects.filter(township=township, status=Deputy.Status.SERVING)
        )
        if not deputies:
            continue
        login_deputies = [d for d in deputies if d.user_id]
        units = ctx["units"][township.pk]
        staff = ctx["users"].get(f"staff{index}")
        officers = {
            u.unit_id: u for u in ctx["users"].values() if u.role == "unit" and u.township_id == township.pk
        }
        items, plans = [], []
        sessions = _held_sessions(township, today)
        for n in range(PER_TOWNSHIP):
            received = start + dt.timedelta(days=int(span * (n + rng.random()) / PER_TOWNSHIP))
            received = min(received, today - dt.timedelta(days=1))
            age = (today - received).days
            fate = _fate(rng, age)
            lead = login_deputies[0] if (login_deputies and n % 23 == 0) else rng.choice(deputies)
            category = rng.choice(list(TITLES))
            title = rng.choice(TITLES[category]).format(v=rng.choice(VILLAGES))
            source = rng.choices(
                [
                    SourceKind.ONLINE,
                    SourceKind.PAPER_SESSION,
                    SourceKind.VOTER_OPINION,
                    SourceKind.RECEPTION_DAY,
                ],
                weights=[5, 3, 1, 1],
            )[0]
            session = None
            if source == SourceKind.PAPER_SESSION and sessions:
                # Handed in on paper at the session held before it: received during that session.
                earlier = [x for x in sessions if x.start_date <= received] or sessions[:1]
                session = earlier[-1]
                received = min(
                    session.start_date + dt.timedelta(days=rng.randint(0, 1)), today - dt.timedelta(days=1)
                )
                age = (today - received).days
                fate = _fate(rng, age)
            s = Suggestion(
                township=township,
                title=title,
                category=category,
                lead_deputy=lead,
                source_kind=source,
                content=f"{title.removeprefix('关于').removesuffix('的建议')}，群众反映强烈，多次向代表提出。",
                reasons="事关群众切身利益，影响生产生活和出行安全。",
                solution="建议相关部门实地调研，制定方案，限期解决。",
                during_session=source == SourceKind.PAPER_SESSION,
                session=session,
                created_by=lead.user or staff,
                created_at=_at(received, 9),
                level=Level.TOWNSHIP,
                is_key=rng.random() < 0.05,
            )
            plan = {
                "fate": fate,
                "events": [],
                "received": received,
                "unit": None,
                "co": None,
                "replies": [],
                "evals": [],
                "contacts": [],
                "cosigners": [],
            }
            _build(s, plan, rng=rng, rules=rules, today=today, units=units, staff=staff, officers=officers)
            if rng.random() < 0.2 and len(deputies) > 3:
                plan["cosigners"] = rng.sample([d for d in deputies if d.pk != lead.pk], 2)
            items.append(s)
            plans.append(plan)
        # Numbers per year (the year it was received) in order of acceptance.
        last = defaultdict(int)
        for s in sorted((s for s in items if s.accepted_at), key=lambda s: s.accepted_at):
            s.year = timezone.localtime(s.submitted_at).year
            last[s.year] += 1
            s.seq, s.number = last[s.year], f"{s.year}-{last[s.year]:03d}"
        Suggestion.objects.bulk_create(items)
        for year, value in last.items():
            SuggestionCounter.objects.update_or_create(township=township, year=year, defaults={"last": value})
        events, replies, evals, contacts, cos, cosigners = [], [], [], [], [], []
        for s, plan in zip(items, plans, strict=True):
            for action, frm, to, when, actor, comment, recorded in plan["events"]:
                events.append(
                    SuggestionEvent(
                        suggestion=s,
                        action=action,
                        from_status=frm,
                        to_status=to,
                        created_at=when,
                        actor=actor,
                        comment=comment,
                        **recorded,
                    )
                )
            for r in plan["replies"]:
                replies.append(SuggestionReply(suggestion=s, **r))
            for e in plan["evals"]:
                evals.append(SuggestionEvaluation(suggestion=s, **e))
            for c in plan["contacts"]:
                contacts.append(ContactRecord(suggestion=s, **c))
            if plan["co"] is not None:
                cos.append(
                    CoUnit(
                        suggestion=s,
                        unit=plan["co"],
                        input_text="已配合主办单位实地查看，提出协办意见。" if s.replied_at else "",
                        input_at=s.replied_at,
                    )
                )
            for d in plan["cosigners"]:
                cosigners.append(
                    CoSigner(
                        suggestion=s, deputy=d, state=CoSigner.State.CONFIRMED, responded_at=s.created_at
                    )
                )
        SuggestionEvent.objects.bulk_create(events, batch_size=2000)
        SuggestionReply.objects.bulk_create(replies, batch_size=1000)
        SuggestionEvaluation.objects.bulk_create(evals, batch_size=1000)
        ContactRecord.objects.bulk_create(contacts, batch_size=1000)
        CoUnit.objects.bulk_create(cos, batch_size=1000)
        CoSigner.objects.bulk_create(cosigners, batch_size=1000, ignore_conflicts=True)
    ctx["suggestions_ready"] = True


# Steps that belong to the deputy or to the unit, and the channel the office records them from.
DEPUTY_STEPS = {"withdraw", "rate_satisfied", "rate_basic", "rate_unsatisfied", "rate_unsatisfied_final"}
UNIT_STEPS = {
    "sign": "phone",
    "return": "paper",
    "contact": "phone",
    "request_extension": "paper",
    "reply": "paper",
}


def _build(s, plan, *, rng, rules, today, units, staff, officers):
    """Walk the item through the workflow up to its fate, recording events and due dates."""
    fate, received = plan["fate"], plan["received"]
    ev = plan["events"]
    lead_user = s.lead_deputy.user if s.lead_deputy and s.lead_deputy.user_id else None

    def step(action, to, day, actor, comment=""):
        recorded = {}
        if actor is None and staff is not None:
            # A deputy or unit without a login: the office recorded the step for them (代录).
            if action in DEPUTY_STEPS and s.lead_deputy is not None:
                recorded = {"on_behalf_deputy": s.lead_deputy, "channel": "phone"}
            elif action in UNIT_STEPS and s.lead_unit is not None:
                recorded = {"on_behalf_unit": s.lead_unit, "channel": UNIT_STEPS[action]}
            actor = staff if recorded else None
        ev.append((action, s.status, to, _at(min(day, today), 11), actor, comment, recorded))
        s.status = to

    s.status = Status.DRAFT
    ev.append(("create", Status.DRAFT, Status.DRAFT, _at(received, 9), lead_user or staff, "", {}))
    if fate == "draft":
        return
    step("submit", Status.SUBMITTED, received, lead_user or staff)
    s.submitted_at = _at(received, 9)
    set_due(s, "assign_due", rules=rules, stage=None if s.during_session else "assign", start=received)
    s.due_date = s.assign_due
    if fate == "submitted":
        return
    day = min(received + dt.timedelta(days=rng.randint(1, 4)), today)
    if fate == "not_accepted":
        s.not_accepted_reason = rng.choice(rules.not_accepted_reasons[:4])
        step("not_accept", Status.NOT_ACCEPTED, day, staff)
        s.closed_at, s.due_date = _at(day, 11), None
        return
    if fate == "withdrawn":
        step("withdraw", Status.WITHDRAWN, day, lead_user or staff, "问题已自行协调解决")
        s.closed_at, s.due_date = _at(day, 11), None
        return
    if fate == "merged":
        step("merge", Status.MERGED, day, staff, "与同类建议合并办理")
        s.closed_at, s.due_date = _at(day, 11), None
        return
    step("accept", Status.ACCEPTED, day, staff)
    s.accepted_at = _at(day, 11)
    if fate == "accepted":
        return
    day = min(day + dt.timedelta(days=rng.randint(1, 5)), today)
    unit = _unit_by_name(units, CATEGORY_UNIT[s.category])
    co = _unit_by_name(units, CO_UNIT[s.category]) if s.category in CO_UNIT and rng.random() < 0.5 else None
    if co is not None and co.pk == unit.pk:
        co = None
    s.lead_unit, s.responsible_leader = unit, unit.responsible_leader or "分管副镇长"
    s.assigned_at = _at(day, 11)
    set_due(s, "return_due", rules=rules, stage="return", start=day)
    set_due(s, "reply_due", rules=rules, stage="reply", start=day)
    s.due_date = s.reply_due
    plan["co"] = co
    if co is not None:
        set_due(s, "co_input_due", rules=rules, stage="co_input", start=day)
    step("assign", Status.ASSIGNED, day, staff)
    officer = officers.get(unit.pk)
    if fate == "returned":
        step(
            "return", Status.RETURNED, min(day + dt.timedelta(days=2), today), officer, "不属于本单位职责范围"
        )
        s.lead_unit, plan["co"] = None, None
        for f in ("reply_due", "return_due", "co_input_due"):
            set_due(s, f, rules=rules, stage=None, start=None)
        set_due(s, "assign_due", rules=rules, stage="assign", start=min(day + dt.timedelta(days=2), today))
        s.due_date = s.assign_due
        return
    if fate == "assigned":
        return
    day = min(day + dt.timedelta(days=rng.randint(1, 3)), today)
    step("sign", Status.SIGNED, day, officer)
    s.signed_at = _at(day, 11)
    if fate in ("signed", "overdue_signed"):
        if fate == "overdue_signed" and rng.random() < 0.5:
            s.extension_status, s.extension_until = (
                ExtensionStatus.REFUSED,
                s.reply_due + dt.timedelta(days=45),
            )
            s.extension_reason = "工程量大，需协调资金"
            step("request_extension", Status.SIGNED, day + dt.timedelta(days=20), officer, s.extension_reason)
            step("refuse_extension", Status.SIGNED, day + dt.timedelta(days=22), staff)
        return
    _reply(s, plan, rng=rng, day=day, officer=officer, step=step, round_=1, today=today)
    rdate = timezone.localtime(s.replied_at).date()
    if fate == "replied":
        return
    eval_day = min(rdate + dt.timedelta(days=rng.randint(2, 10)), today)
    if fate in ("rehandling", "rehandled_closed"):
        plan["evals"].append(
            {
                "round": 1,
                "rating": "unsatisfied",
                "comment": "问题没有根本解决",
                "created_by": lead_user,
                "created_at": _at(eval_day, 15),
            }
        )
        s.rating = s.first_rating = "unsatisfied"
        step("rate_unsatisfied", Status.REHANDLING, eval_day, lead_user, "问题没有根本解决")
        s.round = 2
        set_due(s, "reply_due", rules=rules, stage="rehandle", start=eval_day)
        s.due_date = s.reply_due
        if fate == "rehandling":
            return
        _reply(s, plan, rng=rng, day=eval_day, officer=officer, step=step, round_=2, today=today)
        eval_day = min(timezone.localtime(s.replied_at).date() + dt.timedelta(days=3), today)
    rating = rng.choices(["satisfied", "basic", "unsatisfied"], weights=[7, 2, 1])[0]
    if s.round == 1 and rating == "unsatisfied":
        rating = "basic"
    plan["evals"].append(
        {
            "round": s.round,
            "rating": rating,
            "comment": "",
            "created_by": lead_user,
            "created_at": _at(eval_day, 15),
        }
    )
    s.rating = rating
    if s.round == 1:
        s.first_rating = rating
    action = {"satisfied": "rate_satisfied", "basic": "rate_basic"}.get(rating, "rate_unsatisfied_final")
    step(action, Status.CLOSED, eval_day, lead_user)
    s.closed_at, s.due_date = _at(eval_day, 15), None
    if s.outcome_class == "B" and rng.random() < 0.4:
        s.planned_done_at = _at(min(eval_day + dt.timedelta(days=rng.randint(60, 200)), today), 10)
        step(
            "planned_done",
            Status.CLOSED,
            timezone.localtime(s.planned_done_at).date(),
            staff,
            "计划事项已完成",
        )


def _reply(s, plan, *, rng, day, officer, step, round_, today):
    due = s.reply_due
    span = max((due - day).days, 5)
    late = rng.random() < 0.1
    reply_day = min(
        day + dt.timedelta(days=rng.randint(span + 3, span + 25) if late else rng.randint(10, span)), today
    )
    contact_day = max(day, reply_day - dt.timedelta(days=rng.randint(1, 7)))
    plan["contacts"].append(
        {
            "round": round_,
            "unit": s.lead_unit,
            "contacted_on": contact_day,
            "method": rng.choice(["phone", "visit", "meeting", "site"]),
            "summary": "与代表沟通办理思路和进度，代表表示理解。",
            "created_by": officer,
        }
    )
    step("contact", s.status, contact_day, officer, "与代表沟通办理思路和进度")
    outcome = rng.choices(["A", "B", "C"], weights=[6, 3, 1])[0]
    plan["replies"].append(
        {
            "round": round_,
            "unit": s.lead_unit,
            "outcome_class": outcome,
            "text": REPLIES[outcome],
            "replied_at": _at(reply_day, 16),
            "due": due,
            "created_by": officer,
        }
    )
    step("reply", Status.REPLIED, reply_day, officer, REPLIES[outcome])
    s.outcome_class, s.replied_at, s.due_date = outcome, _at(reply_day, 16), None
    if round_ == 1:
        s.replied_on_time = reply_day <= due
