"""Supervision (监督) and letters and visits (信访).

- ``SupervisionActivity`` of a typed kind (视察/执法检查/调研/专项工作报告/专项督查/评议/三账) with its
  teams, participating deputies, target units, findings and attachments.
- ``CommitmentItem``: a "practical thing" (实事) checked at mid-year in 专项督查, or a station's
  commitment in the "three accounts" (三账: set at the start of the year, checked mid-year,
  delivered at year end).
- ``Rectification`` (整改) with its transition table (``RECTIFICATION_TRANSITIONS`` in services)
  and ``RectificationEvent`` rows.
- ``Appraisal`` / ``AppraisalTarget`` (民主测评): paper counts and in-app counts are tallies; who
  voted in the app is kept in ``AppraisalVoter`` with no link to the choice made.
- ``Petition`` (信访) and ``PetitionEvent``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from presidium.models import HandlingUnit, StatusEvent, Township


class ActivityKind(models.TextChoices):
    INSPECTION = "inspection", _("视察")
    LAW_ENFORCEMENT = "law_enforcement", _("执法检查")
    RESEARCH = "research", _("调研")
    SPECIAL_REPORT = "special_report", _("专项工作报告")
    SPECIAL_OVERSIGHT = "special_oversight", _("专项督查")
    APPRAISAL = "appraisal", _("评议")
    THREE_ACCOUNTS = "three_accounts", _("三账")


class SupervisionActivity(models.Model):
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="supervision_activities", verbose_name=_("乡镇")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=ActivityKind.choices)
    topic = models.CharField(_("主题"), max_length=120)
    plan = models.TextField(_("活动方案"), blank=True)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    law_checked = models.CharField(
        _("检查的法律法规"),
        max_length=120,
        blank=True,
        help_text=_("执法检查必填，如《中华人民共和国土地管理法》"),
    )
    certificate_holder = models.ForeignKey(
        "deputies.Deputy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificate_inspections",
        verbose_name=_("持证视察代表"),
        help_text=_("代表个人持证视察时填写；集体视察留空"),
    )
    target_units = models.ManyToManyField(
        HandlingUnit, blank=True, related_name="supervision_activities", verbose_name=_("监督对象单位")
    )
    voters_visited = models.PositiveIntegerField(_("走访选民(人次)"), default=0)
    forums_held = models.PositiveIntegerField(_("召开座谈会(次)"), default=0)
    report = models.TextField(_("活动报告"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("监督活动")
        verbose_name_plural = _("监督活动")
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["township", "start_date"]),
            models.Index(fields=["township", "kind", "start_date"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.topic}"

    @property
    def is_certificate_inspection(self):
        return self.kind == ActivityKind.INSPECTION and self.certificate_holder_id is not None


class ActivityTeam(models.Model):
    """A team (小组) the participating deputies are split into."""

    activity = models.ForeignKey(SupervisionActivity, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("小组名称"), max_length=40)
    leader = models.ForeignKey(
        "deputies.Deputy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("组长"),
    )

    class Meta:
        verbose_name = _("活动小组")
        verbose_name_plural = _("活动小组")
        ordering = ["activity", "name"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "name"], name="unique_team_name_per_activity")
        ]

    def __str__(self):
        return self.name


class ActivityParticipant(models.Model):
    activity = models.ForeignKey(SupervisionActivity, on_delete=models.CASCADE, related_name="participants")
    deputy = models.ForeignKey(
        "deputies.Deputy",
        on_delete=models.PROTECT,
        related_name="supervision_participations",
        verbose_name=_("代表"),
    )
    team = models.ForeignKey(
        ActivityTeam,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("小组"),
    )

    class Meta:
        verbose_name = _("参加代表")
        verbose_name_plural = _("参加代表")
        constraints = [models.UniqueConstraint(fields=["activity", "deputy"], name="unique_participant")]
        indexes = [models.Index(fields=["deputy", "activity"])]

    def __str__(self):
        return str(self.deputy)


def attachment_path(instance, filename):
    return f"supervision/{instance.activity.township_id}/{instance.activity_id}/{filename}"


class ActivityAttachment(models.Model):
    activity = models.ForeignKey(SupervisionActivity, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小(字节)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("活动附件")
        verbose_name_plural = _("活动附件")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.name


class Finding(models.Model):
    """A problem found (问题) or an opinion collected (意见建议) during an activity."""

    class Kind(models.TextChoices):
        PROBLEM = "problem", _("发现问题")
        OPINION = "opinion", _("意见建议")

    activity = models.ForeignKey(SupervisionActivity, on_delete=models.CASCADE, related_name="findings")
    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        _("类别"),
        max_length=10,
        choices=Kind.choices,
        help_text=_("监督活动中发现的问题，或收集到的意见建议；两者在统计和工作报告中分别计数。"),
    )
    content = models.TextField(_("内容"))
    forwarded_unit = models.ForeignKey(
        HandlingUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("转交单位"),
    )
    forwarded_at = models.DateTimeField(_("转交时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("问题与意见")
        verbose_name_plural = _("问题与意见")
        ordering = ["activity", "pk"]
        indexes = [models.Index(fields=["township", "kind"])]

    def __str__(self):
        return self.content[:40]


class CommitmentItem(models.Model):
    """A practical thing (实事, 专项督查) or a station's commitment (三账): set at the start of the
    year (建账), checked at mid-year (查账), delivered at year end (交账)."""

    class Stage(models.TextChoices):
        SET = "set", _("年初建账")
        MID_CHECKED = "mid_checked", _("年中查账")
        DELIVERED = "delivered", _("年底交账")

    class Result(models.TextChoices):
        NONE = "", _("—")
        ON_TRACK = "on_track", _("按进度推进")
        BEHIND = "behind", _("进度滞后")
        DONE = "done", _("已完成")
        PARTLY = "partly", _("部分完成")
        NOT_DONE = "not_done", _("未完成")

    activity = models.ForeignKey(SupervisionActivity, on_delete=models.CASCADE, related_name="commitments")
    unit = models.ForeignKey(
        HandlingUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任单位/站所"),
    )
    title = models.CharField(_("事项"), max_length=200)
    stage = models.CharField(
        _("阶段"),
        max_length=12,
        choices=Stage.choices,
        default=Stage.SET,
        help_text=_("“三账”监督的进度：年初建账、年中查账、年底交账。"),
    )
    mid_year_result = models.CharField(
        _("年中进度"),
        max_length=10,
        choices=Result.choices,
        blank=True,
        help_text=_("年中查账时的进度：按进度推进、进度滞后或已完成。"),
    )
    mid_year_note = models.TextField(_("年中查账情况"), blank=True)
    year_end_result = models.CharField(
        _("年底结果"),
        max_length=10,
        choices=Result.choices,
        blank=True,
        help_text=_("年底交账时的完成情况：已完成、部分完成或未完成。"),
    )
    year_end_note = models.TextField(_("年底交账情况"), blank=True)

    class Meta:
        verbose_name = _("承诺/实事事项")
        verbose_name_plural = _("承诺/实事事项")
        ordering = ["activity", "unit", "pk"]

    def __str__(self):
        return self.title


class Appraisal(models.Model):
    """民主测评 attached to an appraisal activity (评议)."""

    class Status(models.TextChoices):
        OPEN = "open", _("测评中")
        CLOSED = "closed", _("已结束")

    activity = models.OneToOneField(SupervisionActivity, on_delete=models.CASCADE, related_name="appraisal")
    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    low_score_threshold = models.PositiveSmallIntegerField(
        _("满意率整改线(%)"),
        default=80,
        help_text=_("满意率(满意+基本满意)低于此值的单位自动生成整改事项"),
    )
    rectification_workdays = models.PositiveSmallIntegerField(
        _("整改期限(工作日)"),
        default=20,
        help_text=_("满意率低于整改线的单位自动生成的整改事项的整改期限（工作日）。"),
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("民主测评")
        verbose_name_plural = _("民主测评")
        indexes = [models.Index(fields=["township", "status"])]

    def __str__(self):
        return str(self.activity.topic)


def satisfaction_rate(good: int, total: int) -> float | None:
    """The democratic-scoring satisfaction rate (民主测评满意率): (满意 + 基本满意) / 有效票, in percent
    with one decimal; None without ballots. The one definition: a target, an appraisal's totals, the
    township figures and the livelihood projects' year-end score all use it."""
    return round(good * 100 / total, 1) if total else None


