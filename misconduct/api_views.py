"""The API's front door: its root lists the endpoints the caller's roles may use, and a human docs page
(Swagger UI from drf-spectacular-sidecar, served from our own static files, no CDN) needs the same
access as the schema it reads."""

from django.urls import URLPattern, get_resolver, reverse
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.api.permissions import ANY_ROLE, StaffApiMixin
from cases.policy import staff_allowed

API_NAMESPACE = "v1"


def _endpoints(request) -> dict[str, str]:
    """Name -> absolute URL of each list endpoint in the namespace that this user's roles may use."""
    resolver = get_resolver()
    _, namespace_resolver = resolver.namespace_dict[API_NAMESPACE]
    found = {}
    for pattern in namespace_resolver.url_patterns:
        if not isinstance(pattern, URLPattern) or not pattern.name or pattern.pattern.converters:
            continue
        cls = getattr(pattern.callback, "cls", None)
        roles = getattr(cls, "access_roles", ()) if cls else ()
        if roles and staff_allowed(request.user, roles):
            found[pattern.name.removesuffix("-list").replace("-", "_")] = request.build_absolute_uri(
                reverse(f"{API_NAMESPACE}:{pattern.name}")
            )
    return found


class ApiRoot(StaffApiMixin, APIView):
    """The endpoints of API version 1 this caller may use, with the schema and its documentation."""

    access_roles = (ANY_ROLE,)

    @extend_schema(exclude=True)
    def get(self, request):
        return Response(
            {
                "version": API_NAMESPACE,
                "endpoints": _endpoints(request),
                "schema": request.build_absolute_uri(reverse("api-schema")),
                "docs": request.build_absolute_uri(reverse("api-docs")),
            }
        )


class ApiDocs(StaffApiMixin, SpectacularSwaggerSplitView):
    """Swagger UI. The split view serves its start-up script as a separate response of this same URL
    (`?script=`), so the page runs under a Content-Security-Policy with no inline script; our template
    drops drf-spectacular's inline <style> for the same reason."""

    access_roles = (ANY_ROLE,)
    url_name = "api-schema"
    template_name = "api/swagger_ui.html"
    title = "DPS Misconduct Tracker API"

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Swagger UI's stylesheet draws its icons as data: images; on this page only, images may
        # also come from data: URIs (never scripts or styles: those stay 'self').
        response._csp_update = {"img-src": ["data:"]}
        return response
