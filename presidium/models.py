"""Cross-cutting core: organisation (county → township → handling units), users and roles,
per-county rules (the *(config)* numbers of DOMAIN.md), API keys and the audit log."""

import hashlib
import secrets
from collections.abc import Mapping

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

phone_validator = RegexValidator(r"^1[3-9]\d{9}$", _("请输入11位手机号码"))


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


class County(models.Model):
    name = models.CharField(_("名称"), max_length=50)
    code = models.CharField(_("行政区划代码"), max_length=12, unique=True)
    province = models.CharField(_("省份"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("县(区)")
        verbose_name_plural = _("县(区)")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def rules(self) -> "CountyRules":
        """The county's rules, created with the statutory defaults on first use."""
        try:
            return self._rules_cache
        except AttributeError:
            pass
        try:
            rules = self.countyrules
        except CountyRules.DoesNotExist:
            rules, _created = CountyRules.objects.get_or_create(county=self)
        self._rules_cache = rules
        return rules


class CountyRules(models.Model):
    """Per-county settings for every number DOMAIN.md marks *(config)*; defaults are the statutory ones.

    Provinces differ, so none of these numbers is written in code: each field's help text (shown on
    the rules page) says what it counts, in which unit, and where the default comes from. Fractions
    are stored as numerator and denominator so that 2/3 stays exact."""

    county = models.OneToOneField(County, on_delete=models.CASCADE, verbose_name=_("县(区)"))
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


class Township(models.Model):
    class Kind(models.TextChoices):
        TOWN = "town", _("镇")
        TOWNSHIP = "township", _("乡")
        SUBDISTRICT = "subdistrict", _("街道")

    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="townships", verbose_name=_("县(区)")
    )
    name = models.CharField(_("名称"), max_length=50)
    code = models.CharField(_("代码"), max_length=12, unique=True)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.TOWN)

    class Meta:
        verbose_name = _("乡镇(街道)")
        verbose_name_plural = _("乡镇(街道)")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def rules(self):
        return self.county.rules


class HandlingUnit(models.Model):
    """承办单位: the township government or one of its stations/offices (七站八所)."""

    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="units", verbose_name=_("乡镇(街道)")
    )
    name = models.CharField(_("单位名称"), max_length=60)
    contact_person = models.CharField(_("联系人"), max_length=30, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    responsible_leader = models.CharField(_("分管领导"), max_length=30, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["township", "name"]
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="unique_unit_name_per_township")
        ]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    STAFF = "staff", _("人大办工作人员")
    DEPUTY = "deputy", _("人大代表")
    UNIT = "unit", _("承办单位")
    COUNTY = "county", _("县人大工作人员")
    ADMIN = "admin", _("系统管理员")


class StaffTitle(models.TextChoices):
    CHAIR = "chair", _("人大主席")
    VICE_CHAIR = "vice_chair", _("专职副主席")
    SECRETARY = "secretary", _("人大秘书")
    CLERK = "clerk", _("工作人员")


class PresidiumUserManager(UserManager):
    pass


class User(AbstractUser):
    """A login. `role` decides what the user reaches; the org links decide whose data."""

    role = models.CharField(_("角色"), max_length=10, choices=Role.choices, default=Role.STAFF, db_index=True)
    staff_title = models.CharField(_("职务"), max_length=12, choices=StaffTitle.choices, blank=True)
    full_name = models.CharField(_("姓名"), max_length=30, blank=True)
    phone = models.CharField(
        _("手机号码"), max_length=11, unique=True, null=True, blank=True, validators=[phone_validator]
    )
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("县(区)"),
    )
    township = models.ForeignKey(
        Township,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("乡镇(街道)"),
    )
    unit = models.ForeignKey(
        HandlingUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("承办单位"),
    )
    must_change_password = models.BooleanField(_("首次登录须修改密码"), default=False)
    notify_channels = models.JSONField(_("通知渠道"), default=list, blank=True)

    objects = PresidiumUserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self):
        return self.full_name or self.username

    @property
    def is_township_staff(self):
        return self.role == Role.STAFF and self.township_id is not None

    @property
    def is_deputy(self):
        return self.role == Role.DEPUTY

    @property
    def is_unit_officer(self):
        return self.role == Role.UNIT and self.unit_id is not None

    @property
    def is_county_staff(self):
        return self.role == Role.COUNTY and self.county_id is not None

    def save(self, *args, **kwargs):
        # Keep the org chain consistent: a unit implies its township, a township its county.
        if self.unit_id and not self.township_id:
            self.township_id = self.unit.township_id
        if self.township_id and not self.county_id:
            self.county_id = self.township.county_id
        if not self.phone:
            self.phone = None
        super().save(*args, **kwargs)