class AppraisalTarget(models.Model):
    """A unit (or an official) under appraisal, its report (述职) and the tallies. Counts only:
    in-app ballots are added to ``app_*`` so no row ties a deputy to a choice."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(
        HandlingUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("被评议单位"),
    )
    official_name = models.CharField(_("被评议人员"), max_length=40, blank=True)
    report = models.TextField(_("述职报告"), blank=True)
    paper_satisfied = models.PositiveIntegerField(_("纸质票·满意"), default=0)
    paper_basic = models.PositiveIntegerField(_("纸质票·基本满意"), default=0)
    paper_unsatisfied = models.PositiveIntegerField(_("纸质票·不满意"), default=0)
    app_satisfied = models.PositiveIntegerField(_("线上票·满意"), default=0)
    app_basic = models.PositiveIntegerField(_("线上票·基本满意"), default=0)
    app_unsatisfied = models.PositiveIntegerField(_("线上票·不满意"), default=0)

    class Meta:
        verbose_name = _("测评对象")
        verbose_name_plural = _("测评对象")
        ordering = ["appraisal", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False) | ~models.Q(official_name=""),
                name="appraisal_target_named",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        if self.unit_id and self.official_name:
            return f"{self.unit.name} {self.official_name}"
        return self.unit.name if self.unit_id else self.official_name

    @property
    def satisfied(self):
        return self.paper_satisfied + self.app_satisfied

    @property
    def basic(self):
        return self.paper_basic + self.app_basic

    @property
    def unsatisfied(self):
        return self.paper_unsatisfied + self.app_unsatisfied

    @property
    def total(self):
        return self.satisfied + self.basic + self.unsatisfied

    @property
    def satisfaction_rate(self):
        return satisfaction_rate(self.satisfied + self.basic, self.total)


class AppraisalVoter(models.Model):
    """Who cast a personal ballot (not how): one row per deputy per appraisal. A deputy's paper
    ballot may be recorded for them by the office (代录): ``recorded_by`` and ``channel`` say so."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("本人网上投票")
        PAPER = "paper", _("纸质选票代录")

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="voters")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="+")
    voted_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices, default=Channel.ONLINE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("代录人"),
    )

    class Meta:
        verbose_name = _("已投票代表")
        verbose_name_plural = _("已投票代表")
        constraints = [models.UniqueConstraint(fields=["appraisal", "deputy"], name="one_ballot_per_deputy")]

    def __str__(self):
        return f"{self.deputy} @ {self.appraisal_id}"


