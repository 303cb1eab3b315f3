from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("通知提醒")

    def ready(self):
        from presidium.models import Role
        from presidium.navigation import NavItem, register

        register(
            NavItem(
                "notifications:deliveries", _("提醒发送记录"), (Role.STAFF, Role.COUNTY), "send-check", 880
            )
        )
