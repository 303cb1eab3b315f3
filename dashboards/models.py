"""Summary table of the dashboards: the apps' township figures for the standard periods, refreshed
by a Celery task (dashboards.tasks.refresh_figures) so that county pages and the stats API read
one indexed row per township instead of re-aggregating a province's suggestions and archives on
every request. Periods not in the table, or rows older than FIGURES_MAX_AGE, are computed live."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from presidium.models import Township


class TownshipFigures(models.Model):
    township = models.ForeignKey(Township, on_delete=models.CASCADE, related_name="+", verbose_name=_("乡镇"))
    app = models.CharField(_("模块"), max_length=20)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    values = models.JSONField(_("统计值"), default=dict)
    computed_at = models.DateTimeField(_("计算时间"), default=timezone.now)

    class Meta:
        verbose_name = _("乡镇统计快照")
        verbose_name_plural = _("乡镇统计快照")
        constraints = [
            models.UniqueConstraint(
                fields=["app", "start", "end", "township"], name="unique_township_figures"
            )
        ]

    def __str__(self):
        return f"{self.township_id} {self.app} {self.start}–{self.end}"


class FiguresChange(models.Model):
    """The last moment a township's data changed (a commit touching a stats app's rows). A summary
    row computed before it no longer tells the truth and is ignored: the township is computed live
    until the next refresh (scheduled on the same commit, debounced per township)."""

    township = models.OneToOneField(
        Township, on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("乡镇")
    )
    changed_at = models.DateTimeField(_("数据变动时间"))

    class Meta:
        verbose_name = _("乡镇数据变动")
        verbose_name_plural = _("乡镇数据变动")

    def __str__(self):
        return f"{self.township_id} {self.changed_at:%Y-%m-%d %H:%M:%S}"
