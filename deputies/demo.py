"""Demo deputies: per township 40–80 deputies with a realistic composition, districts (with a
vacancy or two), groups, stations with the "six haves", and a year of voter contacts, reception
days with visitors and opinions, trainings, activities and duty reports. A few deputies are left
without any record so the dormant list is not empty.

Puts ``ctx["deputies"] = {township_id: [serving Deputy, …]}`` and ``ctx["stations"] =
{township_id: [Station, …]}`` for later apps."""

import datetime as dt

from presidium.models import Role, User

from .models import (
    Activity,
    Deputy,
    DeputyGroup,
    DeputyStatusChange,
    DutyReport,
    ElectoralDistrict,
    ReceptionDay,
    Station,
    Term,
    Training,
    VoterContact,
    VoterOpinion,
    VoterOpinionEvent,
)

ORDER = 10
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN_M = [
    "建华",
    "志明",
    "海涛",
    "国强",
    "永红",
    "德胜",
    "小军",
    "文斌",
    "立新",
    "建平",
    "家乐",
    "明辉",
    "春生",
    "长林",
    "水根",
    "金龙",
    "宏伟",
    "振华",
    "世平",
    "冬生",
]
GIVEN_F = ["秀兰", "桂英", "丽华", "春梅", "金凤", "玉兰", "红霞", "淑芬", "晓燕", "美玲", "小芳", "翠萍"]
VILLAGES = [
    "东岭村",
    "西坑村",
    "南塘村",
    "北山村",
    "石门村",
    "樟树村",
    "新田村",
    "上湾村",
    "下洲村",
    "枫林村",
    "桥头村",
    "社区居委会",
]
OCCUPATIONS = (
    ["farmer"] * 34
    + ["village_cadre"] * 20
    + ["cadre"] * 14
    + ["worker"] * 8
    + ["business"] * 10
    + ["professional"] * 7
    + ["intellectual"] * 7
)
WORKPLACE = {
    "farmer": "{v}村民",
    "village_cadre": "{v}党支部书记",
    "cadre": "镇政府干部",
    "worker": "县工业园区职工",
    "business": "{v}种养合作社负责人",
    "professional": "镇卫生院医生",
    "intellectual": "镇中心学校教师",
}
ISSUES = [
    "村里通组道路坑洼不平，雨天出行困难，希望硬化",
    "灌溉渠道年久失修，漏水严重",
    "希望增设路灯，晚上出行不安全",
    "村小学门口车辆多，建议设置减速带",
    "农村饮水水压不足，高处农户经常停水",
    "希望加强垃圾收运，垃圾池清理不及时",
    "医保缴费方式复杂，老年人不会操作手机",
    "村里广播喇叭坏了很久，希望修复",
    "桥梁护栏损坏，存在安全隐患",
    "希望帮助联系农产品销路",
    "低保评定希望更加公开透明",
    "河道淤积，汛期担心内涝",
]
TRAININGS = [
    "学习《代表法》和代表履职知识",
    "乡镇人大工作条例解读",
    "代表建议的撰写与提出",
    "预算审查监督基础知识",
    "乡村振兴政策专题培训",
    "接待选民和联系群众的方法",
    "执法检查实务",
    "民法典宣讲",
]
ACTIVITIES = [
    ("group_activity", "代表小组集中活动：讨论村级道路维护"),
    ("inspection", "参加人居环境整治视察"),
    ("inspection", "参加食品安全执法检查"),
    ("voter_forum", "召开选民座谈会听取意见"),
    ("practical_deed", "协调修复村组道路"),
    ("needy_household", "走访慰问困难户"),
    ("dispute_mediation", "调解邻里宅基地纠纷"),
    ("practical_deed", "帮助村民销售农产品"),
]


def _name(rng, female):
    return rng.choice(SURNAMES) + rng.choice(GIVEN_F if female else GIVEN_M)


def _days_ago(today, rng, low=1, high=360):
    return today - dt.timedelta(days=rng.randint(low, high))


