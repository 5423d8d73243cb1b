"""The hotline's API endpoints; misconduct/urls.py adds them to the API's v1 namespace."""

from django.urls import path

from .api_actions import ReportAcknowledge

urlpatterns = [
    path(
        "hotline/reports/<uuid:report_id>/acknowledge/",
        ReportAcknowledge.as_view(),
        name="hotline-report-acknowledge",
    ),
]