class Rectification(models.Model):
    """整改: a finding (or a low appraisal score) sent to a unit with a deadline."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("待整改")
        IN_PROGRESS = "in_progress", _("整改中")
        SUBMITTED = "submitted", _("已报完成·待核实")
        REOPENED = "reopened", _("退回重新整改")
        VERIFIED = "verified", _("已核实销号")

    OPEN_STATUSES = (Status.ASSIGNED, Status.IN_PROGRESS, Status.REOPENED)

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="rectifications")
    finding = models.ForeignKey(
        Finding,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectifications",
        verbose_name=_("来源问题"),
    )
    appraisal_target = models.ForeignKey(
        AppraisalTarget,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectifications",
        verbose_name=_("来源测评"),
    )
    unit = models.ForeignKey(
        HandlingUnit, on_delete=models.PROTECT, related_name="rectifications", verbose_name=_("整改单位")
    )
    title = models.CharField(_("整改事项"), max_length=200)
    requirement = models.TextField(_("整改要求"), blank=True)
    assigned_on = models.DateField(_("交办日期"))
    deadline_workdays = models.PositiveSmallIntegerField(
        _("期限(工作日)"),
        null=True,
        blank=True,
        help_text=_("按工作日计算期限时记录天数，期限按法定节假日和调休推算"),
    )
    deadline = models.DateField(_("整改期限"))
    deadline_provisional = models.BooleanField(
        _("期限暂定"),
        default=False,
        help_text=_("期限跨入国务院尚未公布节假日安排的年度，暂按法定节日推算，公布并载入后自动重算。"),
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.ASSIGNED)
    version = models.PositiveIntegerField(
        _("版本"), default=1, help_text=_("每次流转加一；表单带回所见版本，以发现并发修改。")
    )
    submitted_at = models.DateTimeField(_("报完成时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["township", "status", "deadline"]),
            models.Index(fields=["unit", "status", "deadline"]),
            models.Index(fields=["township", "assigned_on"]),
        ]

    def __str__(self):
        return self.title

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.status in self.OPEN_STATUSES and self.deadline < today


def evidence_path(instance, filename):
    return f"rectification/{instance.rectification.township_id}/{instance.rectification_id}/{filename}"


RECTIFICATION_ACTION_LABELS = {
    "assign": _("交办"),
    "progress": _("报告整改进展"),
    "complete": _("报告整改完成"),
    "verify": _("核实销号"),
    "reopen": _("退回重新整改"),
    "extend": _("延长整改期限"),
}
PETITION_ACTION_LABELS = {
    "register": _("登记"),
    "forward": _("转办"),
    "investigate": _("调查"),
    "close": _("办结"),
    "import": _("历史登记簿导入"),
}


class RectificationEvent(StatusEvent):
    subject_field = "rectification"
    status_enum = Rectification.Status
    action_labels = RECTIFICATION_ACTION_LABELS

    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="events")

    class Meta(StatusEvent.Meta):
        verbose_name = _("整改记录")
        verbose_name_plural = _("整改记录")


class RectificationEvidence(models.Model):
    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="evidence")
    event = models.ForeignKey(RectificationEvent, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("佐证材料"), upload_to=evidence_path)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("整改佐证材料")
        verbose_name_plural = _("整改佐证材料")

    def __str__(self):
        return self.name


class Petition(models.Model):
    """信访: a letter or visit from a citizen or a deputy."""

    class Channel(models.TextChoices):
        LETTER = "letter", _("来信")
        VISIT = "visit", _("来访")
        PHONE = "phone", _("来电")
        ONLINE = "online", _("网上信访")

    class SourceKind(models.TextChoices):
        CITIZEN = "citizen", _("群众")
        DEPUTY = "deputy", _("代表")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("已登记")
        FORWARDED = "forwarded", _("已转办")
        INVESTIGATING = "investigating", _("调查中")
        CLOSED = "closed", _("已办结")

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="petitions")
    received_on = models.DateField(_("收到日期"))
    channel = models.CharField(_("方式"), max_length=8, choices=Channel.choices)
    source_kind = models.CharField(
        _("来源"), max_length=8, choices=SourceKind.choices, default=SourceKind.CITIZEN
    )
    person_name = models.CharField(_("信访人"), max_length=30, blank=True)
    contact = models.CharField(_("联系方式"), max_length=40, blank=True)
    deputy = models.ForeignKey(
        "deputies.Deputy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("反映代表"),
    )
    subject = models.CharField(_("事由"), max_length=120)
    content = models.TextField(_("内容"))
    status = models.CharField(_("状态"), max_length=14, choices=Status.choices, default=Status.REGISTERED)
    version = models.PositiveIntegerField(
        _("版本"), default=1, help_text=_("每次流转加一；表单带回所见版本，以发现并发修改。")
    )
    forwarded_unit = models.ForeignKey(
        HandlingUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("转办单位"),
    )
    forwarded_to = models.CharField(
        _("转交机关"), max_length=60, blank=True, help_text=_("转交本乡镇以外的机关时填写")
    )
    forwarded_at = models.DateTimeField(null=True, blank=True)
    investigated_at = models.DateTimeField(null=True, blank=True)
    result = models.TextField(_("办理结果"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The register's own number; petitions from a past year's register are marked imported.
    number = models.CharField(
        _("编号"), max_length=30, blank=True, help_text=_("信访登记簿上的编号；历史导入的信访保留原编号。")
    )
    is_imported = models.BooleanField(
        _("历史导入"),
        default=False,
        help_text=_("从往年信访登记簿导入的历史记录，按登记簿原样录入并办结。"),
    )

    class Meta:
        verbose_name = _("信访")
        verbose_name_plural = _("信访")
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["township", "received_on"]),
            models.Index(fields=["township", "status"]),
            models.Index(fields=["township", "channel", "received_on"]),
        ]

    def __str__(self):
        return self.subject


class PetitionEvent(StatusEvent):
    subject_field = "petition"
    status_enum = Petition.Status
    action_labels = PETITION_ACTION_LABELS

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")
