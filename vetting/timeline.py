from django.urls import reverse

from cases.roles import user_roles
from cases.timeline import PER_SOURCE, TimelineEntry, as_moment, newest_rows, timeline_source

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
    trigger, outcome, review_status = (
        dict(ReviewTrigger.choices),
        dict(VettingOutcome.choices),
        dict(VettingReviewStatus.choices),
    )
    withdrawal_status, pnd_result = dict(WithdrawalStatus.choices), dict(PNDResult.choices)
    # The four kinds in one query (cases.timeline.newest_rows), each its newest `limit` rows.
    clearances, reviews, withdrawals, checks = newest_rows(
        limit,
        (
            officer.clearances.exclude(granted_on=None).order_by("-granted_on", "-id"),
            {"t1": "level", "t2": "status", "on": "granted_on", "on2": "expires_on"},
        ),
        (
            officer.vetting_reviews.order_by("-opened_at", "-id"),
            {"pid": "public_id", "t1": "trigger", "t2": "outcome", "t3": "status", "at": "opened_at"},
        ),
        (
            officer.vetting_withdrawals.order_by("-opened_at", "-id"),
            {"pid": "public_id", "at": "opened_at", "on2": "dismissed_on", "t1": "status", "at2": "closed_at"},
        ),
        (officer.pnd_checks.order_by("-checked_on", "-id"), {"on": "checked_on", "t1": "result"}),
    )
    entries = [
        TimelineEntry(
            as_moment(r.on),
            "Vetting",
            f"{level[r.t1]}: {clearance_status[r.t2]}{f', expires {r.on2:%d %b %Y}' if r.on2 else ''}",
        )
        for r in clearances
    ]
    review_url = reverse("vetting:review_detail", kwargs={"vetting_review_id": _NIL})
    entries += [
        TimelineEntry(
            r.at,
            "Vetting review",
            f"{trigger[r.t1]}: {outcome.get(r.t2) or review_status[r.t3]}",
            review_url.replace(_NIL, str(r.pid)),
        )
        for r in reviews
    ]
    withdrawal_url = reverse("vetting:withdrawal_detail", kwargs={"withdrawal_id": _NIL})
    for r in withdrawals:
        link = withdrawal_url.replace(_NIL, str(r.pid))
        entries.append(TimelineEntry(r.at, "Vetting withdrawal", "Withdrawal assessment opened", link))
        if r.on2:
            entries.append(TimelineEntry(as_moment(r.on2), "Vetting withdrawal", "Dismissed without notice", link))
        if r.t1 in (WithdrawalStatus.CLEARANCE_KEPT, WithdrawalStatus.REINSTATED) and r.at2:
            entries.append(TimelineEntry(r.at2, "Vetting withdrawal", withdrawal_status[r.t1], link))
    entries += [TimelineEntry(as_moment(r.on), "PND check", pnd_result[r.t1]) for r in checks]
    return entries
