import datetime as dt
import random
import re
from collections import Counter
from zoneinfo import ZoneInfo

import holidays
import pytest
from django.urls import reverse
from django.utils import timezone

from hotline.selectors import hotline_transparency_by_month
from tests.factories import AllegationFactory, HotlineReportFactory, OfficerFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def in_time(received: dt.datetime, acknowledged: dt.datetime | None) -> bool:
    """Independent reckoning: step through the calendar to the second working day (not a weekend, not a
    bank holiday of England and Wales, straight from the holidays library) after the local day the report
    came in, and compare local dates."""
    if acknowledged is None:
        return False
    day = received.astimezone(LONDON).date()
    bank_holidays = holidays.country_holidays("GB", subdiv="ENG", years=[day.year, day.year + 1])
    left = 2
    while left:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in bank_holidays:
            left -= 1
    return acknowledged.astimezone(LONDON).date() <= day


@pytest.fixture
def reports():
    rng = random.Random(20261123)
    officer = OfficerFactory()
    made = []
    start = dt.datetime(2026, 8, 1, tzinfo=dt.UTC)
    for _ in range(80):
        received = start + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 100))
        acknowledged = None if rng.random() < 0.2 else received + dt.timedelta(hours=rng.randrange(0, 24 * 7))
        extra = {}
        if rng.random() < 0.3:
            extra = {"officer": officer, "linked_at": received, "allegation": AllegationFactory(subject=officer)}
        made.append(HotlineReportFactory(received_at=received, acknowledged_at=acknowledged, **extra))
    # Edges: late Sunday evening UTC in summer is already Monday in London; Friday rolls to Tuesday.
    edges = [
        (dt.datetime(2026, 8, 30, 23, 30, tzinfo=dt.UTC), dt.datetime(2026, 9, 1, 22, 0, tzinfo=dt.UTC)),
        (dt.datetime(2026, 9, 4, 9, 0, tzinfo=LONDON), dt.datetime(2026, 9, 8, 17, 0, tzinfo=LONDON)),
        (dt.datetime(2026, 9, 4, 9, 0, tzinfo=LONDON), dt.datetime(2026, 9, 9, 8, 0, tzinfo=LONDON)),
        (dt.datetime(2026, 9, 5, 12, 0, tzinfo=LONDON), dt.datetime(2026, 9, 8, 12, 0, tzinfo=LONDON)),
        # Bank holidays: the late summer bank holiday, Christmas with Boxing Day observed, Easter.
        (dt.datetime(2026, 8, 28, 9, 0, tzinfo=LONDON), dt.datetime(2026, 9, 2, 9, 0, tzinfo=LONDON)),
        (dt.datetime(2026, 12, 24, 10, 0, tzinfo=LONDON), dt.datetime(2026, 12, 30, 16, 0, tzinfo=LONDON)),
        (dt.datetime(2026, 12, 24, 10, 0, tzinfo=LONDON), dt.datetime(2026, 12, 31, 9, 0, tzinfo=LONDON)),
        (dt.datetime(2027, 3, 25, 10, 0, tzinfo=LONDON), dt.datetime(2027, 3, 31, 10, 0, tzinfo=LONDON)),
    ]
    for received, acknowledged in edges:
        made.append(HotlineReportFactory(received_at=received, acknowledged_at=acknowledged))
    return made


def expected_by_month(reports):
    received, on_time, allegations = Counter(), Counter(), Counter()
    for r in reports:
        month = r.received_at.astimezone(LONDON).strftime("%Y-%m")
        received[month] += 1
        on_time[month] += in_time(r.received_at, r.acknowledged_at)
        allegations[month] += r.allegation_id is not None
    return {m: (received[m], on_time[m], allegations[m]) for m in received}


def test_figures_by_month_match_counts_made_independently(reports, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = hotline_transparency_by_month()

    got = {
        timezone.localtime(r["month"]).strftime("%Y-%m"): (r["received"], r["acknowledged_in_time"], r["allegations"])
        for r in rows
    }
    assert got == expected_by_month(reports)


def test_the_public_page_shows_the_same_figures(client, reports):
    response = client.get(reverse("hotline:transparency"))

    assert response.status_code == 200
    shown = {
        month: tuple(int(n) for n in cells)
        for month, *cells in re.findall(
            rb'data-month="([0-9-]+)"><th [^>]*>[^<]+</th><td [^>]*>(\d+)</td><td [^>]*>(\d+)</td><td [^>]*>(\d+)</td>',
            response.content,
        )
    }
    assert {m.decode(): v for m, v in shown.items()} == expected_by_month(reports)


def test_the_edge_cases_count_as_the_working_day_rule_says():
    # Guards the independent reckoning itself, on dates checked against a calendar by hand.
    assert in_time(dt.datetime(2026, 9, 4, 9, tzinfo=LONDON), dt.datetime(2026, 9, 8, 17, tzinfo=LONDON))  # Fri->Tue
    assert not in_time(dt.datetime(2026, 9, 4, 9, tzinfo=LONDON), dt.datetime(2026, 9, 9, 8, tzinfo=LONDON))
    assert in_time(dt.datetime(2026, 9, 5, 12, tzinfo=LONDON), dt.datetime(2026, 9, 8, 12, tzinfo=LONDON))  # Sat->Tue
    assert not in_time(dt.datetime(2026, 9, 2, 12, tzinfo=LONDON), None)
    # Friday before the August bank holiday: Tuesday and Wednesday are the two working days.
    assert in_time(dt.datetime(2026, 8, 28, 9, tzinfo=LONDON), dt.datetime(2026, 9, 2, 9, tzinfo=LONDON))
    # Christmas Eve 2026 (Thursday): 25th, weekend, 28th (Boxing Day observed); 29th and 30th count.
    assert in_time(dt.datetime(2026, 12, 24, 10, tzinfo=LONDON), dt.datetime(2026, 12, 30, 16, tzinfo=LONDON))
    assert not in_time(dt.datetime(2026, 12, 24, 10, tzinfo=LONDON), dt.datetime(2026, 12, 31, 9, tzinfo=LONDON))


def test_the_page_with_no_reports_says_so(client):
    response = client.get(reverse("hotline:transparency"))

    assert response.status_code == 200 and b"No reports have been received yet" in response.content
