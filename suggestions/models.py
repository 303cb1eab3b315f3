"""Suggestions (建议) and motions turned into suggestions: the closed loop from a deputy's phone to
the unit's reply and the deputy's rating. The workflow itself (which action moves which status)
is the table in ``suggestions/workflow.py``; writes go through ``suggestions/services/``."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy
from presidium.models import HandlingUnit, StatusEvent, Township


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审查")
    ACCEPTED = "accepted", _("已立案待交办")
    NOT_ACCEPTED = "not_accepted", _("不予立案")
    ASSIGNED = "assigned", _("已交办待签收")
    SIGNED = "signed", _("办理中")
    RETURNED = "returned", _("已退办待改派")
    REPLIED = "replied", _("已答复待测评")
    REHANDLING = "rehandling", _("重新办理中")
    CLOSED = "closed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")
    MERGED = "merged", _("已并案")


# Statuses in which the office still owes an assignment, and in which a unit still owes a reply.
AWAITING_ASSIGNMENT = (Status.SUBMITTED, Status.ACCEPTED, Status.RETURNED)
IN_HANDLING = (Status.ASSIGNED, Status.SIGNED, Status.REHANDLING)
OPEN_STATUSES = (*AWAITING_ASSIGNMENT, *IN_HANDLING)


def overdue_on(status: str, due_date, today) -> bool:
    """逾期, the one overdue rule: an open item (awaiting assignment or a reply) whose current due date
    is before ``today``. ``suggestions.selectors.overdue_q`` is its query form; rows read as values
    (the API list, the register export) and model instances (``Suggestion.is_overdue``) call this."""
    return status in OPEN_STATUSES and due_date is not None and due_date < today


# Reached a unit (counts as "assigned" in the statistics).
ASSIGNED_OR_LATER = (Status.ASSIGNED, Status.SIGNED, Status.REPLIED, Status.REHANDLING, Status.CLOSED)


class SourceKind(models.TextChoices):
    ONLINE = "online", _("代表网上提交")
    PAPER_SESSION = "paper_session", _("人代会期间书面提交")
    VOTER_OPINION = "voter_opinion", _("选民意见转办")
    RECEPTION_DAY = "reception_day", _("接待选民日")
    MOTION = "motion", _("议案转建议")
    SUPERVISION = "supervision", _("监督活动")
    OTHER = "other", _("其他")


class Level(models.TextChoices):
    TOWNSHIP = "township", _("本级办理")
    COUNTY = "county", _("转县(市)办理")
    VILLAGE = "village", _("转村(社区)办理")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class Channel(models.TextChoices):
    """How a step reached the system. A person's own action in the app is ``online``; the other
    channels mean the office recorded it for them (代录) from paper, a phone call or in person."""

    ONLINE = "online", _("本人网上操作")
    PAPER = "paper", _("纸质")
    PHONE = "phone", _("电话")
    IN_PERSON = "in_person", _("当面")


RECORDED_CHANNELS = (Channel.PAPER, Channel.PHONE, Channel.IN_PERSON)


class ExtensionStatus(models.TextChoices):
    NONE = "", _("无")
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已同意")
    REFUSED = "refused", _("未同意")


class Suggestion(models.Model):
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="suggestions", verbose_name=_("乡镇")
    )
    # Number per township and year (2024-017), given on acceptance from SuggestionCounter.
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    seq = models.PositiveIntegerField(
        _("序号"), null=True, blank=True, help_text=_("立案时给出的本乡镇本年度顺序号，与年度组成编号。")
    )
    number = models.CharField(
        _("编号"),
        max_length=20,
        blank=True,
        help_text=_("立案编号，格式为“年度-序号”，如 2024-017；历史导入的建议保留原编号。"),
    )
    title = models.CharField(_("标题"), max_length=120)
    content = models.TextField(_("内容"))
    reasons = models.TextField(_("理由"), blank=True)
    solution = models.TextField(_("建议办法"), blank=True)
    category = models.CharField(_("分类"), max_length=30, blank=True)
    level = models.CharField(
        _("办理层级"),
        max_length=10,
        choices=Level.choices,
        default=Level.TOWNSHIP,
        help_text=_("事项归哪一级办理：本乡镇办理，或转县(市)、转村(社区)办理。"),
    )
    status = models.CharField(_("状态"), max_length=14, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(
        _("版本"), default=0, help_text=_("每次流转加一；表单带回所见版本，以发现并发修改。")
    )
    # Origin: the deputy's phone, a paper form at the session, a voter opinion, a motion …
    source_kind = models.CharField(
        _("来源"),
        max_length=16,
        choices=SourceKind.choices,
        default=SourceKind.ONLINE,
        help_text=_(
            "建议从哪里来：代表网上提交、人代会期间书面提交、选民意见或接待选民日转办、议案转建议、监督活动等。"
        ),
    )
    source_content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_content_type", "source_object_id")
    during_session = models.BooleanField(_("大会期间提出"), default=False)
    # The session it was made at (人代会); empty with during_session False means between sessions.
    session = models.ForeignKey(
        "congress.Session",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("提出会议"),
    )
    lead_deputy = models.ForeignKey(
        Deputy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_suggestions",
        verbose_name=_("领衔代表"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    # Intake
    not_accepted_reason = models.CharField(_("不予立案理由"), max_length=60, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_items",
        verbose_name=_("并入建议"),
    )
    is_key = models.BooleanField(
        _("重点督办"),
        default=False,
        help_text=_("列为主席团重点督办（挂牌督办）的建议，在督办情况和工作报告中单列。"),
    )
    # Assignment
    lead_unit = models.ForeignKey(
        HandlingUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_suggestions",
        verbose_name=_("主办单位"),
    )
    responsible_leader = models.CharField(_("责任领导"), max_length=30, blank=True)
    # Handling round: 1 for the first handling, 2 after an unsatisfied rating (重新办理).
    round = models.PositiveSmallIntegerField(
        _("办理轮次"), default=1, help_text=_("第几轮办理：首次办理为 1；代表对答复不满意、重新办理时为 2。")
    )
    extension_status = models.CharField(
        _("延期申请"),
        max_length=10,
        choices=ExtensionStatus.choices,
        blank=True,
        default="",
        help_text=_("承办单位申请延长答复期限的审批情况；同意后答复期限改为申请的日期。"),
    )
    extension_until = models.DateField(_("申请延期至"), null=True, blank=True)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    # Outcome (latest reply and rating; the history is in SuggestionReply / SuggestionEvaluation)
    outcome_class = models.CharField(
        _("办理结果分类"),
        max_length=8,
        blank=True,
        help_text=_(
            "最近一次答复的办理结果分类代码，分类由县级规则设置（默认 A 已解决/采纳、B 列入计划解决、C 留作参考）。"
        ),
    )
    rating = models.CharField(_("满意度"), max_length=12, choices=Rating.choices, blank=True)
    first_rating = models.CharField(
        _("首次测评"),
        max_length=12,
        choices=Rating.choices,
        blank=True,
        help_text=_("代表对第一轮答复的测评；重新办理后不再改变，用于统计首次满意率。"),
    )
    planned_done_at = models.DateTimeField(
        _("计划事项完成时间"),
        null=True,
        blank=True,
        help_text=_("结果为“列入计划”的建议跨年跟踪，直至完成。"),
    )
    # Stage timestamps
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    # Deadlines as data, computed by suggestions.deadlines.due_date from the county's rules.
    assign_due = models.DateField(
        _("交办期限"),
        null=True,
        blank=True,
        help_text=_(
            "人大办应交办的最后日期：闭会期间收到的建议自收到（退办后自退办）之日起按“闭会期间交办时限”的工作日计算；大会期间提出的建议在交办会交办，没有此期限。"
        ),
    )
    return_due = models.DateField(
        _("退办期限"),
        null=True,
        blank=True,
        help_text=_("承办单位可以退办的最后日期：自交办之日起按“退办时限”的工作日计算，过期不能退办。"),
    )
    co_input_due = models.DateField(
        _("协办意见期限"),
        null=True,
        blank=True,
        help_text=_("协办单位向主办单位提交协办意见的最后日期：自交办之日起按“协办意见时限”计算。"),
    )
    reply_due = models.DateField(
        _("答复期限"),
        null=True,
        blank=True,
        help_text=_(
            "承办单位应答复的最后日期：自交办之日起按“答复时限”计算；同意延期后为延期日期，重新办理时自测评之日起按“重新办理时限”重新计算。"
        ),
    )
    # The due date of the stage the item is in now (assignment or reply); overdue = due_date < today.
    due_date = models.DateField(
        _("当前期限"),
        null=True,
        blank=True,
        help_text=_("建议当前所处阶段（交办或答复）的期限，早于今天即为逾期。"),
    )
    replied_on_time = models.BooleanField(
        _("按期答复"),
        null=True,
        blank=True,
        help_text=_("第一轮答复是否在答复期限（含同意的延期）之内；尚未答复时为空。"),
    )
    # Entered from a past year's register (history import), closed as it was, original number kept.
    is_imported = models.BooleanField(
        _("历史导入"),
        default=False,
        help_text=_("从往年登记簿导入的历史建议：按登记簿原样录入并办结，保留原编号。"),
    )
    # {due field: [stage, start ISO date]}: how each due date was computed, so it can be recomputed.
    deadline_basis = models.JSONField(
        _("期限依据"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("每个期限据以计算的阶段和起算日期；载入新的节假日安排后据此重算暂定期限。"),
    )
    deadlines_provisional = models.BooleanField(
        _("期限暂定"),
        default=False,
        help_text=_("期限跨入国务院尚未公布节假日安排的年度，暂按法定节日推算，公布并载入后自动重算。"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("代表建议")
        verbose_name_plural = _("代表建议")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "year", "seq"],
                condition=models.Q(seq__isnull=False),
                name="unique_suggestion_number",
            ),
        ]
        indexes = [
            models.Index(fields=["township", "status"]),
            models.Index(fields=["township", "year"]),
            models.Index(fields=["township", "category"]),
            models.Index(fields=["township", "is_key"]),
            models.Index(fields=["township", "source_kind"]),
            models.Index(fields=["township", "submitted_at"]),
            models.Index(fields=["township", "due_date"]),
            models.Index(fields=["township", "-created_at"]),
            models.Index(fields=["lead_unit", "status"]),
            models.Index(fields=["lead_deputy", "status"]),
            models.Index(fields=["source_content_type", "source_object_id"]),
        ]

    def __str__(self):
        return f"{self.number} {self.title}" if self.number else self.title

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    def is_overdue(self, today=None):
        return overdue_on(self.status, self.due_date, today or timezone.localdate())

    @property
    def overdue_now(self):
        return self.is_overdue()

    @property
    def can_rate(self):
        return self.status == Status.REPLIED

    @property
    def is_planned_pending(self):
        rules = self.township.rules
        return self.outcome_class in rules.planned_codes() and self.planned_done_at is None


class SuggestionCounter(models.Model):
    """The last number given per township and year; locked row, so two acceptances never share a number."""

    township = models.ForeignKey(Township, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["township", "year"], name="unique_suggestion_counter")]

    def __str__(self):
        return f"{self.township_id}/{self.year}: {self.last}"


class CoSigner(models.Model):
    """A co-signing deputy (附议代表) of a joint suggestion; invited by the lead, confirms in the app."""

    class State(models.TextChoices):
        INVITED = "invited", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        DECLINED = "declined", _("已谢绝")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="cosigners")
    deputy = models.ForeignKey(
        Deputy, on_delete=models.PROTECT, related_name="cosigned_suggestions", verbose_name=_("联名代表")
    )
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.INVITED)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("联名代表")
        verbose_name_plural = _("联名代表")
        constraints = [models.UniqueConstraint(fields=["suggestion", "deputy"], name="unique_cosigner")]
        indexes = [models.Index(fields=["deputy", "state"])]

    def __str__(self):
        return f"{self.deputy_id} → {self.suggestion_id} ({self.state})"


class CoUnit(models.Model):
    """A co-handling unit (协办单位) that sends its input to the lead unit."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="co_units")
    unit = models.ForeignKey(
        HandlingUnit, on_delete=models.PROTECT, related_name="co_suggestions", verbose_name=_("协办单位")
    )
    input_text = models.TextField(_("协办意见"), blank=True)
    input_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("协办单位")
        verbose_name_plural = _("协办单位")
        constraints = [models.UniqueConstraint(fields=["suggestion", "unit"], name="unique_co_unit")]
        indexes = [models.Index(fields=["unit", "suggestion"])]

    def __str__(self):
        return f"{self.unit_id} → {self.suggestion_id}"


