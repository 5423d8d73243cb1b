"""Every write the vetting domain knows."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Officer

from .models import ReviewTrigger, VettingClearance, VettingReview


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
