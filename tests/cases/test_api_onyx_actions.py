"""Onyx decisions, panel verdicts and case opening through the API: the same access checks and services
as the review and person pages, field errors in the one error body, refusals as 400, and each POST done
once per idempotency key."""

import pytest
from django.urls import reverse

from cases import services
from cases.models import Case, OnyxDecision, OnyxStatus
from cases.roles import Role
from cases.services.api_clients import api_client_create
from tests.factories import AllegationFactory, OfficerFactory, OnyxReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def supervisor():
    return UserFactory(roles=[Role.SUPERVISOR])


def token_for(admin, role, user):
    return api_client_create(name=f"client-{role}-{user.pk}", role=role, user=user, by=admin)[1]


def post(client, token, name, data=None, key=None, **kwargs):
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(reverse(name, kwargs=kwargs), data or {}, content_type="application/json", **headers)


def allocated(supervisor, reviewer):
    review = OnyxReviewFactory()
    services.onyx_reviews_allocate(review_ids=[review.id], reviewer=reviewer, by=supervisor)
    return review


def test_the_allocated_reviewer_decides_through_the_service(client, admin, supervisor):
    reviewer = UserFactory(roles=[Role.INVESTIGATOR])
    review = allocated(supervisor, reviewer)
    token = token_for(admin, Role.INVESTIGATOR, reviewer)

    answer = post(
        client,
        token,
        "v1:review-decision",
        {"decision": "nfa", "rationale": "Handled properly."},
        review_id=review.public_id,
    )

    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == OnyxStatus.DECIDED
    review.refresh_from_db()
    assert (review.decision, review.events.filter(kind="decided").count()) == (OnyxDecision.NO_FURTHER_ACTION, 1)


def test_a_decision_missing_its_fields_or_refused_by_the_rules_answers_field_errors(client, admin, supervisor):
    reviewer = UserFactory(roles=[Role.INVESTIGATOR])
    review = allocated(supervisor, reviewer)
    token = token_for(admin, Role.INVESTIGATOR, reviewer)

    missing = post(client, token, "v1:review-decision", {"decision": "reassess"}, review_id=review.public_id)
    refused = post(
        client,
        token,
        "v1:review-decision",
        {"decision": "reassess", "rationale": "More to do."},
        review_id=review.public_id,
    )

    assert missing.status_code == 400 and "rationale" in missing.json()
    assert refused.status_code == 400 and "inquiries" in refused.json()


def test_another_investigator_may_not_decide_a_review_allocated_elsewhere(client, admin, supervisor):
    review = allocated(supervisor, UserFactory(roles=[Role.INVESTIGATOR]))
    other = UserFactory(roles=[Role.INVESTIGATOR])
    token = token_for(admin, Role.INVESTIGATOR, other)

    answer = post(
        client,
        token,
        "v1:review-decision",
        {"decision": "nfa", "rationale": "x"},
        review_id=review.public_id,
    )

    assert answer.status_code == 400 and "non_field_errors" in answer.json()
    review.refresh_from_db()
    assert review.status == OnyxStatus.ALLOCATED


def test_only_the_assigned_panel_member_gives_a_verdict_and_once_per_key(client, admin, supervisor):
    review = OnyxReviewFactory(decided=True)
    member, stranger = UserFactory(roles=[Role.PANEL_REVIEWER]), UserFactory(roles=[Role.PANEL_REVIEWER])
    services.panel_reviews_assign(review_ids=[review.id], panel_members=[member], by=supervisor)
    token = token_for(admin, Role.PANEL_REVIEWER, member)

    not_theirs = post(
        client,
        token_for(admin, Role.PANEL_REVIEWER, stranger),
        "v1:review-verdict",
        {"verdict": "agree"},
        review_id=review.public_id,
    )
    first = post(client, token, "v1:review-verdict", {"verdict": "agree"}, key="v-1", review_id=review.public_id)
    again = post(client, token, "v1:review-verdict", {"verdict": "agree"}, key="v-1", review_id=review.public_id)
    new_key = post(client, token, "v1:review-verdict", {"verdict": "agree"}, key="v-2", review_id=review.public_id)

    assert not_theirs.status_code == 404
    assert first.status_code == 200 and first.json()["status"] == OnyxStatus.CONCLUDED
    assert again.status_code == 200 and again.json() == first.json()
    assert new_key.status_code == 400 and "already" in new_key.json()["non_field_errors"][0]


def test_a_disagreeing_verdict_needs_reasons(client, admin, supervisor):
    review = OnyxReviewFactory(decided=True)
    member = UserFactory(roles=[Role.PANEL_REVIEWER])
    services.panel_reviews_assign(review_ids=[review.id], panel_members=[member], by=supervisor)

    answer = post(
        client,
        token_for(admin, Role.PANEL_REVIEWER, member),
        "v1:review-verdict",
        {"verdict": "disagree"},
        review_id=review.public_id,
    )

    assert answer.status_code == 400 and "reasons" in answer.json()


def test_a_reassess_review_opens_one_case(client, admin, supervisor):
    review = OnyxReviewFactory(decided=True, decision=OnyxDecision.REASSESS)
    token = token_for(admin, Role.SUPERVISOR, supervisor)

    first = post(client, token, "v1:review-case-open", key="open-1", review_id=review.public_id)
    again = post(client, token, "v1:review-case-open", key="open-1", review_id=review.public_id)

    assert first.status_code == 201, first.content
    assert again.json()["id"] == first.json()["id"]
    assert Case.objects.filter(subject=review.subject).count() == 1


def test_a_case_is_opened_from_a_persons_allegations_once_per_key(client, admin):
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    officer = OfficerFactory()
    allegation = AllegationFactory(subject=officer)
    token = token_for(admin, Role.INVESTIGATOR, investigator)
    data = {"allegations": [str(allegation.public_id)]}

    first = post(client, token, "v1:officer-case-open", data, key="k-1", officer_id=officer.public_id)
    again = post(client, token, "v1:officer-case-open", data, key="k-1", officer_id=officer.public_id)
    none_chosen = post(client, token, "v1:officer-case-open", {"allegations": []}, officer_id=officer.public_id)

    assert first.status_code == 201, first.content
    assert again.json()["id"] == first.json()["id"]
    assert Case.objects.filter(subject=officer).count() == 1
    assert none_chosen.status_code == 400 and "allegation" in none_chosen.json()


def test_a_conflicted_investigator_cannot_open_a_case_about_that_person(client, admin, supervisor):
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    officer = OfficerFactory()
    allegation = AllegationFactory(subject=officer)
    services.conflict_declare(user=investigator, officer=officer, reason="family", by=supervisor)

    answer = post(
        client,
        token_for(admin, Role.INVESTIGATOR, investigator),
        "v1:officer-case-open",
        {"allegations": [str(allegation.public_id)]},
        officer_id=officer.public_id,
    )

    assert answer.status_code == 404
    assert not Case.objects.filter(subject=officer).exists()
