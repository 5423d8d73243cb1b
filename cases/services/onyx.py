"""The Operation Onyx workflow: queue -> allocate -> decide -> external panel -> agreed, or
returned to the reviewer on disagreement and decided again.

Each transition checks the move against ONYX_TRANSITIONS, locks the review row, writes the new
state with update_fields and an OnyxReviewEvent, in one transaction."""

from itertools import cycle

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from guardian.shortcuts import assign_perm

from cases.roles import Role, has_role

from .. import events
from ..errors import DomainError
from ..models import (
    REASSESS_ACTIONS,
    RISK_MEASURES,
    Allegation,
    ConflictOfInterest,
    EmploymentStatus,
    Officer,
    OnyxAction,
    OnyxActionKind,
    OnyxDecision,
    OnyxEventKind,
    OnyxReview,
    OnyxReviewEvent,
    OnyxStatus,
    PanelAssignment,
    PanelVerdict,
    ReferenceCounter,
    ReviewBatch,
)
from .access import investigator_conflicted
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


def _reserve_references(prefix: str, count: int) -> int:
    """Reserve `count` consecutive numbers under a prefix; returns the first. One locked row."""
    ReferenceCounter.objects.get_or_create(prefix=prefix)
    counter = ReferenceCounter.objects.select_for_update().get(prefix=prefix)
    first = counter.last_number + 1
    counter.last_number = F("last_number") + count
    counter.save(update_fields=["last_number"])
    return first


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
        first = _reserve_references("ONYX", len(subject_ids))
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
        for review in reviews:
            previous = review.status
            review.status, review.reviewer, review.updated_by = S.ALLOCATED, reviewer, by
            review._previous_status = previous
        OnyxReview.objects.bulk_update(reviews, ["status", "reviewer", "updated_by"], batch_size=2000)
        OnyxReviewEvent.objects.bulk_create(
            [
                OnyxReviewEvent(
                    review=r,
                    kind=OnyxEventKind.ALLOCATED,
                    actor=by,
                    from_status=r._previous_status,
                    to_status=S.ALLOCATED,
                    detail={"reviewer": reviewer.pk},
                )
                for r in reviews
            ]
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
        _check_move(review, S.DECIDED)
        previous = review.status
        review.status, review.decision, review.rationale = S.DECIDED, decision, rationale
        review.decided_at, review.updated_by = timezone.now(), by
        review.save(update_fields=["status", "decision", "rationale", "decided_at", "updated_by", "updated_at"])
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
        _event(review, OnyxEventKind.DECIDED, by, previous, {"decision": decision, "actions": [k for k, _ in actions]})
    return review


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
    from .casework import officer_status_write

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
        OnyxReview.objects.filter(id__in=[a.review_id for a in created]).update(status=S.WITH_PANEL, updated_by=by)
        OnyxReviewEvent.objects.bulk_create(
            [
                OnyxReviewEvent(
                    review=a.review,
                    kind=OnyxEventKind.SENT_TO_PANEL,
                    actor=by,
                    from_status=S.DECIDED,
                    to_status=S.WITH_PANEL,
                    detail={"panel_member": a.panel_member.pk, "round": a.round},
                )
                for a in created
            ]
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
        to_status = S.CONCLUDED if verdict == PanelVerdict.AGREE else S.RETURNED
        _check_move(review, to_status)
        assignment.verdict, assignment.reasons, assignment.verdict_at = verdict, reasons, timezone.now()
        assignment.updated_by = by
        assignment.save(update_fields=["verdict", "reasons", "verdict_at", "updated_by", "updated_at"])
        previous = review.status
        review.status, review.updated_by = to_status, by
        review.save(update_fields=["status", "updated_by", "updated_at"])
        kind = OnyxEventKind.PANEL_AGREED if verdict == PanelVerdict.AGREE else OnyxEventKind.PANEL_DISAGREED
        _event(review, kind, by, previous, {"round": assignment.round, "reasons": reasons})
        if review.status == S.CONCLUDED and review.decision == OnyxDecision.RISK_MANAGEMENT:
            _risk_measures_take_effect(review, by)
    return assignment


def onyx_review_case_open(*, review: OnyxReview, by):
    """A reassess decision can open a misconduct case about the subject, taking the past allegations
    the review considered as its history. The case starts at intake; the review's reassess actions to
    reopen a case are marked done. One review opens one case: the review row is locked, and a case
    already opened from it is returned (four racing POSTs make one case)."""
    from ..models import Case, CaseEvent, CaseEventKind
    from .access import reference_next

    if not has_role(by, Role.INVESTIGATOR, Role.SUPERVISOR):
        raise DomainError("Only DPS staff open cases.")
    if investigator_conflicted(user=by, officer_id=review.subject_id):
        raise DomainError("You are conflicted on this officer.")
    with transaction.atomic():
        review = OnyxReview.objects.select_for_update().get(pk=review.pk)
        if review.decision != OnyxDecision.REASSESS or review.status not in (S.DECIDED, S.WITH_PANEL, S.CONCLUDED):
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
        now = timezone.now()
        past = list(review.past_allegations.values_list("id", "received_on"))
        # The matter came to notice when the past allegations did (the reg 19 clock runs from the day the
        # allegation first came to the appropriate authority's attention), not on the day of the re-review.
        noticed = min((received for _, received in past), default=timezone.localdate())
        case = Case.objects.create(
            reference=reference_next(prefix=f"DPS-{now.year}"),
            subject_id=review.subject_id,
            came_to_notice_on=noticed,
            opened_at=now,
            investigator=by if has_role(by, Role.INVESTIGATOR) else None,
            created_by=by,
            updated_by=by,
        )
        case.reassessed_allegations.set([allegation_id for allegation_id, _ in past])
        if case.investigator_id:
            assign_perm("cases.change_case", by, case)
            assign_perm("cases.view_case", by, case)
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventKind.OPENED,
            actor=by,
            to_status=case.status,
            detail={
                "onyx_review": review.reference,
                "past_allegations": list(review.past_allegations.values_list("id", flat=True)[:500]),
            },
            note=f"Opened from Onyx review {review.reference} (reassess).",
        )
        review.actions.filter(kind=OnyxActionKind.REOPEN_CASE, done_at__isnull=True).update(done_at=now)
    return case


def onyx_action_complete(*, action_id: int, by) -> OnyxAction:
    """Mark a line of inquiry or a risk measure done (once), by the review's reviewer or a supervisor."""
    with transaction.atomic():
        action = OnyxAction.objects.select_for_update().select_related("review").get(pk=action_id)
        if not (action.review.reviewer_id == by.pk or has_role(by, Role.SUPERVISOR)):
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
