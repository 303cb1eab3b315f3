"""Congress sessions (人代会) and presidium meetings (主席团会议): agenda, attendance and quorum,
votes and resolutions, motions (议案), elections, the presidium roster and the minutes book.

Numbers that the law leaves to the province (quorum fraction, motion signatures, presidium size,
meeting interval) come from ``CountyRules``; nothing here stores a computed outcome that a user
types: vote outcomes are written only by ``congress.services``."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy, Term
from presidium.models import StatusEvent, Township
from presidium.numerals import cn_number


class Session(models.Model):
    """人代会: one numbered meeting of the township people's congress within a term."""

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("例会")
        EXTRAORDINARY = "extraordinary", _("临时会议")

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划中")
        PREPARING = "preparing", _("筹备中")
        IN_SESSION = "in_session", _("会议进行中")
        CLOSED = "closed", _("已闭会")
        CANCELLED = "cancelled", _("已取消")

    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("乡镇")
    )
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("届次"))
    number = models.PositiveSmallIntegerField(_("会次"), help_text=_("本届第几次会议"))
    kind = models.CharField(_("会议类型"), max_length=14, choices=Kind.choices, default=Kind.ORDINARY)
    start_date = models.DateField(_("开幕日期"))
    end_date = models.DateField(_("闭幕日期"), null=True, blank=True)
    place = models.CharField(_("会议地点"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    # "五落实" preparation checklist.
    prep_agenda = models.BooleanField(_("大会安排落实"), default=False)
    prep_documents = models.BooleanField(_("工作报告材料落实"), default=False)
    prep_roll = models.BooleanField(_("代表清理与补选及视察工作落实"), default=False)
    prep_publicity = models.BooleanField(_("宣传任务落实"), default=False)
    prep_funding = models.BooleanField(_("会议经费落实"), default=False)
    # What was still missing when the session was opened anyway (after the office confirmed):
    # unfinished 五落实 items and reports not delivered to deputies before the opening day.
    opening_flags = models.JSONField(
        _("开幕时未落实事项"),
        default=list,
        blank=True,
        help_text=_(
            "经人大办确认后仍然开幕时尚未落实的“五落实”事项和未在开幕前送达代表的报告材料；县级看板统计准备不足的会议。"
        ),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    CHECKLIST = ("prep_agenda", "prep_documents", "prep_roll", "prep_publicity", "prep_funding")

    class Meta:
        verbose_name = _("人代会")
        verbose_name_plural = _("人代会")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="unique_session_number_per_term")
        ]
        indexes = [
            models.Index(fields=["township", "start_date"]),
            models.Index(fields=["township", "status", "start_date"]),
        ]

    def __str__(self):
        # Chinese numerals in Chinese (第十届…第二次); plain digits in any other language.
        number = cn_number if (get_language() or "zh").startswith("zh") else str
        return _("第%(term)s届人民代表大会第%(n)s次会议") % {
            "term": number(self.term.number),
            "n": number(self.number),
        }

    @property
    def official_name(self) -> str:
        """The name documents print: 青山镇第十届人民代表大会第二次会议."""
        return f"{self.township.name}{self}"

    @property
    def checklist(self):
        return [
            (name, self._meta.get_field(name).verbose_name, getattr(self, name)) for name in self.CHECKLIST
        ]

    @property
    def checklist_done(self):
        return sum(1 for name in self.CHECKLIST if getattr(self, name))


class SessionEvent(StatusEvent):
    """One row per status transition of a session."""

    subject_field = "session"
    status_enum = Session.Status

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="events")


class AgendaItem(models.Model):
    """A typed item on a session's agenda; report items carry the document and the date it reached deputies."""

    class Kind(models.TextChoices):
        GOVERNMENT_REPORT = "gov_report", _("政府工作报告")
        PRESIDIUM_REPORT = "presidium_report", _("主席团工作报告")
        BUDGET_REPORT = "budget_report", _("财政预决算报告")
        SPECIAL_REPORT = "special_report", _("专项工作报告")
        MOTION = "motion", _("议案")
        ELECTION = "election", _("选举/补选")
        RESOLUTION = "resolution", _("决议/决定")
        RESIGNATION = "resignation", _("接受代表辞职")
        OTHER = "other", _("其他")

    REPORT_KINDS = (Kind.GOVERNMENT_REPORT, Kind.PRESIDIUM_REPORT, Kind.BUDGET_REPORT, Kind.SPECIAL_REPORT)
    VOTABLE_KINDS = (Kind.RESOLUTION, Kind.MOTION, Kind.RESIGNATION, *REPORT_KINDS)

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("会议")
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    kind = models.CharField(_("议程类型"), max_length=18, choices=Kind.choices)
    title = models.CharField(_("议题"), max_length=200)
    document = models.FileField(_("报告文件"), upload_to="congress/documents/%Y/", blank=True)
    deputy = models.ForeignKey(
        Deputy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("辞职代表"),
        help_text=_("“接受代表辞职”议程：提出书面辞职的本届代表，经全体代表过半数通过后辞职生效。"),
    )
    document_sent_on = models.DateField(
        _("送达代表日期"),
        null=True,
        blank=True,
        help_text=_("报告材料送达代表的日期；应在开幕日之前送达。"),
    )

    class Meta:
        verbose_name = _("议程")
        verbose_name_plural = _("议程")
        ordering = ["session", "order", "pk"]
        indexes = [models.Index(fields=["session", "kind"])]

    def __str__(self):
        return self.title

    @property
    def is_report(self):
        return self.kind in self.REPORT_KINDS

    @property
    def document_late(self):
        """A report that reached deputies on the opening day or later (or never) reached them late."""
        if not self.is_report:
            return False
        return self.document_sent_on is None or self.document_sent_on >= self.session.start_date