class ApiKey(models.Model):
    """A read-only key for a REST client, scoped to a county or one township. Only its hash is kept."""

    name = models.CharField(_("名称"), max_length=60)
    prefix = models.CharField(_("前缀"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    county = models.ForeignKey(
        County, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("县(区)")
    )
    township = models.ForeignKey(
        Township, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("乡镇(街道)")
    )
    read_only = models.BooleanField(_("只读"), default=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 密钥")
        verbose_name_plural = _("API 密钥")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(county__isnull=False) | models.Q(township__isnull=False),
                name="apikey_has_scope",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def generate(cls) -> tuple[str, str]:
        prefix = secrets.token_hex(4)
        return prefix, f"{prefix}.{secrets.token_urlsafe(32)}"

    @property
    def is_active(self):
        return self.revoked_at is None

    @property
    def scope_label(self):
        return str(self.township) if self.township_id else str(self.county)


class StatusEvent(models.Model):
    """Abstract event row of a workflow: one per transition (who, what, from, to, when, comment,
    details). Every workflow's event table subclasses it and adds only its foreign key (and, where
    the workflow needs them, its own extra columns).

    A concrete table names its subject foreign key in ``subject_field`` (for ``record``), its status
    enum in ``status_enum`` (for ``from_label``/``to_label``) and its action labels in
    ``action_labels`` (for ``action_label``). Rows are written by ``record``, called only from the
    app's ``events`` module, never directly by services."""

    subject_field: str = ""
    status_enum: type[models.TextChoices] | None = None
    action_labels: Mapping[str, str] = {}

    actor = models.ForeignKey(
        "presidium.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    action = models.CharField(_("操作"), max_length=24, blank=True)
    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20)
    comment = models.TextField(_("说明"), blank=True)
    extra = models.JSONField(_("详情"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self):
        head = f"{self.action}: " if self.action else ""
        return f"{head}{self.from_status} → {self.to_status}"

    @classmethod
    def record(
        cls,
        subject,
        *,
        actor,
        to_status: str,
        from_status: str = "",
        action: str = "",
        comment: str = "",
        created_at=None,
        columns: Mapping | None = None,
        **extra,
    ):
        """Write one event row of ``subject`` (the instance, or its primary key) and return it.
        An actor without a primary key (a voter, the worker's anonymous principal) is recorded as
        none; ``created_at`` defaults to now; ``columns``: the table's own extra columns; the other
        keywords are the row's details (``extra``)."""
        key = cls.subject_field if isinstance(subject, models.Model) else f"{cls.subject_field}_id"
        return cls.objects.create(
            **{key: subject},
            actor=actor if getattr(actor, "pk", None) else None,
            action=action,
            from_status=from_status,
            to_status=to_status,
            comment=comment or "",
            extra=extra,
            created_at=created_at or timezone.now(),
            **(columns or {}),
        )

    def _label(self, value):
        enum = self.status_enum
        return enum(value).label if enum is not None and value in enum.values else ""

    @property
    def from_label(self):
        return self._label(self.from_status)

    @property
    def to_label(self):
        return self._label(self.to_status)

    @property
    def action_label(self):
        """The action in words (the raw code when the table has no label for it)."""
        return self.action_labels.get(self.action, self.action)


class AuditAction(models.TextChoices):
    """What an audit row records. The stored values are the dotted names the log always used (old
    rows keep reading the same); ``presidium.services.audit`` refuses any other action."""

    # Logins and accounts (accounts, presidium)
    USER_CREATE = "user.create", _("创建登录账号")
    USER_BULK_CREATE = "user.bulk_create", _("批量创建代表登录账号")
    USER_RELINK = "user.relink", _("沿用原登录账号")
    USER_ACTIVATE = "user.activate", _("启用登录账号")
    USER_DEACTIVATE = "user.deactivate", _("停用登录账号")
    USER_PASSWORD_RESET = "user.password_reset", _("重置密码")
    USER_PASSWORD_CHANGE = "user.password_change", _("修改密码")
    USER_PASSWORD_SMS = "user.password_sms", _("短信发送初始密码")
    USER_PASSWORD_SMS_FAILED = "user.password_sms_failed", _("初始密码短信发送失败")
    UNIT_CREATE = "unit.create", _("新增承办单位")
    APIKEY_CREATE = "apikey.create", _("创建 API 密钥")
    APIKEY_REVOKE = "apikey.revoke", _("吊销 API 密钥")
    # Settings (presidium)
    COUNTY_RULES_CHANGE = "county.rules_change", _("修改县级规则设置")
    HOLIDAYS_LOAD = "presidium.holidays_load", _("载入节假日安排")
    HOLIDAYS_EDIT = "presidium.holidays_edit", _("修改节假日安排")
    # Congress sessions and the presidium (congress)
    SESSION_UPDATE = "congress.session.update", _("修改人代会会议信息")
    SESSION_CHECKLIST = "congress.session.checklist", _("勾选会前准备事项")
    SESSION_NOTICE = "congress.session.notice", _("发送人代会会议通知")
    AGENDA_ADD = "congress.agenda.add", _("添加会议议程")
    AGENDA_SENT = "congress.agenda.sent", _("登记会议文件送达")
    OBSERVER_ADD = "congress.observer.add", _("登记列席人员")
    ELECTION_CREATE = "congress.election.create", _("新建主席团选举")
    ELECTION_RECORD = "congress.election.record", _("登记选举计票结果")
    ELECTION_NEXT_ROUND = "congress.election.next_round", _("登记另行选举")
    PRESIDIUM_ADD = "congress.presidium.add", _("录入主席团成员")
    PRESIDIUM_END = "congress.presidium.end", _("主席团成员任职终止")
    MEETING_TOPIC = "congress.meeting.topic", _("添加主席团会议议题")
    MEETING_VOTE = "congress.meeting.vote", _("登记主席团会议表决")
    MEETING_MINUTES = "congress.meeting.minutes", _("保存主席团会议纪要")
    MEETING_NOTICE = "congress.meeting.notice", _("发送主席团会议通知")
    # Deputies, terms and their records (deputies)
    DEPUTY_CREATE = "deputy.create", _("新增代表")
    DEPUTY_BY_ELECTION = "deputy.by_election", _("补选代表")
    DEPUTY_UPDATE = "deputy.update", _("修改代表信息")
    DEPUTY_IMPORT = "deputy.import", _("导入代表名册")
    TERM_CREATE = "term.create", _("新建届次")
    TERM_CLOSE = "term.close", _("届满")
    TERM_CHANGE = "term.change", _("换届")
    DISTRICT_SAVE = "district.save", _("保存选区")
    GROUP_SAVE = "group.save", _("保存代表小组")
    STATION_SAVE = "station.save", _("保存代表联络站")
    RECEPTION_DAY_PLAN = "reception_day.plan", _("安排接待选民日")
    RECEPTION_DAY_HOLD = "reception_day.hold", _("接待选民日已接待")
    RECEPTION_DAY_CANCEL = "reception_day.cancel", _("取消接待选民日")
    DUTY_REPORT_RECORD = "duty_report.record", _("登记代表述职")
    TRAINING_RECORD = "training.record", _("登记学习培训")
    ACTIVITY_RECORD = "activity.record", _("登记代表活动")
    # record_delete stores the model's name: "votercontact", "dutyreport".
    VOTER_CONTACT_DELETE = "votercontact.delete", _("删除联系选民记录")
    TRAINING_DELETE = "training.delete", _("删除学习培训记录")
    ACTIVITY_DELETE = "activity.delete", _("删除代表活动记录")
    DUTY_REPORT_DELETE = "dutyreport.delete", _("删除代表述职记录")
    # Past registers (suggestions, supervision)
    SUGGESTION_HISTORY_IMPORT = "suggestion.history_import", _("导入历年建议")
    PETITION_HISTORY_IMPORT = "petition.history_import", _("导入历年信访")
    # Supervision (supervision)
    SUPERVISION_ACTIVITY_CREATE = "supervision.activity_create", _("新建监督活动")
    SUPERVISION_ACTIVITY_UPDATE = "supervision.activity_update", _("修改监督活动")
    SUPERVISION_PARTICIPANTS_ADD = "supervision.participants_add", _("添加监督活动参加代表")
    SUPERVISION_PARTICIPANT_REMOVE = "supervision.participant_remove", _("移除监督活动参加代表")
    SUPERVISION_ATTACHMENT_ADD = "supervision.attachment_add", _("上传监督活动附件")
    SUPERVISION_FINDING_DELETE = "supervision.finding_delete", _("删除问题与意见")
    SUPERVISION_FINDING_FORWARD = "supervision.finding_forward", _("转交问题与意见")
    SUPERVISION_COMMITMENT_MID_CHECKED = "supervision.commitment_mid_checked", _("承诺/实事事项年中查账")
    SUPERVISION_COMMITMENT_DELIVERED = "supervision.commitment_delivered", _("承诺/实事事项年底交账")
    APPRAISAL_CREATE = "supervision.appraisal_create", _("开始民主测评")
    APPRAISAL_REPORT = "supervision.appraisal_report", _("登记测评对象述职")
    APPRAISAL_PAPER = "supervision.appraisal_paper", _("录入纸质测评票数")
    APPRAISAL_BALLOT_RECORDED = "supervision.appraisal_ballot_recorded", _("代表提交测评票")
    APPRAISAL_CLOSE = "supervision.appraisal_close", _("结束民主测评")
    # Livelihood projects (livelihood)
    LIVELIHOOD_PROPOSE = "livelihood.propose", _("提出民生实事候选项目")
    LIVELIHOOD_BALLOT_OPEN = "livelihood.ballot_open", _("开始民生实事票决")
    LIVELIHOOD_BALLOT_COUNT = "livelihood.ballot_count", _("民生实事票决计票")
    LIVELIHOOD_BALLOT_REVOTE = "livelihood.ballot_revote", _("民生实事重新票决")
    LIVELIHOOD_MILESTONE_ADD = "livelihood.milestone_add", _("添加民生实事实施节点")
    LIVELIHOOD_MILESTONE_DONE = "livelihood.milestone_done", _("民生实事实施节点完成")
    LIVELIHOOD_SUPERVISORS = "livelihood.supervisors", _("指定民生实事监督小组")
    LIVELIHOOD_ACTIVITY_LINK = "livelihood.activity_link", _("关联民生实事视察活动")
    # Notifications and reports
    NOTIFICATION_RESEND = "notification.resend", _("重新发送通知")
    NOTIFICATION_PREFERENCES = "notification.preferences", _("修改通知渠道")
    REPORT_NARRATIVE_SAVE = "report.narrative_save", _("保存报告正文")
    REPORT_DOCUMENT_SAVE = "report.document_save", _("登记收发文件")
    REPORT_DEED_SAVE = "report.deed_save", _("保存代表先进事迹")


class AuditEntry(models.Model):
    """Audit trail for administrative writes that are not workflow transitions (those have their own
    event tables): password resets, API keys, imports, settings changes."""

    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("操作人")
    )
    township = models.ForeignKey(Township, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    county = models.ForeignKey(County, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    action = models.CharField(_("操作"), max_length=60, db_index=True, choices=AuditAction.choices)
    object_repr = models.CharField(
        _("对象"),
        max_length=200,
        blank=True,
        help_text=_("操作对象在操作时的名称（对象以后改名或删除也不变）。"),
    )
    detail = models.JSONField(
        _("详情"),
        default=dict,
        blank=True,
        help_text=_("操作涉及的具体内容，例如规则修改前后的值（before 为原值，changed 为新值）。"),
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("操作日志")
        verbose_name_plural = _("操作日志")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["township", "-created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class HolidayYear(models.Model):
    """A year whose official calendar (the State Council's holiday notice) is loaded. Until a year
    has a row here (or chinesecalendar knows it), ``presidium.workdays`` counts it provisionally
    from the statutory holidays and marks deadlines over it as provisional."""

    class Source(models.TextChoices):
        PACKAGE = "package", _("chinesecalendar 内置数据")
        FILE = "file", _("导入文件")
        MANUAL = "manual", _("手工维护")

    year = models.PositiveSmallIntegerField(_("年度"), unique=True, validators=[MinValueValidator(2000)])
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    note = models.CharField(
        _("依据"), max_length=200, blank=True, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知")
    )
    loaded_at = models.DateTimeField(_("载入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("节假日年度安排")
        verbose_name_plural = _("节假日年度安排")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class HolidayDay(models.Model):
    """One day that differs from the Monday–Friday week: an official rest day (法定节假日 or a day
    of its holiday block) or a make-up working day (调休上班, usually a Saturday or Sunday)."""

    class Kind(models.TextChoices):
        REST = "rest", _("放假")
        WORK = "work", _("调休上班")

    year = models.ForeignKey(
        HolidayYear, on_delete=models.CASCADE, related_name="days", verbose_name=_("年度")
    )
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=4, choices=Kind.choices)
    name = models.CharField(_("节日"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("节假日/调休日")
        verbose_name_plural = _("节假日/调休日")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.year_id and self.date and self.date.year != self.year.year:
            raise ValidationError({"date": _("日期须在%(y)s年内。") % {"y": self.year.year}})


__all__ = [
    "ApiKey",
    "AuditAction",
    "AuditEntry",
    "County",
    "CountyRules",
    "HandlingUnit",
    "HolidayDay",
    "HolidayYear",
    "MinValueValidator",
    "Role",
    "StaffTitle",
    "Township",
    "User",
]
