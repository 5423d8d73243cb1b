"""The Operation Onyx workflow: queue -> allocate -> decide -> external panel -> agreed, or
returned to the reviewer on disagreement and decided again.

Each transition checks the move against ONYX_TRANSITIONS, locks the review row, writes the new
state with update_fields and an OnyxReviewEvent, in one transaction."""

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.roles import Role, has_role

from ..errors import DomainError
from ..models import (
    REASSESS_ACTIONS,
    RISK_MEASURES,
    Allegation,
    OnyxAction,
    OnyxActionKind,
    OnyxDecision,
    OnyxEventKind,
    OnyxReview,
    OnyxReviewEvent,
    OnyxStatus,
    ReviewBatch,
)
from ..references import references_reserve
from .access import investigator_conflicted
from .intake import case_create, case_opener_check
from .submissions import submission_claim

S = OnyxStatus
ONYX_TRANSITIONS: dict[str, set[str]] = {
    S.QUEUED: {S.ALLOCATED},
    S.ALLOCATED: {S.ALLOCATED, S.DECIDED},
    S.DECIDED: {S.WITH_PANEL},
    S.WITH_PANEL: {S.CONCLUDED, S.RETURNED},
    S.RETURNED: {S.DECIDED},
    S.CONCLUDED: set(),
}


def _check_move(review: OnyxReview, to_status: str) -> None:
    if to_status not in ONYX_TRANSITIONS[review.status]:
        raise DomainError(
            f"Review {review.reference} is {review.get_status_display().lower()}: "
            f"it cannot move to {S(to_status).label.lower()}."
        )


def _event(review, kind, by, from_status, detail=None):
    OnyxReviewEvent.objects.create(
        review=review, kind=kind, actor=by, from_status=from_status, to_status=review.status, detail=detail or {}
    )


def onyx_review_transition(
    *, reviews: Sequence[OnyxReview], to_status: str, kind: str, by, detail=None, **changes
) -> list[OnyxReview]:
    """The one way an Onyx review changes state, for one review or many: every move is checked against
    ONYX_TRANSITIONS first and one refused move refuses them all (nothing is written), then each review
    takes the new status and `changes`, set-based (one save, or one bulk_update for many), with one
    OnyxReviewEvent a review. The caller holds the rows' locks (select_for_update in its transaction).
    `detail` is the events' detail: a dict, or a function of the review."""
    reviews = list(reviews)
    for review in reviews:
        _check_move(review, to_status)
    previous = {review.pk: review.status for review in reviews}
    now = timezone.now()
    for review in reviews:
        review.status, review.updated_by, review.updated_at = to_status, by, now
        for field, value in changes.items():
            setattr(review, field, value)
    fields = ["status", "updated_by", "updated_at", *changes]
    if len(reviews) == 1:
        reviews[0].save(update_fields=fields)
    elif reviews:
        OnyxReview.objects.bulk_update(reviews, fields, batch_size=2000)
    OnyxReviewEvent.objects.bulk_create(
        [
            OnyxReviewEvent(
                review=review,
                kind=kind,
                actor=by,
                from_status=previous[review.pk],
                to_status=to_status,
                detail=(detail(review) if callable(detail) else detail) or {},
            )
            for review in reviews
        ],
        batch_size=5000,
    )
    return reviews


def onyx_batch_create(
    *, name: str, categories: list[str], period_start, period_end, by, once_token: str = ""
) -> ReviewBatch:
    """Select everyone with an allegation in the categories and period, and queue one review per
    person with their past allegations and cases attached. Set-based: a handful of statements.
    A programme has a name of its own, known categories and a period that ends after it starts;
    a repeat of the same form (same `once_token`) gets the first programme back."""
    from ..models import AllegationCategory

    if not has_role(by, Role.SUPERVISOR):
        raise DomainError("Only a DPS supervisor can start a review programme.")
    name = (name or "").strip()
    if not name:
        raise DomainError("Name the programme.", field="name")
    if len(name) > ReviewBatch._meta.get_field("name").max_length:
        raise DomainError("Keep the name to 200 characters.", field="name")
    categories = list(dict.fromkeys(categories or []))
    if not categories:
        raise DomainError("Choose at least one allegation category.", field="categories")
    if any(c not in AllegationCategory.values for c in categories):
        raise DomainError("Choose the categories from the list.", field="categories")
    if period_start is None or period_end is None:
        raise DomainError("Give the period the allegations were received in.", field="period_start")
    if period_end < period_start:
        raise DomainError("The period must end after it starts.", field="period_end")
    with transaction.atomic():
        claim = submission_claim(token=once_token, by=by, purpose="onyx_batch_create")
        if claim.replayed:
            return ReviewBatch.objects.get(pk=claim.replayed_id)
        try:
            with transaction.atomic():
                batch = ReviewBatch.objects.create(
                    name=name,
                    categories=categories,
                    period_start=period_start,
                    period_end=period_end,
                    created_by=by,
                    updated_by=by,
                )
        except IntegrityError:
            raise DomainError("That name is taken: choose another.", field="name") from None
        in_scope = Allegation.objects.filter(
            category__in=categories, received_on__gte=period_start, received_on__lte=period_end
        )
        subject_ids = sorted(set(in_scope.values_list("subject_id", flat=True)))
        first = references_reserve(prefix="ONYX", count=len(subject_ids)) if subject_ids else 0
        OnyxReview.objects.bulk_create(
            [
                OnyxReview(reference=f"ONYX-{first + i:05d}", batch=batch, subject_id=sid, created_by=by, updated_by=by)
                for i, sid in enumerate(subject_ids)
            ],
            batch_size=2000,
        )
        review_by_subject = dict(batch.reviews.values_list("subject_id", "id"))
        pairs = in_scope.values_list("subject_id", "id", "case_id")
        Allegations = OnyxReview.past_allegations.through
        Cases = OnyxReview.past_cases.through
        allegation_links, case_links = [], set()
        for subject_id, allegation_id, case_id in pairs.iterator(chunk_size=5000):
            review_id = review_by_subject[subject_id]
            allegation_links.append(Allegations(onyxreview_id=review_id, allegation_id=allegation_id))
            if case_id:
                case_links.add((review_id, case_id))
        Allegations.objects.bulk_create(allegation_links, batch_size=5000)
        Cases.objects.bulk_create([Cases(onyxreview_id=r, case_id=c) for r, c in case_links], batch_size=5000)
        OnyxReviewEvent.objects.bulk_create(
            [
                OnyxReviewEvent(review_id=rid, kind=OnyxEventKind.CREATED, actor=by, to_status=S.QUEUED)
                for rid in review_by_subject.values()
            ],
            batch_size=5000,
        )
        claim.done(batch.pk)
    return batch


