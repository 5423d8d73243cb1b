"""Every write the vetting domain knows."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.errors import DomainError
from cases.models import Officer
from cases.roles import Role, has_role

from .models import ReviewTrigger, VettingClearance, VettingOutcome, VettingReview, VettingReviewStatus

S = VettingReviewStatus
# A vetting review's workflow: opened by a trigger, worked on, decided once.
VETTING_REVIEW_TRANSITIONS: dict[str, set[str]] = {
    S.OPEN: {S.IN_PROGRESS, S.DECIDED},
    S.IN_PROGRESS: {S.DECIDED},
    S.DECIDED: set(),
}


def vetting_review_open(*, officer_id: int, trigger: str, trigger_ref: str = "", by=None) -> VettingReview:
    """Open a vetting review after adverse information or a material change. Opening twice for the
    same triggering record returns the review already open (events may be delivered twice)."""
    if trigger not in ReviewTrigger.values:
        raise ValueError(f"Unknown vetting review trigger {trigger!r}")
    if trigger_ref:
        existing = VettingReview.objects.filter(officer_id=officer_id, trigger=trigger, trigger_ref=trigger_ref).first()
        if existing:
            return existing
    officer = Officer.objects.get(pk=officer_id)
    clearance = VettingClearance.objects.filter(officer=officer).order_by("-granted_on", "-id").first()
    try:
        with transaction.atomic():
            return VettingReview.objects.create(
                officer=officer,
                clearance=clearance,
                trigger=trigger,
                trigger_ref=trigger_ref,
                opened_at=timezone.now(),
                created_by=by,
                updated_by=by,
            )
    except IntegrityError:
        # A parallel delivery of the same event won the race: the unique constraint kept one.
        return VettingReview.objects.get(officer_id=officer_id, trigger=trigger, trigger_ref=trigger_ref)


def on_onyx_risk_management_decided(*, review_id: int, officer_id: int, actor_id: int | None = None, **kwargs):
    """Subscriber: a formal risk-management decision triggers a vetting review."""
    from django.contrib.auth import get_user_model

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    vetting_review_open(
        officer_id=officer_id, trigger=ReviewTrigger.RISK_MANAGEMENT, trigger_ref=f"onyxreview:{review_id}", by=actor
    )


def vetting_review_transition(
    *, review_id: int, to_status: str, by, outcome: str = "", conditions: str = ""
) -> VettingReview:
    """The one way a vetting review changes state: a DPS supervisor (who holds vetting's change permission)
    moves it as VETTING_REVIEW_TRANSITIONS allows, on the locked row, with update_fields. Deciding takes
    an outcome (and the conditions, for one maintained with conditions); nothing else does. Vetting keeps
    no event table yet: the row's updated_by and decided_at say who and when."""
    if not has_role(by, Role.SUPERVISOR):
        raise DomainError("Only a DPS supervisor moves a vetting review on.")
    conditions = (conditions or "").strip()
    if to_status == S.DECIDED:
        if outcome not in VettingOutcome.values:
            raise DomainError("Choose the outcome of the review.", field="outcome")
        if outcome == VettingOutcome.MAINTAINED_WITH_CONDITIONS and not conditions:
            raise DomainError("State the conditions the clearance is maintained with.", field="conditions")
    elif outcome or conditions:
        raise DomainError("Only a decision has an outcome.", field="outcome")
    with transaction.atomic():
        review = VettingReview.objects.select_for_update().get(pk=review_id)
        if to_status not in VETTING_REVIEW_TRANSITIONS.get(review.status, set()):
            raise DomainError(
                f"The review is {review.get_status_display().lower()}: it cannot move to "
                f"{S(to_status).label.lower() if to_status in S.values else to_status}."
            )
        review.status, review.updated_by = to_status, by
        fields = ["status", "updated_by", "updated_at"]
        if to_status == S.DECIDED:
            review.outcome, review.conditions, review.decided_at = outcome, conditions, timezone.now()
            fields += ["outcome", "conditions", "decided_at"]
        review.save(update_fields=fields)
    return review
