from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from presidium.api.docs import LocalRedocView, redoc_bundle

from . import views

core_patterns = [
    path("api-keys/", views.api_key_list, name="apikeys"),
    path("api-keys/<int:pk>/revoke/", views.api_key_revoke, name="apikey_revoke"),
    path("audit/", views.audit_list, name="audit"),
    path("rules/", views.county_rules, name="rules"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("core/", include((core_patterns, "presidium"))),
    path("deputies/", include("deputies.urls")),
    path("congress/", include("congress.urls")),
    path("suggestions/", include("suggestions.urls")),
    path("supervision/", include("supervision.urls")),
    path("notifications/", include("notifications.urls")),
    path("reports/", include("reports.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("logins/", include("accounts.urls")),
    path("livelihood/", include("livelihood.urls")),
    path("api/v1/", include("presidium.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", LocalRedocView.as_view(url_name="schema"), name="redoc"),
    path("api/redoc/redoc.standalone.js", redoc_bundle, name="redoc-bundle"),
    path("admin/", admin.site.urls),
]

# MEDIA_URL is never served raw, in any settings mode: every uploaded file goes through the view of
# the object it belongs to (visibility checked there) and presidium.uploads.serve_upload.

handler403 = "presidium.views.permission_denied"
handler404 = "presidium.views.page_not_found"
handler500 = "presidium.views.server_error"
