from django.urls import path

from . import staff_views

app_name = "triage"

urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("<uuid:report_id>/", staff_views.report_detail, name="report"),
    path("<uuid:report_id>/act/", staff_views.report_act, name="act"),
]
