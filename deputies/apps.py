from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeputiesConfig(AppConfig):
    name = "deputies"
    verbose_name = _("代表")

    def ready(self):
        from presidium.models import Role
        from presidium.navigation import NavItem, register

        staff_county = (Role.STAFF, Role.COUNTY)
        register(
            NavItem("deputies:roster", _("代表花名册"), staff_county, "people-fill", 20),
            NavItem(
                "deputies:opinions", _("选民意见"), (Role.STAFF, Role.COUNTY, Role.UNIT), "chat-left-text", 24
            ),
            NavItem("deputies:archive", _("履职档案"), staff_county, "award", 26),
            NavItem("deputies:me", _("我的履职"), (Role.DEPUTY,), "person-badge", 20),
            NavItem("deputies:contacts", _("联系选民"), (Role.DEPUTY,), "telephone", 22),
            NavItem("deputies:my_card", _("我的代表码"), (Role.DEPUTY,), "qr-code", 23),
            NavItem("deputies:opinions", _("选民留言"), (Role.DEPUTY,), "chat-left-text", 24),
        )
