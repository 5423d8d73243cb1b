"""The Onyx workflow: one decision with a rationale per person, every decision checked by the panel."""

import datetime as dt
import random

import pytest
from django.urls import reverse

from cases import services
from cases.models import (
    AllegationCategory,
    EmploymentStatus,
    OfficerEvent,
    OnyxAction,
    OnyxActionKind,
    OnyxDecision,
    OnyxReview,
    OnyxStatus,
    PanelAssignment,
)
from cases.roles import Role
from cases.services.onyx import _check_move
from misconduct.dashboard import dashboard_figures
from tests.clock import TODAY
from tests.conftest import sign_in
from tests.factories import AllegationFactory, CaseFactory, OfficerFactory, OnyxReviewFactory, UserFactory
from vetting.models import ReviewTrigger, VettingReview

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor():
    return UserFactory(roles=[Role.SUPERVISOR])


@pytest.fixture
def reviewer():
    return UserFactory(roles=[Role.INVESTIGATOR])


@pytest.fixture
def panel():
    return UserFactory(roles=[Role.PANEL_REVIEWER])


def allocated_review(supervisor, reviewer, **kwargs):
    review = OnyxReviewFactory(**kwargs)
    services.onyx_reviews_allocate(review_ids=[review.id], reviewer=reviewer, by=supervisor)
    review.refresh_from_db()
    return review


def test_batch_queues_one_review_per_person_with_their_past_allegations(supervisor):
    abuser = OfficerFactory()
    first = AllegationFactory(
        subject=abuser, category=AllegationCategory.DOMESTIC_ABUSE, received_on=dt.date(2018, 1, 1), incident_on=None
    )
    case = CaseFactory(subject=abuser)
    second = AllegationFactory(
        subject=abuser,
        category=AllegationCategory.SEXUAL_OFFENCE,
        received_on=dt.date(2020, 1, 1),
        incident_on=None,
        case=case,
    )
    AllegationFactory(category=AllegationCategory.DISHONESTY, received_on=dt.date(2019, 1, 1), incident_on=None)
    AllegationFactory(category=AllegationCategory.DOMESTIC_ABUSE, received_on=dt.date(2010, 1, 1), incident_on=None)
    batch = services.onyx_batch_create(
        name="DA and sexual offences",
        categories=["domestic_abuse", "sexual_offence"],
        period_start=dt.date(2013, 1, 1),
        period_end=dt.date(2023, 1, 1),
        by=supervisor,
    )
    reviews = list(batch.reviews.all())
    assert [r.subject for r in reviews] == [abuser]
    assert set(reviews[0].past_allegations.all()) == {first, second}
    assert list(reviews[0].past_cases.all()) == [case]
    assert reviews[0].status == OnyxStatus.QUEUED


def test_only_a_supervisor_starts_a_programme_or_allocates(reviewer):
    with pytest.raises(services.DomainError):
        services.onyx_batch_create(
            name="x",
            categories=["domestic_abuse"],
            period_start=dt.date(2013, 1, 1),
            period_end=dt.date(2023, 1, 1),
            by=reviewer,
        )
    review = OnyxReviewFactory()
    with pytest.raises(services.DomainError):
        services.onyx_reviews_allocate(review_ids=[review.id], reviewer=reviewer, by=reviewer)


def test_conflicted_reviewer_is_never_allocated_the_review(supervisor, reviewer):
    review = OnyxReviewFactory()
    services.conflict_declare(user=reviewer, officer=review.subject, reason="Same team", by=supervisor)
    assert services.onyx_reviews_allocate(review_ids=[review.id], reviewer=reviewer, by=supervisor) == 0
    review.refresh_from_db()
    assert review.status == OnyxStatus.QUEUED and review.reviewer is None


def test_decision_without_rationale_changes_nothing(supervisor, reviewer):
    review = allocated_review(supervisor, reviewer)
    with pytest.raises(services.DomainError, match="rationale"):
        services.onyx_review_decide(review=review, decision=OnyxDecision.NO_FURTHER_ACTION, rationale="  ", by=reviewer)
    review.refresh_from_db()
    assert (review.status, review.decision) == (OnyxStatus.ALLOCATED, "")


