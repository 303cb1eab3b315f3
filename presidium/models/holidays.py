"""Holiday calendar: official holidays and make-up workdays per year."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HolidayYear(models.Model):
    """A year whose official calendar (the State Council's holiday notice) is loaded. Until a year
    has a row here (or chinesecalendar knows it), ``presidium.workdays`` counts it provisionally
    from the statutory holidays and marks deadlines over it as provisional."""

    class Source(models.TextChoices):
        PACKAGE = "package", _("chinesecalendar 内置数据")
        FILE = "file", _("导入文件")
        MANUAL = "manual", _("手工维护")

    year = models.PositiveSmallIntegerField(_("年度"), unique=True, validators=[MinValueValidator(2000)])
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    note = models.CharField(
        _("依据"), max_length=200, blank=True, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知")
    )
    loaded_at = models.DateTimeField(_("载入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("节假日年度安排")
        verbose_name_plural = _("节假日年度安排")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class HolidayDay(models.Model):
    """One day that differs from the Monday–Friday week: an official rest day (法定节假日 or a day
    of its holiday block) or a make-up working day (调休上班, usually a Saturday or Sunday)."""

    class Kind(models.TextChoices):
        REST = "rest", _("放假")
        WORK = "work", _("调休上班")

    year = models.ForeignKey(
        HolidayYear, on_delete=models.CASCADE, related_name="days", verbose_name=_("年度")
    )
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=4, choices=Kind.choices)
    name = models.CharField(_("节日"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("节假日/调休日")
        verbose_name_plural = _("节假日/调休日")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.year_id and self.date and self.date.year != self.year.year:
            raise ValidationError({"date": _("日期须在%(y)s年内。") % {"y": self.year.year}})
