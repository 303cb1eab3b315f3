from django.urls import path

from .views import actions, detail, downloads, entry, history_import, lists

app_name = "suggestions"
urlpatterns = [
    path("", lists.suggestion_list, name="list"),
    path("my/", lists.my_suggestions, name="my"),
    path("new/", entry.suggestion_new, name="new"),
    path("paper/", entry.suggestion_paper, name="paper"),
    path("paper/batch/", entry.suggestion_paper_batch, name="paper_batch"),
    path("unit/", lists.unit_inbox, name="unit_inbox"),
    path("briefing/", lists.briefing, name="briefing"),
    path("briefing.pdf", lists.briefing_pdf, name="briefing_pdf"),
    path("stats/", lists.stats, name="stats"),
    path("batch-assign/", actions.batch_assign, name="batch_assign"),
    path("export/register.xlsx", downloads.export_register, name="export_register"),
    path("history-import/", history_import.history_import, name="history_import"),
    path("history-import/confirm/", history_import.history_import_confirm, name="history_import_confirm"),
    path("export/summary.xlsx", downloads.export_summary, name="export_summary"),
    path("<int:pk>/", detail.suggestion_detail, name="detail"),
    path("<int:pk>/edit/", entry.suggestion_edit, name="edit"),
    path("<int:pk>/do/<slug:action>/", actions.suggestion_action, name="action"),
    path("<int:pk>/cosign/", actions.cosign, name="cosign"),
    path("<int:pk>/files/<int:file_pk>/", detail.attachment_download, name="attachment"),
]