def test_only_the_allocated_reviewer_decides(supervisor, reviewer):
    review = allocated_review(supervisor, reviewer)
    other = UserFactory(roles=[Role.INVESTIGATOR])
    with pytest.raises(services.DomainError):
        services.onyx_review_decide(review=review, decision="nfa", rationale="x", by=other)


def test_a_decided_review_cannot_be_decided_again(supervisor, reviewer):
    review = allocated_review(supervisor, reviewer)
    services.onyx_review_decide(review=review, decision="nfa", rationale="Right at the time.", by=reviewer)
    with pytest.raises(services.DomainError):
        services.onyx_review_decide(
            review=review,
            decision="reassess",
            rationale="Changed my mind",
            by=reviewer,
            actions=[("recontact_victim", "")],
        )
    review.refresh_from_db()
    assert review.decision == "nfa"


def test_reassess_records_lines_of_inquiry_and_refuses_measures(supervisor, reviewer):
    review = allocated_review(supervisor, reviewer)
    with pytest.raises(services.DomainError):
        services.onyx_review_decide(
            review=review,
            decision="reassess",
            rationale="x",
            by=reviewer,
            actions=[(OnyxActionKind.RESTRICTED_DUTIES, "")],
        )
    services.onyx_review_decide(
        review=review,
        decision="reassess",
        rationale="Victim never re-contacted",
        by=reviewer,
        actions=[(OnyxActionKind.RECONTACT_VICTIM, "Call her back")],
    )
    assert list(OnyxAction.objects.filter(review=review).values_list("kind", flat=True)) == ["recontact_victim"]


