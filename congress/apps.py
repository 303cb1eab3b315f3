from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = _("会议")

    def ready(self):
        from presidium.models import Role
        from presidium.navigation import NavItem, register

        register(
            NavItem("congress:index", _("人代会"), (Role.STAFF, Role.COUNTY), "building", 20),
            NavItem("congress:meetings", _("主席团会议"), (Role.STAFF, Role.COUNTY), "people-fill", 21),
            NavItem("congress:my_meetings", _("我的会议"), (Role.DEPUTY,), "calendar-check", 22),
        )
