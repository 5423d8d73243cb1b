from django.urls import reverse

from cases.roles import user_roles
from cases.timeline import TimelineEntry, as_moment, timeline_source

from .models import WithdrawalStatus
from .selectors import VETTING_READERS


@timeline_source
def vetting_entries(*, user, officer):
    if not user_roles(user) & VETTING_READERS:
        return []
    entries = []
    for c in officer.clearances.all()[:50]:
        if c.granted_on:
            entries.append(
                TimelineEntry(
                    as_moment(c.granted_on),
                    "Vetting",
                    f"{c.get_level_display()}: {c.get_status_display()}"
                    f"{f', expires {c.expires_on:%d %b %Y}' if c.expires_on else ''}",
                )
            )
    for r in officer.vetting_reviews.all()[:50]:
        entries.append(
            TimelineEntry(
                r.opened_at,
                "Vetting review",
                f"{r.get_trigger_display()}: {r.get_outcome_display() or r.get_status_display()}",
                reverse("vetting:review_detail", kwargs={"vetting_review_id": r.public_id}),
            )
        )
    for w in officer.vetting_withdrawals.all()[:20]:
        link = reverse("vetting:withdrawal_detail", kwargs={"withdrawal_id": w.public_id})
        entries.append(TimelineEntry(w.opened_at, "Vetting withdrawal", "Withdrawal assessment opened", link))
        if w.dismissed_on:
            entries.append(
                TimelineEntry(as_moment(w.dismissed_on), "Vetting withdrawal", "Dismissed without notice", link)
            )
        if w.status in (WithdrawalStatus.CLEARANCE_KEPT, WithdrawalStatus.REINSTATED) and w.closed_at:
            entries.append(TimelineEntry(w.closed_at, "Vetting withdrawal", w.get_status_display(), link))
    for p in officer.pnd_checks.all()[:50]:
        entries.append(TimelineEntry(as_moment(p.checked_on), "PND check", p.get_result_display()))
    return entries
