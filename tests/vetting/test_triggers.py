"""Every trigger opens one vetting review, however often its event is delivered."""

import datetime as dt

import pytest
from django.utils import timezone

from cases import events
from cases import services as case_services
from cases.models import CaseStatus, Outcome, Route, Severity
from cases.roles import Role
from cases.services import DomainError
from hotline import services as hotline_services
from tests.clock import TODAY, days_ago
from tests.factories import (
    CaseFactory,
    HotlineReportFactory,
    OfficerFactory,
    UserFactory,
    VettingClearanceFactory,
)
from vetting import services
from vetting.models import CircumstanceChange, PNDResult, ReviewTrigger, VettingReview

pytestmark = pytest.mark.django_db

HEARING = {"conducted_by": "Commander A Chair", "panel_members": "B Member, C Member", "legal_adviser": "D Adviser"}


@pytest.fixture
def supervisor():
    return UserFactory(roles=[Role.SUPERVISOR])


def reviews(officer, trigger):
    return list(VettingReview.objects.filter(officer=officer, trigger=trigger))


def test_onyx_risk_management_delivered_twice_opens_one_review():
    officer = OfficerFactory()
    for _ in range(2):
        events.onyx_risk_management_decided.send(sender=None, review_id=77, officer_id=officer.pk, actor_id=None)
    [review] = reviews(officer, ReviewTrigger.RISK_MANAGEMENT)
    assert review.trigger_ref == "onyxreview:77" and review.status == "open"


def test_gross_misconduct_severity_assessment_opens_one_review_per_case(supervisor, django_capture_on_commit_callbacks):
    case = CaseFactory(status=CaseStatus.SEVERITY_ASSESSMENT)
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_transition(
            case=case,
            action="assess_severity",
            by=supervisor,
            severity=Severity.GROSS_MISCONDUCT,
            standards=["honesty"],
        )
    for _ in range(2):  # redelivered, and reassessed as gross misconduct again: still one review
        events.case_moved.send(
            sender=None, case_id=case.pk, officer_id=case.subject_id, action="reassess_severity",
            outcome="", severity=Severity.GROSS_MISCONDUCT, actor_id=supervisor.pk,
        )  # fmt: skip
    [review] = reviews(case.subject, ReviewTrigger.GROSS_MISCONDUCT)
    assert review.trigger_ref == f"case:{case.pk}" and review.created_by == supervisor


def test_a_misconduct_assessment_opens_no_review(supervisor, django_capture_on_commit_callbacks):
    case = CaseFactory(status=CaseStatus.SEVERITY_ASSESSMENT)
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_transition(
            case=case, action="assess_severity", by=supervisor, severity=Severity.MISCONDUCT, standards=["honesty"]
        )
    assert not VettingReview.objects.exists()


def test_an_outcome_short_of_dismissal_opens_one_review(supervisor, django_capture_on_commit_callbacks):
    case = CaseFactory(
        status=CaseStatus.PROCEEDINGS,
        severity=Severity.GROSS_MISCONDUCT,
        route=Route.MISCONDUCT_HEARING,
        opened_at=timezone.now() - dt.timedelta(days=30),
    )
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_transition(
            case=case,
            action="record_outcome",
            by=supervisor,
            finding="gross_misconduct",
            outcome=Outcome.FINAL_WRITTEN_WARNING,
            **HEARING,
        )
    events.case_moved.send(
        sender=None, case_id=case.pk, officer_id=case.subject_id, action="record_outcome",
        outcome=Outcome.FINAL_WRITTEN_WARNING, severity=Severity.GROSS_MISCONDUCT,
    )  # fmt: skip
    [review] = reviews(case.subject, ReviewTrigger.MISCONDUCT_OUTCOME)
    assert "Final written warning" in review.reason


@pytest.mark.parametrize(
    ("outcome", "opens"),
    [
        (Outcome.WRITTEN_WARNING, True),
        (Outcome.FINAL_WRITTEN_WARNING, True),
        (Outcome.REDUCTION_IN_RANK, True),
        (Outcome.DISMISSAL, False),
        (Outcome.DISMISSAL_WITH_NOTICE, False),
        (Outcome.NOT_PROVEN, False),
        (Outcome.NO_FURTHER_ACTION, False),
    ],
)
def test_which_outcomes_reopen_vetting(outcome, opens):
    officer = OfficerFactory()
    events.case_moved.send(
        sender=None, case_id=5, officer_id=officer.pk, action="record_outcome", outcome=outcome, severity=""
    )
    assert bool(reviews(officer, ReviewTrigger.MISCONDUCT_OUTCOME)) == opens


def test_a_new_conviction_opens_one_review(supervisor, django_capture_on_commit_callbacks):
    officer = OfficerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        conviction = case_services.conviction_record(
            officer=officer, category="dishonesty", convicted_on=days_ago(3), by=supervisor
        )
    with django_capture_on_commit_callbacks(execute=True):
        case_services.conviction_published(conviction=conviction, by=supervisor)  # delivered again
    [review] = reviews(officer, ReviewTrigger.CONVICTION)
    assert review.trigger_ref == f"conviction:{conviction.pk}"


