"""The in-app inbox and the outbound deliveries (e-mail, SMS) of every notification and reminder.

Exactly once: a :class:`Notification` is unique per (recipient, key) where the key of a reminder is
(rule, object, due date); a :class:`Delivery` is unique per (notification, channel). Together they
are the unique key (object, rule, due date, recipient, channel) of the issue: a second sweep, a
retried task or a second worker inserts nothing new, and a delivery row is claimed with a
conditional UPDATE (pending → sending) before anything is sent.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from presidium.models import County, StatusEvent, Township


def _scope_column(to, verbose_name):
    """A scope column copied at insert time (see :class:`Notification`): no FK constraint, no index;
    Django's ``on_delete`` still cascades."""
    return models.ForeignKey(
        to,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
        db_index=False,
        db_constraint=False,
    )


class Channel(models.TextChoices):
    INAPP = "inapp", _("站内消息")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


# Channels a user may choose; the in-app inbox is always on.
OUTBOUND_CHANNELS = (Channel.EMAIL, Channel.SMS)


class Notification(models.Model):
    """One message in one user's inbox. Reminders and ad-hoc notifications alike.

    ``township``/``county``/``target_type`` (and the same columns of :class:`Delivery`) are scope
    columns copied at insert time: they carry no database FK constraint, because a cold-start sweep
    inserts tens of thousands of rows and each deferred FK check costs at commit; Django's
    ``on_delete`` still cascades when a township or county is deleted."""

    # FK indexes covered by the composite indexes below are left out: every index slows the sweep's insert.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        db_index=False,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("接收人"),
    )
    township = _scope_column(Township, _("乡镇"))
    county = _scope_column(County, _("县(区)"))
    verb = models.CharField(
        _("类型"), max_length=60, help_text=_("事件代码，如 suggestion.assigned 或 reminder.unit_due_today")
    )
    rule = models.CharField(
        _("提醒规则"), max_length=60, blank=True, help_text=_("产生该提醒的规则代码；普通通知为空")
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    target_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    due_date = models.DateField(
        _("到期日"), null=True, blank=True, help_text=_("提醒所针对的期限日期（唯一键的一部分）")
    )
    key = models.CharField(
        _("去重键"), max_length=200, help_text=_("同一接收人同一键只生成一次：提醒为“规则|对象|期限”")
    )
    batch = models.UUIDField(
        null=True,
        blank=True,
        editable=False,
        help_text="The sweep/notify call that inserted the row; used to find rows "
        "actually inserted by a bulk insert that ignored conflicts.",
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_unique_recipient_key"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_created"),
            models.Index(fields=["township", "-created_at"], name="notif_township_created"),
            # The providers' "not yet reminded" anti-join: (object, rule, due date).
            models.Index(fields=["target_type", "target_id", "rule", "due_date"], name="notif_target_rule"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self):
        return self.read_at is not None


class Delivery(models.Model):
    """One outbound send (e-mail or SMS) of a notification. The workflow is the transition table
    in :mod:`notifications.services` (``DELIVERY_TRANSITIONS``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        SKIPPED = "skipped", _("未发送(无地址)")

    notification = models.ForeignKey(
        Notification,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("通知"),
        db_index=False,
    )
    township = _scope_column(Township, _("乡镇"))
    county = _scope_column(County, _("县(区)"))
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    address = models.CharField(_("地址"), max_length=254, blank=True, help_text=_("邮箱或手机号（生成时）"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    not_before = models.DateTimeField(
        _("最早发送时间"), default=timezone.now, help_text=_("短信免打扰时段或重试退避时推迟到此时")
    )
    enqueued_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the latest task message for this row is due to run.",
    )
    claimed_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    provider_ref = models.CharField(_("通道回执"), max_length=100, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_unique_channel"),
        ]
        indexes = [
            models.Index(fields=["status", "not_before"], name="delivery_status_due"),
            # Only the few rows in "sending" are indexed for the lease recovery.
            models.Index(
                fields=["claimed_at"], name="delivery_sending_claimed", condition=models.Q(status="sending")
            ),
            models.Index(fields=["township", "-created_at"], name="delivery_township_created"),
            models.Index(fields=["county", "-created_at"], name="delivery_county_created"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.address or '-'} ({self.get_status_display()})"


class DeliveryEvent(StatusEvent):
    """An event row per delivery transition (claimed, sent, deferred, retried, failed, resent)."""

    subject_field = "delivery"
    status_enum = Delivery.Status

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="events")

    class Meta(StatusEvent.Meta):
        verbose_name = _("发送事件")
        verbose_name_plural = _("发送事件")
