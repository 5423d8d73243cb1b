"""The one "now" of the test suite.

Every test runs with the clock moved to NOW (time-machine, ticking from there), so nothing in the suite
depends on the real date. NOW comes from the TEST_NOW environment variable (an ISO 8601 date-time; one
without an offset is read as Europe/London time) and defaults to DEFAULT_NOW. CI runs the date-sensitive
modules again under shifted clocks (a DST change day, 29 February, New Year's Eve at 23:59) to prove it:
see bin/test-clocks.

Tests and factories take their dates from TODAY (or relative to it); production code asks
`timezone.now()` / `timezone.localdate()`, which the travel moves.
"""

import datetime as dt
import os
import zoneinfo

from dateutil.relativedelta import relativedelta

LONDON = zoneinfo.ZoneInfo("Europe/London")
DEFAULT_NOW = "2026-11-23T10:00:00"
ENV = "TEST_NOW"


def parse(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=LONDON)


NOW: dt.datetime = parse(os.environ.get(ENV) or DEFAULT_NOW)
TODAY: dt.date = NOW.astimezone(LONDON).date()


def days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def days_ahead(days: int) -> dt.date:
    return TODAY + dt.timedelta(days=days)


def years_ago(years: int) -> dt.date:
    return TODAY - relativedelta(years=years)


def months_ago(months: int) -> dt.date:
    return TODAY - relativedelta(months=months)
