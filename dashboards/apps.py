from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("统计看板")

    def ready(self):
        from presidium.models import Role
        from presidium.navigation import NavItem, register

        register(
            NavItem("dashboards:workbench", _("待办与统计"), (Role.STAFF,), "speedometer2", 1),
            NavItem("dashboards:county", _("全县看板"), (Role.COUNTY,), "bar-chart-line", 1),
        )