def _send_and_agree(review, supervisor, panel, django_capture_on_commit_callbacks):
    [assignment] = services.panel_reviews_assign(review_ids=[review.id], panel_members=[panel], by=supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        services.panel_verdict_record(assignment=assignment, verdict="agree", reasons="", by=panel)


def test_risk_management_measures_take_effect_only_when_the_panel_agrees(
    supervisor, reviewer, panel, django_capture_on_commit_callbacks
):
    review = allocated_review(supervisor, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        services.onyx_review_decide(
            review=review,
            decision=OnyxDecision.RISK_MANAGEMENT,
            rationale="Pattern of abuse",
            by=reviewer,
            actions=[(OnyxActionKind.RESTRICTED_DUTIES, ""), (OnyxActionKind.VETTING_REVIEW, "")],
        )
    # The reviewer's decision is not yet final: nothing happens to the officer.
    review.subject.refresh_from_db()
    assert review.subject.status == EmploymentStatus.SERVING
    assert not VettingReview.objects.exists()

    _send_and_agree(review, supervisor, panel, django_capture_on_commit_callbacks)

    vetting = VettingReview.objects.get(officer=review.subject)
    assert (vetting.trigger, vetting.trigger_ref) == (ReviewTrigger.RISK_MANAGEMENT, f"onyxreview:{review.pk}")
    review.subject.refresh_from_db()
    assert review.subject.status == EmploymentStatus.RESTRICTED
    event = OfficerEvent.objects.get(officer=review.subject)
    assert (event.from_value, event.to_value, event.actor) == ("serving", "restricted", reviewer)
    assert "agreed by the external panel" in event.reason


def test_a_panel_disagreement_changes_nothing_for_the_officer(
    supervisor, reviewer, panel, django_capture_on_commit_callbacks
):
    review = allocated_review(supervisor, reviewer)
    services.onyx_review_decide(
        review=review,
        decision="risk_management",
        rationale="x",
        by=reviewer,
        actions=[(OnyxActionKind.RESTRICTED_DUTIES, "")],
    )
    [assignment] = services.panel_reviews_assign(review_ids=[review.id], panel_members=[panel], by=supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        services.panel_verdict_record(assignment=assignment, verdict="disagree", reasons="Too harsh", by=panel)
    review.subject.refresh_from_db()
    assert review.subject.status == EmploymentStatus.SERVING
    assert not VettingReview.objects.exists()


def test_a_decision_made_again_withdraws_the_earlier_decisions_actions_with_an_event(supervisor, reviewer, panel):
    review = allocated_review(supervisor, reviewer)
    services.onyx_review_decide(
        review=review,
        decision="risk_management",
        rationale="x",
        by=reviewer,
        actions=[(OnyxActionKind.RESTRICTED_DUTIES, ""), (OnyxActionKind.SUPERVISION_PLAN, "")],
    )
    [assignment] = services.panel_reviews_assign(review_ids=[review.id], panel_members=[panel], by=supervisor)
    services.panel_verdict_record(assignment=assignment, verdict="disagree", reasons="Reassess instead", by=panel)
    services.onyx_review_decide(
        review=review,
        decision="reassess",
        rationale="Victim to be re-contacted",
        by=reviewer,
        actions=[(OnyxActionKind.RECONTACT_VICTIM, "")],
    )
    actions = {a.kind: a for a in OnyxAction.objects.filter(review=review)}
    assert actions["restricted_duties"].withdrawn_at and actions["supervision_plan"].withdrawn_at
    assert actions["recontact_victim"].withdrawn_at is None
    withdrawn = review.events.get(kind="actions_withdrawn")
    assert sorted(withdrawn.detail["actions"]) == ["restricted_duties", "supervision_plan"]
    with pytest.raises(services.DomainError, match="withdrawn"):
        services.onyx_action_complete(action_id=actions["supervision_plan"].id, by=reviewer)


def test_a_reassess_case_carries_the_reviews_allegations_and_the_date_they_came_to_notice(supervisor, reviewer):
    from cases.models import Allegation, AllegationCategory

    review = allocated_review(supervisor, reviewer)
    earlier = AllegationFactory(
        subject=review.subject,
        category=AllegationCategory.SEXUAL_OFFENCE,
        received_on=TODAY - dt.timedelta(days=3000),
        incident_on=None,
    )
    later = AllegationFactory(subject=review.subject, received_on=TODAY - dt.timedelta(days=2000), incident_on=None)
    review.past_allegations.set([earlier, later])
    services.onyx_review_decide(
        review=review, decision="reassess", rationale="Missed lines", by=reviewer,
        actions=[(OnyxActionKind.RECONTACT_VICTIM, "")],
    )  # fmt: skip
    case = services.onyx_review_case_open(review=review, by=reviewer)
    assert case.came_to_notice_on == earlier.received_on
    assert set(case.reassessed_allegations.all()) == {earlier, later}
    assert set(Allegation.objects.filter(case=case)) == set()  # they stay in their own past cases
    assert "serious sexual offence" in services.iopc_referral_grounds(case)[earlier.id]


def test_panel_disagreement_returns_the_review_and_the_second_decision_goes_back(supervisor, reviewer, panel):
    review = allocated_review(supervisor, reviewer)
    services.onyx_review_decide(review=review, decision="nfa", rationale="Right at the time.", by=reviewer)
    [first] = services.panel_reviews_assign(review_ids=[review.id], panel_members=[panel], by=supervisor)
    with pytest.raises(services.DomainError, match="reasons"):
        services.panel_verdict_record(assignment=first, verdict="disagree", reasons="", by=panel)
    services.panel_verdict_record(assignment=first, verdict="disagree", reasons="Victim not re-contacted", by=panel)
    review.refresh_from_db()
    assert review.status == OnyxStatus.RETURNED
    with pytest.raises(services.DomainError):  # double submit
        services.panel_verdict_record(assignment=first, verdict="agree", reasons="", by=panel)
    services.onyx_review_decide(
        review=review, decision="reassess", rationale="Panel is right", by=reviewer, actions=[("recontact_victim", "")]
    )
    [second] = services.panel_reviews_assign(review_ids=[review.id], panel_members=[panel], by=supervisor)
    assert second.round == 2
    services.panel_verdict_record(assignment=second, verdict="agree", reasons="", by=panel)
    review.refresh_from_db()
    assert review.status == OnyxStatus.CONCLUDED


def test_a_verdict_by_a_panel_member_not_assigned_is_refused(supervisor, panel):
    review = OnyxReviewFactory(decided=True)
    [assignment] = services.panel_reviews_assign(review_ids=[review.id], panel_members=[panel], by=supervisor)
    intruder = UserFactory(roles=[Role.PANEL_REVIEWER])
    with pytest.raises(services.DomainError):
        services.panel_verdict_record(assignment=assignment, verdict="agree", reasons="", by=intruder)
    assignment.refresh_from_db()
    assert assignment.verdict == ""


def test_panel_reviews_are_shared_round_robin(supervisor):
    members = [UserFactory(roles=[Role.PANEL_REVIEWER]) for _ in range(2)]
    reviews = OnyxReviewFactory.create_batch(4, decided=True)
    services.panel_reviews_assign(review_ids=[r.id for r in reviews], panel_members=members, by=supervisor)
    counts = sorted(PanelAssignment.objects.filter(panel_member=m).count() for m in members)
    assert counts == [2, 2]


# The Onyx review's life, written out here rather than read from ONYX_TRANSITIONS: queued, allocated to a
# reviewer (and re-allocated), decided, sent to the external panel, then concluded when the panel agrees or
# returned with its reasons to be decided again.
EXPECTED_ONYX_MOVES = {
    ("queued", "allocated"),
    ("allocated", "allocated"),
    ("allocated", "decided"),
    ("decided", "with_panel"),
    ("with_panel", "concluded"),
    ("with_panel", "returned"),
    ("returned", "decided"),
}
ONYX_STATES = ["queued", "allocated", "decided", "with_panel", "returned", "concluded"]


def test_the_onyx_workflow_has_exactly_the_expected_states():
    assert sorted(OnyxStatus.values) == sorted(ONYX_STATES)


@pytest.mark.parametrize("from_status", ONYX_STATES)
@pytest.mark.parametrize("to_status", ONYX_STATES)
def test_every_transition_is_allowed_or_refused_by_the_table(from_status, to_status):
    review = OnyxReview(reference="ONYX-T", status=from_status)
    if (from_status, to_status) in EXPECTED_ONYX_MOVES:
        _check_move(review, to_status)
    else:
        with pytest.raises(services.DomainError):
            _check_move(review, to_status)


def test_decision_form_without_rationale_shows_an_error_and_changes_nothing(client, supervisor, reviewer):
    review = allocated_review(supervisor, reviewer)
    sign_in(client, reviewer)
    response = client.post(reverse("cases:review_decide", args=[review.public_id]), {"decision": "nfa"})
    assert response.status_code == 400
    assert b"Give the rationale for the decision." in response.content
    review.refresh_from_db()
    assert review.status == OnyxStatus.ALLOCATED


def test_dashboard_breakdown_matches_independent_counts(client, supervisor, panel):
    rng = random.Random(7)
    reviewers = [UserFactory(roles=[Role.INVESTIGATOR]) for _ in range(2)]
    expected = {"nfa": 0, "reassess": 0, "risk_management": 0}
    reviews = []
    for _ in range(30):
        decision = rng.choice(list(expected))
        expected[decision] += 1
        reviews.append(OnyxReviewFactory(decided=True, decision=decision, reviewer=rng.choice(reviewers)))
    OnyxReviewFactory.create_batch(5)  # queued, undecided
    assigned = services.panel_reviews_assign(
        review_ids=[r.id for r in reviews[:10]], panel_members=[panel], by=supervisor
    )
    verdicts = ["agree"] * 6 + ["disagree"] * 4
    for assignment, verdict in zip(assigned, verdicts, strict=True):
        services.panel_verdict_record(assignment=assignment, verdict=verdict, reasons="because", by=panel)
    onyx = dashboard_figures()["onyx"]
    assert (onyx["nfa"], onyx["reassess"], onyx["risk_management"]) == (
        expected["nfa"],
        expected["reassess"],
        expected["risk_management"],
    )
    assert onyx["total"] == 35 and onyx["decided"] == 30
    assert (onyx["panel_checked"], onyx["agreed"], onyx["disagreed"]) == (10, 6, 4)
    assert onyx["outstanding"] == 35 - 6
    commissioner = UserFactory(roles=[Role.COMMISSIONER])
    sign_in(client, commissioner)
    page = client.get(reverse("dashboard")).content.decode()
    assert f'data-figure="onyx-nfa">{expected["nfa"]}<' in page


def test_dashboard_query_count_is_fixed(client, django_assert_max_num_queries):
    commissioner = UserFactory(roles=[Role.COMMISSIONER])
    sign_in(client, commissioner)
    OnyxReviewFactory.create_batch(3, decided=True)
    client.get(reverse("dashboard"))
    with django_assert_max_num_queries(21):  # the vetting figures (issue 14.7) are one aggregate each
        assert client.get(reverse("dashboard")).status_code == 200


def test_supervisor_starts_a_programme_from_the_review_page(client, supervisor):
    subject = AllegationFactory(category="domestic_abuse", received_on=dt.date(2020, 5, 1), incident_on=None).subject
    AllegationFactory(category="dishonesty", received_on=dt.date(2020, 5, 1), incident_on=None)
    sign_in(client, supervisor)
    data = {
        "name": "DA 2015-2023",
        "categories": ["domestic_abuse", "sexual_offence"],
        "period_start": "2015-01-01",
        "period_end": "2023-01-01",
    }
    client.post(reverse("cases:review_programme_new"), data)
    assert list(OnyxReview.objects.values_list("subject", flat=True)) == [subject.pk]
    bad = {**data, "name": "Backwards", "period_start": "2023-01-01", "period_end": "2015-01-01"}
    client.post(reverse("cases:review_programme_new"), bad)
    assert OnyxReview.objects.count() == 1


def test_a_reassess_review_opens_a_case(client, supervisor, reviewer):
    review = allocated_review(supervisor, reviewer)
    services.onyx_review_decide(
        review=review,
        decision="reassess",
        rationale="Missed witnesses",
        by=reviewer,
        actions=[(OnyxActionKind.REOPEN_CASE, "")],
    )
    sign_in(client, reviewer)
    response = client.post(reverse("cases:review_case_open", args=[review.public_id]))
    assert response.status_code == 302
    case = review.subject.cases.get()
    assert case.investigator == reviewer
    assert OnyxAction.objects.get(review=review).done_at is not None


def test_an_nfa_review_opens_no_case(supervisor, reviewer):
    review = allocated_review(supervisor, reviewer)
    services.onyx_review_decide(review=review, decision="nfa", rationale="Right at the time", by=reviewer)
    with pytest.raises(services.DomainError):
        services.onyx_review_case_open(review=review, by=reviewer)


def test_lines_of_inquiry_are_tracked_to_done_by_the_reviewer_only(client, supervisor, reviewer):
    review = allocated_review(supervisor, reviewer)
    services.onyx_review_decide(
        review=review,
        decision="reassess",
        rationale="Missed witnesses",
        by=reviewer,
        actions=[(OnyxActionKind.REINTERVIEW_WITNESS, "The neighbour")],
    )
    action = OnyxAction.objects.get(review=review)
    outsider = UserFactory(roles=[Role.INVESTIGATOR])
    with pytest.raises(services.DomainError):
        services.onyx_action_complete(action_id=action.pk, by=outsider)
    sign_in(client, reviewer)
    client.post(reverse("cases:review_action_done", args=[review.public_id]), {"action": action.pk})
    action.refresh_from_db()
    assert action.done_at is not None
    with pytest.raises(services.DomainError, match="already done"):
        services.onyx_action_complete(action_id=action.pk, by=reviewer)
