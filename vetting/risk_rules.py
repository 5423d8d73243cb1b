"""Vetting's risk rules, registered with the engine in cases.risk (autodiscovered)."""

from collections import defaultdict

from django.db.models import CharField, Exists, OuterRef, Q, Value

from cases.risk.engine import Hit, Reason, Watch, Whole, group_pairs, months_before, register, restrict
from cases.risk.models import FlagLevel, RuleSeverity

from .models import (
    RUNNING_STATUSES,
    ClearanceStatus,
    PNDCheck,
    PNDResult,
    VettingClearance,
    VettingOutcome,
    VettingReview,
    VettingWithdrawal,
    WithdrawalStatus,
)
from .models import VettingReviewStatus as ReviewStatus

_ADVERSE_OUTCOMES = [VettingOutcome.SUSPENDED, VettingOutcome.WITHDRAWN]
_CLEARED = [WithdrawalStatus.CLEARANCE_KEPT, WithdrawalStatus.REINSTATED]


@register(
    code="pnd_hit",
    description="A Police National Database check found potential misconduct (Critical) or an off-duty "
    "association with a criminal (Warning) in the last Y years.",
    severity=RuleSeverity.MEDIUM,
    defaults={"years": 5},
    limits={"years": Whole(1, 30)},
    watches=[Watch("vetting.PNDCheck", lambda row: row.officer_id)],
)
def pnd_hit(*, params, as_of, officer_ids):
    start = months_before(as_of, 12 * params["years"])
    rows = PNDCheck.objects.filter(
        checked_on__gt=start,
        checked_on__lte=as_of,
        result__in=[PNDResult.POTENTIAL_MISCONDUCT, PNDResult.CRIMINAL_ASSOCIATION],
    ).order_by()
    found: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for officer_id, record_id, result in restrict(rows, officer_ids, "officer_id").values_list(
        "officer_id", "id", "result"
    ):
        found[officer_id][result].append(record_id)
    hits = {}
    for officer_id, by_result in found.items():
        reasons = tuple(
            Reason(f"PND check: {PNDResult(result).label}", "vetting.pndcheck", tuple(ids))
            for result, ids in sorted(by_result.items())
        )
        level = FlagLevel.CRITICAL if PNDResult.POTENTIAL_MISCONDUCT in by_result else FlagLevel.WARNING
        hits[officer_id] = Hit(level, reasons)
    return hits


@register(
    code="vetting_adverse",
    description="Vetting suspended or withdrawn (a clearance in that state, the latest decided vetting "
    "review's outcome unless its withdrawal process kept or restored the clearance, or a withdrawal process "
    "running): Critical. Clearance expired with no valid one held: Warning.",
    severity=RuleSeverity.HIGH,
    defaults={},
    limits={},
    watches=[
        Watch("vetting.VettingClearance", lambda row: row.officer_id),
        Watch("vetting.VettingReview", lambda row: row.officer_id),
        Watch("vetting.VettingWithdrawal", lambda row: row.officer_id),
    ],
)
def vetting_adverse(*, params, as_of, officer_ids):
    clearances = restrict(VettingClearance.objects.order_by(), officer_ids, "officer_id")
    adverse = clearances.filter(status__in=[ClearanceStatus.SUSPENDED, ClearanceStatus.WITHDRAWN])
    later_decision = VettingReview.objects.filter(
        officer_id=OuterRef("officer_id"), status=ReviewStatus.DECIDED, decided_at__gt=OuterRef("decided_at")
    )
    reviews = (
        restrict(VettingReview.objects.order_by(), officer_ids, "officer_id")
        .filter(status=ReviewStatus.DECIDED, outcome__in=_ADVERSE_OUTCOMES, decided_at__date__lte=as_of)
        .filter(~Exists(later_decision))
        # A withdrawal process that ended with the clearance kept, or reversed on appeal, clears the decision.
        .exclude(withdrawal__status__in=_CLEARED)
    )
    running = restrict(VettingWithdrawal.objects.order_by(), officer_ids, "officer_id").filter(
        status__in=RUNNING_STATUSES, opened_at__date__lte=as_of
    )
    valid = VettingClearance.objects.filter(
        officer_id=OuterRef("officer_id"), status=ClearanceStatus.ACTIVE, expires_on__gte=as_of
    )
    expired = clearances.filter(
        Q(status=ClearanceStatus.EXPIRED) | Q(status=ClearanceStatus.ACTIVE, expires_on__lt=as_of),
    ).filter(~Exists(valid))
    # The four kinds of record in one statement (UNION ALL), each row tagged with its kind: the one-officer
    # recompute after each change pays a round trip per statement.
    parts = {"adverse": adverse, "reviews": reviews, "running": running, "expired": expired}
    tagged = [qs.values_list("officer_id", "id", Value(kind, output_field=CharField())) for kind, qs in parts.items()]
    found: dict[str, list[tuple[int, int]]] = {kind: [] for kind in parts}
    for officer_id, record_id, kind in tagged[0].union(*tagged[1:], all=True):
        found[kind].append((officer_id, record_id))
    adverse, reviews, running, expired = (group_pairs(found[kind]) for kind in parts)
    hits = {}
    for officer_id in adverse.keys() | reviews.keys() | expired.keys() | running.keys():
        reasons = []
        if officer_id in adverse:
            text = "Clearance suspended or withdrawn"
            reasons.append(Reason(text, "vetting.vettingclearance", tuple(adverse[officer_id])))
        if officer_id in reviews:
            text = "Latest vetting review: clearance suspended or withdrawn"
            reasons.append(Reason(text, "vetting.vettingreview", tuple(reviews[officer_id])))
        if officer_id in running:
            text = "Vetting withdrawal process running"
            reasons.append(Reason(text, "vetting.vettingwithdrawal", tuple(running[officer_id])))
        if officer_id in expired:
            text = "Clearance expired and no valid clearance held"
            reasons.append(Reason(text, "vetting.vettingclearance", tuple(expired[officer_id])))
        critical = officer_id in adverse or officer_id in reviews or officer_id in running
        level = FlagLevel.CRITICAL if critical else FlagLevel.WARNING
        hits[officer_id] = Hit(level, tuple(reasons))
    return hits
