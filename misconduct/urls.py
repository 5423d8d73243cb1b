from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

import hotline.api
import vetting.api
from cases.api import urls as cases_api_urls
from cases.api.permissions import ANY_ROLE, StaffApiMixin
from cases.policy import second_factor_ok
from cases.views_search import search
from hotline import api_urls as hotline_api_urls

from . import views
from .api_views import ApiDocs, ApiRoot


class ApiSchema(StaffApiMixin, SpectacularAPIView):
    access_roles = (ANY_ROLE,)


def _superuser_only(request):
    # The admin is a maintenance door for superusers only: role holders would otherwise read
    # every row their model permissions name, skipping need-to-know and conflicts of interest. A second
    # factor always, except for the demo's own logins while the app runs in demo mode (second_factor_ok).
    return request.user.is_active and request.user.is_superuser and second_factor_ok(request.user)


admin.site.has_permission = _superuser_only
admin.site.site_header = "DPS Misconduct Tracker: administration"

# API v1 is one namespace ("v1", which DRF's NamespaceVersioning reads as the version) assembled here
# from each app's endpoints (reads and writes), so the ground floor's API never names the apps above it.
API_V1 = [
    *cases_api_urls.urlpatterns,
    *vetting.api.urlpatterns,
    *hotline.api.urlpatterns,
    *hotline_api_urls.urlpatterns,
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("search/", search, name="search"),
    path("accounts/login/", views.login, name="login"),
    path("accounts/logout/", views.logout, name="logout"),
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path("admin/", admin.site.urls),
    path("hotline/", include("hotline.urls")),
    path("triage/", include("hotline.staff_urls")),
    path("risk/", include("cases.risk.urls")),
    path("fairness/", include("cases.fairness.urls")),
    path("documents/", include("cases.documents.urls")),
    path("vetting/", include("vetting.urls")),
    path("", include("cases.urls")),
    path("api/v1/", ApiRoot.as_view(), name="api-root"),
    path("api/v1/docs/", ApiDocs.as_view(), name="api-docs"),
    path("api/v1/", include((API_V1, "cases_api"), namespace="v1")),
    path("api/v1/schema/", ApiSchema.as_view(api_version="v1"), name="api-schema"),
]
