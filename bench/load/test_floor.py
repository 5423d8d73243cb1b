"""The floor prints the rows the page shows (run on its own; not part of the suite's testpaths):

    .venv/bin/python -m pytest -q -p no:cacheprovider bench/load/test_floor.py

The case list is requested as a supervisor and its statements captured as capture.py does; the
floor's replay of them over a cursor must print every case reference the page printed. BEGIN and
COMMIT are left out here only because the test itself runs inside a transaction (the floor server
runs them as captured).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.load import floor
from cases.roles import Role
from tests.conftest import sign_in
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_floor_prints_the_rows_the_case_list_shows(client, settings):
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": static}
    cases = CaseFactory.create_batch(3)
    sign_in(client, UserFactory(username="floor-supervisor", roles=[Role.SUPERVISOR]))
    client.get("/cases/", secure=True)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/cases/", secure=True)
    assert response.status_code == 200
    statements = [floor.prepare(q["sql"]) for q in ctx.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")]
    page, replayed = response.content.decode(), floor.replay(statements)
    for case in cases:
        assert case.reference in page
        assert f"<td>{case.reference}</td>" in replayed


def test_a_server_side_cursor_is_replayed_as_its_select():
    declared = 'DECLARE "_django_curs_1_sync_2" NO SCROLL CURSOR WITH HOLD FOR SELECT 1 AS one'
    assert floor.replay([floor.prepare(declared)]).count("<td>1</td>") == 1
