from django.contrib import admin
from django.urls import include, path

from . import views


def _superuser_only(request):
    # The admin is a maintenance door for superusers only: role holders would otherwise read
    # every row their model permissions name, skipping need-to-know and conflicts of interest.
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superuser_only
admin.site.site_header = "DPS Misconduct Tracker: administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("hotline/", include("hotline.urls")),
]
