"""factory_boy factories for every domain model. Workflow rows (decided reviews, closed cases) are
made through the real services in the tests that care about the workflow. Dates are relative to the
suite's one TODAY (tests/clock.py), never calendar dates that the real clock would age."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from cases import models as cm
from cases.roles import Role
from hotline import models as hm
from tests import clock
from vetting import models as vm

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@dps.example")
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        for role in extracted:
            self.groups.add(Group.objects.get(name=Role(role).label))


def users_with_roles(prefix: str, roles: dict[str, str]) -> dict:
    """One user per key, each holding the one role given: the cast of a permission test ("owner",
    "outsider", "panel_other", ...), named prefix-key so two tests' casts never share a login."""
    return {key: UserFactory(username=f"{prefix}-{key.replace('_', '-')}", roles=[role]) for key, role in roles.items()}


class CommandFactory(DjangoModelFactory):
    class Meta:
        model = cm.Command
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"C{n:03d}")
    name = factory.Sequence(lambda n: f"Command {n}")


class OfficerFactory(DjangoModelFactory):
    class Meta:
        model = cm.Officer

    staff_number = factory.Sequence(lambda n: f"S{n:07d}")
    kind = cm.PersonKind.OFFICER
    collar_number = factory.Sequence(lambda n: f"{1000 + n}AB")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    rank = cm.Rank.CONSTABLE
    command = factory.SubFactory(CommandFactory)
    ethnicity = cm.Ethnicity.WHITE
    sex = cm.Sex.MALE
    joined_on = clock.years_ago(16)

    class Params:
        staff = factory.Trait(kind=cm.PersonKind.STAFF, collar_number=None, rank=cm.Rank.STAFF_BAND_D)


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = cm.Case

    reference = factory.Sequence(lambda n: f"DPS-2026-{n:06d}")
    subject = factory.SubFactory(OfficerFactory)
    came_to_notice_on = clock.days_ago(317)
    opened_at = factory.LazyFunction(timezone.now)


class AllegationFactory(DjangoModelFactory):
    class Meta:
        model = cm.Allegation

    subject = factory.SubFactory(OfficerFactory)
    category = cm.AllegationCategory.DISHONESTY
    source = cm.AllegationSource.PUBLIC_COMPLAINT
    received_on = clock.days_ago(317)
    incident_on = clock.days_ago(325)
    narrative = factory.Faker("paragraph", locale="en_GB")


class ConvictionFactory(DjangoModelFactory):
    class Meta:
        model = cm.Conviction

    officer = factory.SubFactory(OfficerFactory)
    category = cm.ConvictionCategory.SERIOUS_TRAFFIC
    convicted_on = clock.days_ago(2366)
    offence_on = clock.days_ago(2504)


class ReviewBatchFactory(DjangoModelFactory):
    class Meta:
        model = cm.ReviewBatch
        django_get_or_create = ["name"]

    name = "Domestic abuse and sexual offences, last 10 years"
    categories = factory.LazyFunction(lambda: [c.value for c in cm.VIOLENCE_AGAINST_WOMEN_CATEGORIES])
    period_start = clock.years_ago(14)
    period_end = clock.years_ago(4)


class OnyxReviewFactory(DjangoModelFactory):
    class Meta:
        model = cm.OnyxReview

    reference = factory.Sequence(lambda n: f"ONYX-{n:05d}")
    subject = factory.SubFactory(OfficerFactory)
    batch = factory.SubFactory(ReviewBatchFactory)

    class Params:
        decided = factory.Trait(
            status=cm.OnyxStatus.DECIDED,
            decision=cm.OnyxDecision.NO_FURTHER_ACTION,
            rationale="The right action was taken at the time.",
            decided_at=factory.LazyFunction(timezone.now),
            reviewer=factory.SubFactory(UserFactory, roles=[Role.INVESTIGATOR]),
        )


class PanelAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = cm.PanelAssignment

    review = factory.SubFactory(OnyxReviewFactory)
    panel_member = factory.SubFactory(UserFactory, roles=[Role.PANEL_REVIEWER])


class VettingClearanceFactory(DjangoModelFactory):
    class Meta:
        model = vm.VettingClearance

    officer = factory.SubFactory(OfficerFactory)
    level = vm.ClearanceLevel.RV
    status = vm.ClearanceStatus.ACTIVE
    granted_on = clock.days_ago(2518)
    expires_on = clock.days_ahead(1135)


class VettingReviewFactory(DjangoModelFactory):
    class Meta:
        model = vm.VettingReview

    officer = factory.SubFactory(OfficerFactory)
    trigger = vm.ReviewTrigger.CONVICTION
    opened_at = factory.LazyFunction(timezone.now)


class PNDCheckFactory(DjangoModelFactory):
    class Meta:
        model = vm.PNDCheck

    officer = factory.SubFactory(OfficerFactory)
    checked_on = clock.days_ago(1363)
    result = vm.PNDResult.NO_TRACE


class HotlineReportFactory(DjangoModelFactory):
    class Meta:
        model = hm.HotlineReport

    reference = factory.Sequence(lambda n: f"HL-2026-{n:05d}")
    receipt_hash = factory.Sequence(lambda n: f"test-receipt-hash-{n:040d}")
    category = hm.HotlineCategory.PERSONAL_ADVANTAGE
    what_happened = factory.Faker("paragraph", locale="en_GB")
    received_at = factory.LazyFunction(timezone.now)
