import pytest

from cases.roles import Role
from tests.factories import UserFactory
from vetting.models import RenewalPeriod

# The renewal table as the tests configure it (migration 0003 seeds the same, but a transactional test
# elsewhere may have flushed it).
PERIODS = {"rv": (10, False), "mv": (7, False), "sc": (10, False), "dv": (7, True)}


@pytest.fixture(autouse=True)
def renewal_table(db):
    for level, (years, appraisal) in PERIODS.items():
        RenewalPeriod.objects.update_or_create(level=level, defaults={"years": years, "annual_appraisal": appraisal})


@pytest.fixture
def vetting_officer():
    return UserFactory(roles=[Role.VETTING_OFFICER])
