from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/export.csv", views.case_export, name="case_export"),
    path("cases/<uuid:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<uuid:case_id>/act/", views.case_act, name="case_act"),
    path("cases/<uuid:case_id>/assign/", views.case_assign, name="case_assign"),
    path("cases/<uuid:case_id>/grant/", views.case_grant, name="case_grant"),
    path("cases/<uuid:case_id>/notes/", views.case_note, name="case_note"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("cases/<uuid:case_id>/summary/", views.case_summary, name="case_summary"),
    path("work/", views.my_work, name="my_work"),
    path("cases/timeliness/", views.timeliness, name="timeliness"),
    path("cases/<uuid:case_id>/timeliness-report/", views.timeliness_report, name="timeliness_report"),
    path("exports/barred-list.csv", views.barred_list_export, name="barred_list_export"),
    path("exports/advisory-list.csv", views.advisory_list_export, name="advisory_list_export"),
    path("allegations/", views.allegation_list, name="allegation_list"),
    path("allegations/export.csv", views.allegation_export, name="allegation_export"),
    path("allegations/<uuid:allegation_id>/", views.allegation_detail, name="allegation_detail"),
    path("convictions/", views.conviction_list, name="conviction_list"),
    path("officers/", views.officer_list, name="officer_list"),
    path("officers/<uuid:officer_id>/", views.officer_detail, name="officer_detail"),
    path("officers/<uuid:officer_id>/timeline/", views.officer_timeline_list, name="officer_timeline"),
    path("officers/<uuid:officer_id>/allegations/new/", views.allegation_new, name="allegation_new"),
    path("officers/<uuid:officer_id>/cases/new/", views.case_new, name="case_new"),
    # Suspension and restricted duties (reg 11), supervisors only.
    path("officers/<uuid:officer_id>/suspension/", views.officer_suspension_start, name="officer_suspension_start"),
    path("officers/<uuid:officer_id>/suspension/review/", views.officer_suspension_review, name="suspension_review"),
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/<uuid:review_id>/", views.review_detail, name="review_detail"),
    path("reviews/<uuid:review_id>/decide/", views.review_decide, name="review_decide"),
    path("reviews/<uuid:review_id>/verdict/", views.review_verdict, name="review_verdict"),
    path("reviews/allocate/", views.reviews_allocate, name="reviews_allocate"),
    path("reviews/programmes/new/", views.review_programme_new, name="review_programme_new"),
    path("reviews/<uuid:review_id>/open-case/", views.review_case_open, name="review_case_open"),
    path("reviews/<uuid:review_id>/action-done/", views.review_action_done, name="review_action_done"),
    path("reviews/send-to-panel/", views.reviews_send_to_panel, name="reviews_send_to_panel"),
    path("audit/", views.audit_reader, name="audit_reader"),
    path("audit/cases/<uuid:case_id>/", views.audit_case, name="audit_case"),
    path("audit/officers/<uuid:officer_id>/", views.audit_officer, name="audit_officer"),
]
