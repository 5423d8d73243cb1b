from cases.roles import Role, user_roles
from cases.timeline import PER_SOURCE, TimelineEntry, timeline_source

from .models import HotlineCategory, HotlineReport, HotlineStatus

# Who sees hotline reports on an officer's profile: the people who work on them, and the commissioner.
HOTLINE_READERS = {Role.HOTLINE_TRIAGE, Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER}


@timeline_source
def hotline_entries(*, user, officer, limit=PER_SOURCE):
    """Every hotline report linked to the officer, so repeated reports about one person show together."""
    if not user_roles(user) & HOTLINE_READERS:
        return []
    category, status = dict(HotlineCategory.choices), dict(HotlineStatus.choices)
    # Plain tuples and label look-ups, as the profile's other sources read their rows.
    reports = HotlineReport.objects.filter(officer=officer).values_list(
        "received_at", "reference", "category", "status", "allegation_id"
    )[:limit]
    return [
        TimelineEntry(
            received_at,
            "Hotline report",
            f"{reference}: {category.get(c, c)} ({status.get(st, st).lower()}"
            f"{', allegation recorded' if allegation_id else ''})",
        )
        for received_at, reference, c, st, allegation_id in reports
    ]
