"""Reads of the risk engine's results. Access control (who may see which officer) is applied by the
pages that use these, through the cases selectors, once the risk pages exist."""

from django.db.models import Count, Q, QuerySet

from .models import OfficerRiskLevel, RiskFlag, RiskLevel, TriageStatus


def risk_flags_for_officer(*, officer_id: int, include_cleared: bool = False) -> QuerySet[RiskFlag]:
    flags = RiskFlag.objects.filter(officer_id=officer_id).order_by("-active", "-first_seen", "-id")
    return flags if include_cleared else flags.filter(active=True)


def risk_level_for_officer(*, officer_id: int) -> tuple[str, list[str]]:
    row = OfficerRiskLevel.objects.filter(officer_id=officer_id).first()
    return (row.level, row.contributing_rules) if row else (RiskLevel.NONE, [])


def risk_rule_statistics() -> dict[str, dict[str, int]]:
    """Per rule: active flags raised and how many were triaged false positive, to tune parameters."""
    rows = (
        RiskFlag.objects.values("rule_code")
        .annotate(
            active=Count("id", filter=Q(active=True)),
            false_positive=Count("id", filter=Q(triage_status=TriageStatus.FALSE_POSITIVE)),
        )
        .order_by("rule_code")
    )
    return {r["rule_code"]: {"active": r["active"], "false_positive": r["false_positive"]} for r in rows}
