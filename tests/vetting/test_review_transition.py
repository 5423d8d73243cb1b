"""The vetting review's one transition function and its table."""

import pytest

from cases.errors import DomainError
from cases.roles import Role
from tests.factories import UserFactory, VettingReviewFactory
from vetting.models import VettingOutcome, VettingReview, VettingReviewStatus
from vetting.services import VETTING_REVIEW_TRANSITIONS, vetting_review_transition

pytestmark = pytest.mark.django_db
S = VettingReviewStatus


@pytest.fixture
def supervisor():
    return UserFactory(roles=[Role.SUPERVISOR])


def test_the_table_covers_every_state_and_a_decision_is_final():
    assert set(VETTING_REVIEW_TRANSITIONS) == set(S.values)
    assert VETTING_REVIEW_TRANSITIONS[S.DECIDED] == set()


def test_a_review_is_worked_on_then_decided_once(supervisor):
    review = VettingReviewFactory()
    vetting_review_transition(review_id=review.pk, to_status=S.IN_PROGRESS, by=supervisor)
    decided = vetting_review_transition(
        review_id=review.pk, to_status=S.DECIDED, by=supervisor, outcome=VettingOutcome.MAINTAINED
    )
    assert (decided.status, decided.outcome, decided.updated_by) == (S.DECIDED, VettingOutcome.MAINTAINED, supervisor)
    assert decided.decided_at is not None
    with pytest.raises(DomainError, match="decided: it cannot move to in progress"):
        vetting_review_transition(review_id=review.pk, to_status=S.IN_PROGRESS, by=supervisor)


def test_a_decision_needs_an_outcome_and_its_conditions(supervisor):
    review = VettingReviewFactory()
    with pytest.raises(DomainError, match="outcome"):
        vetting_review_transition(review_id=review.pk, to_status=S.DECIDED, by=supervisor)
    with pytest.raises(DomainError, match="conditions"):
        vetting_review_transition(
            review_id=review.pk, to_status=S.DECIDED, by=supervisor, outcome=VettingOutcome.MAINTAINED_WITH_CONDITIONS
        )
    assert VettingReview.objects.get(pk=review.pk).status == S.OPEN


def test_only_a_supervisor_moves_a_review(supervisor):
    review = VettingReviewFactory()
    with pytest.raises(DomainError, match="supervisor"):
        vetting_review_transition(
            review_id=review.pk, to_status=S.IN_PROGRESS, by=UserFactory(roles=[Role.INVESTIGATOR])
        )
