from cases.roles import Role, user_roles
from cases.timeline import PER_SOURCE, TimelineEntry, timeline_source

from .models import HotlineReport

# Who sees hotline reports on an officer's profile: the people who work on them, and the commissioner.
HOTLINE_READERS = {Role.HOTLINE_TRIAGE, Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER}


@timeline_source
def hotline_entries(*, user, officer, limit=PER_SOURCE):
    """Every hotline report linked to the officer, so repeated reports about one person show together."""
    if not user_roles(user) & HOTLINE_READERS:
        return []
    reports = HotlineReport.objects.filter(officer=officer).only(
        "reference", "category", "status", "linked_at", "received_at", "allegation_id"
    )[:limit]
    return [
        TimelineEntry(
            r.received_at,
            "Hotline report",
            f"{r.reference}: {r.get_category_display()} ({r.get_status_display().lower()}"
            f"{', allegation recorded' if r.allegation_id else ''})",
        )
        for r in reports
    ]