class Attendance(models.Model):
    """One deputy's presence at one session; one row per (session, deputy), upserted at roll call."""

    class Status(models.TextChoices):
        PRESENT = "present", _("出席")
        LEAVE = "leave", _("请假")
        ABSENT = "absent", _("缺席")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="session_attendances")
    status = models.CharField(_("出席情况"), max_length=8, choices=Status.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("出席记录")
        verbose_name_plural = _("出席记录")
        constraints = [
            models.UniqueConstraint(fields=["session", "deputy"], name="unique_attendance_per_deputy")
        ]
        indexes = [models.Index(fields=["deputy", "status"])]

    def __str__(self):
        return f"{self.deputy_id}: {self.get_status_display()}"


class Observer(models.Model):
    """列席: a non-voting attendee of a session or a presidium meeting. Never counted for quorum or votes."""

    class Kind(models.TextChoices):
        OFFICIAL = "official", _("政府及部门负责人")
        DEPUTY = "deputy", _("代表")
        CITIZEN = "citizen", _("特邀群众")
        OTHER = "other", _("其他")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="observers"
    )
    meeting = models.ForeignKey(
        "PresidiumMeeting", on_delete=models.CASCADE, null=True, blank=True, related_name="observers"
    )
    name = models.CharField(_("姓名"), max_length=30)
    affiliation = models.CharField(_("单位及职务"), max_length=100, blank=True)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.OFFICIAL)

    class Meta:
        verbose_name = _("列席人员")
        verbose_name_plural = _("列席人员")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(session__isnull=False, meeting__isnull=True)
                    | models.Q(session__isnull=True, meeting__isnull=False)
                ),
                name="observer_of_exactly_one_meeting",
            )
        ]

    def __str__(self):
        return self.name


