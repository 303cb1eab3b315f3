"""Chapter content read from each owning app's list selectors (tables, breakdowns, charts). Every
function here reads through the app's own selectors with the reader's visibility; none counts a
domain figure itself. A function whose app does not (yet) offer the selector leaves its chapter as
the generic figures."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from congress import selectors as congress_selectors
from deputies import selectors as deputies_selectors
from livelihood import selectors as livelihood_selectors
from presidium.numerals import cn_number
from suggestions import selectors as suggestions_selectors
from supervision import selectors as supervision_selectors

from . import charts, prose
from .content import Chart, Table, fmt
from .selectors import year_range

# Activities whose topics the report names as the year's key supervised items.
KEY_SUPERVISION_KINDS = ("law_enforcement", "inspection", "research", "special_report", "special_oversight")


def _targets_qs():
    from supervision.models import AppraisalTarget

    return AppraisalTarget.objects.select_related("unit").order_by("pk")


def _d(value):
    return value.strftime("%Y-%m-%d") if value else ""


def sessions(*, township, year, chapters, figures, user):
    chapter = chapters.get("sessions")
    if chapter is None or chapter.pending:
        return
    start, end = year_range(year)
    held = list(
        congress_selectors.sessions_visible_to(user)
        .filter(township=township, start_date__gte=start, start_date__lte=end)
        .order_by("start_date", "pk")
    )
    names = [prose.session_name(s.term.number, s.number) for s in held]
    rows = [
        [
            name,
            s.get_kind_display(),
            _d(s.start_date),
            s.place,
            s.get_status_display(),
        ]
        for name, s in zip(names, held, strict=True)
    ]
    done = [name for name, s in zip(names, held, strict=True) if s.status in ("in_session", "closed")]
    chapter.after_first.append(prose.session_list_sentence(done))
    elections = (
        congress_selectors.elections_visible_to(user)
        .filter(
            session__township=township,
            session__start_date__gte=start,
            session__start_date__lte=end,
            held_at__isnull=False,
        )
        .prefetch_related("candidates")
        .order_by("session__start_date", "pk")
    )
    for e in elections:
        chapter.facts.append(
            prose.election_sentence(
                prose.ElectionFact(
                    session=prose.session_name(e.session.term.number, e.session.number),
                    kind=_("依法补选") if e.kind == "by_election" else _("依法选举"),
                    position=prose.position_name(e.get_position_display(), township.name),
                    elected=[(c.name, c.votes) for c in e.candidates.all() if c.elected],
                    total_deputies=e.total_deputies,
                )
            )
        )
    chapter.tables.append(
        Table(
            _("%(y)s年召开的人民代表大会") % {"y": year},
            [_("会议"), _("类型"), _("开幕日期"), _("地点"), _("状态")],
            rows,
        )
    )
    items = (
        congress_selectors.agenda_items_visible_to(user)
        .filter(session__township=township, session__start_date__gte=start, session__start_date__lte=end)
        .order_by("session__start_date", "order", "pk")
    )
    item_rows = [
        [_("第%(n)s次会议") % {"n": cn_number(i.session.number)}, i.get_kind_display(), i.title]
        for i in items
    ]
    chapter.tables.append(
        Table(_("大会听取审议和决定的事项"), [_("会议"), _("议程类型"), _("议题")], item_rows)
    )


def presidium_meetings(*, township, year, chapters, figures, user):
    chapter = chapters.get("presidium_meetings")
    if chapter is None or chapter.pending:
        return
    meetings = (
        congress_selectors.meeting_list(user, year=year)
        .filter(township=township)
        .order_by("date", "pk")
        .prefetch_related("topics")
    )
    rows = []
    held_topics = 0
    for m in meetings:
        topics = [t.title for t in m.topics.all()]
        if m.status == "held":
            held_topics += len(topics)
        rows.append([_d(m.date), m.place, m.get_status_display(), "；".join(topics)])
    chapter.extra_values.setdefault("congress", {})["presidium_topics"] = held_topics
    chapter.tables.append(
        Table(_("%(y)s年主席团会议及议题") % {"y": year}, [_("日期"), _("地点"), _("状态"), _("议题")], rows)
    )


def supervision(*, township, year, chapters, figures, user):
    chapter = chapters.get("supervision")
    if chapter is None or chapter.pending:
        return
    acts = list(
        supervision_selectors.activity_list(user, year=year)
        .filter(township=township)
        .order_by("start_date", "pk")
    )
    chapter.facts.append(prose.topics_sentence([a.topic for a in acts if a.kind in KEY_SUPERVISION_KINDS]))
    rows = [
        [
            _d(a.start_date),
            a.get_kind_display(),
            a.topic,
            a.participant_count,
            a.problems,
            a.opinions,
            a.forwarded,
        ]
        for a in acts
    ]
    chapter.tables.append(
        Table(
            _("%(y)s年监督活动一览") % {"y": year},
            [_("日期"), _("类型"), _("主题"), _("参加代表"), _("发现问题"), _("意见建议"), _("转交")],
            rows,
        )
    )
    appraisals = (
        supervision_selectors.appraisals_visible_to(user)
        .filter(township=township, activity__start_date__year=year)
        .select_related("activity")
        .prefetch_related(Prefetch("targets", queryset=_targets_qs()), "voters")
        .order_by("activity__start_date", "pk")
    )
    score_rows = []
    for appraisal in appraisals:
        results = supervision_selectors.appraisal_results(appraisal, targets=appraisal.targets.all())
        most, least = results["most"], results["least"]
        chapter.facts.append(
            prose.appraisal_sentence(
                prose.AppraisalFact(
                    topic=appraisal.activity.topic,
                    targets=len(results["targets"]),
                    overall_rate=results["totals"]["rate"],
                    most=(most.label, most.satisfaction_rate) if most else None,
                    least=(least.label, least.satisfaction_rate) if least else None,
                )
            )
        )
        for t in results["targets"]:
            score_rows.append(
                [
                    appraisal.activity.topic,
                    t.label,
                    t.satisfied,
                    t.basic,
                    t.unsatisfied,
                    fmt("x_rate", t.satisfaction_rate) if t.total else "—",
                ]
            )
    if score_rows:
        chapter.tables.append(
            Table(
                _("民主测评结果"),
                [_("评议活动"), _("测评对象"), _("满意"), _("基本满意"), _("不满意"), _("满意率")],
                score_rows,
            )
        )


def suggestions(*, township, year, chapters, figures, user):
    chapter = chapters.get("suggestions")
    if chapter is None or chapter.pending:
        return
    start, end = year_range(year)
    by_category = suggestions_selectors.stats_breakdown(
        township=township, start=start, end=end, by="category"
    )
    if by_category:
        chapter.charts.insert(
            0,
            Chart(
                _("代表建议按类别统计（件）"),
                charts.bar(
                    [r["key"] for r in by_category],
                    [r["received"] for r in by_category],
                    title=_("按类别统计"),
                ),
            ),
        )
        chapter.tables.append(
            Table(
                _("代表建议分类办理情况"),
                [
                    _("类别"),
                    _("收到"),
                    _("已答复"),
                    _("已解决(A)"),
                    _("列入计划(B)"),
                    _("办结率"),
                    _("解决率"),
                    _("满意率"),
                ],
                [
                    [
                        r["key"],
                        r["received"],
                        r["replied"],
                        r["resolved"],
                        r["planned"],
                        fmt("x_rate", r["completion_rate"]),
                        fmt("x_rate", r["resolution_rate"]),
                        fmt("x_rate", r["satisfaction_rate"]),
                    ]
                    for r in by_category
                ],
            )
        )
    values = figures.get("suggestions", {}).get("values", {})
    parts = [
        (_("已解决(A)"), values.get("resolved", 0)),
        (_("列入计划(B)"), values.get("planned", 0)),
        (_("留作参考(C)"), values.get("reference", 0)),
    ]
    if any(v for _l, v in parts):
        chapter.charts.append(Chart(_("答复结果分类"), charts.pie(parts, title=_("答复结果分类"))))
    by_unit = suggestions_selectors.stats_breakdown(township=township, start=start, end=end, by="unit")
    if by_unit:
        chapter.tables.append(
            Table(
                _("各承办单位办理情况"),
                [_("承办单位"), _("交办"), _("已答复"), _("按期答复率"), _("满意率")],
                [
                    [
                        r["key"],
                        r["assigned"],
                        r["replied"],
                        fmt("x_rate", r["on_time_rate"]),
                        fmt("x_rate", r["satisfaction_rate"]),
                    ]
                    for r in by_unit
                ],
            )
        )
    key_items = (
        suggestions_selectors.suggestions_visible_to(user)
        .select_related("lead_deputy", "lead_unit")
        .filter(township=township, is_key=True)
        .filter(suggestions_selectors.received_in(start, end))
        .order_by("number", "pk")
    )
    rows = [
        [
            s.number,
            s.title,
            s.lead_deputy.name if s.lead_deputy_id else "",
            s.lead_unit.name if s.lead_unit_id else "",
            s.get_status_display(),
        ]
        for s in key_items
    ]
    chapter.facts.append(prose.key_suggestions_sentence([r[1] for r in rows]))
    if rows:
        chapter.tables.append(
            Table(_("重点督办建议"), [_("编号"), _("标题"), _("领衔代表"), _("主办单位"), _("状态")], rows)
        )
    carried = suggestions_selectors.planned_pending(
        suggestions_selectors.suggestions_visible_to(user).filter(township=township), township
    )
    rows = [
        [s.number, s.title, s.lead_unit.name if s.lead_unit_id else ""]
        for s in carried.order_by("number", "pk")[:200]
    ]
    if rows:
        chapter.tables.append(
            Table(_("列入计划、跨年度继续督办的建议"), [_("编号"), _("标题"), _("主办单位")], rows)
        )


def deputies(*, township, year, chapters, figures, user):
    chapter = chapters.get("deputies")
    if chapter is None or chapter.pending:
        return
    groups = deputies_selectors.groups_visible_to(user).filter(township=township).count()
    stations = figures.get("deputies", {}).get("values", {}).get("stations", 0)
    chapter.after_first.append(prose.groups_sentence(groups, stations))
    from .selectors import deeds_visible_to

    start, end = year_range(year)
    deeds = list(
        deeds_visible_to(user)
        .filter(township=township, date__gte=start, date__lte=end)
        .order_by("date", "pk")
        .values_list("deputy__name", "title")
    )
    chapter.facts.append(prose.deeds_sentence(len(deeds), deeds))
    comp = deputies_selectors.composition(township_id=township.pk)
    if comp["total"]:
        first_label, first_rows = comp["dimensions"][0]
        chapter.charts.insert(
            0,
            Chart(
                _("代表结构"),
                charts.pie([(r["label"], r["count"]) for r in first_rows], title=str(first_label)),
            ),
        )
        # One row per dimension, as the seed reports write it ("农民 20 名，占 29.9%；…").
        rows = [
            [
                label,
                "；".join(
                    _("%(l)s %(n)s 名（%(p)s%%）") % {"l": r["label"], "n": r["count"], "p": r["percent"]}
                    for r in dim_rows
                ),
            ]
            for label, dim_rows in comp["dimensions"]
        ]
        rows.append(
            [
                _("重点群体"),
                "；".join(
                    _("%(l)s %(n)s 名（%(p)s%%）") % {"l": h["label"], "n": h["count"], "p": h["percent"]}
                    for h in comp["highlights"]
                ),
            ]
        )
        chapter.tables.append(
            Table(
                _("代表结构（在任代表 %(n)s 名）") % {"n": comp["total"]},
                [_("维度"), _("构成")],
                rows,
                widths=[18, 82],
            )
        )
    from deputies.models import Deputy

    start, end = year_range(year)
    roster = list(
        deputies_selectors.deputies_visible_to(user)
        .filter(township=township, status=Deputy.Status.SERVING)
        .order_by("name_pinyin", "pk")
    )
    rows = deputies_selectors.archive_rows(roster, start=start, end=end, rules=township.rules)
    best = deputies_selectors.commendation_candidates(rows)
    if best:
        chapter.tables.append(
            Table(
                _("履职突出代表（“六个一”全部完成）"),
                [_("姓名"), _("履职积分")],
                [[r["deputy"].name, r["score"]] for r in best],
            )
        )
    dormant = [r for r in rows if r["dormant"]]
    chapter.tables.append(
        Table(
            _("无履职记录代表"),
            [_("姓名"), _("选区")],
            [
                [r["deputy"].name, r["deputy"].district.name if r["deputy"].district_id else ""]
                for r in dormant
            ],
        )
    )


def petitions(*, township, year, chapters, figures, user):
    chapter = chapters.get("petitions")
    if chapter is None or chapter.pending:
        return
    from supervision.models import Petition

    rows = []
    for code, label in Petition.Channel.choices:
        counts = supervision_selectors.petition_counts(
            supervision_selectors.petition_list(user, year=year, channel=code).filter(township=township)
        )
        if counts["received"]:
            rows.append(
                [label, counts["received"], counts["forwarded"], counts["investigated"], counts["closed"]]
            )
    if len(rows) > 1:
        chapter.facts.append(
            _("其中%(parts)s。")
            % {"parts": "、".join(_("%(l)s%(n)s件") % {"l": r[0], "n": r[1]} for r in rows)}
        )
    if rows:
        chapter.tables.append(
            Table(_("来信来访按方式统计"), [_("方式"), _("受理"), _("转办"), _("调查"), _("办结")], rows)
        )


def next_year(*, township, year, chapters, figures, user):
    """What the records already fix for next year: sessions planned, supervision activities
    scheduled (the carried-over suggestions and rectifications are stated by the phrases)."""
    chapter = chapters.get("next_year")
    if chapter is None:
        return
    start, end = year_range(year + 1)
    planned = (
        congress_selectors.sessions_visible_to(user)
        .filter(township=township, start_date__gte=start, start_date__lte=end)
        .exclude(status="cancelled")
        .select_related("term")
        .order_by("start_date", "pk")
    )
    chapter.lead_facts.append(
        prose.next_sessions_sentence(
            [prose.session_name(s.term.number, s.number, township_name=township.name) for s in planned]
        )
    )
    topics = (
        supervision_selectors.activities_visible_to(user)
        .filter(township=township, start_date__gte=start, start_date__lte=end)
        .order_by("start_date", "pk")
        .values_list("topic", flat=True)
    )
    chapter.lead_facts.append(prose.planned_topics_sentence(list(topics)))


def livelihood(*, township, year, chapters, figures, user):
    """The year's livelihood projects: votes, progress, completion and the year-end score."""
    chapter = chapters.get("livelihood")
    if chapter is None or chapter.pending:
        return
    chosen = [
        p
        for p in livelihood_selectors.project_list(user, year=year)
        .filter(township=township)
        .select_related("appraisal_target")
        if p.status in ("chosen", "in_progress", "completed")
    ]
    if not chosen:
        return
    chapter.facts.append(prose.livelihood_projects_sentence([p.title for p in chosen]))
    rows = []
    for p in chosen:
        target = p.appraisal_target
        rate = target.satisfaction_rate if target is not None else None
        rows.append(
            [
                p.title,
                p.unit.name,
                p.votes,
                f"{p.progress}%",
                _d(p.planned_completion),
                _d(p.completed_on),
                fmt("x_rate", rate) if rate is not None else "—",
            ]
        )
    chapter.tables.append(
        Table(
            _("%(y)s年民生实事项目实施情况") % {"y": year},
            [_("项目"), _("责任单位"), _("得票"), _("进度"), _("计划完成"), _("完成日期"), _("满意率")],
            rows,
        )
    )


ENRICHERS = [
    sessions,
    presidium_meetings,
    supervision,
    suggestions,
    deputies,
    petitions,
    livelihood,
    next_year,
]
