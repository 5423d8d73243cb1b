from django.urls import path

from . import views

app_name = "risk"

urlpatterns = [
    path("", views.risk_list, name="risk_list"),
    path("officers/<uuid:officer_id>/", views.officer_flags, name="officer_flags"),
    path("flags/<int:flag_id>/triage/", views.flag_triage, name="flag_triage"),
    path("rules/<slug:code>/", views.rule_update, name="rule_update"),
]
