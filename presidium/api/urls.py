"""/api/v1/: every app's ``api.register(router)`` is collected here (see presidium.registry)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from ..registry import app_modules
from . import views

router = DefaultRouter()
views.register(router)
extra_urls = []
for label, module in app_modules("api"):
    if label == "presidium":
        continue
    if hasattr(module, "register"):
        module.register(router)
    extra_urls += getattr(module, "urlpatterns", [])

urlpatterns = [path("me/", views.me, name="api-me"), *extra_urls, path("", include(router.urls))]