class Vote(models.Model):
    """The tally of one agenda item. ``passed`` is computed from the tally and the number of all current
    deputies (``total_deputies``, frozen at the vote) by ``congress.services.vote_record``."""

    agenda_item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="vote")
    votes_for = models.PositiveSmallIntegerField(_("赞成"))
    votes_against = models.PositiveSmallIntegerField(_("反对"))
    abstentions = models.PositiveSmallIntegerField(_("弃权"))
    total_deputies = models.PositiveSmallIntegerField(
        _("全体代表人数"),
        help_text=_(
            "表决时在任的乡镇人大代表总数（冻结）；决议须获得其中超过县级规则设置比例（默认过半数）的赞成票方为通过。"
        ),
    )
    present = models.PositiveSmallIntegerField(
        _("出席人数"),
        help_text=_(
            "表决时出席的代表人数（来自签到）；未达到全体代表的法定人数（县级规则设置，默认 2/3）不能表决。"
        ),
    )
    passed = models.BooleanField(_("是否通过"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("表决")
        verbose_name_plural = _("表决")

    def __str__(self):
        return f"{self.votes_for}/{self.votes_against}/{self.abstentions}"


class Motion(models.Model):
    """议案: raised jointly by at least ``motion_min_deputies`` deputies at a session."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待主席团审议")
        ON_AGENDA = "on_agenda", _("列入大会议程")
        AS_SUGGESTION = "as_suggestion", _("作为建议办理")
        WITHDRAWN = "withdrawn", _("已撤回")
        ADOPTED = "adopted", _("表决通过")
        REJECTED = "rejected", _("表决未通过")

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="motions")
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="motions", verbose_name=_("会议")
    )
    title = models.CharField(_("案由"), max_length=200)
    grounds = models.TextField(_("案据"))
    plan = models.TextField(_("方案"))
    lead_deputy = models.ForeignKey(
        Deputy, on_delete=models.PROTECT, related_name="led_motions", verbose_name=_("领衔代表")
    )
    co_deputies = models.ManyToManyField(Deputy, related_name="cosigned_motions", verbose_name=_("附议代表"))
    # A motion handed in on paper: the day the presidium received it, its category and level (kept
    # when it is handled as a suggestion) and the scanned signed original.
    received_on = models.DateField(_("收到日期"), null=True, blank=True)
    category = models.CharField(_("分类"), max_length=30, blank=True)
    level = models.CharField(
        _("办理层级"),
        max_length=10,
        blank=True,
        help_text=_("议案转为建议办理时的办理层级：本乡镇办理，或转县(市)、转村(社区)办理。"),
    )
    original = models.FileField(_("原件扫描件"), upload_to="congress/motions/%Y/", blank=True)
    status = models.CharField(_("状态"), max_length=14, choices=Status.choices, default=Status.SUBMITTED)
    agenda_item = models.OneToOneField(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="motion"
    )
    # The suggestion created when the presidium decides to handle the motion as a suggestion.
    suggestion_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    suggestion_id = models.PositiveBigIntegerField(null=True, blank=True)
    suggestion = GenericForeignKey("suggestion_type", "suggestion_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("议案")
        verbose_name_plural = _("议案")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["township", "status"]), models.Index(fields=["session", "status"])]

    def __str__(self):
        return self.title


class MotionEvent(StatusEvent):
    subject_field = "motion"
    status_enum = Motion.Status

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="events")


class Election(models.Model):
    """An election or by-election held at a session."""

    class Position(models.TextChoices):
        TOWN_HEAD = "town_head", _("镇长(乡长)")
        DEPUTY_TOWN_HEAD = "deputy_town_head", _("副镇长(副乡长)")
        CHAIR = "chair", _("人大主席")
        VICE_CHAIR = "vice_chair", _("人大副主席")
        PRESIDIUM_MEMBER = "presidium_member", _("主席团成员")
        OTHER = "other", _("其他")

    class Kind(models.TextChoices):
        ELECTION = "election", _("选举")
        BY_ELECTION = "by_election", _("补选")

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="elections", verbose_name=_("会议")
    )
    position = models.CharField(_("职务"), max_length=18, choices=Position.choices)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.ELECTION)
    seats = models.PositiveSmallIntegerField(
        _("应选名额"), default=1, help_text=_("本次选举应选出的人数（人）；当选人数不足时另行选举。")
    )
    total_deputies = models.PositiveSmallIntegerField(
        _("全体代表人数"),
        null=True,
        blank=True,
        help_text=_(
            "选举时在任的乡镇人大代表总数（冻结）；候选人须获得全体代表超过县级规则设置比例（默认过半数）的选票方可当选。"
        ),
    )
    # The count as the Election Law (选举法) reads it: ballots handed out, put back in the box, and
    # of those the valid and the invalid (more marks than seats, unreadable, blank-spoiled).
    present = models.PositiveSmallIntegerField(_("出席代表人数"), null=True, blank=True)
    ballots_issued = models.PositiveSmallIntegerField(_("发出选票"), null=True, blank=True)
    ballots_returned = models.PositiveSmallIntegerField(_("收回选票"), null=True, blank=True)
    ballots_valid = models.PositiveSmallIntegerField(_("有效票"), null=True, blank=True)
    ballots_invalid = models.PositiveSmallIntegerField(_("无效票"), null=True, blank=True)
    void = models.BooleanField(
        _("选举无效"), default=False, help_text=_("收回选票多于发出选票，本次选举无效，须重新投票。")
    )
    round = models.PositiveSmallIntegerField(
        _("轮次"),
        default=1,
        help_text=_("同一选举的第几轮：首轮为 1，另行选举或选举无效后重新投票依次加一。"),
    )
    first_round = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="later_rounds",
        verbose_name=_("首轮选举"),
        help_text=_("当选人数不足应选名额时另行选举，或选举无效后重新投票，记为同一选举的下一轮。"),
    )
    held_at = models.DateTimeField(_("计票时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("选举")
        verbose_name_plural = _("选举")
        ordering = ["session", "pk"]

    def __str__(self):
        label = str(
            _("%(kind)s%(position)s")
            % {"kind": self.get_kind_display(), "position": self.get_position_display()}
        )
        if self.round > 1:
            label += str(_("（第%(n)s轮）") % {"n": self.round})
        return label

    @property
    def is_held(self):
        return self.held_at is not None

    @property
    def elected_count(self) -> int:
        return sum(1 for c in self.candidates.all() if c.elected)

    @property
    def needs_another_round(self) -> bool:
        """Counted, and fewer elected than seats (or void), with no later round recorded yet."""
        if not self.is_held:
            return False
        return (self.void or self.elected_count < self.seats) and not Election.objects.filter(
            first_round_id=self.first_round_id or self.pk, round__gt=self.round
        ).exists()


class Candidate(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    name = models.CharField(_("候选人"), max_length=30)
    deputy = models.ForeignKey(
        Deputy, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("对应代表")
    )
    votes = models.PositiveSmallIntegerField(_("得票"), null=True, blank=True)
    elected = models.BooleanField(_("当选"), default=False)

    class Meta:
        ordering = ["election", "-votes", "pk"]

    def __str__(self):
        return self.name


class PresidiumMembership(models.Model):
    """The presidium roster (主席团成员): who sits on the presidium of a term, and since when."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("主席")
        VICE_CHAIR = "vice_chair", _("副主席")
        MEMBER = "member", _("成员")

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="presidium_memberships")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="presidium_memberships")
    deputy = models.ForeignKey(
        Deputy, on_delete=models.PROTECT, related_name="presidium_memberships", verbose_name=_("代表")
    )
    role = models.CharField(_("职务"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    start_date = models.DateField(_("起始日期"))
    end_date = models.DateField(_("终止日期"), null=True, blank=True)
    election = models.ForeignKey(Election, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("主席团成员")
        verbose_name_plural = _("主席团成员")
        ordering = ["term", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "deputy"],
                condition=models.Q(end_date__isnull=True),
                name="unique_active_presidium_membership",
            ),
        ]
        indexes = [models.Index(fields=["township", "end_date"])]

    def __str__(self):
        return f"{self.deputy} ({self.get_role_display()})"


class PresidiumMeeting(models.Model):
    """主席团会议 between sessions; its minutes form the 主席团会议记录簿."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划中")
        HELD = "held", _("已召开")
        CANCELLED = "cancelled", _("已取消")

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="presidium_meetings")
    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="presidium_meetings", verbose_name=_("届次")
    )
    date = models.DateField(_("会议日期"))
    place = models.CharField(_("会议地点"), max_length=100, blank=True)
    chair = models.ForeignKey(
        Deputy, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("主持人")
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    minutes = models.TextField(_("会议记录"), blank=True)
    recorder = models.CharField(_("记录人"), max_length=30, blank=True)
    member_count = models.PositiveSmallIntegerField(
        _("主席团成员总数"), null=True, blank=True, help_text=_("召开时的主席团成员人数（冻结）")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("主席团会议")
        verbose_name_plural = _("主席团会议")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["township", "status", "date"]),
            models.Index(fields=["township", "date"]),
        ]

    def __str__(self):
        return _("%(date)s 主席团会议") % {"date": self.date.strftime("%Y-%m-%d")}


class PresidiumMeetingEvent(StatusEvent):
    subject_field = "meeting"
    status_enum = PresidiumMeeting.Status

    meeting = models.ForeignKey(PresidiumMeeting, on_delete=models.CASCADE, related_name="events")


class MeetingAttendance(models.Model):
    """A presidium member's presence at a presidium meeting."""

    meeting = models.ForeignKey(PresidiumMeeting, on_delete=models.CASCADE, related_name="attendances")
    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="presidium_attendances")
    status = models.CharField(_("出席情况"), max_length=8, choices=Attendance.Status.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "deputy"], name="unique_meeting_attendance")
        ]
        indexes = [models.Index(fields=["deputy", "status"])]

    def __str__(self):
        return f"{self.deputy_id}: {self.get_status_display()}"


