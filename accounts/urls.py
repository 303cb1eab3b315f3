from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.account_list, name="list"),
    path("deputies/", views.deputy_logins, name="deputies"),
    path("deputies/issue/", views.deputy_logins_issue, name="deputies_issue"),
    path("units/", views.unit_officers, name="unit_officers"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("township-staff/", views.township_staff, name="township_staff"),
    path("<int:pk>/reset-password/", views.account_reset, name="reset"),
    path("<int:pk>/deactivate/", views.account_deactivate, name="deactivate"),
    path("<int:pk>/activate/", views.account_activate, name="activate"),
    path("checklist/", views.checklist, name="checklist"),
]
