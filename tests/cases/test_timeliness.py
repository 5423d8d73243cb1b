"""Regulation 19: report at 12 months after the matter came to notice, then every 6 months."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from cases import selectors, services
from cases.models import CaseStatus
from cases.roles import Role
from tests import clock
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = clock.TODAY
TWELVE_MONTHS_AGO = TODAY - relativedelta(months=12)
SIX_MONTHS_AGO = TODAY - relativedelta(months=6)


@pytest.fixture
def supervisor():
    return UserFactory(roles=[Role.SUPERVISOR])


def due(user):
    return list(selectors.cases_due_timeliness_report(user=user, today=TODAY))


def test_due_exactly_twelve_months_after_coming_to_notice_and_not_a_day_before(supervisor):
    on_the_day = CaseFactory(status=CaseStatus.INVESTIGATION, came_to_notice_on=TWELVE_MONTHS_AGO)
    CaseFactory(status=CaseStatus.INVESTIGATION, came_to_notice_on=TWELVE_MONTHS_AGO + dt.timedelta(days=1))
    assert due(supervisor) == [on_the_day]


def test_closed_cases_are_never_due(supervisor):
    CaseFactory(
        status=CaseStatus.CLOSED,
        came_to_notice_on=clock.years_ago(6),
        opened_at=clock.NOW - relativedelta(years=6),
        closed_at=clock.NOW - relativedelta(years=5),
    )
    assert due(supervisor) == []


def test_after_a_report_the_case_is_due_again_six_months_later(supervisor):
    case = CaseFactory(status=CaseStatus.INVESTIGATION, came_to_notice_on=clock.years_ago(3))
    services.case_timeliness_report_record(
        case=case, by=supervisor, note="Progress; end est. March.", today=SIX_MONTHS_AGO + dt.timedelta(days=1)
    )
    assert due(supervisor) == []
    services.case_timeliness_report_record(case=case, by=supervisor, note="Progress.", today=SIX_MONTHS_AGO)
    assert due(supervisor) == [case]


def test_a_report_needs_its_content(supervisor):
    case = CaseFactory(status=CaseStatus.INVESTIGATION, came_to_notice_on=clock.years_ago(3))
    with pytest.raises(services.DomainError):
        services.case_timeliness_report_record(case=case, by=supervisor, note=" ")


def test_months_before_clamps_to_the_end_of_the_month():
    assert selectors.months_before(dt.date(2026, 8, 31), 6) == dt.date(2026, 2, 28)
