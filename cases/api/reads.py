"""What every API read shares: pages with a maximum size, the strict filters, conditional GET
(ETag and Last-Modified, 304 Not Modified), and an access record for every row of personal data a
list hands out (one INSERT for the page, not one per row)."""

import hashlib

from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.response import Response

from ..pagination import EstimatedPageNumberPagination
from ..services.access import access_records_write_many

MAX_PAGE_SIZE = 100


class ApiPagination(EstimatedPageNumberPagination):
    """50 rows a page unless the client asks for `page_size` (at most 100: a bigger ask gets 100); the
    count is exact up to EXACT_COUNT_LIMIT rows and the planner's estimate above (`count_is_estimate`)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class ApiFilterBackend(DjangoFilterBackend):
    """The lists' FilterSets (cases/filters.py) refuse a parameter no filter knows; the page size is
    the paginator's, so it is taken out before the FilterSet sees the query string."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        data = kwargs["data"].copy()
        data.pop(ApiPagination.page_size_query_param, None)
        kwargs["data"] = data
        return kwargs


def _timestamp(moment) -> int | None:
    return int(moment.timestamp()) if moment is not None else None


def latest(*rows):
    """When the latest of these rows changed (their `updated_at`): a detail's Last-Modified covers
    every row its body shows, so a change to any of them is a change to the response."""
    moments = [getattr(row, "updated_at", None) for row in rows if row is not None]
    return max((m for m in moments if m is not None), default=None)


# A successful GET carries an ETag (a digest of the body this caller gets) and, where the view
# knows when its object last changed (`self.last_modified`), Last-Modified; a request whose
# If-None-Match or If-Modified-Since still holds gets 304 with no body (RFC 9110 section 13).
# (Mixins here have comments, not docstrings: the schema shows a view's docstring, inherited.)
class ConditionalGetMixin:
    last_modified = None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or not isinstance(response, Response):
            return response
        response.render()
        etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:40])
        response["ETag"] = etag
        last_modified = _timestamp(self.last_modified)
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
        return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)


# A list of personal data: each row on the page served gets an access record (who, which row,
# when, from where, which list and filters), written in one INSERT. `access_object_type` names the
# kind as the browser's audit does ("case", "officer", ...); `access_label(row)` labels it.
class RecordedListMixin:
    access_object_type = ""

    def access_label(self, obj) -> str:
        return getattr(obj, "reference", "") or str(obj.pk)

    def access_rows(self, rows) -> list[tuple[int, str]]:
        """(id, label) of the record each row is about, as the audit names it."""
        return [(obj.pk, self.access_label(obj)) for obj in rows]

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        access_records_write_many(request=request, rows=self.access_rows(rows), object_type=self.access_object_type)
        serializer = self.get_serializer(rows, many=True)
        if page is not None:
            return self.get_paginated_response(serializer.data)
        return Response(serializer.data)
