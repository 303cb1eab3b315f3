"""Annual work report and printed books: the narrative staff write per township-year-section, and
the background render jobs that produce the PDFs."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from presidium.models import StatusEvent, Township


class Section(models.TextChoices):
    """Chapters of the presidium's annual work report (主席团工作报告), in print order."""

    OVERVIEW = "overview", _("年度工作概况")
    SESSIONS = "sessions", _("依法召开人民代表大会")
    PRESIDIUM_MEETINGS = "presidium_meetings", _("主席团会议")
    SUPERVISION = "supervision", _("监督工作")
    SUGGESTIONS = "suggestions", _("代表建议办理")
    DEPUTIES = "deputies", _("代表工作")
    PETITIONS = "petitions", _("信访工作")
    LIVELIHOOD = "livelihood", _("民生实事项目票决与监督")
    NEXT_YEAR = "next_year", _("下一年度工作安排")


class ReportNarrative(models.Model):
    """The text staff write for one section of one township's report of one year. ``version`` is
    bumped on every save so that two people editing the same section cannot overwrite each other."""

    township = models.ForeignKey(Township, on_delete=models.CASCADE, related_name="+", verbose_name=_("乡镇"))
    year = models.PositiveSmallIntegerField(_("年度"))
    section = models.CharField(_("章节"), max_length=24, choices=Section.choices)
    text = models.TextField(_("正文"), blank=True)
    version = models.PositiveIntegerField(
        _("版本"),
        default=1,
        help_text=_(
            "每次保存加一；编辑时带回所见版本，两人同时修改同一章节时后保存的一方会收到提示，不会覆盖。"
        ),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("修改人"),
    )
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)

    class Meta:
        verbose_name = _("报告正文")
        verbose_name_plural = _("报告正文")
        constraints = [
            models.UniqueConstraint(fields=["township", "year", "section"], name="unique_report_narrative"),
        ]

    def __str__(self):
        return f"{self.township} {self.year} {self.get_section_display()}"

    def paragraphs(self):
        return [p.strip() for p in self.text.splitlines() if p.strip()]


class JobKind(models.TextChoices):
    ANNUAL_REPORT = "annual_report", _("主席团年度工作报告")
    ROSTER_BOOK = "roster_book", _("代表花名册")
    SUGGESTIONS_REGISTER = "suggestions_register", _("代表建议登记簿（含答复）")
    PETITIONS_REGISTER = "petitions_register", _("人民来信来访登记簿")
    ARCHIVE_BOOK = "archive_book", _("代表履职档案")
    GROUP_ACTIVITY_BOOK = "group_activity_book", _("代表小组活动记录簿")
    DOCUMENTS_REGISTER = "documents_register", _("各级文件登记簿")
    DEEDS_BOOK = "deeds_book", _("代表先进事迹记录簿")
    SUGGESTIONS_XLSX = "suggestions_xlsx", _("代表建议登记簿（Excel）")


# Large Excel exports run as jobs too; they are produced from the requesting user's visibility, so
# only that user may see and download them (see ``selectors.jobs_visible_to``).
EXPORT_KINDS = (JobKind.SUGGESTIONS_XLSX,)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ReportJob(models.Model):
    """One background rendering of a report or book into a PDF file."""

    township = models.ForeignKey(Township, on_delete=models.CASCADE, related_name="+", verbose_name=_("乡镇"))
    kind = models.CharField(_("类型"), max_length=24, choices=JobKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    params = models.JSONField(_("参数"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    file = models.FileField(_("文件"), upload_to="reports/%Y/%m/", blank=True)
    pages = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    size = models.PositiveIntegerField(_("大小(字节)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("发起人"),
    )
    created_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("生成任务")
        verbose_name_plural = _("生成任务")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["township", "-created_at"]),
            models.Index(fields=["township", "kind", "year", "status"]),
        ]

    def __str__(self):
        return f"{self.township} {self.year} {self.get_kind_display()}"

    @property
    def is_finished(self):
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def looks_stalled(self):
        """Unfinished long after it was requested: the worker probably died; the page says so."""
        from datetime import timedelta

        return not self.is_finished and self.created_at < timezone.now() - timedelta(minutes=15)

    @property
    def is_export(self):
        return self.kind in EXPORT_KINDS

    @property
    def scope_label(self):
        """Whose rows the job holds: the township, or (a county user's export) the county."""
        return (self.params or {}).get("scope") or self.township.name

    def filename(self):
        if self.is_export:
            return f"{self.scope_label}{self.get_kind_display()}.xlsx"
        return f"{self.township.name}{self.year}年{self.get_kind_display()}.pdf"


class ReportJobEvent(StatusEvent):
    """One transition of a render job (queued → running → done / failed)."""

    subject_field = "job"
    status_enum = JobStatus

    job = models.ForeignKey(
        ReportJob, on_delete=models.CASCADE, related_name="events", verbose_name=_("任务")
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("任务记录")
        verbose_name_plural = _("任务记录")


class RegisterEntry(models.Model):
    """One entry of a register book the township congress office keeps: whose township, who
    registered it and when."""

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)

    class Meta:
        abstract = True


class Document(RegisterEntry):
    """各级文件登记簿: one document the township congress office received or sent, with how it was
    handled and the filed copy."""

    class Direction(models.TextChoices):
        INCOMING = "incoming", _("收文")
        OUTGOING = "outgoing", _("发文")

    direction = models.CharField(
        _("收发"), max_length=10, choices=Direction.choices, default=Direction.INCOMING
    )
    number = models.CharField(_("文号"), max_length=60, blank=True)
    issuer = models.CharField(_("发文机关"), max_length=100)
    date = models.DateField(_("日期"), help_text=_("收文为收文日期，发文为发文日期。"))
    title = models.CharField(_("文件标题"), max_length=200)
    handling = models.TextField(_("办理情况"), max_length=1000, blank=True)
    copy = models.FileField(_("存档文件"), upload_to="reports/documents/%Y/", blank=True)

    class Meta:
        verbose_name = _("文件登记")
        verbose_name_plural = _("文件登记")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["township", "date"])]

    def __str__(self):
        return self.title


class ExemplaryDeed(RegisterEntry):
    """代表先进事迹记录簿: one deed of one deputy, where the office learned of it and who verified it.
    Counted in the deputy's performance archive and stated in the annual report."""

    class Source(models.TextChoices):
        VOTERS = "voters", _("群众反映")
        UNIT = "unit", _("单位推荐")
        ACTIVITY = "activity", _("代表活动记录")
        MEDIA = "media", _("媒体报道")
        OTHER = "other", _("其他")

    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, related_name="exemplary_deeds", verbose_name=_("代表")
    )
    date = models.DateField(_("日期"))
    title = models.CharField(_("事迹概要"), max_length=120)
    content = models.TextField(_("事迹内容"), max_length=3000, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.VOTERS)
    source_note = models.CharField(_("来源说明"), max_length=100, blank=True)
    verified_by = models.CharField(_("核实人"), max_length=30)

    class Meta:
        verbose_name = _("代表先进事迹")
        verbose_name_plural = _("代表先进事迹")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["township", "date"]), models.Index(fields=["deputy", "date"])]

    def __str__(self):
        return f"{self.deputy} {self.title}"
