"""CSV downloads: the filtered case and allegation lists (the same selector and FilterSet as their
pages, so the same people are hidden and the same filters refused) and the College of Policing lists."""

import csv

from django.http import HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from cases.policy import staff_view

from .. import selectors, services
from ..filters import AllegationFilter, CaseFilter, list_filter
from ..permissions import CASE_PAGE_ROLES


def csv_response(rows, filename, header):
    """Stream rows as a CSV download: constant memory however long the filtered list is.

    Every export goes through here, so the two rules of a safe CSV live here once:
    - a text cell that a spreadsheet would read as a formula (=, +, -, @, tab, carriage return first)
      is prefixed with a single quote (OWASP "CSV injection"), so it shows as the text it is;
    - a NUL character is dropped, so no cell can cut the file short in the reader.
    (A NUL in a filter, which once broke a download off after its 200 header, is refused before any
    view runs: misconduct/middleware.py.)
    """
    formula_starts = ("=", "+", "-", "@", "\t", "\r")

    def safe(value):
        if not isinstance(value, str):
            return value
        value = value.replace("\x00", "")
        return "'" + value if value.startswith(formula_starts) else value

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())

    def stream():
        yield writer.writerow([safe(cell) for cell in header])
        for row in rows:
            yield writer.writerow([safe(cell) for cell in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _refused_filters(filters):
    """A download whose filters are refused starts no file: 400, with what was wrong, as plain text."""
    lines = [f"{name}: {' '.join(errors)}" for name, errors in filters.errors.items()]
    return HttpResponse("The filters were refused.\n" + "\n".join(lines), status=400, content_type="text/plain")


@staff_view(*CASE_PAGE_ROLES)
@require_GET
def case_export(request):
    """CSV of the filtered list: the same selector as the page, so the same people are hidden."""
    filters = list_filter(CaseFilter, request, selectors.case_list(user=request.user))
    if filters.errors:
        return _refused_filters(filters)
    rows = filters.qs.values_list(
        "reference", "subject__staff_number", "subject__last_name", "status", "severity", "outcome", "opened_at"
    )
    header = ["reference", "staff_number", "subject_surname", "status", "severity", "outcome", "opened_at"]
    return csv_response(rows.iterator(chunk_size=2000), "cases.csv", header)


@staff_view(*CASE_PAGE_ROLES)
@require_GET
def allegation_export(request):
    filters = list_filter(AllegationFilter, request, selectors.allegation_list(user=request.user))
    if filters.errors:
        return _refused_filters(filters)
    header = [
        "received_on",
        "incident_on",
        "staff_number",
        "subject_surname",
        "category",
        "source",
        "status",
        "case_reference",
    ]
    rows = filters.qs.order_by("-received_on", "-id").values_list(
        "received_on",
        "incident_on",
        "subject__staff_number",
        "subject__last_name",
        "category",
        "source",
        "status",
        "case__reference",
    )
    return csv_response(rows.iterator(chunk_size=2000), "allegations.csv", header)


LIST_COLUMNS = [
    "staff_number",
    "collar_number",
    "first_name",
    "last_name",
    "rank",
    "command__name",
    "status",
    "left_on",
]


@staff_view(*CASE_PAGE_ROLES)
@require_GET
def barred_list_export(request):
    """College of Policing barred list: everyone dismissed."""
    rows = services.barred_list(selectors.officer_list(user=request.user)).values_list(*LIST_COLUMNS)
    return csv_response(rows.iterator(chunk_size=2000), "barred-list.csv", LIST_COLUMNS)


@staff_view(*CASE_PAGE_ROLES)
@require_GET
def advisory_list_export(request):
    """College of Policing advisory list: left while under investigation."""
    rows = services.advisory_list(selectors.officer_list(user=request.user)).values_list(*LIST_COLUMNS)
    return csv_response(rows.iterator(chunk_size=2000), "advisory-list.csv", LIST_COLUMNS)
