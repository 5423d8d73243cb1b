"""Operation Onyx's external panel: decided reviews are shared among the panel members (one round per
sending), and each round ends in one verdict. PANEL_VERDICTS is the round's table: agreement concludes the
review (and a risk-management decision's measures then take effect), disagreement returns it to its
reviewer. Every review move goes through onyx_review_transition (onyx.py)."""

from itertools import cycle

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from guardian.shortcuts import assign_perm

from cases.roles import Role, has_role

from .. import events
from ..errors import DomainError
from ..models import (
    ConflictOfInterest,
    EmploymentStatus,
    Officer,
    OnyxAction,
    OnyxActionKind,
    OnyxDecision,
    OnyxEventKind,
    OnyxReview,
    OnyxStatus,
    PanelAssignment,
    PanelVerdict,
)
from .officers import officer_status_write
from .onyx import _event, onyx_review_transition

S = OnyxStatus
# A round's verdict -> where the review goes and the event it writes.
PANEL_VERDICTS: dict[str, tuple[str, str]] = {
    PanelVerdict.AGREE: (S.CONCLUDED, OnyxEventKind.PANEL_AGREED),
    PanelVerdict.DISAGREE: (S.RETURNED, OnyxEventKind.PANEL_DISAGREED),
}


def _risk_measures_take_effect(review: OnyxReview, by) -> None:
    """A risk-management decision's measures take effect when the decision is final: when the external panel
    agrees with it. Restricted duties are recorded on the officer, and vetting hears of it through the
    domain event (a vetting review opens). The reviewer made the decision; the event says who concluded it."""
    kinds = set(OnyxAction.objects.filter(review=review, withdrawn_at__isnull=True).values_list("kind", flat=True))
    if OnyxActionKind.RESTRICTED_DUTIES in kinds:
        _restrict_duties(
            officer_id=review.subject_id,
            by=review.reviewer or by,
            reason=f"Onyx review {review.reference}: risk management agreed by the external panel",
        )
    _event(review, OnyxEventKind.MEASURES_TAKE_EFFECT, by, review.status, {"measures": sorted(kinds)})
    events.publish_on_commit(
        events.onyx_risk_management_decided,
        review_id=review.pk,
        officer_id=review.subject_id,
        actor_id=review.reviewer_id or by.pk,
    )


def _restrict_duties(*, officer_id: int, by, reason: str) -> None:
    officer = Officer.objects.select_for_update().get(pk=officer_id)
    if officer.status != EmploymentStatus.SERVING:
        return
    officer_status_write(officer, EmploymentStatus.RESTRICTED, by=by, reason=reason)


def panel_reviews_assign(*, review_ids: list[int], panel_members: list, by) -> list[PanelAssignment]:
    """Send decided reviews to the external panel, shared round-robin among the members given.
    Each member is granted sight of exactly the reviews they get, and never gets one about an
    officer they are conflicted on (nor does the supervisor send one they are conflicted on)."""
    if not has_role(by, Role.SUPERVISOR):
        raise DomainError("Only a DPS supervisor can send reviews to the panel.")
    if not panel_members:
        raise DomainError("Choose at least one panel member.", field="panel_members")
    for member in panel_members:
        if not has_role(member, Role.PANEL_REVIEWER):
            raise DomainError(
                f"{member.get_full_name() or member.username} is not an external panel reviewer.", field="panel_members"
            )
    created = []
    with transaction.atomic():
        reviews = list(
            OnyxReview.objects.select_for_update()
            .filter(id__in=review_ids, status=S.DECIDED)
            .exclude(subject__user=by)
            .exclude(subject__conflicts__user=by)
            .order_by("reference")
        )
        rounds = dict(
            PanelAssignment.objects.filter(review__in=reviews)
            .values("review_id")
            .annotate(n=Count("id"))
            .values_list("review_id", "n")
        )
        subject_ids = {r.subject_id for r in reviews}
        conflicted = set(
            ConflictOfInterest.objects.filter(user__in=panel_members, officer_id__in=subject_ids).values_list(
                "user_id", "officer_id"
            )
        ) | set(Officer.objects.filter(user__in=panel_members, id__in=subject_ids).values_list("user_id", "id"))
        members = cycle(panel_members)
        for review in reviews:
            for _ in panel_members:  # the next member in turn who is not conflicted on the subject
                member = next(members)
                if (member.pk, review.subject_id) not in conflicted:
                    break
            else:
                continue  # every member chosen is conflicted: the review waits for another panel
            created.append(
                PanelAssignment(
                    review=review, panel_member=member, round=rounds.get(review.id, 0) + 1, created_by=by, updated_by=by
                )
            )
        PanelAssignment.objects.bulk_create(created)
        for member in panel_members:
            mine = [a.review for a in created if a.panel_member == member]
            if mine:
                assign_perm("cases.view_onyxreview", member, OnyxReview.objects.filter(id__in=[r.id for r in mine]))
        round_of = {a.review_id: a for a in created}
        onyx_review_transition(
            reviews=[a.review for a in created],
            to_status=S.WITH_PANEL,
            kind=OnyxEventKind.SENT_TO_PANEL,
            by=by,
            detail=lambda r: {"panel_member": round_of[r.pk].panel_member.pk, "round": round_of[r.pk].round},
        )
    return created


def panel_verdict_record(*, assignment: PanelAssignment, verdict: str, reasons: str, by) -> PanelAssignment:
    """The panel member agrees or disagrees, with reasons. Disagreement returns the review to its
    reviewer; agreement concludes it. A verdict is given once."""
    reasons = (reasons or "").strip()
    if verdict not in PanelVerdict.values:
        raise DomainError("Choose agree or disagree.", field="verdict")
    if verdict == PanelVerdict.DISAGREE and not reasons:
        raise DomainError("Give the panel's reasons for disagreeing.", field="reasons")
    with transaction.atomic():
        assignment = PanelAssignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.panel_member_id != by.pk:
            raise DomainError("Only the panel member this review is assigned to can give a verdict.")
        if assignment.verdict:
            raise DomainError("A verdict has already been given for this review.")
        review = OnyxReview.objects.select_for_update().get(pk=assignment.review_id)
        to_status, kind = PANEL_VERDICTS[verdict]
        assignment.verdict, assignment.reasons, assignment.verdict_at = verdict, reasons, timezone.now()
        assignment.updated_by = by
        assignment.save(update_fields=["verdict", "reasons", "verdict_at", "updated_by", "updated_at"])
        # A refused move raises inside the transaction: the verdict above is rolled back with it.
        onyx_review_transition(
            reviews=[review],
            to_status=to_status,
            kind=kind,
            by=by,
            detail={"round": assignment.round, "reasons": reasons},
        )
        if review.status == S.CONCLUDED and review.decision == OnyxDecision.RISK_MANAGEMENT:
            _risk_measures_take_effect(review, by)
    return assignment
