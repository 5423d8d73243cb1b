from django.urls import path

from . import views

app_name = "hotline"

urlpatterns = [
    path("", views.start, name="start"),
    path("report/", views.report, name="report"),
    path("follow-up/", views.lookup, name="lookup"),
    path("your-report/", views.status, name="status"),
    path("your-report/leave/", views.leave, name="leave"),
    path("figures/", views.transparency, name="transparency"),
]
