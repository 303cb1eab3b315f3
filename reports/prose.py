"""Every sentence the annual work report generates from the records, in one place.

A sentence is built from phrases, each tied to the one figure it states (``Phrase.app`` and
``Phrase.key`` name the app's ``township_stats`` key) and carrying its own measure word
("召开主席团会议{n}次", "收到代表建议{n}件", "接待选民{n}人次"). A phrase whose figure is zero is left
out, or said naturally when it has a ``zero`` wording; a sentence with nothing to say is left out
(or says its ``empty`` wording). Rates print as "95.5%". Named facts (who was elected, the most and
least satisfied unit, key supervised items, groups and stations) are written by the functions at
the end of this module from records the report's enrichers read through the owning apps' selectors.

The narrative check (:func:`stale_figures`) reads the same phrases backwards: a figure typed in
the staff's saved text in one of these forms that no longer equals the record is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presidium.numerals import cn_number

# --- numbers ------------------------------------------------------------------------------------


def rate(value) -> str:
    """A percentage as reports write it: "95.5%", "100%"."""
    text = f"{float(value):.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return f"{text}%"


def session_name(term_number, session_number, *, township_name: str = "") -> str:
    """第十届人民代表大会第二次会议 (with the township's name in front when given)."""
    name = _("第%(t)s届人民代表大会第%(n)s次会议") % {
        "t": cn_number(term_number),
        "n": cn_number(session_number),
    }
    return f"{township_name}{name}"


# --- figure sentences ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Phrase:
    """One figure said with its measure word. ``text`` holds ``{n}`` where the figure goes."""

    app: str
    key: str
    text: object
    zero: object = ""  # how to say a zero figure naturally; empty: leave the phrase out
    is_rate: bool = False

    def value(self, values: dict):
        return values.get(self.app, {}).get(self.key)

    def render(self, values: dict) -> str:
        v = self.value(values)
        if v in (None, ""):
            return ""
        if self.is_rate:
            return str(self.text).format(n=rate(v))
        if not v:
            return str(self.zero)
        return str(self.text).format(n=int(v))

    def pattern(self) -> re.Pattern:
        """The phrase as typed in prose, with the figure captured (for the narrative check)."""
        before, _sep, after = str(self.text).partition("{n}")
        number = r"(\d+(?:\.\d+)?)%?" if self.is_rate else r"(\d+)"
        return re.compile(re.escape(before) + r"\s*" + number + r"\s*" + re.escape(after[:1]))


@dataclass(frozen=True)
class Clause:
    """Phrases sharing one verb, joined by "、": "开展执法检查2次、视察3次、调研2次"."""

    verb: object
    phrases: tuple[Phrase, ...]

    def render(self, values: dict) -> str:
        parts = [p.render(values) for p in self.phrases]
        parts = [p for p in parts if p]
        return f"{self.verb}{'、'.join(parts)}" if parts else ""


@dataclass(frozen=True)
class Sentence:
    lead: object
    parts: tuple[Phrase | Clause, ...]
    empty: object = ""  # said when every part is zero; empty: the sentence is left out
    needs: tuple[tuple[str, str], ...] = ()  # figures that must be non-zero for the sentence to be said

    def phrases(self) -> list[Phrase]:
        out = []
        for part in self.parts:
            out += list(part.phrases) if isinstance(part, Clause) else [part]
        return out

    def render(self, values: dict) -> str:
        if any(not values.get(app, {}).get(key) for app, key in self.needs):
            return ""
        parts = [p.render(values) for p in self.parts]
        parts = [p for p in parts if p]
        if not parts:
            return str(self.empty)
        return f"{self.lead}{'，'.join(parts)}。"


def P(app, key, text, zero="", is_rate=False) -> Phrase:
    return Phrase(app, key, text, zero, is_rate)


_l = gettext_lazy

# Phrases said in more than one section, written once.
SESSIONS_HELD = P("congress", "sessions_held", _l("召开人民代表大会会议{n}次"))
SPECIAL_REPORTS = P("supervision", "special_reports", _l("听取和审议专项工作报告{n}项"))
LAW_ENFORCEMENT_INSPECTIONS = P("supervision", "law_enforcement_inspections", _l("执法检查{n}次"))
INSPECTIONS = P("supervision", "inspections", _l("视察{n}次"))
RESEARCH = P("supervision", "research", _l("调研{n}次"))
SUGGESTIONS_RECEIVED = P("suggestions", "received", _l("收到代表建议{n}件"))
COMPLETION_RATE = P("suggestions", "completion_rate", _l("办结率{n}"), is_rate=True)
RECEPTION_DAYS_HELD = P("deputies", "reception_days_held", _l("组织接待选民日活动{n}次"))
PETITIONS_RECEIVED = P("petitions", "petitions_received", _l("受理群众来信来访{n}件"))


SENTENCES: dict[str, list[Sentence]] = {
    "overview": [
        Sentence(
            _l("一年来，共"),
            (
                SESSIONS_HELD,
                P("congress", "presidium_meetings_held", _l("召开主席团会议{n}次")),
                SPECIAL_REPORTS,
                Clause(
                    _l("开展"),
                    (
                        LAW_ENFORCEMENT_INSPECTIONS,
                        INSPECTIONS,
                        RESEARCH,
                        P("supervision", "appraisals", _l("评议{n}次")),
                    ),
                ),
                P("congress", "resolutions_passed", _l("作出决议{n}项")),
            ),
        ),
        Sentence(
            _l("全年"),
            (
                SUGGESTIONS_RECEIVED,
                COMPLETION_RATE,
                RECEPTION_DAYS_HELD,
                PETITIONS_RECEIVED,
            ),
        ),
    ],
    "sessions": [
        Sentence(
            _l("一年来，依法"),
            (
                SESSIONS_HELD,
                P("congress", "sessions_extraordinary", _l("其中临时会议{n}次")),
            ),
            empty=_l("本年度未召开人民代表大会会议。"),
        ),
        Sentence(
            _l("大会"),
            (
                P("congress", "reports_reviewed", _l("听取和审议工作报告{n}项")),
                P("congress", "resolutions_passed", _l("作出决议决定{n}项")),
                P("congress", "elections_held", _l("进行选举（补选）{n}次")),
                P("congress", "motions_received", _l("收到代表议案{n}件")),
            ),
        ),
        Sentence(
            "",
            (
                P(
                    "congress",
                    "late_report_documents",
                    _l("有{n}项报告材料未能在开幕前送达代表"),
                    zero=_l("提请大会审议的报告材料均在开幕前送达代表"),
                ),
            ),
            needs=(("congress", "reports_reviewed"),),
        ),
    ],
    "presidium_meetings": [
        Sentence(
            _l("一年来，"),
            (
                P("congress", "presidium_meetings_held", _l("主席团共召开会议{n}次")),
                P("congress", "presidium_topics", _l("研究议题{n}项")),
            ),
            empty=_l("本年度主席团未召开会议。"),
        ),
        Sentence(
            "",
            (
                P(
                    "congress",
                    "quarters_without_presidium_meeting",
                    _l("有{n}个季度未召开主席团会议"),
                    zero=_l("做到每季度至少召开一次主席团会议"),
                ),
            ),
            needs=(("congress", "presidium_meetings_held"),),
        ),
    ],
    "supervision": [
        Sentence(
            _l("一年来，共"),
            (
                SPECIAL_REPORTS,
                Clause(
                    _l("开展"),
                    (
                        LAW_ENFORCEMENT_INSPECTIONS,
                        INSPECTIONS,
                        RESEARCH,
                        P("supervision", "special_oversight", _l("专项督查{n}次")),
                        P("supervision", "three_accounts", _l("“三账”监督{n}次")),
                    ),
                ),
                P("supervision", "appraisals", _l("组织工作评议{n}次")),
                P("supervision", "deputy_participations", _l("代表参加{n}人次")),
            ),
            empty=_l("本年度未开展监督活动。"),
        ),
        Sentence(
            _l("活动中"),
            (
                P("supervision", "voters_visited", _l("走访选民{n}人次")),
                P("supervision", "forums_held", _l("召开座谈会{n}次")),
                P("supervision", "problems_found", _l("发现问题{n}个")),
                P("supervision", "opinions_collected", _l("收集意见建议{n}条")),
                P("supervision", "findings_forwarded", _l("转交有关单位办理{n}条")),
            ),
        ),
        Sentence(
            "",
            (
                P("supervision", "rectifications", _l("交办整改事项{n}项")),
                P("supervision", "rectifications_closed", _l("已整改销号{n}项")),
                P("supervision", "rectifications_open", _l("正在整改{n}项")),
                P("supervision", "rectifications_overdue", _l("其中逾期{n}项")),
            ),
        ),
    ],
    "suggestions": [
        Sentence(
            _l("一年来，共"),
            (
                SUGGESTIONS_RECEIVED,
                Clause(
                    _l("其中"),
                    (
                        P("suggestions", "received_in_session", _l("大会期间提出{n}件")),
                        P("suggestions", "received_between_sessions", _l("闭会期间提出{n}件")),
                    ),
                ),
            ),
            empty=_l("本年度未收到代表建议。"),
        ),
        Sentence(
            _l("按提出人分，"),
            (
                P("suggestions", "received_by_township_deputies", _l("本级人大代表提出{n}件")),
                P("suggestions", "received_by_county_deputies", _l("县级及以上人大代表提出{n}件")),
            ),
            # Said only when deputies of a higher congress made some (else it repeats the total).
            needs=(("suggestions", "received_by_county_deputies"),),
        ),
        Sentence(
            _l("经交办，"),
            (
                P("suggestions", "replied", _l("已答复{n}件")),
                P("suggestions", "closed", _l("已办结{n}件")),
                COMPLETION_RATE,
                P("suggestions", "on_time_rate", _l("按期答复率{n}"), is_rate=True),
            ),
            needs=(("suggestions", "received"),),
        ),
        Sentence(
            _l("从办理结果看，"),
            (
                P("suggestions", "resolved", _l("已解决（A类）{n}件")),
                P("suggestions", "planned", _l("列入计划逐步解决（B类）{n}件")),
                P("suggestions", "reference", _l("留作参考（C类）{n}件")),
            ),
        ),
        Sentence(
            _l("代表"),
            (
                P("suggestions", "evaluated", _l("对{n}件建议的办理情况进行了测评")),
                P("suggestions", "satisfaction_rate", _l("满意率{n}"), is_rate=True),
            ),
            needs=(("suggestions", "evaluated"),),
        ),
        Sentence(
            "",
            (
                P("suggestions", "overdue", _l("尚有{n}件建议逾期未办")),
                P("suggestions", "rehandled", _l("{n}件建议因代表不满意重新办理")),
            ),
        ),
    ],
    "deputies": [
        Sentence(
            _l("全镇现有在任代表"),
            (
                P("deputies", "deputies_serving", _l("{n}名")),
                P("deputies", "deputies_female", _l("其中妇女代表{n}名")),
                P("deputies", "deputies_cpc", _l("中共党员{n}名")),
                P("deputies", "deputies_farmer_worker", _l("工人农民代表{n}名")),
                P("deputies", "deputies_minority", _l("少数民族代表{n}名")),
            ),
        ),
        Sentence(
            _l("一年来，"),
            (
                RECEPTION_DAYS_HELD,
                P("deputies", "reception_visitors", _l("接待选民{n}人次")),
                P("deputies", "voter_opinions", _l("收集选民意见{n}条")),
                P("deputies", "voter_opinions_converted", _l("其中转为代表建议{n}件")),
            ),
        ),
        Sentence(
            _l("代表"),
            (
                P("deputies", "voter_contacts", _l("联系选民{n}次")),
                P("deputies", "activities", _l("开展代表活动{n}次")),
                P("deputies", "duty_reports", _l("向选民述职{n}人次")),
            ),
        ),
        Sentence(
            _l("组织代表"),
            (
                P("deputies", "trainings", _l("学习培训{n}场")),
                P("deputies", "training_person_times", _l("参训{n}人次")),
            ),
        ),
        Sentence(
            "",
            (
                P("deputies", "six_ones_rate", _l("“六个一”履职活动全部完成率{n}"), is_rate=True),
                P("deputies", "deputies_dormant", _l("仍有{n}名代表全年无履职记录")),
                P("deputies", "district_vacancies", _l("代表缺额{n}名")),
            ),
            needs=(("deputies", "deputies_serving"),),
        ),
    ],
    "petitions": [
        Sentence(
            _l("一年来，共"),
            (
                PETITIONS_RECEIVED,
                P("petitions", "petitions_forwarded", _l("转交有关部门办理{n}件")),
                P("petitions", "petitions_investigated", _l("组织调查{n}件")),
                P("petitions", "petitions_closed", _l("办结{n}件")),
            ),
            empty=_l("本年度未收到群众来信来访。"),
        ),
    ],
    "livelihood": [
        Sentence(
            _l("实行民生实事项目人大代表票决制，"),
            (
                P("livelihood", "livelihood_candidates", _l("大会对{n}个候选项目进行票决")),
                P("livelihood", "livelihood_chosen", _l("确定民生实事项目{n}个")),
            ),
            empty=_l("本年度未进行民生实事项目票决。"),
        ),
        Sentence(
            _l("在代表监督下，"),
            (
                P("livelihood", "livelihood_completed", _l("已完成{n}个"), zero=_l("尚无项目完成")),
                P("livelihood", "livelihood_on_time", _l("其中按期完成{n}个")),
                P("livelihood", "livelihood_completion_rate", _l("完成率{n}"), is_rate=True),
            ),
            needs=(("livelihood", "livelihood_chosen"),),
        ),
        Sentence(
            _l("年终代表满意度测评"),
            (
                P("livelihood", "livelihood_score_ballots", _l("共收回有效票{n}张")),
                P("livelihood", "livelihood_satisfaction_rate", _l("满意率{n}"), is_rate=True),
            ),
            needs=(("livelihood", "livelihood_score_ballots"),),
        ),
    ],
    "next_year": [
        Sentence(
            _l("需要在新的一年继续推进的有："),
            (
                P("suggestions", "planned", _l("列入计划逐步解决的代表建议{n}件")),
                P("suggestions", "in_handling", _l("尚在办理的代表建议{n}件")),
                P("supervision", "rectifications_open", _l("尚未整改销号的整改事项{n}项")),
            ),
        ),
    ],
}


def figure_values(figures_by_app: dict, extra: dict | None = None) -> dict:
    """{app: {key: value}} for the phrases: the apps' figures, petitions under their own name."""
    values = {app: dict(data["values"]) for app, data in figures_by_app.items()}
    if "supervision" in values:
        values["petitions"] = {k: v for k, v in values["supervision"].items() if k.startswith("petition")}
    for app, more in (extra or {}).items():
        values.setdefault(app, {}).update(more)
    return values


def figure_sentences(section: str, values: dict) -> list[str]:
    return [s for s in (sentence.render(values) for sentence in SENTENCES.get(section, [])) if s]


def all_phrases() -> list[Phrase]:
    return [p for sentences in SENTENCES.values() for s in sentences for p in s.phrases()]


# --- named facts --------------------------------------------------------------------------------


@dataclass
class ElectionFact:
    session: str
    kind: str  # "选举" / "补选"
    position: str
    elected: list[tuple[str, int | None]] = field(default_factory=list)
    total_deputies: int | None = None


def election_sentence(fact: ElectionFact) -> str:
    if not fact.elected:
        return _("%(s)s%(k)s%(p)s，候选人得票未过半数，未能产生当选人。") % {
            "s": fact.session,
            "k": fact.kind,
            "p": fact.position,
        }
    people = "、".join(
        _("%(n)s（得%(v)s票）") % {"n": name, "v": votes} if votes is not None else name
        for name, votes in fact.elected
    )
    total = _("（全体代表%(t)s名）") % {"t": fact.total_deputies} if fact.total_deputies else ""
    return _("%(s)s%(k)s%(people)s为%(p)s%(total)s。") % {
        "s": fact.session,
        "k": fact.kind,
        "people": people,
        "p": fact.position,
        "total": total,
    }


def session_list_sentence(names: list[str]) -> str:
    """ "分别为第十届人民代表大会第十次会议、第十一次会议。" (the term said once per run)."""
    if not names:
        return ""
    shown, previous_term = [], None
    for name in names:
        term, _sep, rest = name.partition("人民代表大会")
        shown.append(rest if term == previous_term else name)
        previous_term = term
    if len(names) == 1:
        return _("即%(names)s。") % {"names": shown[0]}
    return _("分别为%(names)s。") % {"names": "、".join(shown)}


def position_name(label: str, township_name: str) -> str:
    """ "副镇长(副乡长)" said as the township says it: 副镇长 in a 镇, 副乡长 in a 乡."""
    match = re.match(r"^(.+?)[(（](.+?)[)）]$", label)
    if not match:
        return label
    return match.group(2) if township_name.endswith("乡") else match.group(1)


@dataclass
class AppraisalFact:
    topic: str
    targets: int
    overall_rate: float | None
    most: tuple[str, float] | None
    least: tuple[str, float] | None


def appraisal_sentence(fact: AppraisalFact) -> str:
    if not fact.targets:
        return ""
    head = _("在“%(t)s”民主测评中，组织代表对%(n)s个单位进行测评") % {
        "t": fact.topic,
        "n": fact.targets,
    }
    if fact.overall_rate is None:
        return head + _("，尚无测评结果。")
    text = head + _("，总体满意率%(r)s") % {"r": rate(fact.overall_rate)}
    if fact.most and fact.least:
        text += _("，其中%(m)s满意率最高，为%(mr)s；%(l)s满意率最低，为%(lr)s") % {
            "m": fact.most[0],
            "mr": rate(fact.most[1]),
            "l": fact.least[0],
            "lr": rate(fact.least[1]),
        }
    elif fact.most:
        text += _("，%(m)s满意率为%(mr)s") % {"m": fact.most[0], "mr": rate(fact.most[1])}
    return text + _("。")


def topics_sentence(topics: list[str], *, limit: int = 4) -> str:
    """Key supervised items: "重点围绕“…”“…”等开展监督。"."""
    if not topics:
        return ""
    shown = "".join(f"“{t}”" for t in topics[:limit])
    more = _("等") if len(topics) > limit else ""
    return _("重点围绕%(t)s%(more)s开展监督，推动有关问题整改落实。") % {"t": shown, "more": more}


def livelihood_projects_sentence(titles: list[str], *, limit: int = 10) -> str:
    """The projects the deputies chose: "经代表票决确定的民生实事项目是“…”“…”。"."""
    if not titles:
        return ""
    shown = "".join(f"“{t}”" for t in titles[:limit])
    more = _("等") if len(titles) > limit else ""
    return _("经代表票决确定的民生实事项目是%(t)s%(more)s，由代表监督小组跟踪监督实施。") % {
        "t": shown,
        "more": more,
    }


def key_suggestions_sentence(titles: list[str], *, limit: int = 3) -> str:
    if not titles:
        return ""
    shown = "".join(f"“{t}”" for t in titles[:limit])
    return _("主席团将%(t)s等%(n)s件建议确定为重点督办件，由主席团成员领衔督办。") % {
        "t": shown,
        "n": len(titles),
    }


def groups_sentence(groups: int, stations: int) -> str:
    parts = []
    if groups:
        parts.append(_("全镇代表编为%(n)s个代表小组") % {"n": groups})
    if stations:
        parts.append(_("建有代表之家、代表联络站等履职平台%(n)s个") % {"n": stations})
    return ("，".join(parts) + _("，代表活动有了固定阵地。")) if parts else ""


def deeds_sentence(count: int, examples: list[tuple[str, str]]) -> str:
    if not count:
        return ""
    text = _("全年记录代表先进事迹%(n)s件") % {"n": count}
    if examples:
        text += _("，如") + "；".join(f"{name}{what}" for name, what in examples[:2])
    return text + _("。")


def next_sessions_sentence(names: list[str]) -> str:
    if not names:
        return ""
    return _("依法筹备召开%(names)s。") % {"names": "、".join(names)}


def planned_topics_sentence(topics: list[str]) -> str:
    if not topics:
        return ""
    return _("已列入计划的监督活动有%(t)s。") % {"t": "、".join(f"“{t}”" for t in topics[:5])}


def opening_sentence(session: str) -> str:
    """The speech's first sentence, naming the session it is read to."""
    return _("现在，我受%(s)s主席团的委托，向大会报告工作，请予审议。") % {"s": session}


# --- the narrative check ------------------------------------------------------------------------


@dataclass
class StaleFigure:
    section: str
    typed: str  # the phrase as typed in the saved text
    typed_value: str
    record_value: str


def _same(phrase: Phrase, typed: str, record) -> bool:
    if record in (None, ""):
        return True  # nothing to compare against (figure not offered)
    if phrase.is_rate:
        return abs(float(typed) - float(record)) < 0.05
    return int(typed) == int(record)


def stale_figures(section: str, text: str, values: dict) -> list[StaleFigure]:
    """Figures typed in the saved text of a section, in the form of one of the report's phrases,
    that differ from the records now ("召开主席团会议4次" while five meetings were held)."""
    out = []
    seen = set()
    for phrase in all_phrases():
        pattern = phrase.pattern()
        for match in pattern.finditer(text or ""):
            record = phrase.value(values)
            if _same(phrase, match.group(1), record):
                continue
            key = (match.group(0), phrase.key)
            if key in seen:
                continue
            seen.add(key)
            out.append(
                StaleFigure(
                    section=section,
                    typed=match.group(0),
                    typed_value=match.group(1),
                    record_value=rate(record) if phrase.is_rate else str(int(record)),
                )
            )
    return out
