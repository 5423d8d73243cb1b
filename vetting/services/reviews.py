"""Vetting reviews: opened once per trigger, moved through one transition function, decided in the app
with the decision's maker and reasons recorded."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cases.models import Officer, Outcome, Severity
from cases.roles import Role, has_role
from cases.services import DomainError, investigator_conflicted

from ..models import (
    CircumstanceChange,
    CircumstanceKind,
    ClearanceStatus,
    ReviewTrigger,
    VettingClearance,
    VettingOutcome,
    VettingReview,
    VettingReviewEvent,
)
from ..models import VettingReviewStatus as S
from .withdrawal import withdrawal_open

# open -> under review (assigned to a vetting officer) -> decided; an assignee may hand a review back.
REVIEW_TRANSITIONS = {
    S.OPEN: {S.IN_PROGRESS},
    S.IN_PROGRESS: {S.OPEN, S.DECIDED, S.IN_PROGRESS},
    S.DECIDED: set(),
}
# What a decision does to the clearance under review. A review decided "withdrawn" opens the withdrawal process
# of the 2025 Regulations (Part 3: notice, representations, police friend, decision, appeal; services/withdrawal.py):
# until that process decides, the clearance is suspended, not yet withdrawn.
CLEARANCE_AFTER = {
    VettingOutcome.SUSPENDED: ClearanceStatus.SUSPENDED,
    VettingOutcome.WITHDRAWN: ClearanceStatus.SUSPENDED,
    VettingOutcome.MAINTAINED: ClearanceStatus.ACTIVE,
    VettingOutcome.MAINTAINED_WITH_CONDITIONS: ClearanceStatus.ACTIVE,
}
# Outcomes of misconduct proceedings short of dismissal that reopen vetting: the 2023 Code repeats vetting on a
# material change in circumstances, "including misconduct where an individual is not dismissed" (Vetting Code
# of Practice 2023, a statutory code under Police Act 1996 s 39A, i.e. guidance, not regulation; its gov.uk text
# was read only to para 1.5, so this is the College of Policing's summary on publication ⚠ paragraph not read).
SANCTIONS_SHORT_OF_DISMISSAL = {Outcome.WRITTEN_WARNING, Outcome.FINAL_WRITTEN_WARNING, Outcome.REDUCTION_IN_RANK}


def vetting_review_open(
    *,
    officer_id: int,
    trigger: str,
    trigger_ref: str,
    by=None,
    reason: str = "",
    clearance_id: int | None = None,
) -> VettingReview:
    """Open a vetting review after adverse information or a material change (APP Vetting: a review
    whenever adverse information comes to light, whatever the length of service). Exactly once per
    (person, trigger, source record): the unique constraint decides, get_or_create takes the row a parallel
    delivery already wrote, so an event delivered twice opens one review."""
    if trigger not in ReviewTrigger.values:
        raise ValueError(f"Unknown vetting review trigger {trigger!r}")
    if not trigger_ref:
        raise ValueError("A vetting review names the record that triggered it.")
    if clearance_id is None:
        clearance_id = (
            VettingClearance.objects.filter(officer_id=officer_id)
            .order_by("-granted_on", "-id")
            .values_list("id", flat=True)
            .first()
        )
    with transaction.atomic():
        review, created = VettingReview.objects.get_or_create(
            officer_id=officer_id,
            trigger=trigger,
            trigger_ref=trigger_ref,
            defaults={
                "clearance_id": clearance_id,
                "reason": reason,
                "opened_at": timezone.now(),
                "created_by": by,
                "updated_by": by,
            },
        )
        if created:
            _event(review, by, "", S.OPEN, {"trigger": trigger, "ref": trigger_ref})
    return review


def vetting_review_move(
    *,
    review: VettingReview,
    to_status: str,
    by,
    assignee=None,
    outcome: str = "",
    rationale: str = "",
    conditions: str = "",
) -> VettingReview:
    """The one way a vetting review changes state: checks the move against REVIEW_TRANSITIONS, locks the
    row, writes the new state and an event row in one transaction. A decision records its maker, when,
    the outcome and the reasons (Police (Vetting) Regulations 2025 reg 7: a record of the decision on
    outcome), and sets the clearance's status to match."""
    _check_vetting_officer(by)
    rationale, conditions = (rationale or "").strip(), (conditions or "").strip()
    with transaction.atomic():
        review = VettingReview.objects.select_for_update().get(pk=review.pk)
        if investigator_conflicted(user=by, officer_id=review.officer_id):
            raise DomainError("You are conflicted on this person: another vetting officer must take the review.")
        if to_status not in REVIEW_TRANSITIONS.get(review.status, set()):
            raise DomainError(
                f"A review that is {review.get_status_display().lower()} cannot be moved to "
                f"{S(to_status).label.lower() if to_status in S.values else to_status}."
            )
        previous, fields, detail = review.status, ["status", "updated_by", "updated_at"], {}
        if to_status == S.IN_PROGRESS:
            assignee = assignee or by
            if not has_role(assignee, Role.VETTING_OFFICER):
                raise DomainError("Assign the review to a vetting officer.", field="assignee")
            if investigator_conflicted(user=assignee, officer_id=review.officer_id):
                raise DomainError("That vetting officer is conflicted on this person.", field="assignee")
            review.assigned_to = assignee
            fields.append("assigned_to")
            detail["assigned_to"] = assignee.pk
        elif to_status == S.OPEN:
            review.assigned_to = None
            fields.append("assigned_to")
        else:
            _check_decision(review, by, outcome, rationale, conditions)
            review.outcome, review.rationale, review.conditions = outcome, rationale, conditions
            review.decided_by, review.decided_at = by, timezone.now()
            fields += ["outcome", "rationale", "conditions", "decided_by", "decided_at"]
            detail = {"outcome": outcome}
            _clearance_follows(review, outcome, by)
            if outcome == VettingOutcome.WITHDRAWN:
                withdrawal_open(officer_id=review.officer_id, review=review, grounds=rationale, by=by)
        review.status, review.updated_by = to_status, by
        review.save(update_fields=fields)
        _event(review, by, previous, to_status, detail)
    return review


