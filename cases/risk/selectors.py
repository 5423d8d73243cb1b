"""Reads of the risk engine's results. The flag list is filtered here by who may read flags and which
officers they may see about (risk_flag_list); an officer's own flags are read by pages that have
already opened the officer through the cases selectors; the records behind a flag's reasons are
filtered here too (risk_reason_records)."""

from django.db.models import Count, QuerySet

from cases.permissions import may_read_risk
from cases.selectors import conflicted_officer_ids

from .models import OfficerRiskLevel, RiskFlag, RiskLevel, TriageStatus


def risk_flag_list(*, user) -> QuerySet[RiskFlag]:
    """Active flags for the roles that read them, about officers this user may see (conflicts of
    interest apply here too)."""
    if not may_read_risk(user):
        return RiskFlag.objects.none()
    return RiskFlag.objects.filter(active=True).exclude(officer_id__in=conflicted_officer_ids(user))


def risk_flags_for_officer(*, officer_id: int, include_cleared: bool = False) -> QuerySet[RiskFlag]:
    flags = RiskFlag.objects.filter(officer_id=officer_id).order_by("-active", "-first_seen", "-id")
    return flags if include_cleared else flags.filter(active=True)


def risk_level_for_officer(*, officer_id: int) -> tuple[str, list[str]]:
    row = OfficerRiskLevel.objects.filter(officer_id=officer_id).first()
    return (row.level, row.contributing_rules) if row else (RiskLevel.NONE, [])


def risk_reason_records(*, user, officer, label: str, ids) -> QuerySet:
    """The records behind a flag's reason that this reader may see, for an officer they were allowed
    to open. Casework goes through the cases selectors (need-to-know, conflicts); a model the
    selectors do not know is limited to rows about this officer, and a model with no officer field
    gives nothing: a reason never opens a record its reader could not open directly."""
    from django.apps import apps

    from cases.records import record_kind

    kind = record_kind(label)
    if kind is not None and not kind.reasons_by_officer:
        return kind.readable(user).filter(pk__in=ids)
    model = apps.get_model(label)
    names = {f.name for f in model._meta.get_fields()}
    for field in ("officer", "subject"):
        if field in names:
            return model.objects.filter(pk__in=ids, **{f"{field}_id": officer.pk})
    return model.objects.none()


def risk_rule_statistics() -> dict[str, dict[str, int]]:
    """Per rule: active flags raised and how many were triaged false positive, to tune parameters. Two grouped
    counts, each read from an index alone (risk_flag_active_rule, risk_flag_false_positive_rule), rather than one
    pass over every flag row with its reasons (issue 18: 55 ms at Met scale)."""
    stats: dict[str, dict[str, int]] = {}
    for key, flags in (
        ("active", RiskFlag.objects.filter(active=True)),
        ("false_positive", RiskFlag.objects.filter(triage_status=TriageStatus.FALSE_POSITIVE)),
    ):
        for code, n in flags.order_by().values("rule_code").annotate(n=Count("id")).values_list("rule_code", "n"):
            stats.setdefault(code, {"active": 0, "false_positive": 0})[key] = n
    return dict(sorted(stats.items()))


def risk_flags_to_triage(*, user) -> QuerySet[RiskFlag]:
    """Active flags no supervisor has triaged yet, oldest first, for supervisors only, less officers this
    user is conflicted on. A flag informs a human decision; this is the queue of those decisions."""
    from cases.roles import Role, has_role
    from cases.selectors import conflicted_officer_ids

    if not has_role(user, Role.SUPERVISOR):
        return RiskFlag.objects.none()
    return (
        RiskFlag.objects.filter(active=True, triage_status=TriageStatus.UNTRIAGED)
        .exclude(officer_id__in=conflicted_officer_ids(user))
        .select_related("officer")
        .order_by("first_seen", "id")
    )
