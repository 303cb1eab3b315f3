from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LivelihoodConfig(AppConfig):
    name = "livelihood"
    verbose_name = _("民生实事")

    def ready(self):
        from presidium.models import Role
        from presidium.navigation import NavItem, register

        register(
            NavItem(
                "livelihood:index",
                _("民生实事"),
                (Role.STAFF, Role.COUNTY, Role.UNIT, Role.DEPUTY),
                "list-check",
                45,
            ),
        )
