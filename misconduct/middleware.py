"""Request and response rules that hold for every view, so no single view can forget them.

- `RejectNulBytesMiddleware`: a NUL character can never be stored or searched in PostgreSQL text, so
  a query parameter, form field, cookie, JSON body or path carrying one ends the request with 400
  before any view, session look-up or query sees it (public forms: see the class). Views read raw
  parameters in many places (filters, redirects, actions); one check at the door covers them all,
  and the ones added later.
- `NoStoreMiddleware`: nothing the application itself renders may be kept by a browser or a proxy
  cache (staff pages, API responses, CSV exports, a reporter's own report). Static files are served
  by WhiteNoise above this middleware and keep their long cache lifetimes.
"""

from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from cases.policy import PUBLIC

NUL = "\x00"
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _querydict_has_nul(data) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


def _form_body(request) -> bool:
    return request.method not in ("GET", "HEAD", "OPTIONS") and (request.content_type or "") in _FORM_TYPES


def request_has_nul(request) -> bool:
    """Query string, cookies and any body that is not a form."""
    if _querydict_has_nul(request.GET):
        return True
    if any(NUL in key or NUL in value for key, value in request.COOKIES.items()):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS") or _form_body(request):
        return False
    # JSON and other bodies: a NUL either raw or escaped as JSON writes it.
    body = request.body
    return b"\x00" in body or b"\\u0000" in body


def form_has_nul(request) -> bool:
    # Uploaded files may hold any bytes; their names and every other field may not.
    if _querydict_has_nul(request.POST):
        return True
    return any(NUL in (upload.name or "") for _, uploads in request.FILES.lists() for upload in uploads)


NUL_REFUSED = "The request holds a NUL character (\\u0000), which no field accepts. Nothing was saved."


def _refuse(request):
    # An API client gets the API's one error body; a person, an error summary in the words of the
    # public forms: nothing was saved, take the character out.
    if request.path_info.startswith("/api/"):
        return JsonResponse({"non_field_errors": [NUL_REFUSED]}, status=400)
    return HttpResponseBadRequest(render_to_string("400_nul.html", request=request))


class RejectNulBytesMiddleware:
    """Form fields are checked once the view is known: the public pages (hotline, sign-in) validate
    every field with Django forms, whose text fields already refuse a NUL with an error beside the
    field, which is kinder to a member of the public than a bare 400. Every other view (staff pages
    read raw fields for actions, filters and notes) is refused at the door."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path_info:
            # No URL holds one: the same 404 as for any other id that does not exist.
            raise Http404
        if request_has_nul(request):
            return _refuse(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "access_policy", None) == PUBLIC:
            return None
        if _form_body(request) and form_has_nul(request):
            return _refuse(request)
        return None


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
