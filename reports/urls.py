from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("t/<int:township_id>/<int:year>/", views.annual, name="annual"),
    path("t/<int:township_id>/<int:year>/preview/", views.annual_preview, name="annual_preview"),
    path("t/<int:township_id>/<int:year>/pdf/", views.annual_pdf, name="annual_pdf"),
    path("t/<int:township_id>/<int:year>/docx/", views.annual_docx, name="annual_docx"),
    path("t/<int:township_id>/briefing.docx", views.briefing_docx, name="briefing_docx"),
    path(
        "t/<int:township_id>/<int:year>/narrative/<slug:section>/",
        views.narrative_save,
        name="narrative_save",
    ),
    path("t/<int:township_id>/books/", views.books, name="books"),
    path("t/<int:township_id>/books/<slug:kind>.pdf", views.book_pdf, name="book_pdf"),
    path("t/<int:township_id>/books/<slug:kind>.xlsx", views.export_xlsx, name="export_xlsx"),
    path("t/<int:township_id>/jobs/", views.job_create, name="job_create"),
    path(
        "deputy/<int:deputy_id>/<int:year>/archive.pdf", views.deputy_archive_pdf, name="deputy_archive_pdf"
    ),
    path("t/<int:township_id>/documents/", views.documents, name="documents"),
    path("t/<int:township_id>/documents/new/", views.document_create, name="document_create"),
    path("documents/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("documents/<int:pk>/copy/", views.document_copy, name="document_copy"),
    path("t/<int:township_id>/deeds/", views.deeds, name="deeds"),
    path("t/<int:township_id>/deeds/new/", views.deed_create, name="deed_create"),
    path("deeds/<int:pk>/edit/", views.deed_edit, name="deed_edit"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
]
