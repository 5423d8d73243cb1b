from django.urls import path

from . import views, views_pnd, views_withdrawal

app_name = "vetting"

urlpatterns = [
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/new/", views.review_open, name="review_open"),
    path("reviews/<uuid:vetting_review_id>/", views.review_detail, name="review_detail"),
    path("reviews/<uuid:vetting_review_id>/move/", views.review_move, name="review_move"),
    path("clearances/expiring/", views.clearance_expiry, name="clearance_expiry"),
    path("officers/<uuid:officer_id>/clearances/", views.officer_clearances, name="officer_clearances"),
    path("my-circumstances/", views.circumstance_change, name="circumstance_change"),
    path("withdrawals/", views_withdrawal.withdrawal_list, name="withdrawal_list"),
    path("withdrawals/new/", views_withdrawal.withdrawal_start, name="withdrawal_start"),
    path("withdrawals/<uuid:withdrawal_id>/", views_withdrawal.withdrawal_detail, name="withdrawal_detail"),
    path("withdrawals/<uuid:withdrawal_id>/step/", views_withdrawal.withdrawal_step, name="withdrawal_step"),
    path("pnd/", views_pnd.pnd_summary, name="pnd_summary"),
    path("pnd/imports/new/", views_pnd.pnd_import_new, name="pnd_import_new"),
    path("pnd/imports/<uuid:pnd_import_id>/", views_pnd.pnd_import_detail, name="pnd_import_detail"),
    path("pnd/imports/<uuid:pnd_import_id>/rejected-rows.csv", views_pnd.pnd_import_errors, name="pnd_import_errors"),
]
