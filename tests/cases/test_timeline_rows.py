"""The timeline reads each app's kinds of row in one query: each kind's newest rows, in its own order."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Conviction, ConvictionCategory, OfficerEvent, OfficerEventKind
from cases.timeline import newest_rows
from tests import clock
from tests.factories import ConvictionFactory, OfficerFactory

pytestmark = pytest.mark.django_db


def _kinds(officer):
    return (
        (
            Conviction.objects.filter(officer=officer).order_by("-convicted_on", "-id"),
            {"on": "convicted_on", "t1": "category", "flag": "while_serving"},
        ),
        (
            OfficerEvent.objects.filter(officer=officer).order_by("-at", "-id"),
            {"at": "at", "t1": "kind", "t4": "reason"},
        ),
    )


def test_each_kind_gives_its_newest_rows_newest_first_with_ties_by_id():
    officer = OfficerFactory()
    days = [clock.days_ago(n) for n in (40, 10, 30, 10, 20)]  # two on the same day: the newer id first
    convictions = [
        ConvictionFactory(officer=officer, convicted_on=day, category=ConvictionCategory.DRUGS) for day in days
    ]
    for n in range(4):
        with time_machine.travel(dt.datetime(2026, 1, 1 + n, 12, tzinfo=dt.UTC), tick=False):
            OfficerEvent.objects.create(officer=officer, kind=OfficerEventKind.STATUS_CHANGED, reason=f"r{n}")
    ConvictionFactory()  # someone else's

    with CaptureQueriesContext(connection) as queries:
        got_convictions, got_events = newest_rows(3, *_kinds(officer))

    assert len(queries) == (1 if connection.features.supports_slicing_ordering_in_compound else 2)
    newest = sorted(convictions, key=lambda c: (c.convicted_on, c.pk), reverse=True)[:3]
    assert [r.id for r in got_convictions] == [c.pk for c in newest]
    assert [(r.on, r.t1, r.flag, r.at) for r in got_convictions] == [
        (c.convicted_on, ConvictionCategory.DRUGS, c.while_serving, None) for c in newest
    ]
    assert [r.t4 for r in got_events] == ["r3", "r2", "r1"]
    assert all(r.on is None and r.pid is None for r in got_events)


def test_a_kind_with_no_rows_gives_an_empty_list():
    officer = OfficerFactory()
    ConvictionFactory(officer=officer)
    convictions, events = newest_rows(5, *_kinds(officer))
    assert len(convictions) == 1
    assert events == []
