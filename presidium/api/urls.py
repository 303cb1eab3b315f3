"""/api/v1/: every app's ``api.register(router)`` is collected here (see presidium.registry)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from ..registry import app_modules
from . import views


class Router(DefaultRouter):
    """Object ids in API paths are digits only (``/sessions/4%0C/`` is a 404, not session 4)."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if getattr(viewset, "lookup_value_regex", None) is None:
            viewset.lookup_value_regex = "[0-9]+"
        return super().get_lookup_regex(viewset, lookup_prefix)


router = Router()
views.register(router)
extra_urls = []
for label, module in app_modules("api"):
    if label == "presidium":
        continue
    if hasattr(module, "register"):
        module.register(router)
    extra_urls += getattr(module, "urlpatterns", [])

urlpatterns = [path("me/", views.me, name="api-me"), *extra_urls, path("", include(router.urls))]
