"""Organisation: county → township → handling units."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .rules import CountyRules


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