def onyx_reviews_allocate(*, review_ids: list[int], reviewer, by) -> int:
    """A supervisor allocates queued (or re-allocates allocated) reviews to a reviewer, in bulk.
    Reviews about an officer the reviewer or the supervisor is conflicted on are left alone, and so
    are those already with that reviewer (allocating twice writes nothing twice)."""
    if not has_role(by, Role.SUPERVISOR):
        raise DomainError("Only a DPS supervisor can allocate reviews.")
    if not has_role(reviewer, Role.INVESTIGATOR, Role.SUPERVISOR):
        raise DomainError("Reviews can only be allocated to DPS staff.", field="reviewer")
    with transaction.atomic():
        reviews = list(
            OnyxReview.objects.select_for_update()
            .filter(id__in=review_ids, status__in=[S.QUEUED, S.ALLOCATED])
            .exclude(status=S.ALLOCATED, reviewer=reviewer)
            .exclude(subject__user=reviewer)
            .exclude(subject__conflicts__user=reviewer)
            .exclude(subject__user=by)
            .exclude(subject__conflicts__user=by)
        )
        onyx_review_transition(
            reviews=reviews,
            to_status=S.ALLOCATED,
            kind=OnyxEventKind.ALLOCATED,
            by=by,
            detail={"reviewer": reviewer.pk},
            reviewer=reviewer,
        )
    return len(reviews)


def onyx_review_decide(
    *, review: OnyxReview, decision: str, rationale: str, by, actions: list[tuple[str, str]] = ()
) -> OnyxReview:
    """Record the reviewer's one decision. The rationale is required; reassess takes lines of
    inquiry, risk management takes measures. The measures take effect when the panel agrees (see
    _risk_measures_take_effect); a decision made again after the panel returned the review withdraws the
    earlier decision's actions."""
    rationale = (rationale or "").strip()
    if decision not in OnyxDecision.values:
        raise DomainError(
            "Choose one decision: no further action, reassess, or formal risk management.", field="decision"
        )
    if not rationale:
        raise DomainError("Give the rationale for the decision.", field="rationale")
    allowed_actions = {
        OnyxDecision.REASSESS: set(REASSESS_ACTIONS),
        OnyxDecision.RISK_MANAGEMENT: set(RISK_MEASURES),
        OnyxDecision.NO_FURTHER_ACTION: set(),
    }[decision]
    kinds = [kind for kind, _ in actions]
    for kind in kinds:
        if kind not in OnyxActionKind.values:
            raise DomainError("Choose the actions from the list.")
        if kind not in allowed_actions:
            field = "inquiries" if kind in REASSESS_ACTIONS else "measures"
            only = "a reassess decision" if kind in REASSESS_ACTIONS else "a risk-management decision"
            raise DomainError(f"“{OnyxActionKind(kind).label}” goes with {only} only.", field=field)
    if decision == OnyxDecision.REASSESS and not kinds:
        raise DomainError("A reassess decision needs at least one line of inquiry.", field="inquiries")
    if decision == OnyxDecision.RISK_MANAGEMENT and not kinds:
        raise DomainError("A risk-management decision needs at least one measure.", field="measures")
    with transaction.atomic():
        review = OnyxReview.objects.select_for_update().get(pk=review.pk)
        if review.reviewer_id != by.pk:
            raise DomainError("Only the reviewer this review is allocated to can decide it.")
        if investigator_conflicted(user=by, officer_id=review.subject_id):
            raise DomainError("You are conflicted on this officer: ask a supervisor to reallocate the review.")
        previous = review.status
        onyx_review_transition(
            reviews=[review],
            to_status=S.DECIDED,
            kind=OnyxEventKind.DECIDED,
            by=by,
            detail={"decision": decision, "actions": [k for k, _ in actions]},
            decision=decision,
            rationale=rationale,
            decided_at=timezone.now(),
        )
        if previous == S.RETURNED:
            # The panel sent the review back and the reviewer decides again: the earlier decision's lines of
            # inquiry and measures no longer stand. They are withdrawn, not deleted.
            standing = OnyxAction.objects.filter(review=review, withdrawn_at__isnull=True, done_at__isnull=True)
            withdrawn = list(standing.values_list("kind", flat=True))
            if withdrawn:
                standing.update(withdrawn_at=timezone.now(), updated_by=by)
                _event(review, OnyxEventKind.ACTIONS_WITHDRAWN, by, review.status, {"actions": withdrawn})
        OnyxAction.objects.bulk_create(
            [OnyxAction(review=review, kind=k, description=d, created_by=by, updated_by=by) for k, d in actions]
        )
    return review


