"""Pages of long lists without counting every row.

A list page shows "Page 3 of 907" and the API a `count`; an exact COUNT over the Met's 500,000
allegations costs more than the page itself (issue 18: 230 ms of a 29 ms row query). So the count is
exact only while it is small: it counts at most EXACT_COUNT_LIMIT + 1 rows (a COUNT over a LIMIT
subquery, which stops early), and above that takes the planner's estimate of the rows (EXPLAIN, which
reads no rows), shown as "about 133,000". PostgreSQL only; other databases count exactly."""

import json
import math

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

DEFAULT_EXACT_COUNT_LIMIT = 5000
# From this many rows skipped a page is read in two steps (EstimatedCountPaginator.page).
DEFERRED_JOIN_FROM = 1000


def exact_count_limit() -> int:
    return getattr(settings, "EXACT_COUNT_LIMIT", DEFAULT_EXACT_COUNT_LIMIT)


def _planner_rows(queryset) -> int | None:
    try:
        plan = json.loads(queryset.order_by().explain(format="json"))
    except Exception:  # noqa: BLE001 - an estimate is an optimisation: any failure falls back to counting
        return None
    if isinstance(plan, str):  # some drivers hand the JSON back as a string inside the list
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def rounded(n: int) -> int:
    """133,217 -> 133,000: an estimate is shown with no more figures than it has."""
    if n < 1000:
        return n
    figures = 10 ** (int(math.log10(n)) - 2)
    return int(round(n / figures) * figures)


class EstimatedCountPaginator(Paginator):
    """A Paginator whose `count` is exact up to the limit and the planner's estimate above it;
    `count_is_estimate` says which. A page past the real end of an estimated list is simply empty."""

    count_is_estimate = False  # until `count` (computed once) finds it must estimate

    @cached_property
    def count(self) -> int:
        qs = self.object_list
        if not hasattr(qs, "query") or connections[qs.db].vendor != "postgresql":
            return super().count
        limit = exact_count_limit()
        bounded = qs.order_by()[: limit + 1].count()
        if bounded <= limit:
            return bounded
        estimate = _planner_rows(qs)
        if estimate is None:
            return qs.count()
        self.count_is_estimate = True
        return rounded(max(estimate, limit + 1))

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._rows(bottom, top), number, self)

    def _rows(self, bottom: int, top: int):
        """A deep page (page 907: OFFSET 45,300) first takes its ids alone, a walk of the list's sort index
        that joins nothing (the covering indexes of cases.models.Case answer it from the index), then
        reads those 50 rows with their joins. In one query the database would join every skipped row
        to its officer, command and investigator before throwing it away (issue 18: 437 ms)."""
        qs = self.object_list
        if bottom < DEFERRED_JOIN_FROM or not hasattr(qs, "query") or qs.query.distinct or qs._fields is not None:
            return qs[bottom:top]
        ids = list(qs.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in qs.filter(pk__in=ids).order_by()}
        return [rows[pk] for pk in ids if pk in rows]


class EstimatedPageNumberPagination(PageNumberPagination):
    """The API's pages: the same counting as the browser's lists, with `count_is_estimate` in the body."""

    django_paginator_class = EstimatedCountPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_is_estimate": self.page.paginator.count_is_estimate,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count_is_estimate"] = {
            "type": "boolean",
            "description": "True when `count` is the database planner's estimate (lists over "
            f"{DEFAULT_EXACT_COUNT_LIMIT:,} rows by default), not an exact count.",
        }
        response["required"] = sorted({*response.get("required", []), "count_is_estimate"})
        return response
