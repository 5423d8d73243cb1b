"""The one calendar: today, working days and month windows.

Working days are Monday to Friday other than the bank holidays of England and Wales (the holidays
library's England calendar, which Wales shares), including one-off bank holidays such as a state
funeral or a coronation. The regulations count in working days where they set short windows:
"working day" means any day other than a Saturday or Sunday, Christmas Day, Good Friday or a bank
holiday under the Banking and Financial Dealings Act 1971 in England and Wales (Police (Conduct)
Regulations 2020, reg 2(1), definition of "working day"; the same definition in the Police (Complaints
and Misconduct) Regulations 2020, reg 1(2)).
"""

import datetime as dt
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta
from django.utils import timezone


def today() -> dt.date:
    """Today in the force's time zone (settings.TIME_ZONE)."""
    return timezone.localdate()


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holidays(year: int) -> frozenset[dt.date]:
    """The bank holidays of England and Wales in that year."""
    return _bank_holidays(year)


def is_working_day(day: dt.date) -> bool:
    # Christmas Day and Good Friday are bank holidays in the England calendar too.
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_after(start: dt.date, days: int) -> dt.date:
    """The date that is `days` working days after `start`: the window begins the day after `start`."""
    if days < 0:
        raise ValueError("days must not be negative")
    current, left = start, days
    while left:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            left -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days fall after `start` up to and including `end` (0 when end <= start)."""
    count, current = 0, start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` earlier (the last day of that month when it is shorter)."""
    return day - relativedelta(months=months)


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later (the last day of that month when it is shorter)."""
    return day + relativedelta(months=months)
