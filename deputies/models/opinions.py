"""Voter opinions (选民意见) and their events."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from presidium.models import StatusEvent, Township

from .roster import Deputy
from .stations import ReceptionDay, Station


class VoterOpinion(models.Model):
    """选民意见: a visitor's issue at a reception day (转办卡) or a message left through a station's
    QR code. Staff close it, forward it to a unit, or turn it into a suggestion."""

    class Source(models.TextChoices):
        RECEPTION = "reception", _("接待选民日")
        QR = "qr", _("扫码留言")
        DEPUTY_CODE = "deputy_code", _("代表码留言")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        FORWARDED = "forwarded", _("已转办")
        CONVERTED = "converted", _("已转为建议")
        CLOSED = "closed", _("已办结")

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices, default=Source.RECEPTION)
    station = models.ForeignKey(
        Station,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("联络站"),
    )
    reception_day = models.ForeignKey(
        ReceptionDay,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("接待日"),
    )
    deputy = models.ForeignKey(
        Deputy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="code_messages",
        verbose_name=_("留言对象代表"),
        help_text=_("选民扫代表码留言时，留言给这位代表。"),
    )
    responded_at = models.DateTimeField(
        _("代表响应时间"),
        null=True,
        blank=True,
        help_text=_("代表答复或转交人大办的时间；与登记时间之差即响应用时。"),
    )
    voter_name = models.CharField(_("选民姓名"), max_length=30, blank=True)
    voter_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    voter_address = models.CharField(_("住址"), max_length=100, blank=True)
    content = models.TextField(_("反映的问题"), max_length=2000)
    received_on = models.DateField(_("登记日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    unit = models.ForeignKey(
        "presidium.HandlingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voter_opinions",
        verbose_name=_("转办单位"),
    )
    result = models.TextField(_("处理结果"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("选民意见")
        verbose_name_plural = _("选民意见")
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["township", "status"]),
            models.Index(fields=["township", "received_on"]),
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["deputy", "status"]),
        ]

    def __str__(self):
        return f"{self.voter_name or _('匿名选民')}：{self.content[:20]}"

    @property
    def response_time(self):
        """How long the addressed deputy took to answer or hand the message over (None: not yet)."""
        if self.deputy_id and self.responded_at:
            return self.responded_at - self.created_at
        return None


OPINION_ACTION_LABELS = {
    "register": _("登记"),
    "forward": _("转办"),
    "close": _("办结"),
    "convert": _("转为建议"),
    "reply": _("单位答复"),
    "answer": _("代表答复"),
    "hand_over": _("代表转交人大办"),
}


class VoterOpinionEvent(StatusEvent):
    subject_field = "opinion"
    status_enum = VoterOpinion.Status
    action_labels = OPINION_ACTION_LABELS

    opinion = models.ForeignKey(VoterOpinion, on_delete=models.CASCADE, related_name="events")
