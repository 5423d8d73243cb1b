"""The vetting review workflow: one transition function, its table, the decision recorded."""

import pytest

from cases import services as case_services
from cases.roles import Role
from cases.services import DomainError
from tests.factories import OfficerFactory, UserFactory, VettingClearanceFactory
from vetting import services
from vetting.models import ClearanceStatus, ReviewTrigger, VettingOutcome, VettingReviewEvent
from vetting.models import VettingReviewStatus as S

pytestmark = pytest.mark.django_db


@pytest.fixture
def review():
    clearance = VettingClearanceFactory()
    return services.vetting_review_open(
        officer_id=clearance.officer_id, trigger=ReviewTrigger.CONVICTION, trigger_ref="conviction:1"
    )


def decide(review, by, outcome=VettingOutcome.MAINTAINED, rationale="Spent, minor, disclosed.", conditions=""):
    return services.vetting_review_move(
        review=review, to_status=S.DECIDED, by=by, outcome=outcome, rationale=rationale, conditions=conditions
    )


def test_open_under_review_decided_records_who_when_outcome_and_reasons(review, vetting_officer):
    services.vetting_review_move(review=review, to_status=S.IN_PROGRESS, by=vetting_officer)
    review = decide(review, vetting_officer, VettingOutcome.SUSPENDED, "Pending the criminal case.")
    review.refresh_from_db()
    assert (review.status, review.outcome, review.decided_by, review.rationale) == (
        S.DECIDED,
        VettingOutcome.SUSPENDED,
        vetting_officer,
        "Pending the criminal case.",
    )
    assert review.decided_at is not None
    review.clearance.refresh_from_db()
    assert review.clearance.status == ClearanceStatus.SUSPENDED
    moves = list(VettingReviewEvent.objects.filter(review=review).values_list("from_status", "to_status"))
    assert moves == [("", S.OPEN), (S.OPEN, S.IN_PROGRESS), (S.IN_PROGRESS, S.DECIDED)]


@pytest.mark.parametrize(
    ("outcome", "clearance_after"),
    [
        (VettingOutcome.MAINTAINED, ClearanceStatus.ACTIVE),
        (VettingOutcome.MAINTAINED_WITH_CONDITIONS, ClearanceStatus.ACTIVE),
        (VettingOutcome.SUSPENDED, ClearanceStatus.SUSPENDED),
        # Withdrawn opens the withdrawal process: suspended until that decides (tests/vetting/test_withdrawal.py).
        (VettingOutcome.WITHDRAWN, ClearanceStatus.SUSPENDED),
    ],
)
def test_the_clearance_follows_the_decision(review, vetting_officer, outcome, clearance_after):
    services.vetting_review_move(review=review, to_status=S.IN_PROGRESS, by=vetting_officer)
    conditions = "Supervised." if outcome == VettingOutcome.MAINTAINED_WITH_CONDITIONS else ""
    decide(review, vetting_officer, outcome, conditions=conditions)
    review.clearance.refresh_from_db()
    assert review.clearance.status == clearance_after


@pytest.mark.parametrize(
    ("start", "to", "allowed"),
    [
        (S.OPEN, S.IN_PROGRESS, True),
        (S.OPEN, S.DECIDED, False),
        (S.IN_PROGRESS, S.OPEN, True),
        (S.IN_PROGRESS, S.DECIDED, True),
        (S.DECIDED, S.OPEN, False),
        (S.DECIDED, S.IN_PROGRESS, False),
    ],
)
def test_the_transition_table(review, vetting_officer, start, to, allowed):
    if start != S.OPEN:
        services.vetting_review_move(review=review, to_status=S.IN_PROGRESS, by=vetting_officer)
    if start == S.DECIDED:
        decide(review, vetting_officer)
    call = lambda: services.vetting_review_move(  # noqa: E731
        review=review, to_status=to, by=vetting_officer, outcome=VettingOutcome.MAINTAINED, rationale="r"
    )
    if allowed:
        assert call().status == to
    else:
        with pytest.raises(DomainError):
            call()


def test_a_decision_needs_reasons_and_conditions_where_maintained_with_conditions(review, vetting_officer):
    services.vetting_review_move(review=review, to_status=S.IN_PROGRESS, by=vetting_officer)
    with pytest.raises(DomainError, match="reasons"):
        decide(review, vetting_officer, rationale="  ")
    with pytest.raises(DomainError, match="conditions"):
        decide(review, vetting_officer, VettingOutcome.MAINTAINED_WITH_CONDITIONS)
    with pytest.raises(DomainError, match="conditions"):
        decide(review, vetting_officer, VettingOutcome.MAINTAINED, conditions="Some")


def test_only_the_assigned_vetting_officer_decides(review, vetting_officer):
    other = UserFactory(roles=[Role.VETTING_OFFICER])
    services.vetting_review_move(review=review, to_status=S.IN_PROGRESS, by=vetting_officer)
    with pytest.raises(DomainError, match="assigned"):
        decide(review, other)


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.INVESTIGATOR, Role.COMMISSIONER])
def test_other_roles_cannot_move_a_review(review, role):
    with pytest.raises(DomainError, match="vetting officer"):
        services.vetting_review_move(review=review, to_status=S.IN_PROGRESS, by=UserFactory(roles=[role]))


def test_a_conflicted_vetting_officer_cannot_take_the_review(review, vetting_officer):
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    case_services.conflict_declare(user=vetting_officer, officer=review.officer, reason="Brother", by=supervisor)
    with pytest.raises(DomainError, match="conflicted"):
        services.vetting_review_move(review=review, to_status=S.IN_PROGRESS, by=vetting_officer)


def test_a_review_is_assigned_only_to_a_vetting_officer(review, vetting_officer):
    with pytest.raises(DomainError, match="vetting officer"):
        services.vetting_review_move(
            review=review, to_status=S.IN_PROGRESS, by=vetting_officer, assignee=UserFactory(roles=[Role.SUPERVISOR])
        )


def test_a_review_needs_its_source_record():
    with pytest.raises(ValueError):
        services.vetting_review_open(officer_id=OfficerFactory().pk, trigger=ReviewTrigger.MANUAL, trigger_ref="")
