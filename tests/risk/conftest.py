import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from tests.clock import TODAY

AS_OF = TODAY
# The 12 months to AS_OF run from the day after this one up to AS_OF.
TWELVE_MONTHS_BEFORE = AS_OF - relativedelta(months=12)
TEN_YEARS_BEFORE = AS_OF - relativedelta(years=10)


def in_window(month: int, day: int = 1) -> dt.date:
    """A day well inside the 12 months to AS_OF, in order: month 1 comes first (about 11 months back),
    month 11 last (within the last month)."""
    return AS_OF - dt.timedelta(days=(11 - month) * 30 + 23 - day)


@pytest.fixture
def flags():
    """flags(officer) -> {rule_code: RiskFlag} of that officer's flags, active or not."""
    from cases.risk.models import RiskFlag

    def read(officer):
        return {f.rule_code: f for f in RiskFlag.objects.filter(officer=officer)}

    return read


@pytest.fixture
def evaluate():
    """evaluate(code, officer_ids=None, **params) -> the rule's hits as of AS_OF, with its default parameters."""
    from cases.risk import engine

    def run(code, officer_ids=None, **params):
        rule = engine.registered_rules()[code]
        return rule.evaluate(params={**rule.defaults, **params}, as_of=AS_OF, officer_ids=officer_ids)

    return run


def reason_ids(hit):
    return sorted(i for reason in hit.reasons for i in reason.ids)
