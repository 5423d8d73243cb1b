from django.urls import path

from . import views

app_name = "fairness"

urlpatterns = [
    path("", views.monitoring, name="monitoring"),
    path("export.csv", views.monitoring_export, name="monitoring_export"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/<uuid:run_id>/", views.import_detail, name="import_detail"),
    path("imports/<uuid:run_id>/issues", views.import_issues, name="import_issues"),
]
