from cases.roles import Role, has_role
from cases.timeline import PER_SOURCE, TimelineEntry, timeline_source

from .engine import rule_label
from .models import RiskFlag


@timeline_source
def risk_entries(*, user, officer, limit=PER_SOURCE):
    if not has_role(user, Role.SUPERVISOR, Role.COMMISSIONER):
        return []
    flags = RiskFlag.objects.filter(officer=officer).order_by("-first_seen", "-id")[:limit]
    return [
        TimelineEntry(
            f.first_seen,
            "Risk flag",
            f"{rule_label(f.rule_code)} ({f.get_level_display().lower()}): "
            f"{'active' if f.active else 'cleared'}, {f.get_triage_status_display().lower()}",
        )
        for f in flags
    ]
