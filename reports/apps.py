from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("报告与台账")

    def ready(self):
        from presidium.models import Role
        from presidium.navigation import NavItem, register

        from . import snapshots

        snapshots.connect()

        register(
            NavItem("reports:index", _("报告与台账"), (Role.STAFF, Role.COUNTY), "file-earmark-text", 600)
        )
