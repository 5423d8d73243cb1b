"""Database constraints keep bad rows out through every door: the admin, the shell, bulk loads."""

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import (
    AllegationCategory,
    CaseStatus,
    EmploymentStatus,
    OnyxStatus,
    Outcome,
    PanelVerdict,
    PersonKind,
    Rank,
    Route,
)
from tests.constraints import rejected
from tests.factories import (
    AllegationFactory,
    CaseFactory,
    ConvictionFactory,
    OfficerFactory,
    OnyxReviewFactory,
    PanelAssignmentFactory,
)

pytestmark = pytest.mark.django_db


def test_duplicate_staff_number_is_rejected():
    OfficerFactory(staff_number="S1234567")
    rejected("cases_officer_staff_number_key", OfficerFactory, staff_number="S1234567")


def test_staff_member_cannot_hold_a_collar_number():
    rejected(
        "officer_collar_number_only_for_officers",
        OfficerFactory,
        kind=PersonKind.STAFF,
        rank=Rank.STAFF_BAND_D,
        collar_number="123AB",
    )
    assert OfficerFactory(staff=True).collar_number is None


def test_rank_must_match_officer_or_staff():
    rejected("officer_rank_matches_kind", OfficerFactory, kind=PersonKind.STAFF, collar_number=None, rank=Rank.SERGEANT)
    rejected("officer_rank_matches_kind", OfficerFactory, kind=PersonKind.OFFICER, rank=Rank.STAFF_BAND_A)


def test_leaver_needs_a_leaving_date_after_joining():
    rejected("officer_leaver_has_left_date", OfficerFactory, status=EmploymentStatus.DISMISSED, left_on=None)
    rejected("officer_left_after_joining", OfficerFactory, joined_on=dt.date(2020, 1, 1), left_on=dt.date(2019, 1, 1))
    OfficerFactory(status=EmploymentStatus.DISMISSED, left_on=dt.date(2024, 1, 1))


def test_unknown_status_is_rejected():
    rejected("officer_status_valid", OfficerFactory, status="on_holiday")


def test_allegation_incident_cannot_follow_its_receipt():
    rejected(
        "allegation_incident_before_received",
        AllegationFactory,
        incident_on=dt.date(2026, 2, 1),
        received_on=dt.date(2026, 1, 1),
    )


def test_allegation_category_outside_the_list_is_rejected():
    rejected("allegation_category_valid", AllegationFactory, category="parking")
    AllegationFactory(category=AllegationCategory.ABUSE_OF_POSITION_SEXUAL)


def test_case_references_are_unique():
    CaseFactory(reference="DPS-2026-000001")
    rejected("cases_case_reference_key", CaseFactory, reference="DPS-2026-000001")


def test_closed_case_has_a_closing_time_and_open_case_has_none():
    rejected("case_closed_at_iff_closed", CaseFactory, status=CaseStatus.CLOSED, closed_at=None)
    rejected("case_closed_after_opened", CaseFactory, status=CaseStatus.INVESTIGATION, closed_at=timezone.now())


def test_case_cannot_close_before_it_opened():
    now = timezone.now()
    rejected(
        "case_closed_after_opened",
        CaseFactory,
        status=CaseStatus.CLOSED,
        opened_at=now,
        closed_at=now - dt.timedelta(days=1),
    )


def test_misconduct_meeting_cannot_dismiss():
    rejected("case_outcome_allowed_for_route", CaseFactory, route=Route.MISCONDUCT_MEETING, outcome=Outcome.DISMISSAL)
    rejected(
        "case_outcome_allowed_for_route", CaseFactory, route=Route.MISCONDUCT_MEETING, outcome=Outcome.REDUCTION_IN_RANK
    )
    CaseFactory(route=Route.MISCONDUCT_MEETING, outcome=Outcome.FINAL_WRITTEN_WARNING)


def test_dismissal_needs_a_hearing():
    rejected("case_outcome_allowed_for_route", CaseFactory, route="", outcome=Outcome.DISMISSAL)
    rejected("case_outcome_allowed_for_route", CaseFactory, route=Route.REFLECTIVE_PRACTICE, outcome=Outcome.DISMISSAL)
    CaseFactory(route=Route.MISCONDUCT_HEARING, outcome=Outcome.DISMISSAL)
    CaseFactory(route=Route.ACCELERATED_HEARING, outcome=Outcome.DISMISSAL)


def test_iopc_mode_needs_a_referral():
    rejected("case_iopc_mode_only_if_referred", CaseFactory, iopc_referral="not_required", iopc_mode="independent")
    CaseFactory(iopc_referral="referred", iopc_mode="independent")


def test_conviction_cannot_precede_its_offence():
    rejected(
        "conviction_offence_before_conviction",
        ConvictionFactory,
        offence_on=dt.date(2021, 1, 1),
        convicted_on=dt.date(2020, 1, 1),
    )


def test_onyx_decision_outside_the_three_is_rejected():
    rejected("onyx_decision_one_of_three", OnyxReviewFactory, decision="caution")


def test_decided_onyx_review_needs_decision_rationale_and_time():
    now = timezone.now()
    rejected(
        "onyx_decided_has_decision_and_rationale",
        OnyxReviewFactory,
        status=OnyxStatus.DECIDED,
        decision="",
        rationale="x",
        decided_at=now,
    )
    rejected(
        "onyx_decided_has_decision_and_rationale",
        OnyxReviewFactory,
        status=OnyxStatus.DECIDED,
        decision="nfa",
        rationale="",
        decided_at=now,
    )
    rejected(
        "onyx_decided_has_decision_and_rationale",
        OnyxReviewFactory,
        status=OnyxStatus.DECIDED,
        decision="nfa",
        rationale="x",
        decided_at=None,
    )
    OnyxReviewFactory(status=OnyxStatus.DECIDED, decision="nfa", rationale="Right action at the time.", decided_at=now)


def test_allocated_review_has_a_reviewer():
    rejected("onyx_allocated_has_reviewer", OnyxReviewFactory, status=OnyxStatus.ALLOCATED, reviewer=None)


def test_panel_disagreement_needs_reasons():
    rejected(
        "panel_disagreement_has_reasons",
        PanelAssignmentFactory,
        verdict=PanelVerdict.DISAGREE,
        reasons="",
        verdict_at=timezone.now(),
    )


def test_panel_verdict_is_dated():
    rejected("panel_verdict_at_iff_verdict", PanelAssignmentFactory, verdict=PanelVerdict.AGREE, verdict_at=None)
    rejected("panel_verdict_at_iff_verdict", PanelAssignmentFactory, verdict="", verdict_at=timezone.now())


def test_one_panel_assignment_per_review_round():
    first = PanelAssignmentFactory(round=1)
    rejected("panel_one_assignment_per_round", PanelAssignmentFactory, review=first.review, round=1)
    PanelAssignmentFactory(review=first.review, round=2)