def test_a_conviction_added_in_the_admin_opens_a_review(client, django_capture_on_commit_callbacks):
    from tests.conftest import sign_in

    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    sign_in(client, admin)
    officer = OfficerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/cases/conviction/add/",
            {
                "officer": officer.pk,
                "kind": "conviction",
                "category": "violence",
                "convicted_on": days_ago(2).isoformat(),
                "disposal": "Fine",
                "review_status": "pending",
            },
        )
    assert response.status_code == 302, response.content[:2000]
    assert len(reviews(officer, ReviewTrigger.CONVICTION)) == 1


def test_a_hotline_report_linked_to_the_person_opens_one_review(django_capture_on_commit_callbacks):
    triage = UserFactory(roles=[Role.HOTLINE_TRIAGE])
    officer = OfficerFactory()
    report = hotline_services.report_acknowledge(report=HotlineReportFactory(), by=triage)
    for _ in range(2):  # linked, then linked again to the same person
        with django_capture_on_commit_callbacks(execute=True):
            hotline_services.report_officer_link(report=report, officer=officer, by=triage)
    events.report_linked_to_officer.send(sender=None, report_id=report.pk, officer_id=officer.pk, actor_id=triage.pk)
    [review] = reviews(officer, ReviewTrigger.HOTLINE)
    assert review.trigger_ref == f"report:{report.pk}"


@pytest.mark.parametrize(
    ("result", "opens"),
    [(PNDResult.POTENTIAL_MISCONDUCT, True), (PNDResult.CRIMINAL_ASSOCIATION, True), (PNDResult.NO_TRACE, False)],
)
def test_a_pnd_hit_opens_one_review(vetting_officer, result, opens):
    officer = OfficerFactory()
    for _ in range(2):
        check = services.pnd_check_record(officer=officer, checked_on=days_ago(1), result=result, by=vetting_officer)
    found = reviews(officer, ReviewTrigger.PND_HIT)
    assert len(found) == (1 if opens else 0)
    if opens:
        assert found[0].trigger_ref == f"pndcheck:{check.pk}"


def test_a_self_report_submitted_twice_records_one_report_and_one_review():
    user = UserFactory(roles=[Role.INVESTIGATOR])
    officer = OfficerFactory(user=user)
    VettingClearanceFactory(officer=officer)
    for _ in range(2):
        report = services.circumstance_change_report(
            user=user, kind="partner", details="New partner, known to police.", once_token="tok-1", occurred_on=TODAY
        )
    assert CircumstanceChange.objects.count() == 1
    [review] = reviews(officer, ReviewTrigger.SELF_REPORT)
    assert review.trigger_ref == f"circumstancechange:{report.pk}" and review.clearance is not None


def test_a_self_report_needs_a_linked_record_and_is_not_in_the_future():
    user = UserFactory(roles=[Role.INVESTIGATOR])
    with pytest.raises(DomainError, match="not linked"):
        services.circumstance_change_report(user=user, kind="partner", details="x", once_token="t")
    OfficerFactory(user=user)
    with pytest.raises(DomainError, match="future"):
        services.circumstance_change_report(
            user=user, kind="partner", details="x", once_token="t", occurred_on=TODAY + dt.timedelta(days=1)
        )


def test_someone_elses_token_cannot_attach_to_their_report():
    a, b = UserFactory(roles=[Role.INVESTIGATOR]), UserFactory(roles=[Role.INVESTIGATOR])
    OfficerFactory(user=a), OfficerFactory(user=b)
    services.circumstance_change_report(user=a, kind="finances", details="CCJ", once_token="shared")
    with pytest.raises(DomainError):
        services.circumstance_change_report(user=b, kind="finances", details="CCJ", once_token="shared")


def test_a_review_by_hand_submitted_twice_opens_one(vetting_officer):
    officer = OfficerFactory()
    for _ in range(2):
        services.vetting_review_open_by_hand(
            officer=officer, reason="Intelligence", once_token="form-1", by=vetting_officer
        )
    assert len(reviews(officer, ReviewTrigger.MANUAL)) == 1
    services.vetting_review_open_by_hand(officer=officer, reason="More", once_token="form-2", by=vetting_officer)
    assert len(reviews(officer, ReviewTrigger.MANUAL)) == 2


def test_only_a_vetting_officer_opens_a_review_by_hand():
    with pytest.raises(DomainError):
        services.vetting_review_open_by_hand(
            officer=OfficerFactory(), reason="x", once_token="f", by=UserFactory(roles=[Role.SUPERVISOR])
        )


def test_two_deliveries_in_parallel_transactions_open_one_review(transactional_db):
    """The unique constraint, not a read-then-write, keeps it to one: two threads, two connections."""
    import threading

    from django.db import connection

    officer = OfficerFactory()
    barrier = threading.Barrier(2)
    errors = []

    def deliver():
        try:
            barrier.wait(timeout=10)
            services.vetting_review_open(
                officer_id=officer.pk, trigger=ReviewTrigger.CONVICTION, trigger_ref="conviction:9"
            )
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert VettingReview.objects.filter(officer=officer).count() == 1
