import datetime as dt

import pytest
from django.utils import timezone

from tests.constraints import rejected
from tests.factories import PNDCheckFactory, VettingClearanceFactory, VettingReviewFactory
from vetting.models import ReviewTrigger, VettingOutcome, VettingReviewStatus

pytestmark = pytest.mark.django_db


def test_clearance_cannot_expire_before_it_is_granted():
    rejected(
        "clearance_expires_after_granted",
        VettingClearanceFactory,
        granted_on=dt.date(2024, 1, 1),
        expires_on=dt.date(2023, 1, 1),
    )
    rejected(
        "clearance_expires_after_granted",
        VettingClearanceFactory,
        granted_on=dt.date(2024, 1, 1),
        expires_on=dt.date(2024, 1, 1),
    )


def test_active_clearance_has_both_dates():
    rejected("clearance_active_has_dates", VettingClearanceFactory, status="active", expires_on=None)


def test_unknown_clearance_level_is_rejected():
    rejected("clearance_level_valid", VettingClearanceFactory, level="tsec")


def test_vetting_review_outcome_only_when_decided():
    rejected(
        "vetting_review_outcome_iff_decided",
        VettingReviewFactory,
        status=VettingReviewStatus.OPEN,
        outcome=VettingOutcome.WITHDRAWN,
    )
    rejected(
        "vetting_review_outcome_iff_decided",
        VettingReviewFactory,
        status=VettingReviewStatus.DECIDED,
        outcome="",
        decided_at=timezone.now(),
    )
    VettingReviewFactory(
        status=VettingReviewStatus.DECIDED, outcome=VettingOutcome.MAINTAINED, decided_at=timezone.now()
    )


def test_conditions_must_be_stated():
    rejected(
        "vetting_review_conditions_stated",
        VettingReviewFactory,
        status=VettingReviewStatus.DECIDED,
        outcome=VettingOutcome.MAINTAINED_WITH_CONDITIONS,
        conditions="",
        decided_at=timezone.now(),
    )


def test_one_vetting_review_per_trigger_record():
    first = VettingReviewFactory(trigger=ReviewTrigger.RISK_MANAGEMENT, trigger_ref="onyxreview:1")
    rejected(
        "vetting_review_once_per_trigger",
        VettingReviewFactory,
        officer=first.officer,
        trigger=ReviewTrigger.RISK_MANAGEMENT,
        trigger_ref="onyxreview:1",
    )


def test_pnd_result_outside_the_three_is_rejected():
    rejected("pnd_result_valid", PNDCheckFactory, result="maybe")


def test_one_pnd_check_per_person_per_day():
    first = PNDCheckFactory()
    rejected("pnd_one_check_per_day", PNDCheckFactory, officer=first.officer, checked_on=first.checked_on)
