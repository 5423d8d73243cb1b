"""Suspension and restricted duties: the appropriate authority's decisions under reg 11 of the Police
(Conduct) Regulations 2020, their written reasons and their periodic review.

The officer's status stays the one source of "is this officer suspended": every start and end here goes
through officers.officer_status_change, which writes the OfficerEvent history."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cases.roles import Role, has_role

from ..calendar import working_days_after
from ..errors import DomainError
from ..models import (
    LEFT_STATUSES,
    OPEN_CASE_STATUSES,
    Case,
    EmploymentStatus,
    Officer,
    Suspension,
    SuspensionDecision,
    SuspensionKind,
    SuspensionReview,
)
from .access import investigator_conflicted
from .officers import officer_status_change

# How long a period may run before the appropriate authority reviews it again.
# ⚠ UNVERIFIED: the text of reg 11(7)-(8) of SI 2020/4 was not read. A copy of the 2020 text seen in a
# search reads "before the end of 4 weeks beginning with the first working day after the previous
# review", so a review is due on the last day of the 4 weeks that begin on the first working day after
# the decision or the previous review. Verify against legislation.gov.uk before relying on it; this is
# the only place the interval is set.
REVIEW_INTERVAL = dt.timedelta(weeks=4)

# How far ahead "My work" shows reviews coming due.
REVIEW_DUE_SOON_DAYS = 7

STATUS_FOR_KIND = {
    SuspensionKind.SUSPENSION: EmploymentStatus.SUSPENDED,
    SuspensionKind.RESTRICTED: EmploymentStatus.RESTRICTED,
}


def suspension_review_due(day: dt.date) -> dt.date:
    """The last day of the review window after a decision or review taken on `day` (REVIEW_INTERVAL)."""
    return working_days_after(day, 1) + REVIEW_INTERVAL - dt.timedelta(days=1)


def _check_decision_maker(by, officer_id: int) -> None:
    # reg 11(1): suspension is the appropriate authority's decision: a DPS supervisor, never an
    # investigator, and never one conflicted on the officer.
    if not has_role(by, Role.SUPERVISOR):
        raise DomainError("Only a DPS supervisor (the appropriate authority) decides suspension or restricted duties.")
    if investigator_conflicted(user=by, officer_id=officer_id):
        raise DomainError("You are conflicted on this officer.")


def _check_day(day: dt.date, *, after: dt.date | None, field: str) -> None:
    if day > timezone.localdate():
        raise DomainError("The date cannot be in the future.", field=field)
    if after is not None and day < after:
        raise DomainError(f"The date cannot be before {after:%-d %B %Y}.", field=field)


def _written(value) -> str:
    return (value or "").strip()


def suspension_start(
    *,
    officer: Officer,
    kind: str,
    by,
    started_on: dt.date | None = None,
    case: Case | None = None,
    redeployment_considered: bool = False,
    redeployment_rejected_reason: str = "",
    ground_investigation_prejudiced: bool = False,
    investigation_prejudiced_reason: str = "",
    ground_public_interest: bool = False,
    public_interest_reason: str = "",
    reasons: str = "",
) -> Suspension:
    """Suspend an officer (reg 11) or put them on restricted duties, with the written reasons.

    A suspension needs both limbs of reg 11(4): (a) temporary redeployment considered and found not
    appropriate, with the reason; and (b) at least one ground, (i) the effective investigation may be
    prejudiced or (ii) the public interest requires it, each with its reasons. Restricted duties need
    written reasons. Starting either kind ends an open period of the other (the officer holds one status).
    Submitting the same start twice keeps one period."""
    if kind not in SuspensionKind.values:
        raise DomainError("Choose suspension or restricted duties.", field="kind")
    _check_decision_maker(by, officer.pk)
    started_on = started_on or timezone.localdate()
    _check_day(started_on, after=None, field="started_on")
    fields = {
        "redeployment_rejected_reason": _written(redeployment_rejected_reason),
        "investigation_prejudiced_reason": _written(investigation_prejudiced_reason),
        "public_interest_reason": _written(public_interest_reason),
        "reasons": _written(reasons),
    }
    if kind == SuspensionKind.SUSPENSION:
        # reg 11(4)(a)
        if not redeployment_considered:
            raise DomainError(
                "Consider temporary redeployment to alternative duties or location first (reg 11(4)(a)).",
                field="redeployment_considered",
            )
        if not fields["redeployment_rejected_reason"]:
            raise DomainError(
                "Write why redeployment is not appropriate in all the circumstances (reg 11(4)(a)).",
                field="redeployment_rejected_reason",
            )
        # reg 11(4)(b)
        if not (ground_investigation_prejudiced or ground_public_interest):
            raise DomainError(
                "A suspension needs a ground: the investigation may be prejudiced (reg 11(4)(b)(i)) or the public "
                "interest requires it (reg 11(4)(b)(ii)).",
                field="ground_investigation_prejudiced",
            )
        if ground_investigation_prejudiced and not fields["investigation_prejudiced_reason"]:
            raise DomainError(
                "Write how the investigation may be prejudiced (reg 11(4)(b)(i)).",
                field="investigation_prejudiced_reason",
            )
        if ground_public_interest and not fields["public_interest_reason"]:
            raise DomainError(
                "Write why the public interest requires suspension (reg 11(4)(b)(ii)).", field="public_interest_reason"
            )
    else:
        if not fields["reasons"]:
            raise DomainError("Write the reasons for restricted duties.", field="reasons")
        # Restricted duties are not a reg 11 suspension: no grounds are recorded for them.
        redeployment_considered = ground_investigation_prejudiced = ground_public_interest = False
        fields.update(redeployment_rejected_reason="", investigation_prejudiced_reason="", public_interest_reason="")
    if case is not None and case.subject_id != officer.pk:
        raise DomainError("That case is about another officer.", field="case")
    if case is not None and case.status not in OPEN_CASE_STATUSES:
        # reg 11(5): a suspension runs only until the case is decided not to go to proceedings or the
        # proceedings conclude; it cannot start on a case that has ended.
        raise DomainError("That case has ended: a suspension cannot start on it (reg 11(5)).", field="case")

    with transaction.atomic():
        officer = Officer.objects.select_for_update().get(pk=officer.pk)
        if officer.status in LEFT_STATUSES:
            raise DomainError("The officer has left the force.")
        open_periods = list(Suspension.objects.select_for_update().filter(officer=officer, ended_on__isnull=True))
        for period in open_periods:
            if period.kind == kind:
                return period  # a double submit, or already so: one open period per officer and kind
        for period in open_periods:
            if started_on < period.started_on:
                raise DomainError(
                    f"The {period.get_kind_display().lower()} started on {period.started_on:%-d %B %Y}.",
                    field="started_on",
                )
            _close(period, by=by, on=started_on, reasons=f"Replaced by {SuspensionKind(kind).label.lower()}.")
        period = Suspension.objects.create(
            officer=officer,
            case=case,
            kind=kind,
            started_on=started_on,
            decided_by=by,
            redeployment_considered=redeployment_considered,
            ground_investigation_prejudiced=ground_investigation_prejudiced,
            ground_public_interest=ground_public_interest,
            next_review_due=suspension_review_due(started_on),
            created_by=by,
            updated_by=by,
            **fields,
        )
        status = STATUS_FOR_KIND[SuspensionKind(kind)]
        if officer.status != status:
            reason = fields["reasons"] if kind == SuspensionKind.RESTRICTED else "; ".join(period.grounds)
            officer_status_change(officer=officer, status=status, by=by, reason=reason, on=started_on)
    return period


def _close(period: Suspension, *, by, on: dt.date, reasons: str) -> SuspensionReview:
    period.ended_on, period.end_reason, period.updated_by = on, reasons, by
    period.save(update_fields=["ended_on", "end_reason", "updated_by", "updated_at"])
    return SuspensionReview.objects.create(
        suspension=period, reviewed_on=on, decided_by=by, decision=SuspensionDecision.LIFT, reasons=reasons
    )


def suspension_end(*, suspension: Suspension, by, reasons: str, ended_on: dt.date | None = None) -> Suspension:
    """Lift a suspension or end restricted duties, with the reasons; the officer is serving again.
    Lifting twice keeps the first lift."""
    _check_decision_maker(by, suspension.officer_id)
    reasons = _written(reasons)
    if not reasons:
        raise DomainError("Write the reasons for lifting it.", field="reasons")
    ended_on = ended_on or timezone.localdate()
    with transaction.atomic():
        officer = Officer.objects.select_for_update().get(pk=suspension.officer_id)
        period = Suspension.objects.select_for_update().get(pk=suspension.pk)
        if period.ended_on is not None:
            return period  # already lifted (a double submit)
        _check_day(ended_on, after=period.started_on, field="ended_on")
        _close(period, by=by, on=ended_on, reasons=reasons)
        if officer.status == STATUS_FOR_KIND[SuspensionKind(period.kind)]:
            officer_status_change(officer=officer, status=EmploymentStatus.SERVING, by=by, reason=reasons, on=ended_on)
    return period


def suspension_review(
    *, suspension: Suspension, by, decision: str, reasons: str, reviewed_on: dt.date | None = None
) -> Suspension:
    """The appropriate authority's periodic review: continue (the next review falls due REVIEW_INTERVAL
    on) or lift. Recording the same review twice keeps one."""
    if decision not in SuspensionDecision.values:
        raise DomainError("Choose continue or lift.", field="decision")
    if decision == SuspensionDecision.LIFT:
        return suspension_end(suspension=suspension, by=by, reasons=reasons, ended_on=reviewed_on)
    _check_decision_maker(by, suspension.officer_id)
    reasons = _written(reasons)
    if not reasons:
        raise DomainError("Write the reasons for continuing it.", field="reasons")
    reviewed_on = reviewed_on or timezone.localdate()
    with transaction.atomic():
        period = Suspension.objects.select_for_update().get(pk=suspension.pk)
        if period.ended_on is not None:
            raise DomainError("This period has already ended.")
        _check_day(reviewed_on, after=period.started_on, field="reviewed_on")
        if period.reviews.filter(reviewed_on=reviewed_on, decision=decision, reasons=reasons).exists():
            return period  # the same review submitted twice
        next_due = suspension_review_due(reviewed_on)
        SuspensionReview.objects.create(
            suspension=period,
            reviewed_on=reviewed_on,
            decided_by=by,
            decision=decision,
            reasons=reasons,
            next_review_due=next_due,
        )
        period.next_review_due, period.updated_by = next_due, by
        period.save(update_fields=["next_review_due", "updated_by", "updated_at"])
    return period