class MeetingTopic(models.Model):
    """An item on a presidium meeting's agenda, optionally linked to a suggestion, supervision activity or
    report (generic link or a free reference), with the decision and its vote."""

    class Kind(models.TextChoices):
        SPECIAL_REPORT = "special_report", _("听取专项工作报告")
        SUPERVISION_PLAN = "supervision_plan", _("研究监督工作计划")
        SUGGESTION_BRIEFING = "suggestion_briefing", _("通报建议办理情况")
        RESIGNATION = "resignation", _("提请人代会接受代表辞职")
        SESSION_DATE = "session_date", _("确定人代会会期")
        OTHER = "other", _("其他")

    meeting = models.ForeignKey(PresidiumMeeting, on_delete=models.CASCADE, related_name="topics")
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    kind = models.CharField(_("议题类型"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("议题"), max_length=200)
    reference = models.CharField(
        _("关联事项"), max_length=200, blank=True, help_text=_("如建议编号、监督活动名称、报告名称")
    )
    link_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    link_id = models.PositiveBigIntegerField(null=True, blank=True)
    link = GenericForeignKey("link_type", "link_id")
    decision = models.TextField(_("决定事项"), blank=True)
    votes_for = models.PositiveSmallIntegerField(_("赞成"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("反对"), null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(_("弃权"), null=True, blank=True)
    passed = models.BooleanField(_("是否通过"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "order", "pk"]

    def __str__(self):
        return self.title
