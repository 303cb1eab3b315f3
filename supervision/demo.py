"""Demo supervision data: a year of activities of every kind with findings, rectification items in
every state, an appraisal with paper and in-app ballots (plus one still open for voting), letters
and visits. Written through the services so every event and audit row exists."""

import datetime as dt

from deputies.models import Deputy
from presidium.models import Role, User

from . import services
from .models import ActivityKind, CommitmentItem, Finding, Petition

ORDER = 40

ACTIVITIES = [
    (ActivityKind.INSPECTION, "农村公路建设和养护情况视察", ""),
    (ActivityKind.INSPECTION, "持证视察集镇农贸市场", ""),
    (ActivityKind.LAW_ENFORCEMENT, "《中华人民共和国土地管理法》执法检查", "《中华人民共和国土地管理法》"),
    (ActivityKind.LAW_ENFORCEMENT, "食品安全法律法规执法检查", "《中华人民共和国食品安全法》"),
    (ActivityKind.RESEARCH, "村级集体经济发展情况调研", ""),
    (ActivityKind.RESEARCH, "农村饮水安全工程调研", ""),
    (ActivityKind.SPECIAL_REPORT, "听取和审议镇政府关于财政预算执行情况的报告", ""),
    (ActivityKind.SPECIAL_OVERSIGHT, "镇政府年度“十件实事”年中督查", ""),
    (ActivityKind.THREE_ACCOUNTS, "重点站所“三账”监督", ""),
    (ActivityKind.APPRAISAL, "评议镇直站所工作", ""),
]
PROBLEMS = [
    "部分路段路基沉降、排水沟堵塞",
    "养护资金未及时拨付到位",
    "耕地“非农化”问题整改不彻底",
    "个别摊位无健康证明",
    "集体经济项目缺乏长效管理",
    "水源地保护标识缺失",
    "预算调整未按程序报告",
    "实事项目进度滞后",
    "窗口服务态度有待改进",
    "群众反映办事来回跑",
]
OPINIONS = [
    "建议增设路灯和安全警示标志",
    "建议建立农村公路养护长效机制",
    "建议加强土地执法巡查",
    "建议定期公示抽检结果",
    "建议引进适合本地的特色产业",
    "建议对老旧管网进行改造",
    "建议细化预算公开内容",
    "建议按月通报实事进度",
    "建议推行一次性告知制度",
    "建议在村级便民服务点延伸服务",
]
PRACTICAL_THINGS = [
    "新建通组公路 12 公里",
    "改造农村危房 30 户",
    "新建村级幼儿园 1 所",
    "改造集镇供水管网",
    "新增公益性岗位 50 个",
    "建设农产品冷链仓库",
    "实施农村厕所改造 200 户",
    "新建文化广场 2 个",
    "完成河道清淤 8 公里",
    "安装太阳能路灯 300 盏",
]
PETITION_SUBJECTS = [
    "反映村道破损",
    "反映土地承包纠纷",
    "反映低保评定不公",
    "反映噪音扰民",
    "反映饮水困难",
    "反映拖欠农民工工资",
    "反映宅基地审批慢",
    "反映医保报销问题",
    "反映垃圾清运不及时",
    "反映路灯不亮",
]
PEOPLE = ["王大伯", "李阿姨", "张师傅", "", "刘女士", "陈先生", ""]


def seed(ctx):
    rng = ctx["rng"]
    today = ctx["today"]
    for index, township in enumerate(ctx["townships"], start=1):
        staff = ctx["users"].get(f"staff{index}")
        if staff is None:
            continue
        units = ctx["units"][township.pk]
        officers = {u.unit_id: u for u in User.objects.filter(role=Role.UNIT, township=township)}
        deputies = list(Deputy.objects.filter(township=township, status=Deputy.Status.SERVING).order_by("pk"))
        if len(deputies) < 6 or len(units) < 4:
            continue
        _seed_township(
            township, staff, units, officers, deputies, rng, today, scale=1.0 if index == 1 else 0.6
        )


