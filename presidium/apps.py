from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PresidiumConfig(AppConfig):
    name = "presidium"
    verbose_name = _("基础设置")

    def ready(self):
        from . import navigation
        from .api import schema  # noqa: F401 - registers the OpenAPI auth extension

        navigation.register_core()