def _check_vetting_officer(by) -> None:
    if not has_role(by, Role.VETTING_OFFICER):
        raise DomainError("Only a vetting officer can move a vetting review on.")


def _check_decision(review, by, outcome, rationale, conditions) -> None:
    if review.assigned_to_id != by.pk:
        raise DomainError("Only the vetting officer the review is assigned to can decide it.")
    if outcome not in VettingOutcome.values:
        raise DomainError("Choose the outcome.", field="outcome")
    if not rationale:
        raise DomainError("Give the reasons for the decision.", field="rationale")
    if outcome == VettingOutcome.MAINTAINED_WITH_CONDITIONS and not conditions:
        raise DomainError("State the conditions the clearance is maintained with.", field="conditions")
    if outcome != VettingOutcome.MAINTAINED_WITH_CONDITIONS and conditions:
        raise DomainError("Only a clearance maintained with conditions has conditions.", field="conditions")


def _clearance_follows(review, outcome, by) -> None:
    if review.clearance_id is None:
        return
    clearance = VettingClearance.objects.select_for_update().get(pk=review.clearance_id)
    new = CLEARANCE_AFTER[outcome]
    if new == ClearanceStatus.ACTIVE and clearance.status != ClearanceStatus.SUSPENDED:
        return  # maintaining changes nothing unless the clearance was suspended meanwhile
    if clearance.status != new:
        clearance.status, clearance.updated_by = new, by
        clearance.save(update_fields=["status", "updated_by", "updated_at"])


def _event(review, by, from_status, to_status, detail):
    VettingReviewEvent.objects.create(
        review=review, actor=by, at=timezone.now(), from_status=from_status, to_status=to_status, detail=detail
    )


# --- the triggers ---------------------------------------------------------------------------------------


def vetting_review_open_by_hand(*, officer: Officer, reason: str, once_token: str, by) -> VettingReview:
    """A vetting officer opens a review by hand (APP Vetting: a review may be started at any time). The
    form's one-time token is the source record, so a double submit opens one review."""
    _check_vetting_officer(by)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why the review is opened.", field="reason")
    if not once_token:
        raise DomainError("The form has expired: open it again.")
    if investigator_conflicted(user=by, officer_id=officer.pk):
        raise DomainError("You are conflicted on this person.")
    return vetting_review_open(
        officer_id=officer.pk, trigger=ReviewTrigger.MANUAL, trigger_ref=f"form:{once_token}", reason=reason, by=by
    )


