"""Working days are Monday to Friday less the bank holidays of England and Wales (Police (Conduct)
Regulations 2020, reg 2(1) "working day"), one-off bank holidays included; month windows clamp to the
end of a shorter month."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from cases import calendar
from cases.models import CaseStatus, Outcome, Route, Severity
from cases.roles import Role
from cases.services import DomainError, case_transition
from hotline.selectors import acknowledge_due
from tests.cases.test_case_workflow import case_at
from tests.factories import UserFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("start", "days", "expected", "why"),
    [
        (dt.date(2026, 11, 2), 7, dt.date(2026, 11, 11), "no holiday: Monday + 7 is the next Wednesday"),
        (dt.date(2026, 12, 24), 2, dt.date(2026, 12, 30), "Christmas Day, the weekend, Boxing Day observed"),
        (dt.date(2027, 3, 25), 1, dt.date(2027, 3, 30), "Good Friday and Easter Monday"),
        (dt.date(2022, 9, 16), 1, dt.date(2022, 9, 20), "the one-off bank holiday for the state funeral"),
        (dt.date(2023, 5, 5), 1, dt.date(2023, 5, 9), "the one-off coronation bank holiday"),
        (dt.date(2026, 8, 28), 1, dt.date(2026, 9, 1), "the late summer bank holiday"),
        (dt.date(2026, 11, 20), 0, dt.date(2026, 11, 20), "zero working days is the day itself"),
    ],
)
def test_working_days_after_skip_weekends_and_bank_holidays(start, days, expected, why):
    assert calendar.working_days_after(start, days) == expected, why


def test_working_days_between_counts_the_days_after_the_start():
    assert calendar.working_days_between(dt.date(2026, 12, 24), dt.date(2026, 12, 30)) == 2
    assert calendar.working_days_between(dt.date(2026, 12, 30), dt.date(2026, 12, 24)) == 0


def test_a_weekend_is_not_a_working_day_and_an_ordinary_friday_is():
    assert not calendar.is_working_day(dt.date(2026, 11, 21))
    assert calendar.is_working_day(dt.date(2026, 11, 20))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2028, 2, 29), 12, dt.date(2027, 2, 28)),
        (dt.date(2026, 8, 31), 6, dt.date(2026, 2, 28)),
        (dt.date(2027, 3, 31), 1, dt.date(2027, 2, 28)),
        (dt.date(2026, 1, 15), 12, dt.date(2025, 1, 15)),
    ],
)
def test_months_before_clamps_to_the_last_day_of_a_shorter_month(day, months, expected):
    assert calendar.months_before(day, months) == expected


def test_today_is_the_local_date_in_london():
    assert calendar.today() == timezone.localdate()


def test_hotline_acknowledgement_over_easter_falls_due_after_the_holidays():
    received = dt.datetime(2027, 3, 25, 16, 0, tzinfo=LONDON)  # Thursday before Good Friday
    assert acknowledge_due(received) == dt.date(2027, 3, 31)  # Tuesday 30th is one, Wednesday 31st two


@pytest.mark.django_db
def test_meeting_appeal_window_over_christmas_skips_the_bank_holidays():
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    # Outcome on Tuesday 22 December 2026; seven working days later, skipping 25 and 28 December and
    # 1 January, is Tuesday 5 January 2027.
    case = case_at(
        CaseStatus.OUTCOME,
        severity=Severity.MISCONDUCT,
        route=Route.MISCONDUCT_MEETING,
        outcome=Outcome.WRITTEN_WARNING,
        outcome_on=dt.date(2026, 12, 22),
    )
    with pytest.raises(DomainError, match="by 05 Jan 2027"):
        case_transition(case=case, action="lodge_appeal", by=supervisor, today=dt.date(2027, 1, 6))
    lodged = case_transition(case=case, action="lodge_appeal", by=supervisor, today=dt.date(2027, 1, 5))
    assert lodged.appeal_lodged_on == dt.date(2027, 1, 5)
