"""Users, roles and API keys."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .places import County, HandlingUnit, Township

phone_validator = RegexValidator(r"^1[3-9]\d{9}$", _("请输入11位手机号码"))


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
