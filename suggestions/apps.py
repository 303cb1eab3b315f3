from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "suggestions"
    verbose_name = _("建议议案")

    def ready(self):
        from presidium.models import Role
        from presidium.navigation import NavItem, register

        register(
            NavItem("suggestions:my", _("我的建议"), (Role.DEPUTY,), "chat-square-text", 10),
            NavItem("suggestions:unit_inbox", _("承办建议"), (Role.UNIT,), "inbox", 10),
            NavItem("suggestions:list", _("代表建议"), (Role.STAFF, Role.COUNTY), "chat-square-text", 30),
        )
