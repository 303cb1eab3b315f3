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
    """Per-county settings for every number DOMAIN.md marks *(config)*; defaults are the statutory ones."""

    county = models.OneToOneField(County, on_delete=models.CASCADE, verbose_name=_("县(区)"))
    # Congress sessions and presidium
    sessions_per_year = models.PositiveSmallIntegerField(_("每年人代会次数"), default=2)
    session_quorum_num = models.PositiveSmallIntegerField(_("开会法定人数(分子)"), default=2)
    session_quorum_den = models.PositiveSmallIntegerField(_("开会法定人数(分母)"), default=3)
    extraordinary_request_num = models.PositiveSmallIntegerField(_("提议临时会议代表比例(分子)"), default=1)
    extraordinary_request_den = models.PositiveSmallIntegerField(_("提议临时会议代表比例(分母)"), default=5)
    # Resolutions pass with MORE than num/den of ALL current deputies (not of those present).
    resolution_majority_num = models.PositiveSmallIntegerField(_("决议通过比例(分子，须超过)"), default=1)
    resolution_majority_den = models.PositiveSmallIntegerField(_("决议通过比例(分母)"), default=2)
    presidium_quorum_num = models.PositiveSmallIntegerField(_("主席团会议法定人数(分子)"), default=2)
    presidium_quorum_den = models.PositiveSmallIntegerField(_("主席团会议法定人数(分母)"), default=3)
    presidium_majority_num = models.PositiveSmallIntegerField(
        _("主席团决定通过比例(分子，须超过)"), default=1
    )
    presidium_majority_den = models.PositiveSmallIntegerField(_("主席团决定通过比例(分母)"), default=2)
    presidium_meeting_interval_months = models.PositiveSmallIntegerField(_("主席团会议间隔(月)"), default=3)
    presidium_min_members = models.PositiveSmallIntegerField(_("主席团最少人数"), default=7)
    presidium_max_members = models.PositiveSmallIntegerField(_("主席团最多人数"), default=13)
    presidium_max_members_large = models.PositiveSmallIntegerField(
        _("代表超过100人时主席团最多人数"), default=15
    )
    presidium_large_threshold = models.PositiveSmallIntegerField(_("大乡镇代表人数门槛"), default=100)
    motion_min_deputies = models.PositiveSmallIntegerField(_("议案联名最少代表数"), default=5)
    # Suggestions
    assign_within_workdays = models.PositiveSmallIntegerField(_("闭会期间交办时限(工作日)"), default=5)
    reply_within_months = models.PositiveSmallIntegerField(_("答复时限(月)"), default=3)
    extension_max_months = models.PositiveSmallIntegerField(_("延期最长(月)"), default=6)
    rehandle_within_months = models.PositiveSmallIntegerField(_("重新办理时限(月)"), default=1)
    return_within_workdays = models.PositiveSmallIntegerField(_("退办时限(工作日)"), default=7)
    co_unit_input_within_months = models.PositiveSmallIntegerField(_("协办意见时限(月)"), default=1)
    categories = models.JSONField(_("建议分类"), default=default_categories)
    outcome_classes = models.JSONField(_("办理结果分类"), default=default_outcome_classes)
    not_accepted_reasons = models.JSONField(_("不予立案理由"), default=default_not_accepted_reasons)
    # Deputies
    voter_contacts_per_deputy = models.PositiveSmallIntegerField(_("每名代表固定联系选民数"), default=3)
    six_ones_targets = models.JSONField(_("“六个一”年度目标"), default=default_six_ones)
    cadre_share_warning_percent = models.PositiveSmallIntegerField(_("干部代表比例预警(%)"), default=30)
    dormant_after_months = models.PositiveSmallIntegerField(_("无履职记录判定期(月)"), default=12)
    archive_weights = models.JSONField(_("履职积分规则"), default=default_archive_weights)
    # Livelihood projects chosen by the deputies' vote (民生实事项目票决制)
    livelihood_projects_to_choose = models.PositiveSmallIntegerField(_("民生实事项目每年票决数"), default=10)
    livelihood_max_approvals = models.PositiveSmallIntegerField(
        _("每张票最多赞成项目数"), default=10, help_text=_("超过此数的选票作废。")
    )
    livelihood_extra_candidates = models.PositiveSmallIntegerField(
        _("候选项目至少多于票决数"), default=1, help_text=_("候选项目数须不少于票决数加此数（差额票决）。")
    )
    livelihood_satisfaction_line = models.PositiveSmallIntegerField(_("民生实事满意率整改线(%)"), default=80)
    livelihood_rectification_workdays = models.PositiveSmallIntegerField(
        _("民生实事整改期限(工作日)"), default=20
    )
    # Reminders
    reminder_rules = models.JSONField(_("提醒规则"), default=default_reminder_rules)

    class Meta:
        verbose_name = _("县级规则设置")
        verbose_name_plural = _("县级规则设置")

    def __str__(self):
        return f"{self.county} {_('规则设置')}"

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

    A concrete table names its status enum in ``status_enum`` (for ``from_label``/``to_label``) and
    its action labels in ``action_labels`` (for ``action_label``). Rows are written through the
    app's ``events`` module, never created directly by services."""

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


class AuditEntry(models.Model):
    """Audit trail for administrative writes that are not workflow transitions (those have their own
    event tables): password resets, API keys, imports, settings changes."""

    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("操作人")
    )
    township = models.ForeignKey(Township, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    county = models.ForeignKey(County, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    action = models.CharField(_("操作"), max_length=60, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
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