# --- who may do what on a review now: the services below refuse by these, and the pages ask them ----------

# A decided reassess review opens a case from these states (onyx_review_case_open).
CASE_OPENING_STATUSES = (S.DECIDED, S.WITH_PANEL, S.CONCLUDED)


def opens_a_case(review: OnyxReview) -> bool:
    return review.decision == OnyxDecision.REASSESS and review.status in CASE_OPENING_STATUSES


def may_decide_onyx_review(user, review: OnyxReview) -> bool:
    """The reviewer it is allocated to, while its state may move to decided (onyx_review_decide)."""
    return review.reviewer_id == user.pk and S.DECIDED in ONYX_TRANSITIONS[review.status]


def may_open_case_from_onyx_review(user, review: OnyxReview) -> bool:
    """DPS staff, on a decided reassess review (onyx_review_case_open; case_opener_check has the roles)."""
    return has_role(user, Role.INVESTIGATOR, Role.SUPERVISOR) and opens_a_case(review)


def may_complete_onyx_actions(user, review: OnyxReview) -> bool:
    """The review's reviewer or a DPS supervisor (onyx_action_complete)."""
    return review.reviewer_id == user.pk or has_role(user, Role.SUPERVISOR)


def onyx_review_case_open(*, review: OnyxReview, by):
    """A reassess decision can open a misconduct case about the subject, taking the past allegations
    the review considered as its history. The case starts at intake; the review's reassess actions to
    reopen a case are marked done. One review opens one case: the review row is locked, and a case
    already opened from it is returned (four racing POSTs make one case)."""
    from ..models import CaseEvent, CaseEventKind

    case_opener_check(by=by, officer_id=review.subject_id)
    with transaction.atomic():
        review = OnyxReview.objects.select_for_update().get(pk=review.pk)
        if not opens_a_case(review):
            raise DomainError("Only a decided reassess review opens a case.")
        opened = (
            CaseEvent.objects.filter(
                kind=CaseEventKind.OPENED, case__subject_id=review.subject_id, detail__onyx_review=review.reference
            )
            .select_related("case")
            .first()
        )
        if opened is not None:
            return opened.case
        past = list(review.past_allegations.values_list("id", "received_on"))
        # The matter came to notice when the past allegations did (the reg 19 clock runs from the day the
        # allegation first came to the appropriate authority's attention), not on the day of the re-review.
        noticed = min((received for _, received in past), default=timezone.localdate())
        case = case_create(
            subject_id=review.subject_id,
            came_to_notice_on=noticed,
            by=by,
            detail={
                "onyx_review": review.reference,
                "past_allegations": list(review.past_allegations.values_list("id", flat=True)[:500]),
            },
            note=f"Opened from Onyx review {review.reference} (reassess).",
        )
        case.reassessed_allegations.set([allegation_id for allegation_id, _ in past])
        review.actions.filter(kind=OnyxActionKind.REOPEN_CASE, done_at__isnull=True).update(done_at=case.opened_at)
    return case


def onyx_action_complete(*, action_id: int, by) -> OnyxAction:
    """Mark a line of inquiry or a risk measure done (once), by the review's reviewer or a supervisor."""
    with transaction.atomic():
        action = OnyxAction.objects.select_for_update().select_related("review").get(pk=action_id)
        if not may_complete_onyx_actions(by, action.review):
            raise DomainError("Only the reviewer or a DPS supervisor can mark this done.")
        if investigator_conflicted(user=by, officer_id=action.review.subject_id):
            raise DomainError("You are conflicted on this officer.")
        if action.done_at is not None:
            raise DomainError("That action is already done.")
        if action.withdrawn_at is not None:
            raise DomainError("That action was withdrawn with the decision it belonged to.")
        action.done_at, action.updated_by = timezone.now(), by
        action.save(update_fields=["done_at", "updated_by", "updated_at"])
    return action
