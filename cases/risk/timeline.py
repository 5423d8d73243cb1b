from cases.roles import Role, has_role
from cases.timeline import PER_SOURCE, TimelineEntry, timeline_source

from .engine import rule_label
from .models import FlagLevel, RiskFlag, TriageStatus


@timeline_source
def risk_entries(*, user, officer, limit=PER_SOURCE):
    if not has_role(user, Role.SUPERVISOR, Role.COMMISSIONER):
        return []
    level, triage = dict(FlagLevel.choices), dict(TriageStatus.choices)
    flags = RiskFlag.objects.filter(officer=officer).order_by("-first_seen", "-id")
    return [
        TimelineEntry(
            first_seen,
            "Risk flag",
            f"{rule_label(code)} ({level[lv].lower()}): {'active' if active else 'cleared'}, {triage[tr].lower()}",
        )
        for first_seen, code, lv, active, tr in flags.values_list(
            "first_seen", "rule_code", "level", "active", "triage_status"
        )[:limit]
    ]
