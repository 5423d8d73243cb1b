"""The vetting lists' counts at Met scale (issue 18): the PND summary's "checked" and workforce figures and the
clearance expiry list read the small indexes of who is serving and who has left, not every officer row (EXPLAIN
of the SQL they run, with whole-table scans and sorts priced out as in tests/cases/test_list_indexes.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.roles import Role
from tests.cases.test_list_indexes import _copies, _plan
from tests.clock import TODAY
from tests.factories import OfficerFactory, PNDCheckFactory, UserFactory, VettingClearanceFactory
from vetting import selectors
from vetting.selectors_pnd import pnd_summary

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL planner and indexes"),
]


def _people(n=5_000):
    OfficerFactory()
    _copies(
        "cases_officer",
        n,
        {
            "staff_number": "'COPY-' || g",
            "collar_number": "'COPY' || g",
            "public_id": "gen_random_uuid()",
            "user_id": "NULL",
            "status": "CASE WHEN g % 30 = 0 THEN 'resigned' ELSE status END",
            "left_on": "CASE WHEN g % 30 = 0 THEN joined_on + 1000 END",
        },
    )


def _plans(statements) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plans = []
        for sql in statements:
            cursor.execute("EXPLAIN " + sql)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return "\n\n".join(plans)


def test_the_pnd_summary_counts_the_serving_and_the_checked_from_the_serving_and_left_indexes():
    _people()
    PNDCheckFactory()
    vetting_officer = UserFactory(roles=[Role.VETTING_OFFICER])
    with CaptureQueriesContext(connection) as ctx:
        pnd_summary(user=vetting_officer)
    plans = _plans(q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT"))
    assert "officer_serving_ids" in plans and "officer_left_ids" in plans, plans
    assert "Seq Scan on cases_officer" not in plans, plans


def test_the_clearance_expiry_list_leaves_out_leavers_through_the_left_index():
    _people()
    VettingClearanceFactory(expires_on=TODAY)
    vetting_officer = UserFactory(roles=[Role.VETTING_OFFICER])
    plan = _plan(selectors.clearance_expiry_list(user=vetting_officer, day=TODAY)[:50])
    assert "officer_left_ids" in plan and "Seq Scan on cases_officer" not in plan, plan
