"""Stations (家站点), voter contacts and reception days."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from presidium.models import Township

from .roster import Deputy


class Station(models.Model):
    """家站点: a deputies' home (代表之家), liaison station (代表联络站) or contact point (联系点)."""

    class Kind(models.TextChoices):
        HOME = "home", _("代表之家")
        STATION = "station", _("代表联络站")
        POINT = "point", _("代表联系点")

    # The "six haves" (六有) checklist: field name → label.
    SIX_HAVES = (
        ("has_place", _("有固定场所")),
        ("has_sign", _("有标识牌")),
        ("has_deputy_info", _("有代表信息")),
        ("has_rules", _("有工作制度")),
        ("has_plan", _("有活动计划")),
        ("has_records", _("有活动记录")),
    )

    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="stations", verbose_name=_("乡镇")
    )
    kind = models.CharField(
        _("类型"),
        max_length=8,
        choices=Kind.choices,
        default=Kind.STATION,
        help_text=_(
            "代表之家（乡镇）、代表联络站（村、社区）或代表联系点，合称“家站点”，是代表联系和接待选民的场所。"
        ),
    )
    name = models.CharField(_("名称"), max_length=60)
    address = models.CharField(_("地址"), max_length=120, blank=True)
    deputies = models.ManyToManyField(Deputy, blank=True, related_name="stations", verbose_name=_("进站代表"))
    reception_day_of_month = models.PositiveSmallIntegerField(_("每月接待日"), null=True, blank=True)
    has_place = models.BooleanField(_("有固定场所"), default=False)
    has_sign = models.BooleanField(_("有标识牌"), default=False)
    has_deputy_info = models.BooleanField(_("有代表信息"), default=False)
    has_rules = models.BooleanField(_("有工作制度"), default=False)
    has_plan = models.BooleanField(_("有活动计划"), default=False)
    has_records = models.BooleanField(_("有活动记录"), default=False)
    # Opaque token in the QR code's URL, so the public page does not reveal database ids.
    public_token = models.CharField(_("公开码"), max_length=32, unique=True, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("代表联络站")
        verbose_name_plural = _("代表联络站")
        ordering = ["township", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="unique_station_name")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.public_token:
            import secrets

            self.public_token = secrets.token_urlsafe(12)
        super().save(*args, **kwargs)

    @property
    def six_haves(self):
        return [(label, getattr(self, name)) for name, label in self.SIX_HAVES]

    @property
    def six_haves_count(self):
        return sum(1 for name, _label in self.SIX_HAVES if getattr(self, name))


class VoterContact(models.Model):
    """联系选民: one contact between a deputy and a voter."""

    class Way(models.TextChoices):
        VISIT = "visit", _("走访")
        PHONE = "phone", _("电话")
        ONLINE = "online", _("微信/网络")
        FORUM = "forum", _("座谈")
        OTHER = "other", _("其他")

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    deputy = models.ForeignKey(
        Deputy, on_delete=models.CASCADE, related_name="voter_contacts", verbose_name=_("代表")
    )
    voter_name = models.CharField(_("选民姓名"), max_length=30)
    date = models.DateField(_("日期"))
    way = models.CharField(_("方式"), max_length=8, choices=Way.choices, default=Way.VISIT)
    content = models.TextField(_("反映的问题"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("联系选民")
        verbose_name_plural = _("联系选民")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["township", "date"]), models.Index(fields=["deputy", "date"])]

    def __str__(self):
        return f"{self.deputy} → {self.voter_name} {self.date}"


class ReceptionDay(models.Model):
    """接待选民日 at one station: planned, then held (or cancelled)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("已安排")
        HELD = "held", _("已接待")
        CANCELLED = "cancelled", _("已取消")

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="reception_days", verbose_name=_("联络站")
    )
    date = models.DateField(_("接待日期"))
    announced_on = models.DateField(_("公告日期"), null=True, blank=True)
    deputies = models.ManyToManyField(
        Deputy, blank=True, related_name="reception_duties", verbose_name=_("值班代表")
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("接待选民日")
        verbose_name_plural = _("接待选民日")
        ordering = ["-date", "station"]
        indexes = [models.Index(fields=["township", "date"]), models.Index(fields=["station", "date"])]

    def __str__(self):
        return f"{self.station} {self.date}"

    def announcement_late(self, min_days: int) -> bool:
        """Voters must learn of a reception day ``min_days`` ahead (3–5 days in practice); a planned
        day not announced at all, or announced later than that, is flagged."""
        if self.status == self.Status.CANCELLED:
            return False
        if self.announced_on is None:
            return True
        return (self.date - self.announced_on).days < min_days


def reception_announce_min_days(rules) -> int:
    """Days ahead a reception day must be announced (county reminder rules; 3 by default)."""
    try:
        return int((rules.reminder_rules or {}).get("reception_announce_min_days", 3))
    except (TypeError, ValueError):
        return 3
