"""Duty reports (述职), trainings and activities."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from presidium.models import Township

from .roster import Deputy, DeputyGroup


class DutyReport(models.Model):
    """向选民述职: a deputy reports to the district's voters, who evaluate them."""

    class Form(models.TextChoices):
        ORAL = "oral", _("口头述职")
        WRITTEN = "written", _("书面述职")

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    deputy = models.ForeignKey(
        Deputy, on_delete=models.CASCADE, related_name="duty_reports", verbose_name=_("代表")
    )
    date = models.DateField(_("述职日期"))
    form = models.CharField(_("述职形式"), max_length=8, choices=Form.choices, default=Form.ORAL)
    voters_present = models.PositiveIntegerField(_("参加选民人数"), default=0)
    satisfied = models.PositiveIntegerField(_("满意票"), default=0)
    basically_satisfied = models.PositiveIntegerField(_("基本满意票"), default=0)
    unsatisfied = models.PositiveIntegerField(_("不满意票"), default=0)
    summary = models.TextField(_("述职要点"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("述职")
        verbose_name_plural = _("述职")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["township", "date"]), models.Index(fields=["deputy", "date"])]

    def __str__(self):
        return f"{self.deputy} {self.date}"

    @property
    def satisfaction_rate(self):
        total = self.satisfied + self.basically_satisfied + self.unsatisfied
        return round(100 * (self.satisfied + self.basically_satisfied) / total, 1) if total else None


class Training(models.Model):
    """学习培训."""

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    topic = models.CharField(_("培训主题"), max_length=120)
    date = models.DateField(_("日期"))
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1, default=2)
    attendees = models.ManyToManyField(
        Deputy, blank=True, related_name="trainings", verbose_name=_("参训代表")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("学习培训")
        verbose_name_plural = _("学习培训")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["township", "date"])]

    def __str__(self):
        return self.topic


class Activity(models.Model):
    """代表活动: group activities, inspections joined and practical deeds (the "six ones" items)."""

    class Kind(models.TextChoices):
        GROUP = "group_activity", _("小组活动")
        INSPECTION = "inspection", _("参加视察检查")
        VOTER_FORUM = "voter_forum", _("选民座谈会")
        PRACTICAL = "practical_deed", _("为民办实事")
        NEEDY = "needy_household", _("帮扶困难户")
        DISPUTE = "dispute_mediation", _("调解矛盾纠纷")
        OTHER = "other", _("其他活动")

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    kind = models.CharField(
        _("类型"),
        max_length=20,
        choices=Kind.choices,
        help_text=_("活动类别；选民座谈会、为民办实事、帮扶困难户、调解矛盾纠纷计入代表的“六个一”完成情况。"),
    )
    title = models.CharField(_("活动内容"), max_length=120)
    date = models.DateField(_("日期"))
    group = models.ForeignKey(
        DeputyGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("代表小组"),
    )
    deputies = models.ManyToManyField(
        Deputy, blank=True, related_name="activities", verbose_name=_("参加代表")
    )
    note = models.TextField(_("情况记录"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("代表活动")
        verbose_name_plural = _("代表活动")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["township", "date"]),
            models.Index(fields=["township", "kind", "date"]),
        ]

    def __str__(self):
        return self.title