class SuggestionEvent(StatusEvent):
    """One row per workflow action: who, when, from, to, comment and details (the item's timeline)."""

    subject_field = "suggestion"
    status_enum = Status

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="events")
    # Recording on behalf (代录): the actor is the office staff member who typed it in; the step
    # belongs to this deputy or unit, and came in through ``channel`` (paper, phone, in person).
    on_behalf_deputy = models.ForeignKey(
        Deputy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("代录·代表"),
    )
    on_behalf_unit = models.ForeignKey(
        HandlingUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("代录·单位"),
    )
    channel = models.CharField(
        _("渠道"), max_length=10, choices=Channel.choices, default=Channel.ONLINE, db_index=True
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        indexes = [models.Index(fields=["suggestion", "created_at"])]

    @property
    def is_recorded(self) -> bool:
        return self.channel in RECORDED_CHANNELS

    @property
    def recorded_text(self) -> str:
        """ "人大办 张三 代 代表李四 录入（电话）" for a step recorded on someone's behalf, else ""."""
        if not self.is_recorded:
            return ""
        if self.on_behalf_deputy_id:
            whom = _("代表%(name)s") % {"name": self.on_behalf_deputy.name}
        elif self.on_behalf_unit_id:
            whom = self.on_behalf_unit.name
        else:
            whom = ""
        actor = self.actor.display_name if self.actor_id else ""
        return _("人大办 %(actor)s 代 %(whom)s 录入（%(channel)s）") % {
            "actor": actor,
            "whom": whom,
            "channel": self.get_channel_display(),
        }

    @property
    def action_label(self):
        """The transition's own label where it has one (one action reads differently from
        different statuses), else the action's. The labels live in the workflow table, which
        imports this module, hence no ``action_labels`` class mapping here."""
        from .workflow import ACTION_LABELS, TRANSITIONS

        t = TRANSITIONS.get((self.from_status, self.action))
        return (t.label if t else None) or ACTION_LABELS.get(self.action, self.action)


class ContactRecord(models.Model):
    """沟通记录: the unit's contact with the deputy before replying."""

    class Method(models.TextChoices):
        PHONE = "phone", _("电话")
        VISIT = "visit", _("走访")
        MEETING = "meeting", _("座谈/当面")
        SITE = "site", _("现场察看")
        OTHER = "other", _("其他")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="contacts")
    round = models.PositiveSmallIntegerField(
        _("办理轮次"), default=1, help_text=_("该记录所属的办理轮次：首次办理为 1，重新办理为 2。")
    )
    unit = models.ForeignKey(HandlingUnit, on_delete=models.PROTECT, related_name="+")
    contacted_on = models.DateField(_("沟通日期"))
    method = models.CharField(_("沟通方式"), max_length=10, choices=Method.choices)
    summary = models.TextField(_("沟通内容"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("沟通记录")
        verbose_name_plural = _("沟通记录")
        ordering = ["contacted_on", "pk"]

    def __str__(self):
        return f"{self.contacted_on} {self.get_method_display()}"


class SuggestionReply(models.Model):
    """答复: one per handling round."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="replies")
    round = models.PositiveSmallIntegerField(
        _("办理轮次"), default=1, help_text=_("该记录所属的办理轮次：首次办理为 1，重新办理为 2。")
    )
    unit = models.ForeignKey(HandlingUnit, on_delete=models.PROTECT, related_name="+")
    outcome_class = models.CharField(_("办理结果分类"), max_length=8)
    text = models.TextField(_("答复内容"))
    replied_at = models.DateTimeField(_("答复时间"), default=timezone.now)
    due = models.DateField(
        _("期限"), null=True, blank=True, help_text=_("答复时该轮的答复期限，用于判断是否按期答复。")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["round"]
        constraints = [models.UniqueConstraint(fields=["suggestion", "round"], name="unique_reply_round")]

    def __str__(self):
        return f"{self.suggestion_id} #{self.round} {self.outcome_class}"


class SuggestionEvaluation(models.Model):
    """满意度测评 by the lead deputy, one per round."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="evaluations")
    round = models.PositiveSmallIntegerField(
        _("办理轮次"), default=1, help_text=_("该记录所属的办理轮次：首次办理为 1，重新办理为 2。")
    )
    rating = models.CharField(_("满意度"), max_length=12, choices=Rating.choices)
    comment = models.TextField(_("意见"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")
        ordering = ["round"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "round"], name="unique_evaluation_round")
        ]

    def __str__(self):
        return f"{self.suggestion_id} #{self.round} {self.rating}"


def attachment_path(instance, filename):
    return f"suggestions/{instance.suggestion.township_id}/{instance.suggestion_id}/{filename}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("建议附件")
        REPLY = "reply", _("答复附件")
        ORIGINAL = "original", _("书面原件扫描件")
        REPLY_LETTER = "reply_letter", _("签章答复函扫描件")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SUBMISSION)
    file = models.FileField(_("文件"), upload_to=attachment_path)
    name = models.CharField(_("文件名"), max_length=120)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.name