def _day(rng, today, within=330):
    return today - dt.timedelta(days=rng.randint(20, within))


def _seed_township(township, staff, units, officers, deputies, rng, today, scale):
    officer_units = [u for u in units if u.pk in officers]
    for n, (kind, topic, law) in enumerate(ACTIVITIES):
        start = _day(rng, today)
        holder = deputies[0] if topic.startswith("持证") else None
        act = services.activity_create(
            township=township,
            actor=staff,
            kind=kind,
            topic=topic,
            start_date=start,
            end_date=start + dt.timedelta(days=rng.choice([0, 0, 1, 2])),
            law_checked=law,
            certificate_holder=holder,
            plan=f"由主席团组织代表开展{topic}，分组深入现场、走访群众、召开座谈会，形成报告。",
            target_units=rng.sample(units, 2),
            voters_visited=rng.randint(8, 60),
            forums_held=rng.randint(0, 3),
            report=f"{topic}报告：总体进展良好，同时发现一些问题，已提出意见建议并交有关单位整改。",
        )
        if holder is None:
            group = rng.sample(deputies, min(len(deputies), rng.randint(6, 12)))
            half = len(group) // 2
            services.activity_add_participants(
                activity=act, deputies=group[:half], actor=staff, team_name="第一组", leader=group[0]
            )
            services.activity_add_participants(
                activity=act, deputies=group[half:], actor=staff, team_name="第二组", leader=group[half]
            )
        for i in range(max(1, int(rng.randint(1, 3) * scale))):
            services.finding_add(
                activity=act,
                kind=Finding.Kind.OPINION,
                content=OPINIONS[(n + i) % len(OPINIONS)],
                actor=staff,
                forward_to=rng.choice(units) if i % 2 == 0 else None,
            )
        problem = services.finding_add(
            activity=act, kind=Finding.Kind.PROBLEM, content=PROBLEMS[n], actor=staff
        )
        # Rectification items across every state; the ones for units with a login move along.
        unit = officer_units[n % len(officer_units)] if n % 3 else units[(n + 4) % len(units)]
        assigned = start + dt.timedelta(days=3)
        rect = services.rectification_create(
            township=township,
            unit=unit,
            actor=staff,
            finding=problem,
            title=f"整改：{PROBLEMS[n]}",
            requirement="请制定整改方案，明确责任人和完成时限，按期报告整改结果。",
            assigned_on=assigned,
            workdays=rng.choice([15, 20, 30]) if n % 2 else None,
            deadline=None if n % 2 else assigned + dt.timedelta(days=rng.choice([20, 45, 400])),
        )
        officer = officers.get(unit.pk)
        if officer is not None:
            _advance(rect, officer, staff, (0, 1, 2, 0, 3, 4, 0, 3, 1, 0)[n % 10])
        if kind in (ActivityKind.SPECIAL_OVERSIGHT, ActivityKind.THREE_ACCOUNTS):
            _commitments(act, kind, units, staff, rng)
        if kind == ActivityKind.APPRAISAL:
            _appraisal(act, units, deputies, staff, rng)
    # One appraisal still open, so the demo deputy has something to vote on.
    open_act = services.activity_create(
        township=township,
        actor=staff,
        kind=ActivityKind.APPRAISAL,
        topic="评议镇政府民生实事办理情况",
        start_date=today - dt.timedelta(days=2),
        target_units=units[:3],
    )
    services.appraisal_create(
        activity=open_act,
        actor=staff,
        targets=[(u, "", f"{u.name}关于民生实事办理情况的述职报告") for u in units[:3]],
    )
    _petitions(township, staff, units, deputies, rng, today, int(36 * scale))


