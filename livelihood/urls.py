from django.urls import path

from . import views

app_name = "livelihood"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.project_new, name="project_new"),
    path("export/", views.export, name="export"),
    path("score/", views.score_open, name="score_open"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("photos/<int:pk>/", views.report_photo, name="report_photo"),
    path("sessions/<int:pk>/", views.session_vote, name="session_vote"),
    path("sessions/<int:pk>/result.pdf", views.session_vote_pdf, name="session_vote_pdf"),
    path("progress/<int:township_id>/<int:year>/report.pdf", views.progress_pdf, name="progress_pdf"),
    path("ballots/<int:pk>/", views.ballot_vote, name="ballot_vote"),
    path("public/<int:township_id>/", views.public, name="public"),
]
