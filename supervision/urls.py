from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.activity_list, name="activities"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/pdf/", views.activity_pdf, name="activity_pdf"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/participants/", views.participants_add, name="participants_add"),
    path("participants/<int:pk>/remove/", views.participant_remove, name="participant_remove"),
    path("activities/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("activities/<int:pk>/findings/", views.finding_add, name="finding_add"),
    path("findings/<int:pk>/forward/", views.finding_forward, name="finding_forward"),
    path("findings/<int:pk>/delete/", views.finding_delete, name="finding_delete"),
    path("findings/<int:pk>/rectify/", views.rectification_create, name="rectification_create"),
    path("activities/<int:pk>/commitments/", views.commitment_add, name="commitment_add"),
    path("commitments/<int:pk>/check/", views.commitment_check, name="commitment_check"),
    path("activities/<int:pk>/appraisal/", views.appraisal_create, name="appraisal_create"),
    path("appraisals/<int:pk>/", views.appraisal_detail, name="appraisal_detail"),
    path("appraisals/<int:pk>/paper/", views.appraisal_paper, name="appraisal_paper"),
    path("appraisal-targets/<int:pk>/report/", views.appraisal_target_report, name="appraisal_target_report"),
    path("appraisals/<int:pk>/close/", views.appraisal_close, name="appraisal_close"),
    path("appraisals/<int:pk>/vote/", views.appraisal_vote, name="appraisal_vote"),
    path("appraisals/<int:pk>/ballot/", views.appraisal_record_ballot, name="appraisal_record_ballot"),
    path("my/", views.my, name="my"),
    path("rectifications/", views.rectification_list, name="rectifications"),
    path("rectifications/export/", views.rectification_export, name="rectification_export"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification_detail"),
    path("rectifications/<int:pk>/act/", views.rectification_act, name="rectification_act"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("petitions/", views.petition_list, name="petitions"),
    path("petitions/new/", views.petition_create, name="petition_create"),
    path("petitions/<int:pk>/", views.petition_detail, name="petition_detail"),
    path("petitions/<int:pk>/act/", views.petition_act, name="petition_act"),
]
