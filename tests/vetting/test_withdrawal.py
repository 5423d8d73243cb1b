"""Withdrawal of vetting under Part 3 of the Police (Vetting) Regulations 2025: opened by a review decided
"withdrawn", one transition function with its table, the time limits, dismissal onto the barred list once,
and an upheld appeal reversing it (docs/vetting-rules.md)."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from cases import conduct_check
from cases.models import EmploymentStatus, OfficerEvent, OfficerEventKind
from cases.roles import Role
from cases.services import DomainError, barred_list, barred_list_enter
from tests.factories import UserFactory, VettingClearanceFactory
from vetting import services
from vetting.models import (
    ClearanceStatus,
    ReviewTrigger,
    VettingOutcome,
    VettingWithdrawal,
    WithdrawalEvent,
    WithdrawalNotice,
)
from vetting.models import VettingReviewStatus as RS
from vetting.models import WithdrawalStatus as W
from vetting.risk_rules import vetting_adverse

pytestmark = pytest.mark.django_db

DATA = {
    "appoint": {},  # filled with the decision-maker in `step`
    "name_police_friend": {"police_friend": "PC Fran Friend, Federation rep"},
    "serve_notice": {"content": "The matter; your right to a police friend and to make representations."},
    "record_representations": {"representations": "The association ended in 2019."},
    "decide_keep": {"reasons": "The representations answer the concern."},
    "decide_withdraw": {"reasons": "Undisclosed association with a convicted drug supplier."},
    "lodge_appeal": {"grounds": "The decision ignored my representations."},
    "appeal_upheld": {"reasons": "The representations were not considered."},
    "appeal_dismissed": {"reasons": "The decision was open to the decision-maker."},
}
TABLE_REFUSAL = "cannot take the step"


@pytest.fixture
def withdrawal(vetting_officer):
    """A review of a person with a clearance, decided "withdrawn": the withdrawal process it opens."""
    clearance = VettingClearanceFactory()
    review = services.vetting_review_open(
        officer_id=clearance.officer_id, trigger=ReviewTrigger.CONVICTION, trigger_ref="conviction:77"
    )
    services.vetting_review_move(review=review, to_status=RS.IN_PROGRESS, by=vetting_officer)
    services.vetting_review_move(
        review=review,
        to_status=RS.DECIDED,
        by=vetting_officer,
        outcome=VettingOutcome.WITHDRAWN,
        rationale="Undisclosed association with a convicted drug supplier.",
    )
    return VettingWithdrawal.objects.get(review=review)


def step(withdrawal, action, by, **extra):
    data = {**DATA[action], **extra}
    if action == "appoint":
        data.setdefault("decision_maker", by)
    return services.withdrawal_move(withdrawal=withdrawal, action=action, by=by, **data)


PATHS = {
    W.ASSESSMENT: [],
    W.NOTICE_SERVED: ["appoint", "serve_notice"],
    W.REPRESENTATIONS: ["appoint", "serve_notice", "record_representations"],
    W.CLEARANCE_KEPT: ["appoint", "serve_notice", "record_representations", "decide_keep"],
    W.DISMISSED: ["appoint", "serve_notice", "record_representations", "decide_withdraw"],
    W.APPEALED: ["appoint", "serve_notice", "record_representations", "decide_withdraw", "lodge_appeal"],
    W.DISMISSAL_STANDS: [
        *["appoint", "serve_notice", "record_representations", "decide_withdraw", "lodge_appeal"],
        "appeal_dismissed",
    ],
    W.REINSTATED: [
        *["appoint", "serve_notice", "record_representations", "decide_withdraw", "lodge_appeal"],
        "appeal_upheld",
    ],
}


def bring_to(withdrawal, state, by):
    for action in PATHS[state]:
        withdrawal = step(withdrawal, action, by)
    assert withdrawal.status == state
    return withdrawal


def test_a_review_decided_withdrawn_opens_one_withdrawal_with_the_clearance_suspended_and_restricted_duties(
    withdrawal, vetting_officer
):
    assert withdrawal.status == W.ASSESSMENT
    assert withdrawal.grounds == "Undisclosed association with a convicted drug supplier."
    withdrawal.officer.refresh_from_db()
    assert withdrawal.officer.status == EmploymentStatus.RESTRICTED
    assert withdrawal.restricted_duties
    # The clearance is suspended until the process decides; withdrawn only by its decision.
    assert withdrawal.review.clearance.status == ClearanceStatus.SUSPENDED
    again = services.withdrawal_open(
        officer_id=withdrawal.officer_id, review=withdrawal.review, grounds="again", by=vetting_officer
    )
    assert again.pk == withdrawal.pk
    assert VettingWithdrawal.objects.filter(officer=withdrawal.officer).count() == 1


def test_a_second_running_withdrawal_for_the_same_person_is_refused(withdrawal, vetting_officer):
    with pytest.raises(DomainError, match="already running"):
        services.withdrawal_open(officer_id=withdrawal.officer_id, grounds="Another matter", by=vetting_officer)


# The expected table, written out: every (state, action) pair the process allows. Everything else is refused.
ALLOWED = {
    (W.ASSESSMENT, "appoint"),
    (W.ASSESSMENT, "name_police_friend"),
    (W.ASSESSMENT, "serve_notice"),
    (W.NOTICE_SERVED, "name_police_friend"),
    (W.NOTICE_SERVED, "record_representations"),
    (W.NOTICE_SERVED, "decide_keep"),
    (W.NOTICE_SERVED, "decide_withdraw"),
    (W.REPRESENTATIONS, "name_police_friend"),
    (W.REPRESENTATIONS, "decide_keep"),
    (W.REPRESENTATIONS, "decide_withdraw"),
    (W.DISMISSED, "lodge_appeal"),
    (W.APPEALED, "appeal_upheld"),
    (W.APPEALED, "appeal_dismissed"),
    (W.DISMISSAL_STANDS, "lodge_appeal"),
}


def test_the_table_in_the_service_is_the_expected_table():
    assert set(services.WITHDRAWAL_TRANSITIONS) == ALLOWED


@pytest.mark.parametrize("state", list(W))
@pytest.mark.parametrize("action", sorted(DATA))
def test_every_move_outside_the_table_is_refused(withdrawal, vetting_officer, state, action):
    withdrawal = bring_to(withdrawal, state, vetting_officer)
    events_before = WithdrawalEvent.objects.filter(withdrawal=withdrawal).count()
    try:
        step(withdrawal, action, vetting_officer)
    except DomainError as exc:
        refused_by_table = TABLE_REFUSAL in str(exc)
    else:
        refused_by_table = False
    assert refused_by_table == ((state, action) not in ALLOWED)
    if refused_by_table:
        withdrawal.refresh_from_db()
        assert withdrawal.status == state
        assert WithdrawalEvent.objects.filter(withdrawal=withdrawal).count() == events_before


def test_only_a_vetting_officer_moves_a_withdrawal_and_only_the_appointed_one_decides(withdrawal, vetting_officer):
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    with pytest.raises(DomainError, match="Only a vetting officer"):
        step(withdrawal, "appoint", investigator)
    other = UserFactory(roles=[Role.VETTING_OFFICER])
    withdrawal = bring_to(withdrawal, W.REPRESENTATIONS, vetting_officer)
    with pytest.raises(DomainError, match="Only the person appointed"):
        step(withdrawal, "decide_withdraw", other)


def test_the_notice_needs_a_decision_maker_first(withdrawal, vetting_officer):
    with pytest.raises(DomainError, match="Appoint"):
        step(withdrawal, "serve_notice", vetting_officer)


# --- time limits -----------------------------------------------------------------------------------------


def test_representations_are_due_ten_working_days_after_the_notice_over_christmas():
    # Fri 18 Dec 2026: Christmas Day, the Boxing Day substitute (Mon 28) and New Year's Day do not count.
    assert services.representations_due_on(dt.date(2026, 12, 18)) == dt.date(2027, 1, 6)
    assert services.appeal_due_on(dt.date(2026, 12, 18)) == dt.date(2027, 1, 6)
    assert services.representations_due_on(dt.date(2027, 3, 1)) == dt.date(2027, 3, 15)


def test_serving_the_notice_sets_the_last_day_for_representations(withdrawal, vetting_officer):
    withdrawal = bring_to(withdrawal, W.NOTICE_SERVED, vetting_officer)
    today = timezone.localdate()
    assert withdrawal.notice_served_on == today
    assert withdrawal.representations_due_on == services.representations_due_on(today)
    assert WithdrawalNotice.objects.filter(withdrawal=withdrawal, kind="assessment").count() == 1


def test_no_decision_without_representations_until_their_time_has_run(withdrawal, vetting_officer):
    withdrawal = bring_to(withdrawal, W.NOTICE_SERVED, vetting_officer)
    with pytest.raises(DomainError, match="may make representations until"):
        step(withdrawal, "decide_keep", vetting_officer)
    after = dt.datetime.combine(withdrawal.representations_due_on + dt.timedelta(days=1), dt.time(12))
    with time_machine.travel(timezone.make_aware(after), tick=False):
        kept = step(withdrawal, "decide_keep", vetting_officer)
    assert kept.status == W.CLEARANCE_KEPT


def test_representations_after_the_last_day_are_refused(withdrawal, vetting_officer):
    withdrawal = bring_to(withdrawal, W.NOTICE_SERVED, vetting_officer)
    late = dt.datetime.combine(withdrawal.representations_due_on + dt.timedelta(days=1), dt.time(12))
    with time_machine.travel(timezone.make_aware(late), tick=False), pytest.raises(DomainError, match="ended on"):
        step(withdrawal, "record_representations", vetting_officer)


def test_an_appeal_after_its_last_day_is_refused(withdrawal, vetting_officer):
    withdrawal = bring_to(withdrawal, W.DISMISSED, vetting_officer)
    assert withdrawal.appeal_due_on == services.appeal_due_on(withdrawal.dismissed_on)
    late = dt.datetime.combine(withdrawal.appeal_due_on + dt.timedelta(days=1), dt.time(12))
    with time_machine.travel(timezone.make_aware(late), tick=False), pytest.raises(DomainError, match="ended on"):
        step(withdrawal, "lodge_appeal", vetting_officer)


# --- outcomes --------------------------------------------------------------------------------------------


def _dismissal_events(officer):
    return OfficerEvent.objects.filter(
        officer=officer, kind=OfficerEventKind.STATUS_CHANGED, to_value=EmploymentStatus.DISMISSED
    )


def test_withdrawal_dismisses_without_notice_and_puts_the_officer_on_the_barred_list_once(withdrawal, vetting_officer):
    withdrawal = bring_to(withdrawal, W.DISMISSED, vetting_officer)
    officer = withdrawal.officer
    officer.refresh_from_db()
    assert officer.status == EmploymentStatus.DISMISSED
    assert officer.left_on == withdrawal.dismissed_on == timezone.localdate()
    assert list(barred_list().filter(pk=officer.pk)) == [officer]
    assert _dismissal_events(officer).count() == 1
    withdrawal.review.clearance.refresh_from_db()
    assert withdrawal.review.clearance.status == ClearanceStatus.WITHDRAWN
    # The same barred-list service again changes nothing; the process cannot dismiss twice.
    assert barred_list_enter(officer_id=officer.pk, on=timezone.localdate(), by=vetting_officer, reason="x") is False
    with pytest.raises(DomainError, match=TABLE_REFUSAL):
        step(withdrawal, "decide_withdraw", vetting_officer)
    assert _dismissal_events(officer).count() == 1
    # A dismissal on withdrawal is a dismissal: the conduct check does not call the entry unexplained.
    assert officer not in conduct_check.on_the_barred_list_without_a_dismissal()


def test_an_upheld_appeal_reinstates_the_officer_and_takes_them_off_the_barred_list(withdrawal, vetting_officer):
    withdrawal = bring_to(withdrawal, W.REINSTATED, vetting_officer)
    officer = withdrawal.officer
    officer.refresh_from_db()
    assert (officer.status, officer.left_on) == (EmploymentStatus.SERVING, None)
    assert not barred_list().filter(pk=officer.pk).exists()
    withdrawal.review.clearance.refresh_from_db()
    assert withdrawal.review.clearance.status == ClearanceStatus.ACTIVE
    assert withdrawal.closed_at is not None
    assert OfficerEvent.objects.filter(officer=officer, reason__startswith="Reinstated").count() == 1


def test_after_the_panel_an_appeal_goes_to_the_tribunal_once_and_its_dismissal_is_final(withdrawal, vetting_officer):
    withdrawal = bring_to(withdrawal, W.DISMISSAL_STANDS, vetting_officer)
    assert withdrawal.appeal_body == "panel" and withdrawal.closed_at is None
    withdrawal = step(withdrawal, "lodge_appeal", vetting_officer)
    assert withdrawal.appeal_body == "tribunal"
    withdrawal = step(withdrawal, "appeal_dismissed", vetting_officer)
    assert withdrawal.closed_at is not None
    with pytest.raises(DomainError, match="no further appeal"):
        step(withdrawal, "lodge_appeal", vetting_officer)
    withdrawal.officer.refresh_from_db()
    assert withdrawal.officer.status == EmploymentStatus.DISMISSED


def test_an_appeal_upheld_by_the_tribunal_reverses_the_dismissal(withdrawal, vetting_officer):
    withdrawal = bring_to(withdrawal, W.DISMISSAL_STANDS, vetting_officer)
    withdrawal = step(step(withdrawal, "lodge_appeal", vetting_officer), "appeal_upheld", vetting_officer)
    withdrawal.officer.refresh_from_db()
    assert withdrawal.status == W.REINSTATED and withdrawal.officer.status == EmploymentStatus.SERVING
    assert not barred_list().filter(pk=withdrawal.officer_id).exists()


def test_clearance_kept_restores_the_clearance_and_ends_restricted_duties(withdrawal, vetting_officer):
    withdrawal = bring_to(withdrawal, W.CLEARANCE_KEPT, vetting_officer)
    withdrawal.officer.refresh_from_db()
    assert withdrawal.officer.status == EmploymentStatus.SERVING
    withdrawal.review.clearance.refresh_from_db()
    assert withdrawal.review.clearance.status == ClearanceStatus.ACTIVE


# --- risk rule -------------------------------------------------------------------------------------------


def _reasons(officer_id):
    hit = vetting_adverse(params={}, as_of=timezone.localdate(), officer_ids=[officer_id]).get(officer_id)
    return sorted(r.text for r in hit.reasons) if hit else []


def test_the_risk_rule_flags_a_running_withdrawal_and_clears_when_the_clearance_is_kept(withdrawal, vetting_officer):
    assert "Vetting withdrawal process running" in _reasons(withdrawal.officer_id)
    bring_to(withdrawal, W.CLEARANCE_KEPT, vetting_officer)
    assert _reasons(withdrawal.officer_id) == []


def test_the_officers_timeline_shows_the_withdrawal_and_the_dismissal(withdrawal, vetting_officer):
    from vetting.timeline import vetting_entries

    bring_to(withdrawal, W.DISMISSED, vetting_officer)
    texts = [
        e.text
        for e in vetting_entries(user=vetting_officer, officer=withdrawal.officer)
        if e.kind == "Vetting withdrawal"
    ]
    assert sorted(texts) == ["Dismissed without notice", "Withdrawal assessment opened"]
    assert vetting_entries(user=UserFactory(roles=[Role.HOTLINE_TRIAGE]), officer=withdrawal.officer) == []
