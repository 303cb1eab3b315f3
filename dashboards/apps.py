from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("统计看板")

    def ready(self):
        from presidium.celery import app as celery_app
        from presidium.models import Role
        from presidium.navigation import NavItem, register

        register(
            NavItem("dashboards:workbench", _("待办与统计"), (Role.STAFF,), "speedometer2", 1),
            NavItem("dashboards:county", _("全县看板"), (Role.COUNTY,), "bar-chart-line", 1),
        )
        # The summary table is refreshed every 10 minutes; rows older than FIGURES_MAX_AGE (30
        # minutes by default) are ignored, so a stopped beat degrades to live figures, not stale ones.
        from . import freshness

        freshness.connect()
        celery_app.conf.beat_schedule.setdefault(
            "dashboards-refresh-figures", {"task": "dashboards.refresh_figures", "schedule": 600.0}
        )
