"""Per-county rules: the *(config)* numbers of DOMAIN.md, with their defaults."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def default_categories():
    return [
        "村级化债",
        "道路建设",
        "桥梁建设",
        "水利设施",
        "村容村貌",
        "农村广播",
        "社会保障",
        "教育",
        "医疗卫生",
        "生态环境",
        "产业发展",
        "其他",
    ]


def default_outcome_classes():
    # Code → label. Some provinces use four classes (A solved, B being solved, C planned, D reference).
    return [
        {"code": "A", "label": "已解决/采纳", "resolved": True},
        {"code": "B", "label": "列入计划解决", "resolved": False, "planned": True},
        {"code": "C", "label": "留作参考", "resolved": False},
    ]


def default_not_accepted_reasons():
    return ["涉及个人或家庭私事", "转交群众来信", "广告宣传", "无实质内容", "不属于本级职权范围", "其他"]


def default_six_ones():
    return {
        "voters_visited": 10,
        "voter_forums": 1,
        "suggestions": 1,
        "practical_deeds": 1,
        "needy_households_helped": 1,
        "disputes_mediated": 1,
    }


def default_archive_weights():
    # Transparent performance-score formula: points per counted item, capped per line.
    return {
        "meeting_attended": {"points": 5, "cap": 20},
        "meeting_absent": {"points": -5, "cap": -20},
        "activity": {"points": 2, "cap": 20},
        "voter_contact": {"points": 1, "cap": 10},
        "reception_duty": {"points": 3, "cap": 12},
        "suggestion": {"points": 3, "cap": 15},
        "training": {"points": 2, "cap": 10},
        "duty_report": {"points": 5, "cap": 5},
        "six_ones_item": {"points": 1, "cap": 6},
    }


def default_reminder_rules():
    return {
        "unit_days_before_due": [7, 1],
        "unit_on_due_day": True,
        "overdue_escalate_staff_after_days": 0,
        "overdue_escalate_county_after_days": 15,
        "rating_reminder_after_days": 0,
        "rating_repeat_after_days": 7,
        "reception_days_before": [5, 3],
        "meeting_days_before": [3, 1],
        "intake_wait_workdays": 3,
        "sms_quiet_start": "21:00",
        "sms_quiet_end": "08:00",
        "max_attempts": 5,
    }


class CountyRules(models.Model):
    """Per-county settings for every number DOMAIN.md marks *(config)*; defaults are the statutory ones.

    Provinces differ, so none of these numbers is written in code: each field's help text (shown on
    the rules page) says what it counts, in which unit, and where the default comes from. Fractions
    are stored as numerator and denominator so that 2/3 stays exact."""

    county = models.OneToOneField("County", on_delete=models.CASCADE, verbose_name=_("县(区)"))
    # Congress sessions and presidium
    sessions_per_year = models.PositiveSmallIntegerField(
        _("每年人代会次数"),
        default=2,
        help_text=_(
            "乡镇人民代表大会每年应举行的会议次数（次）；县级看板据此判断是否按时开会。依据：地方组织法，一般每年两次。"
        ),
    )
    session_quorum_num = models.PositiveSmallIntegerField(
        _("开会法定人数(分子)"),
        default=2,
        help_text=_("人代会须有全体代表的“分子/分母”以上出席方可举行，默认 2/3。依据：地方组织法。"),
    )
    session_quorum_den = models.PositiveSmallIntegerField(
        _("开会法定人数(分母)"),
        default=3,
        help_text=_("人代会须有全体代表的“分子/分母”以上出席方可举行，默认 2/3。依据：地方组织法。"),
    )
    extraordinary_request_num = models.PositiveSmallIntegerField(
        _("提议临时会议代表比例(分子)"),
        default=1,
        help_text=_("经全体代表的“分子/分母”以上提议，可以临时召集人代会，默认 1/5。依据：地方组织法。"),
    )
    extraordinary_request_den = models.PositiveSmallIntegerField(
        _("提议临时会议代表比例(分母)"),
        default=5,
        help_text=_("经全体代表的“分子/分母”以上提议，可以临时召集人代会，默认 1/5。依据：地方组织法。"),
    )
    # Resolutions pass with MORE than num/den of ALL current deputies (not of those present).
    resolution_majority_num = models.PositiveSmallIntegerField(
        _("决议通过比例(分子，须超过)"),
        default=1,
        help_text=_(
            "决议、决定和选举须获得全体代表（不是出席代表）“分子/分母”以上的赞成票（须超过，不含等于），默认过半数。依据：地方组织法、选举法。"
        ),
    )
    resolution_majority_den = models.PositiveSmallIntegerField(
        _("决议通过比例(分母)"),
        default=2,
        help_text=_(
            "决议、决定和选举须获得全体代表（不是出席代表）“分子/分母”以上的赞成票（须超过，不含等于），默认过半数。依据：地方组织法、选举法。"
        ),
    )
    presidium_quorum_num = models.PositiveSmallIntegerField(
        _("主席团会议法定人数(分子)"),
        default=2,
        help_text=_(
            "主席团会议须有全体主席团成员的“分子/分母”以上出席方可举行，默认 2/3。依据：本省乡镇人大工作条例。"
        ),
    )
    presidium_quorum_den = models.PositiveSmallIntegerField(
        _("主席团会议法定人数(分母)"),
        default=3,
        help_text=_(
            "主席团会议须有全体主席团成员的“分子/分母”以上出席方可举行，默认 2/3。依据：本省乡镇人大工作条例。"
        ),
    )
    presidium_majority_num = models.PositiveSmallIntegerField(
        _("主席团决定通过比例(分子，须超过)"),
        default=1,
        help_text=_(
            "主席团的决定须获得全体主席团成员（不是出席成员）“分子/分母”以上同意（须超过），默认过半数。依据：本省乡镇人大工作条例。"
        ),
    )
    presidium_majority_den = models.PositiveSmallIntegerField(
        _("主席团决定通过比例(分母)"),
        default=2,
        help_text=_(
            "主席团的决定须获得全体主席团成员（不是出席成员）“分子/分母”以上同意（须超过），默认过半数。依据：本省乡镇人大工作条例。"
        ),
    )
    presidium_meeting_interval_months = models.PositiveSmallIntegerField(
        _("主席团会议间隔(月)"),
        default=3,
        help_text=_(
            "闭会期间两次主席团会议最长相隔的月数（月）；超过即提示应召开主席团会议，默认 3 个月（约每季度一次）。"
        ),
    )
    presidium_min_members = models.PositiveSmallIntegerField(
        _("主席团最少人数"),
        default=7,
        help_text=_("主席团成员人数下限（人），默认 7 人。依据：本省乡镇人大工作条例。"),
    )
    presidium_max_members = models.PositiveSmallIntegerField(
        _("主席团最多人数"),
        default=13,
        help_text=_(
            "在任代表不超过“大乡镇代表人数门槛”时主席团成员人数上限（人），默认 13 人。依据：本省乡镇人大工作条例。"
        ),
    )
    presidium_max_members_large = models.PositiveSmallIntegerField(
        _("代表超过100人时主席团最多人数"),
        default=15,
        help_text=_(
            "在任代表超过“大乡镇代表人数门槛”时主席团成员人数上限（人），默认 15 人。依据：本省乡镇人大工作条例。"
        ),
    )
    presidium_large_threshold = models.PositiveSmallIntegerField(
        _("大乡镇代表人数门槛"),
        default=100,
        help_text=_(
            "在任代表人数（人）超过此数时，主席团人数上限改用“代表超过100人时主席团最多人数”，默认 100 人。"
        ),
    )
    motion_min_deputies = models.PositiveSmallIntegerField(
        _("议案联名最少代表数"),
        default=5,
        help_text=_("代表联名提出议案所需的最少代表人数（人），默认 5 人。依据：地方组织法。"),
    )
    # Suggestions
    assign_within_workdays = models.PositiveSmallIntegerField(
        _("闭会期间交办时限(工作日)"),
        default=5,
        help_text=_(
            "闭会期间收到的建议，人大办须自收到之日起在此数个工作日内交办承办单位（按国家法定节假日和调休计算），默认 5 个工作日。"
        ),
    )
    reply_within_months = models.PositiveSmallIntegerField(
        _("答复时限(月)"),
        default=3,
        help_text=_(
            "承办单位自交办之日起答复代表的期限（月），默认 3 个月。依据：代表法及本省代表建议办理办法。"
        ),
    )
    extension_max_months = models.PositiveSmallIntegerField(
        _("延期最长(月)"),
        default=6,
        help_text=_(
            "确有困难不能按期答复时可申请延期，延期后的答复期限最迟为交办后此数月（月），默认 6 个月。"
        ),
    )
    rehandle_within_months = models.PositiveSmallIntegerField(
        _("重新办理时限(月)"),
        default=1,
        help_text=_("代表对答复不满意时，承办单位重新办理并再次答复的期限（月），默认 1 个月。"),
    )
    return_within_workdays = models.PositiveSmallIntegerField(
        _("退办时限(工作日)"),
        default=7,
        help_text=_(
            "承办单位认为不属于本单位职责的，须在交办后此数个工作日内退办，逾期不能退办，默认 7 个工作日。"
        ),
    )
    co_unit_input_within_months = models.PositiveSmallIntegerField(
        _("协办意见时限(月)"),
        default=1,
        help_text=_("协办单位自交办之日起向主办单位提交协办意见的期限（月），默认 1 个月。"),
    )
    categories = models.JSONField(
        _("建议分类"),
        default=default_categories,
        help_text=_('登记建议时可选的分类，统计表按分类汇总。JSON 文本列表，如 ["道路建设", "水利设施"]。'),
    )
    outcome_classes = models.JSONField(
        _("办理结果分类"),
        default=default_outcome_classes,
        help_text=_(
            "答复时选择的办理结果分类。JSON 列表，每项含 code（代码）和 label（名称）；resolved 为 true 的计入解决率，planned 为 true 的计为“列入计划”。默认 A 已解决/采纳、B 列入计划解决、C 留作参考。"
        ),
    )
    not_accepted_reasons = models.JSONField(
        _("不予立案理由"),
        default=default_not_accepted_reasons,
        help_text=_("不予立案时可选的理由，会告知提出建议的代表。JSON 文本列表。"),
    )
    # Deputies
    voter_contacts_per_deputy = models.PositiveSmallIntegerField(
        _("每名代表固定联系选民数"),
        default=3,
        help_text=_("联系选民制度要求每名代表固定联系的选民人数（人），一般 3 至 5 人，默认 3 人。"),
    )
    six_ones_targets = models.JSONField(
        _("“六个一”年度目标"),
        default=default_six_ones,
        help_text=_(
            "每名代表每年“六个一”的目标数。JSON 对象：voters_visited 走访选民（人）、voter_forums 选民座谈会（次）、suggestions 有价值的建议（件）、practical_deeds 为选民办实事（件）、needy_households_helped 帮扶困难户（户）、disputes_mediated 调解纠纷（件）。"
        ),
    )
    cadre_share_warning_percent = models.PositiveSmallIntegerField(
        _("干部代表比例预警(%)"),
        default=30,
        help_text=_("代表结构中干部代表所占百分比（%）超过此数时提示，默认 30%。"),
    )
    dormant_after_months = models.PositiveSmallIntegerField(
        _("无履职记录判定期(月)"),
        default=12,
        help_text=_(
            "代表在最近此数月（月）内没有任何履职记录（参会、活动、联系选民、建议、培训等）时，履职档案标为“无履职记录”，默认 12 个月。"
        ),
    )
    archive_weights = models.JSONField(
        _("履职积分规则"),
        default=default_archive_weights,
        help_text=_(
            "履职档案积分公式。JSON 对象，每个指标一项：points 为每条记录的得分（可为负数），cap 为该项累计得分的上限（负分为下限）。"
        ),
    )
    # Livelihood projects chosen by the deputies' vote (民生实事项目票决制)
    livelihood_projects_to_choose = models.PositiveSmallIntegerField(
        _("民生实事项目每年票决数"),
        default=10,
        help_text=_("每年人代会票决确定的民生实事项目数（项），默认 10 项。"),
    )
    livelihood_max_approvals = models.PositiveSmallIntegerField(
        _("每张票最多赞成项目数"), default=10, help_text=_("超过此数的选票作废。")
    )
    livelihood_extra_candidates = models.PositiveSmallIntegerField(
        _("候选项目至少多于票决数"), default=1, help_text=_("候选项目数须不少于票决数加此数（差额票决）。")
    )
    livelihood_satisfaction_line = models.PositiveSmallIntegerField(
        _("民生实事满意率整改线(%)"),
        default=80,
        help_text=_(
            "年底代表对民生实事项目进行满意度测评，满意率（满意与基本满意票之和所占的百分比）低于此数（%）的项目须整改，默认 80%。"
        ),
    )
    livelihood_rectification_workdays = models.PositiveSmallIntegerField(
        _("民生实事整改期限(工作日)"),
        default=20,
        help_text=_("满意率低于整改线的民生实事项目的整改期限（工作日），默认 20 个工作日。"),
    )
    # Reminders
    reminder_rules = models.JSONField(
        _("提醒规则"),
        default=default_reminder_rules,
        help_text=_(
            "何时提醒谁。JSON 对象，天数均为自然日（另注明的除外）：unit_days_before_due 答复期限前几天提醒承办单位；overdue_escalate_staff_after_days、overdue_escalate_county_after_days 逾期几天后提醒人大办、县人大；rating_reminder_after_days、rating_repeat_after_days 答复后几天提醒代表测评及再次提醒；reception_days_before、meeting_days_before 接待选民日、会议前几天提醒；intake_wait_workdays 建议待受理几个工作日后提醒人大办；sms_quiet_start 至 sms_quiet_end 期间不发短信；max_attempts 短信、邮件最多尝试发送次数。"
        ),
    )

    class Meta:
        verbose_name = _("县级规则设置")
        verbose_name_plural = _("县级规则设置")

    def __str__(self):
        return f"{self.county} {_('规则设置')}"

    RATIO_PREFIXES = ("session_quorum", "resolution_majority", "presidium_quorum", "presidium_majority")
    LIST_FIELDS = ("categories", "not_accepted_reasons")
    OBJECT_FIELDS = ("six_ones_targets", "archive_weights", "reminder_rules")

    @classmethod
    def errors_in(cls, values) -> dict[str, list[str]]:
        """The checks across fields and inside the JSON fields, on ``values`` (field name → value):
        field name → messages. A value that is missing or None is skipped (its own field reports
        it). The rules page's form and ``presidium.services.update_county_rules`` both ask this."""
        errors: dict[str, list[str]] = {}

        def add(name, message):
            errors.setdefault(name, []).append(message)

        for prefix in cls.RATIO_PREFIXES:
            num, den = values.get(f"{prefix}_num"), values.get(f"{prefix}_den")
            if num is not None and den is not None and (den == 0 or num > den):
                add(f"{prefix}_num", _("比例须在 0 到 1 之间（分子不大于分母，分母不为 0）。"))
        classes = values.get("outcome_classes")
        valid_classes = isinstance(classes, list) and all(
            isinstance(c, dict) and c.get("code") and c.get("label") for c in classes
        )
        if classes is not None and not valid_classes:
            add("outcome_classes", _("每个办理结果分类须包含 code 和 label。"))
        for name in cls.LIST_FIELDS:
            value = values.get(name)
            if value is not None and (
                not isinstance(value, list)
                or not value
                or not all(isinstance(v, str) and v.strip() for v in value)
            ):
                add(name, _('请填写非空的文本列表，例如 ["道路建设", "水利设施"]。'))
        for name in cls.OBJECT_FIELDS:
            value = values.get(name)
            if value is not None and not isinstance(value, dict):
                add(name, _("请填写 JSON 对象。"))
        low, high = values.get("presidium_min_members"), values.get("presidium_max_members")
        if low and high and low > high:
            add("presidium_max_members", _("最多人数不能小于最少人数。"))
        return errors

    def outcome_codes(self):
        return [c["code"] for c in self.outcome_classes]

    def resolved_codes(self):
        return [c["code"] for c in self.outcome_classes if c.get("resolved")]

    def planned_codes(self):
        return [c["code"] for c in self.outcome_classes if c.get("planned")]
