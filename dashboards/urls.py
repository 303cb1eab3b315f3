from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("county/", views.county, name="county"),
    path("county/export.xlsx", views.county_export, name="county_export"),
    path("townships/<int:pk>/", views.township, name="township"),
]
