"""Two whole-force recomputes cannot interleave: the second waits for the first's advisory lock."""

import datetime as dt
import threading
import time

import pytest
from django.db import connection, connections

from cases.models import Allegation
from cases.risk.models import RiskFlag
from cases.risk.services import _LOCK_NAMESPACE, risk_recompute_all
from tests.factories import AllegationFactory, OfficerFactory
from tests.risk.conftest import AS_OF

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's"),
]


def _in_thread(fn):
    errors = []

    def run():
        try:
            fn()
        except Exception as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def _waits_for_advisory_lock(holder, timeout=30.0) -> bool:
    """True once another session waits (not granted) for an advisory lock in the recompute's namespace."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with holder.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = %s",
                [_LOCK_NAMESPACE],
            )
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.05)
    return False


def _three_allegations_quietly(officer):
    # bulk_create sends no post_save: no one-officer recompute runs before the test wants it.
    Allegation.objects.bulk_create(
        [
            AllegationFactory.build(subject=officer, received_on=AS_OF - dt.timedelta(days=30 * m), incident_on=None)
            for m in (1, 2, 3)
        ]
    )


def test_full_recompute_waits_while_another_holds_the_lock():
    officer = OfficerFactory()
    _three_allegations_quietly(officer)
    holder = connections.create_connection("default")
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, 0)", [_LOCK_NAMESPACE])
        thread, errors = _in_thread(lambda: risk_recompute_all(as_of=AS_OF))
        # Seen from PostgreSQL: the recompute's session is queued behind the holder's advisory lock.
        assert _waits_for_advisory_lock(holder), "the recompute never queued on the advisory lock"
        assert thread.is_alive() and not errors
        assert not RiskFlag.objects.filter(officer=officer).exists()

        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, 0)", [_LOCK_NAMESPACE])
        thread.join(timeout=30)
    finally:
        holder.close()
    assert not thread.is_alive() and not errors
    assert RiskFlag.objects.get(officer=officer, rule_code="allegations_in_window").active


def test_concurrent_full_recomputes_leave_one_flag_and_one_raise_each():
    from cases.risk.models import RiskFlagEvent

    for _ in range(5):
        _three_allegations_quietly(OfficerFactory())

    runs = [_in_thread(lambda: risk_recompute_all(as_of=AS_OF)) for _ in range(3)]
    for thread, _ in runs:
        thread.join(timeout=60)

    assert all(not errors for _, errors in runs)
    flags = RiskFlag.objects.filter(rule_code="allegations_in_window")
    assert flags.count() == 5
    assert RiskFlagEvent.objects.filter(flag__in=flags, kind="raised").count() == 5


def test_one_officer_recompute_waits_for_a_running_full_recompute():
    from cases.risk.services import risk_recompute_officer

    officer = OfficerFactory()
    _three_allegations_quietly(officer)
    holder = connections.create_connection("default")
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, 0)", [_LOCK_NAMESPACE])
        thread, errors = _in_thread(lambda: risk_recompute_officer(officer_id=officer.id, as_of=AS_OF))
        assert _waits_for_advisory_lock(holder), "the one-officer recompute never queued on the shared lock"
        assert thread.is_alive() and not errors
        assert not RiskFlag.objects.filter(officer=officer).exists()
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, 0)", [_LOCK_NAMESPACE])
        thread.join(timeout=30)
    finally:
        holder.close()
    assert not thread.is_alive() and not errors
    assert RiskFlag.objects.get(officer=officer, rule_code="allegations_in_window").active
