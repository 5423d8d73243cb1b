"""Request and response rules that hold for every view, so no single view can forget them.

- `RejectNulBytesMiddleware`: a NUL character can never be stored or searched in PostgreSQL text, so
  a query parameter, form field, cookie or path carrying one ends the request with 400 before any
  view, session look-up or query sees it. Views read raw parameters in many places (filters,
  redirects, actions); one check at the door covers them all, and the ones added later.
- `NoStoreMiddleware`: nothing the application itself renders may be kept by a browser or a proxy
  cache (staff pages, API responses, CSV exports, a reporter's own report). Static files are served
  by WhiteNoise above this middleware and keep their long cache lifetimes.
"""

from django.core.exceptions import BadRequest
from django.utils.cache import add_never_cache_headers

NUL = "\x00"
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _querydict_has_nul(data) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


def request_has_nul(request) -> bool:
    if NUL in request.path_info:
        return True
    if _querydict_has_nul(request.GET):
        return True
    if any(NUL in key or NUL in value for key, value in request.COOKIES.items()):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    content_type = request.content_type or ""
    if content_type in _FORM_TYPES:
        # Uploaded files may hold any bytes; their names and every other field may not.
        if _querydict_has_nul(request.POST):
            return True
        return any(NUL in (upload.name or "") for _, uploads in request.FILES.lists() for upload in uploads)
    # JSON and other bodies: a NUL either raw or escaped as JSON writes it.
    body = request.body
    return b"\x00" in body or b"\\u0000" in body


class RejectNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request_has_nul(request):
            # Django's 400 handler answers with the plain-words error page (templates/400.html).
            raise BadRequest("NUL character in the request")
        return self.get_response(request)


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