def circumstance_change_report(*, user, kind: str, details: str, once_token: str, occurred_on=None):
    """A member of the force reports a change in their own circumstances (Police (Vetting) Regulations 2025
    reg 5: every officer must promptly notify the vetting authority of any matter, their personal
    circumstances included, that may reasonably affect their suitability to hold clearance). It opens a
    vetting review; only vetting staff see the report. A double submit records one report."""
    officer = Officer.objects.filter(user=user).first()
    if officer is None:
        raise DomainError("Your account is not linked to a personnel record: tell the vetting unit directly.")
    if kind not in CircumstanceKind.values:
        raise DomainError("Choose what has changed.", field="kind")
    details = (details or "").strip()
    if not details:
        raise DomainError("Describe the change.", field="details")
    if occurred_on and occurred_on > timezone.localdate():
        raise DomainError("The change cannot be in the future.", field="occurred_on")
    if not once_token:
        raise DomainError("The form has expired: open it again.")
    with transaction.atomic():
        report, _ = CircumstanceChange.objects.get_or_create(
            once_token=once_token,
            defaults={
                "officer": officer,
                "reported_by": user,
                "kind": kind,
                "details": details,
                "occurred_on": occurred_on,
                "reported_at": timezone.now(),
            },
        )
        if report.reported_by_id != user.pk:
            raise DomainError("The form has expired: open it again.")
        vetting_review_open(
            officer_id=report.officer_id,
            trigger=ReviewTrigger.SELF_REPORT,
            trigger_ref=f"circumstancechange:{report.pk}",
            reason=f"Self-reported: {report.get_kind_display()}",
            by=user,
        )
    return report


def _actor(actor_id):
    return get_user_model().objects.filter(pk=actor_id).first() if actor_id else None


def on_onyx_risk_management_decided(*, review_id: int, officer_id: int, actor_id: int | None = None, **kwargs):
    """Subscriber: a formal risk-management decision, once final (the external panel agreed), triggers a
    vetting review."""
    vetting_review_open(
        officer_id=officer_id,
        trigger=ReviewTrigger.RISK_MANAGEMENT,
        trigger_ref=f"onyxreview:{review_id}",
        reason="Onyx review: formal risk management",
        by=_actor(actor_id),
    )


def on_case_moved(*, case_id, officer_id, action, outcome="", severity="", actor_id=None, **kwargs):
    """Subscriber: a gross-misconduct severity assessment (Police (Conduct) Regulations 2020 reg 14), or a
    misconduct outcome short of dismissal (reg 42), triggers a vetting review; one per case for each."""
    if action in ("assess_severity", "reassess_severity") and severity == Severity.GROSS_MISCONDUCT:
        vetting_review_open(
            officer_id=officer_id,
            trigger=ReviewTrigger.GROSS_MISCONDUCT,
            trigger_ref=f"case:{case_id}",
            reason="Conduct assessed as gross misconduct",
            by=_actor(actor_id),
        )
    elif action in ("record_outcome", "decide_appeal") and outcome in SANCTIONS_SHORT_OF_DISMISSAL:
        vetting_review_open(
            officer_id=officer_id,
            trigger=ReviewTrigger.MISCONDUCT_OUTCOME,
            trigger_ref=f"case:{case_id}",
            reason=f"Misconduct outcome: {Outcome(outcome).label}",
            by=_actor(actor_id),
        )


def on_conviction_recorded(*, conviction_id, officer_id, actor_id=None, **kwargs):
    """Subscriber: a new caution or conviction triggers a vetting review (Vetting Code of Practice 2023;
    APP Vetting, reviews on new adverse information)."""
    vetting_review_open(
        officer_id=officer_id,
        trigger=ReviewTrigger.CONVICTION,
        trigger_ref=f"conviction:{conviction_id}",
        reason="Caution or conviction recorded",
        by=_actor(actor_id),
    )


def on_report_linked_to_officer(*, report_id, officer_id, actor_id=None, **kwargs):
    """Subscriber: a report from the public linked to the person triggers a vetting review."""
    vetting_review_open(
        officer_id=officer_id,
        trigger=ReviewTrigger.HOTLINE,
        trigger_ref=f"report:{report_id}",
        reason="A report from the public names this person",
        by=_actor(actor_id),
    )
