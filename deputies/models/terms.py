"""Terms and electoral districts."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from presidium.models import Township


class Term(models.Model):
    """届: a township congress term, normally five years."""

    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="terms", verbose_name=_("乡镇")
    )
    number = models.PositiveSmallIntegerField(_("届次"), help_text=_("本乡镇人大第几届，如第十届填 10。"))
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("届")
        verbose_name_plural = _("届")
        ordering = ["township", "-number"]
        constraints = [models.UniqueConstraint(fields=["township", "number"], name="unique_term_number")]

    def __str__(self):
        from presidium.numerals import cn_number

        return _("第%(n)s届") % {"n": cn_number(self.number)}


_NUMBER_RUN = re.compile(r"[0-9０-９]+|(?<=第)[零〇一二两三四五六七八九十百千]+")


def natural_sort_key(text: str) -> str:
    """A key that sorts names the way people count: 第1选区, 第2选区 … 第10选区 (and 第一 … 第十),
    not as text (第10 before 第2). Numbers — digits anywhere, Chinese numerals after 第 — become
    eight-digit zero-padded runs; the rest of the name is kept as it is."""
    import cn2an

    def pad(match):
        run = match.group(0)
        try:
            number = (
                int(run) if run[0] not in "零〇一二两三四五六七八九十百千" else int(cn2an.cn2an(run, "smart"))
            )
        except (ValueError, TypeError):
            return run
        return f"{number:08d}"

    return _NUMBER_RUN.sub(pad, (text or "").strip())[:120]


class ElectoralDistrict(models.Model):
    """选区: deputies are elected per district; a vacancy is filled by a by-election in the same district."""

    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="districts", verbose_name=_("乡镇")
    )
    name = models.CharField(_("选区名称"), max_length=60)
    seats = models.PositiveSmallIntegerField(
        _("应选代表名额"),
        default=1,
        help_text=_("本选区应选出的乡镇人大代表名额（人）；代表出缺时在本选区补选。"),
    )
    # natural_sort_key(name), kept by save(); code that bulk-creates districts must fill it too.
    sort_key = models.CharField(_("排序键"), max_length=120, default="", editable=False)

    class Meta:
        verbose_name = _("选区")
        verbose_name_plural = _("选区")
        ordering = ["township", "sort_key", "name"]
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="unique_district_name")]
        indexes = [models.Index(fields=["township", "sort_key"], name="district_natural_order")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.sort_key = natural_sort_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_key"}
        super().save(*args, **kwargs)