def seed(ctx):
    rng = ctx["rng"]
    today = ctx["today"]
    ctx["deputies"], ctx["stations"] = {}, {}
    staff = {u.township_id: u for u in ctx["users"].values() if u.role == Role.STAFF and u.township_id}
    for t_index, township in enumerate(ctx["townships"], start=1):
        actor = staff.get(township.pk)
        term = Term.objects.create(
            township=township, number=10, start_date=dt.date(2021, 12, 28), end_date=dt.date(2026, 12, 27)
        )
        size = rng.randint(48, 72)
        n_districts = rng.randint(10, 14)
        seats = [size // n_districts + (1 if i < size % n_districts else 0) for i in range(n_districts)]
        districts = [
            ElectoralDistrict.objects.create(
                township=township, name=f"第{i}选区（{VILLAGES[(i - 1) % 12]}）", seats=seats[i - 1]
            )
            for i in range(1, n_districts + 1)
        ]
        n_groups = rng.randint(4, 6)
        groups = [
            DeputyGroup.objects.create(
                township=township,
                name=f"第{i}代表小组",
                area="、".join(VILLAGES[(i - 1) * 2 : (i - 1) * 2 + 2]),
            )
            for i in range(1, n_groups + 1)
        ]
        deputies = []
        i = 0
        for d_index, district in enumerate(districts):
            for _seat in range(district.seats):
                i += 1
                female = rng.random() < 0.27
                occupation = rng.choice(OCCUPATIONS)
                village = VILLAGES[d_index % len(VILLAGES)]
                deputies.append(
                    Deputy(
                        township=township,
                        term=term,
                        name=_name(rng, female),
                        gender="F" if female else "M",
                        ethnicity="汉族" if rng.random() > 0.05 else rng.choice(["畲族", "回族", "苗族"]),
                        birth_date=dt.date(rng.randint(1962, 1994), rng.randint(1, 12), rng.randint(1, 28)),
                        party="cpc"
                        if rng.random() < 0.62
                        else rng.choice(["masses", "masses", "democratic"]),
                        education=rng.choice(
                            ["junior", "senior", "senior", "college", "bachelor", "bachelor"]
                        ),
                        occupation=occupation,
                        district=district,
                        group=groups[d_index % len(groups)],
                        certificate_no=f"{township.code}-{i:03d}",
                        phone=f"13{t_index}{i:08d}"[:11],
                        workplace=WORKPLACE[occupation].format(v=village),
                        is_reelected=rng.random() < 0.4,
                        status=Deputy.Status.SERVING,
                        status_since=term.start_date,
                    )
                )
        # Two county deputies organised in the township (not counted against district seats).
        for _n in range(2):
            i += 1
            deputies.append(
                Deputy(
                    township=township,
                    term=term,
                    name=_name(rng, False),
                    gender="M",
                    party="cpc",
                    education="bachelor",
                    occupation="cadre",
                    level=Deputy.Level.COUNTY,
                    district=districts[0],
                    group=groups[0],
                    certificate_no=f"{township.code}-X{i:03d}",
                    phone=f"13{t_index}{i:08d}"[:11],
                    workplace="县直单位",
                    status_since=term.start_date,
                )
            )
        for d in deputies:
            d.fill_pinyin()
        Deputy.objects.bulk_create(deputies)
        deputies = list(Deputy.objects.filter(township=township).order_by("pk"))
        DeputyStatusChange.objects.bulk_create(
            [
                DeputyStatusChange(
                    township=township,
                    deputy=d,
                    to_status=Deputy.Status.SERVING,
                    effective_date=term.start_date,
                    document_ref="第十届人大代表选举结果公告",
                    actor=actor,
                )
                for d in deputies
            ]
        )
        for group in groups:
            members = [d for d in deputies if d.group_id == group.pk]
            group.leader = members[0] if members else None
            group.save(update_fields=["leader"])

        # Leavers: one moved away, one resigned — their districts now have a vacancy.
        for leaver, status, doc in (
            (deputies[5], Deputy.Status.MOVED, "迁出本行政区域，代表资格终止"),
            (deputies[17], Deputy.Status.RESIGNED, "镇人民代表大会表决接受辞职"),
        ):
            leaver.status, leaver.status_since = status, today - dt.timedelta(days=rng.randint(60, 200))
            leaver.save(update_fields=["status", "status_since"])
            DeputyStatusChange.objects.create(
                township=township,
                deputy=leaver,
                from_status=Deputy.Status.SERVING,
                to_status=status,
                effective_date=leaver.status_since,
                document_ref=doc,
                actor=actor,
            )
        serving = [d for d in deputies if d.status == Deputy.Status.SERVING]

        # The first deputy of each township has a login (phone number as username).
        first = deputies[0]
        user = User(
            username=f"deputy{t_index}",
            role=Role.DEPUTY,
            full_name=first.name,
            phone=first.phone,
            township=township,
        )
        user.set_password(ctx["password"])
        user.save()
        first.user = user
        first.save(update_fields=["user"])
        ctx["users"][user.username] = user

        # A few deputies never do anything: the dormant list.
        dormant = {d.pk for d in rng.sample(serving[1:], 3)}
        active = [d for d in serving if d.pk not in dormant]

        # Stations: one deputies' home and a liaison station per group area, plus a contact point.
        stations = [
            Station(
                township=township,
                kind=Station.Kind.HOME,
                name=f"{township.name}人大代表之家",
                address=f"{township.name}政府大院",
                reception_day_of_month=10,
                **{name: True for name, _l in Station.SIX_HAVES},
            )
        ]
        for g_index, _group in enumerate(groups):
            stations.append(
                Station(
                    township=township,
                    kind=Station.Kind.STATION,
                    name=f"{VILLAGES[g_index * 2]}代表联络站",
                    address=f"{VILLAGES[g_index * 2]}党群服务中心",
                    reception_day_of_month=20,
                    **{name: rng.random() < 0.8 for name, _l in Station.SIX_HAVES},
                )
            )
        stations.append(
            Station(
                township=township,
                kind=Station.Kind.POINT,
                name=f"{VILLAGES[11]}代表联系点",
                address=VILLAGES[11],
                has_place=True,
                has_sign=True,
            )
        )
        for s in stations:
            s.save()
        for s_index, s in enumerate(stations):
            if s.kind == Station.Kind.HOME:
                s.deputies.set(active[:6])
            elif s.kind == Station.Kind.STATION:
                s.deputies.set([d for d in active if d.group_id == groups[s_index - 1].pk])
            else:
                s.deputies.set(active[-3:])
        ctx["stations"][township.pk] = stations

        # A year of voter contacts (each deputy keeps 3–5 fixed voter contacts and visits them).
        contacts = []
        for d in active:
            for _n in range(rng.randint(4, 16)):
                contacts.append(
                    VoterContact(
                        township=township,
                        deputy=d,
                        voter_name=_name(rng, rng.random() < 0.5),
                        date=_days_ago(today, rng),
                        way=rng.choice(["visit", "visit", "visit", "phone", "online", "forum"]),
                        content=rng.choice(ISSUES),
                        created_by=actor,
                    )
                )
        VoterContact.objects.bulk_create(contacts)

        # Reception days: each station once a month for the past year (held) and next month (planned).
        units = ctx["units"][township.pk]
        opinions = []
        duty_links = []
        through = ReceptionDay.deputies.through
        for s in stations[:-1]:
            station_deputies = [d for d in active if d in set(s.deputies.all())] or active[:3]
            for months_back in range(11, -2, -1):
                year, month = today.year, today.month - months_back
                while month < 1:
                    year, month = year - 1, month + 12
                while month > 12:
                    year, month = year + 1, month - 12
                date = dt.date(year, month, s.reception_day_of_month or 15)
                status = ReceptionDay.Status.HELD if date <= today else ReceptionDay.Status.PLANNED
                day = ReceptionDay.objects.create(
                    township=township,
                    station=s,
                    date=date,
                    status=status,
                    announced_on=date - dt.timedelta(days=rng.randint(3, 5)),
                )
                for d in rng.sample(station_deputies, min(3, len(station_deputies))):
                    duty_links.append(through(receptionday=day, deputy=d))
                if status == ReceptionDay.Status.HELD:
                    for _v in range(rng.randint(0, 4)):
                        opinions.append(
                            VoterOpinion(
                                township=township,
                                source=VoterOpinion.Source.RECEPTION,
                                station=s,
                                reception_day=day,
                                voter_name=_name(rng, rng.random() < 0.5),
                                content=rng.choice(ISSUES),
                                received_on=date,
                                status=VoterOpinion.Status.OPEN,
                            )
                        )
        through.objects.bulk_create(duty_links)
        for s in stations[1:3]:
            for _m in range(rng.randint(1, 3)):
                opinions.append(
                    VoterOpinion(
                        township=township,
                        source=VoterOpinion.Source.QR,
                        station=s,
                        content=rng.choice(ISSUES),
                        received_on=_days_ago(today, rng, 1, 60),
                    )
                )
        VoterOpinion.objects.bulk_create(opinions)
        opinions = list(VoterOpinion.objects.filter(township=township).order_by("received_on", "pk"))
        events = []
        for o in opinions:
            events.append(
                VoterOpinionEvent(
                    opinion=o,
                    actor=actor if o.source == "reception" else None,
                    action="register",
                    to_status="open",
                )
            )
        # Older opinions have been handled: forwarded to a unit, some answered, some closed by the office.
        for o in opinions[: int(len(opinions) * 0.7)]:
            roll = rng.random()
            if roll < 0.5:
                o.unit = rng.choice(units)
                o.status = VoterOpinion.Status.FORWARDED
                events.append(
                    VoterOpinionEvent(
                        opinion=o,
                        actor=actor,
                        action="forward",
                        from_status="open",
                        to_status="forwarded",
                        extra={"unit": o.unit.name},
                    )
                )
                if rng.random() < 0.6:
                    o.status = VoterOpinion.Status.CLOSED
                    o.result = "已现场查看并安排整改，已电话告知选民。"
                    events.append(
                        VoterOpinionEvent(
                            opinion=o,
                            actor=None,
                            action="reply",
                            from_status="forwarded",
                            to_status="closed",
                            comment=o.result,
                        )
                    )
            else:
                o.status = VoterOpinion.Status.CLOSED
                o.result = "已当场解释政策，选民表示理解。"
                events.append(
                    VoterOpinionEvent(
                        opinion=o,
                        actor=actor,
                        action="close",
                        from_status="open",
                        to_status="closed",
                        comment=o.result,
                    )
                )
        VoterOpinion.objects.bulk_update(opinions, ["unit", "status", "result"])
        VoterOpinionEvent.objects.bulk_create(events)

        # Trainings (with attendees) and activities.
        t_links = []
        for topic in rng.sample(TRAININGS, rng.randint(5, 8)):
            training = Training.objects.create(
                township=township,
                topic=topic,
                date=_days_ago(today, rng, 5, 350),
                hours=rng.choice([2, 3, 4, 6]),
                created_by=actor,
            )
            for d in rng.sample(active, int(len(active) * rng.uniform(0.6, 0.95))):
                t_links.append(Training.attendees.through(training=training, deputy=d))
        Training.attendees.through.objects.bulk_create(t_links)
        a_links = []
        for _n in range(rng.randint(25, 40)):
            kind, title = rng.choice(ACTIVITIES)
            group = rng.choice(groups)
            activity = Activity.objects.create(
                township=township,
                kind=kind,
                title=title,
                date=_days_ago(today, rng, 3, 350),
                group=group,
                created_by=actor,
            )
            pool = [d for d in active if d.group_id == group.pk] or active
            for d in rng.sample(pool, min(len(pool), rng.randint(1, 5))):
                a_links.append(Activity.deputies.through(activity=activity, deputy=d))
        Activity.deputies.through.objects.bulk_create(a_links)
        # Every active deputy of the first group did the full "six ones" (commendation candidates).
        for kind, title in (
            ("voter_forum", "组织选民座谈会"),
            ("practical_deed", "为民办实事"),
            ("needy_household", "结对帮扶困难户"),
            ("dispute_mediation", "调解矛盾纠纷"),
        ):
            activity = Activity.objects.create(
                township=township,
                kind=kind,
                title=title,
                group=groups[0],
                date=_days_ago(today, rng, 10, 200),
                created_by=actor,
            )
            activity.deputies.set([d for d in active if d.group_id == groups[0].pk][:6])

        reports = []
        for d in rng.sample(active, len(active) // 3):
            present = rng.randint(25, 80)
            satisfied = rng.randint(int(present * 0.6), present)
            basically = rng.randint(0, present - satisfied)
            reports.append(
                DutyReport(
                    township=township,
                    deputy=d,
                    date=_days_ago(today, rng, 10, 330),
                    form=rng.choice(["oral", "oral", "written"]),
                    voters_present=present,
                    satisfied=satisfied,
                    basically_satisfied=basically,
                    unsatisfied=present - satisfied - basically,
                    summary="向选区选民报告一年来参加人代会、联系选民、提出建议等履职情况。",
                    created_by=actor,
                )
            )
        DutyReport.objects.bulk_create(reports)
        ctx["deputies"][township.pk] = serving
        _convert_some_opinions(township, actor)


def _convert_some_opinions(township, actor):
    """Two open voter opinions become suggestions (the link is kept both ways)."""
    from .services import voter_opinion_act

    for opinion in VoterOpinion.objects.filter(township=township, status=VoterOpinion.Status.OPEN).order_by(
        "pk"
    )[:2]:
        station_deputies = (
            list(opinion.station.deputies.filter(status="serving")) if opinion.station_id else []
        )
        lead = station_deputies[0] if station_deputies else township_serving_deputy(township)
        voter_opinion_act(
            opinion=opinion,
            action="convert",
            actor=actor,
            expected_status=opinion.status,
            category="道路建设",
            lead_deputy=lead,
        )


def township_serving_deputy(township):
    return Deputy.objects.filter(township=township, status=Deputy.Status.SERVING).order_by("pk").first()
