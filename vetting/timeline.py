from django.urls import reverse

from cases.roles import user_roles
from cases.timeline import PER_SOURCE, TimelineEntry, as_moment, timeline_source

from .models import (
    ClearanceLevel,
    ClearanceStatus,
    PNDResult,
    ReviewTrigger,
    VettingOutcome,
    VettingReviewStatus,
    WithdrawalStatus,
)
from .selectors import VETTING_READERS

_NIL = "00000000-0000-0000-0000-000000000000"


@timeline_source
def vetting_entries(*, user, officer, limit=PER_SOURCE):
    """Newest first by the date each entry shows (see cases.timeline): plain tuples and label look-ups,
    links reversed once per kind, as the profile's other sources do."""
    if not user_roles(user) & VETTING_READERS:
        return []
    level, clearance_status = dict(ClearanceLevel.choices), dict(ClearanceStatus.choices)
    clearances = officer.clearances.exclude(granted_on=None).order_by("-granted_on", "-id")
    entries = [
        TimelineEntry(
            as_moment(granted_on),
            "Vetting",
            f"{level[lv]}: {clearance_status[st]}{f', expires {expires_on:%d %b %Y}' if expires_on else ''}",
        )
        for lv, st, granted_on, expires_on in clearances.values_list("level", "status", "granted_on", "expires_on")[
            :limit
        ]
    ]
    trigger, outcome, review_status = (
        dict(ReviewTrigger.choices),
        dict(VettingOutcome.choices),
        dict(VettingReviewStatus.choices),
    )
    review_url = reverse("vetting:review_detail", kwargs={"vetting_review_id": _NIL})
    reviews = officer.vetting_reviews.order_by("-opened_at", "-id")
    entries += [
        TimelineEntry(
            opened_at,
            "Vetting review",
            f"{trigger[tr]}: {outcome.get(out) or review_status[st]}",
            review_url.replace(_NIL, str(pid)),
        )
        for pid, tr, out, st, opened_at in reviews.values_list(
            "public_id", "trigger", "outcome", "status", "opened_at"
        )[:limit]
    ]
    withdrawal_status = dict(WithdrawalStatus.choices)
    withdrawal_url = reverse("vetting:withdrawal_detail", kwargs={"withdrawal_id": _NIL})
    withdrawals = officer.vetting_withdrawals.order_by("-opened_at", "-id").values_list(
        "public_id", "opened_at", "dismissed_on", "status", "closed_at"
    )
    for pid, opened_at, dismissed_on, status, closed_at in withdrawals[:limit]:
        link = withdrawal_url.replace(_NIL, str(pid))
        entries.append(TimelineEntry(opened_at, "Vetting withdrawal", "Withdrawal assessment opened", link))
        if dismissed_on:
            entries.append(
                TimelineEntry(as_moment(dismissed_on), "Vetting withdrawal", "Dismissed without notice", link)
            )
        if status in (WithdrawalStatus.CLEARANCE_KEPT, WithdrawalStatus.REINSTATED) and closed_at:
            entries.append(TimelineEntry(closed_at, "Vetting withdrawal", withdrawal_status[status], link))
    pnd_result = dict(PNDResult.choices)
    checks = officer.pnd_checks.order_by("-checked_on", "-id").values_list("checked_on", "result")
    entries += [TimelineEntry(as_moment(on), "PND check", pnd_result[result]) for on, result in checks[:limit]]
    return entries
