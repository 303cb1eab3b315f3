from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("监督")

    def ready(self):
        from presidium.models import Role
        from presidium.navigation import NavItem, register

        from . import archive  # noqa: F401  (registers the performance-archive source)

        register(
            NavItem("supervision:activities", _("监督活动"), (Role.STAFF, Role.COUNTY), "binoculars", 400),
            NavItem(
                "supervision:rectifications",
                _("整改跟踪"),
                (Role.STAFF, Role.COUNTY, Role.UNIT),
                "clipboard-check",
                410,
            ),
            NavItem(
                "supervision:petitions",
                _("信访"),
                (Role.STAFF, Role.COUNTY, Role.UNIT),
                "envelope-paper",
                420,
            ),
            NavItem("supervision:my", _("监督与测评"), (Role.DEPUTY,), "binoculars", 400),
        )