def _advance(rect, officer, staff, how):
    """0: left assigned; 1: in progress; 2: submitted; 3: verified; 4: reopened."""
    if how == 0:
        return
    services.rectification_transition(
        rectification=rect, action="progress", actor=officer, comment="已制定整改方案，正在组织实施。"
    )
    if how == 1:
        return
    services.rectification_transition(
        rectification=rect, action="complete", actor=officer, comment="问题路段已修复，公示栏已更新，请核实。"
    )
    if how == 2:
        return
    if how == 3:
        services.rectification_transition(
            rectification=rect, action="verify", actor=staff, comment="经现场核实，整改到位。"
        )
        return
    services.rectification_transition(
        rectification=rect, action="reopen", actor=staff, comment="现场查看仍有问题，请继续整改。"
    )


def _commitments(act, kind, units, staff, rng):
    titles = rng.sample(PRACTICAL_THINGS, 5)
    for i, title in enumerate(titles):
        item = services.commitment_add(activity=act, title=title, unit=units[i % len(units)], actor=staff)
        if i < 4:
            services.commitment_check(
                item=item,
                stage=CommitmentItem.Stage.MID_CHECKED,
                result=rng.choice(["on_track", "on_track", "behind"]),
                note="已完成年度任务的一半左右。",
                actor=staff,
            )
        if i < 2:
            services.commitment_check(
                item=item,
                stage=CommitmentItem.Stage.DELIVERED,
                result=rng.choice(["done", "done", "partly"]),
                note="年底交账。",
                actor=staff,
            )


def _appraisal(act, units, deputies, staff, rng):
    targets = [(u, "", f"{u.name}年度工作述职报告") for u in units[:5]]
    appraisal = services.appraisal_create(activity=act, actor=staff, targets=targets, low_score_threshold=80)
    counts = {}
    # One ballot per entitled deputy, on paper or in the app: paper ballots fill what the online
    # voters leave, less a few who did not take part.
    online = sum(1 for d in deputies if d.user_id)
    for i, t in enumerate(appraisal.targets.order_by("pk")):
        paper = max(services.entitled_voters(appraisal) - online - rng.randint(2, 6), 0)
        unsatisfied = min(rng.randint(1, 5) if i else rng.randint(10, 16), paper)  # the first unit scores low
        basic = min(rng.randint(5, 12), paper - unsatisfied)
        counts[t.pk] = (paper - unsatisfied - basic, basic, unsatisfied)
    services.appraisal_enter_paper(appraisal=appraisal, counts=counts, actor=staff)
    for deputy in deputies:
        if deputy.user_id:
            choices = {pk: rng.choice(services.CHOICES) for pk in counts}
            services.appraisal_cast(appraisal=appraisal, deputy=deputy, choices=choices, actor=deputy.user)
    services.appraisal_close(appraisal=appraisal, actor=staff)


def _petitions(township, staff, units, deputies, rng, today, count):
    for i in range(count):
        from_deputy = i % 7 == 0
        p = services.petition_register(
            township=township,
            actor=staff,
            received_on=_day(rng, today, 360),
            channel=rng.choice(Petition.Channel.values),
            subject=PETITION_SUBJECTS[i % len(PETITION_SUBJECTS)],
            content="来信来访人反映的具体情况，请有关单位核实处理并答复。",
            source_kind="deputy" if from_deputy else "citizen",
            deputy=deputies[i % len(deputies)] if from_deputy else None,
            person_name="" if from_deputy else PEOPLE[i % len(PEOPLE)],
        )
        step = i % 6
        if step == 0:
            continue
        if step in (1, 2, 3):
            p = services.petition_transition(
                petition=p, action="forward", unit=rng.choice(units), actor=staff
            )
        if step in (3, 4, 5):
            p = services.petition_transition(petition=p, action="investigate", actor=staff)
        if step in (2, 3, 5):
            services.petition_transition(
                petition=p, action="close", result="经调查核实，已协调解决并答复当事人。", actor=staff
            )
