from django.urls import path

from . import views

app_name = "suggestions"
urlpatterns = [
    path("", views.suggestion_list, name="list"),
    path("my/", views.my_suggestions, name="my"),
    path("new/", views.suggestion_new, name="new"),
    path("paper/", views.suggestion_paper, name="paper"),
    path("paper/batch/", views.suggestion_paper_batch, name="paper_batch"),
    path("unit/", views.unit_inbox, name="unit_inbox"),
    path("briefing/", views.briefing, name="briefing"),
    path("briefing.pdf", views.briefing_pdf, name="briefing_pdf"),
    path("stats/", views.stats, name="stats"),
    path("batch-assign/", views.batch_assign, name="batch_assign"),
    path("export/register.xlsx", views.export_register, name="export_register"),
    path("history-import/", views.history_import, name="history_import"),
    path("history-import/confirm/", views.history_import_confirm, name="history_import_confirm"),
    path("export/summary.xlsx", views.export_summary, name="export_summary"),
    path("<int:pk>/", views.suggestion_detail, name="detail"),
    path("<int:pk>/edit/", views.suggestion_edit, name="edit"),
    path("<int:pk>/do/<slug:action>/", views.suggestion_action, name="action"),
    path("<int:pk>/cosign/", views.cosign, name="cosign"),
    path("<int:pk>/files/<int:file_pk>/", views.attachment_download, name="attachment"),
]
