from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账号管理")

    def ready(self):
        from presidium.models import Role
        from presidium.navigation import NavItem, register

        register(
            NavItem("accounts:checklist", _("开通准备清单"), (Role.STAFF, Role.COUNTY), "list-check", 895),
            NavItem("accounts:list", _("账号管理"), (Role.STAFF, Role.COUNTY), "people", 900),
            NavItem("accounts:deputies", _("代表账号开通"), (Role.STAFF,), "person-plus", 901),
            NavItem("accounts:unit_officers", _("承办单位账号"), (Role.STAFF,), "building-add", 902),
            NavItem("accounts:township_staff", _("乡镇工作人员账号"), (Role.COUNTY,), "person-gear", 903),
        )
