"""Each service enforces its own rules (role, conflict, state, required parts) whoever calls it: a
wrong-role user, a conflicted user or a missing part is refused with a DomainError and nothing is
written. Views and forms only present those refusals."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from guardian.models import UserObjectPermission

from cases import selectors, services
from cases.models import (
    CaseEvent,
    ConflictOfInterest,
    OnyxAction,
    OnyxDecision,
    OnyxReview,
    OnyxReviewEvent,
    OnyxStatus,
    ReviewBatch,
)
from cases.risk.models import RiskFlag, RiskFlagEvent, RiskRule
from cases.risk.services import RiskTriageError, risk_flag_triage, risk_recompute_all, risk_rule_update
from cases.roles import Role
from tests.conftest import sign_in
from tests.factories import CaseFactory, ConvictionFactory, OfficerFactory, OnyxReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor():
    return UserFactory(roles=[Role.SUPERVISOR])


@pytest.fixture
def investigator():
    return UserFactory(roles=[Role.INVESTIGATOR])


def nothing_granted(case):
    return not CaseEvent.objects.filter(case=case).exists() and not UserObjectPermission.objects.exists()


# --- need-to-know grants --------------------------------------------------------------------------


def test_an_investigator_cannot_grant_need_to_know_access_through_the_service(investigator):
    secret = CaseFactory(restricted=True)
    colleague = UserFactory(roles=[Role.INVESTIGATOR])
    with pytest.raises(services.DomainError):
        services.case_access_grant(case=secret, user=colleague, by=investigator)
    assert nothing_granted(secret)
    assert secret not in selectors.case_list(user=colleague)


def test_the_service_refuses_a_grant_to_someone_conflicted_on_the_subject(supervisor, investigator):
    secret = CaseFactory(restricted=True)
    ConflictOfInterest.objects.create(user=investigator, officer=secret.subject, reason="Brother", declared_by=None)
    with pytest.raises(services.DomainError, match="conflicted") as refusal:
        services.case_access_grant(case=secret, user=investigator, by=supervisor)
    assert refusal.value.field == "username"
    assert nothing_granted(secret)


def test_a_supervisor_conflicted_on_the_subject_cannot_grant(supervisor, investigator):
    secret = CaseFactory(restricted=True)
    ConflictOfInterest.objects.create(user=supervisor, officer=secret.subject, reason="Same team", declared_by=None)
    with pytest.raises(services.DomainError):
        services.case_access_grant(case=secret, user=investigator, by=supervisor)
    assert nothing_granted(secret)


def test_the_service_refuses_a_grant_on_a_case_that_is_not_restricted(supervisor, investigator):
    case = CaseFactory(restricted=False)
    with pytest.raises(services.DomainError, match="not restricted"):
        services.case_access_grant(case=case, user=investigator, by=supervisor)
    assert nothing_granted(case)


def test_the_grant_page_still_says_why_a_conflicted_grantee_is_refused(client, supervisor, investigator):
    secret = CaseFactory(restricted=True)
    services.case_access_grant(case=secret, user=supervisor, by=supervisor)
    ConflictOfInterest.objects.create(user=investigator, officer=secret.subject, reason="Brother", declared_by=None)
    sign_in(client, supervisor)
    response = client.post(
        reverse("cases:case_grant", args=[secret.public_id]), {"username": investigator.username}, follow=True
    )
    assert "That person is conflicted on this officer." in response.content.decode()
    assert secret not in selectors.case_list(user=type(investigator).objects.get(pk=investigator.pk))


# --- conflicts, assignment, timeliness ------------------------------------------------------------


def test_only_a_supervisor_declares_a_conflict_of_interest(investigator):
    officer = OfficerFactory()
    with pytest.raises(services.DomainError):
        services.conflict_declare(user=investigator, officer=officer, reason="Same team", by=investigator)
    assert not ConflictOfInterest.objects.exists()


def test_a_supervisor_conflicted_on_an_officer_cannot_assign_their_case(supervisor, investigator):
    case = CaseFactory()
    ConflictOfInterest.objects.create(user=supervisor, officer=case.subject, reason="Cousin", declared_by=None)
    with pytest.raises(services.DomainError):
        services.case_assign(case=case, investigator=investigator, by=supervisor)
    case.refresh_from_db()
    assert case.investigator is None and not CaseEvent.objects.filter(case=case).exists()


def test_a_timeliness_report_from_someone_not_on_the_case_is_refused_by_the_service(investigator):
    case = CaseFactory()  # assigned to nobody: the investigator holds no grant on it
    with pytest.raises(services.DomainError):
        services.case_timeliness_report_record(case=case, by=investigator, note="All going well.")
    case.refresh_from_db()
    assert case.last_timeliness_report_on is None and not CaseEvent.objects.filter(case=case).exists()


# --- Onyx -----------------------------------------------------------------------------------------


def allocated(reviewer):
    return OnyxReviewFactory(status=OnyxStatus.ALLOCATED, reviewer=reviewer)


def review_untouched(review):
    review.refresh_from_db()
    return (
        review.status == OnyxStatus.ALLOCATED
        and not review.decision
        and not OnyxAction.objects.filter(review=review).exists()
        and not OnyxReviewEvent.objects.filter(review=review).exists()
    )


@pytest.mark.parametrize(
    ("decision", "field"),
    [(OnyxDecision.REASSESS, "inquiries"), (OnyxDecision.RISK_MANAGEMENT, "measures")],
)
def test_the_service_refuses_a_decision_without_its_required_actions(investigator, decision, field):
    review = allocated(investigator)
    with pytest.raises(services.DomainError) as refusal:
        services.onyx_review_decide(review=review, decision=decision, rationale="Reasons.", actions=[], by=investigator)
    assert refusal.value.field == field
    assert review_untouched(review)


def test_a_reviewer_conflicted_since_allocation_cannot_decide(investigator):
    review = allocated(investigator)
    ConflictOfInterest.objects.create(user=investigator, officer=review.subject, reason="Neighbour", declared_by=None)
    with pytest.raises(services.DomainError, match="conflicted"):
        services.onyx_review_decide(
            review=review, decision=OnyxDecision.NO_FURTHER_ACTION, rationale="Right at the time.", by=investigator
        )
    assert review_untouched(review)


def test_the_decision_page_shows_the_missing_measure_by_its_field(client, investigator):
    review = allocated(investigator)
    sign_in(client, investigator)
    response = client.post(
        reverse("cases:review_decide", args=[review.public_id]),
        {"decision": OnyxDecision.RISK_MANAGEMENT, "rationale": "A pattern of abuse."},
    )
    assert response.status_code == 400
    assert response.context["decision_form"].errors["measures"] == [
        "A risk-management decision needs at least one measure."
    ]
    assert review_untouched(review)


def test_the_service_refuses_a_programme_whose_name_is_taken_or_whose_categories_are_unknown(supervisor):
    today = timezone.localdate()
    period = {"period_start": today - dt.timedelta(days=365), "period_end": today}
    services.onyx_batch_create(name="Dishonesty", categories=["dishonesty"], by=supervisor, **period)
    with pytest.raises(services.DomainError) as taken:
        services.onyx_batch_create(name="Dishonesty", categories=["dishonesty"], by=supervisor, **period)
    assert taken.value.field == "name"
    with pytest.raises(services.DomainError) as unknown:
        services.onyx_batch_create(name="Other", categories=["shoplifting"], by=supervisor, **period)
    assert unknown.value.field == "categories"
    assert list(ReviewBatch.objects.values_list("name", flat=True)) == ["Dishonesty"]


def test_an_allocation_leaves_alone_reviews_about_an_officer_the_supervisor_is_conflicted_on(supervisor, investigator):
    review = OnyxReviewFactory()
    ConflictOfInterest.objects.create(user=supervisor, officer=review.subject, reason="Brother", declared_by=None)
    assert services.onyx_reviews_allocate(review_ids=[review.id], reviewer=investigator, by=supervisor) == 0
    review.refresh_from_db()
    assert review.status == OnyxStatus.QUEUED and review.reviewer is None
    assert not OnyxReview.objects.filter(events__isnull=False).exists()


# --- risk -----------------------------------------------------------------------------------------


def _conviction_flag():
    ConvictionFactory()
    risk_recompute_all()
    return RiskFlag.objects.get(rule_code="conviction")


@pytest.mark.parametrize("roles", [[Role.INVESTIGATOR], [Role.COMMISSIONER], []])
def test_only_a_supervisor_triages_a_flag_through_the_service(roles):
    flag = _conviction_flag()
    with pytest.raises(RiskTriageError):
        risk_flag_triage(flag_id=flag.id, actor=UserFactory(roles=roles), status="acknowledged")
    flag.refresh_from_db()
    assert flag.triage_status == "untriaged" and not RiskFlagEvent.objects.filter(kind="triaged").exists()


def test_a_supervisor_conflicted_on_the_officer_cannot_triage_their_flag(supervisor):
    flag = _conviction_flag()
    ConflictOfInterest.objects.create(user=supervisor, officer=flag.officer, reason="Same team", declared_by=None)
    with pytest.raises(RiskTriageError, match="conflicted"):
        risk_flag_triage(flag_id=flag.id, actor=supervisor, status="acknowledged")
    flag.refresh_from_db()
    assert flag.triage_status == "untriaged"


def test_only_a_supervisor_tunes_a_rule_through_the_service(investigator):
    with pytest.raises(services.DomainError):
        risk_rule_update(code="allegations_in_window", actor=investigator, parameters={"warning": 4})
    rule = RiskRule.objects.filter(code="allegations_in_window").first()
    assert rule is None or rule.parameters.get("warning") == 3


def test_a_panel_member_never_gets_a_review_about_an_officer_they_are_conflicted_on(supervisor):
    panel = [UserFactory(roles=[Role.PANEL_REVIEWER]) for _ in range(2)]
    review = OnyxReviewFactory(decided=True)
    ConflictOfInterest.objects.create(user=panel[0], officer=review.subject, reason="Old friend", declared_by=None)

    created = services.panel_reviews_assign(review_ids=[review.id], panel_members=panel, by=supervisor)

    assert [a.panel_member for a in created] == [panel[1]]
    alone = services.panel_reviews_assign(
        review_ids=[OnyxReviewFactory(decided=True, subject=review.subject).id], panel_members=[panel[0]], by=supervisor
    )
    assert alone == []
    assert not OnyxReview.objects.filter(panel_assignments__panel_member=panel[0]).exists()
    assert OnyxReview.objects.filter(status=OnyxStatus.DECIDED).count() == 1


def test_the_grant_page_refuses_need_to_know_access_for_someone_who_reads_no_cases(client, supervisor):
    secret = CaseFactory(restricted=True)
    services.case_access_grant(case=secret, user=supervisor, by=supervisor)
    outsider = UserFactory(roles=[Role.PANEL_REVIEWER])
    sign_in(client, supervisor)
    response = client.post(
        reverse("cases:case_grant", args=[secret.public_id]), {"username": outsider.username}, follow=True
    )
    assert response.status_code == 200
    assert "Need-to-know access goes only to DPS staff who read cases." in response.content.decode()
    assert not UserObjectPermission.objects.filter(user=outsider).exists()
