"""Every write the risk engine does: recompute flags (whole force or one officer), combine them into
each officer's level, triage a flag, tune a rule.

A recompute runs each enabled rule once over the officers asked about (a few set-based queries),
then per rule: one read of the existing flags, one bulk upsert, one set-based deactivation, and
bulk inserts of the history. The statement count does not depend on the number of officers."""

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from . import engine
from .models import (
    FlagLevel,
    OfficerRiskLevel,
    RiskFlag,
    RiskFlagEvent,
    RiskFlagEventKind,
    RiskLevel,
    RiskRule,
    RuleSeverity,
    TriageStatus,
)

# pg advisory lock keys: (namespace, 0) is the whole-force recompute, taken exclusive by it and shared
# by one-officer recomputes; (namespace + 1, officer_id) serialises recomputes of one officer.
_LOCK_NAMESPACE = 0x5249534B  # "RISK"
_UNTRIAGED = {
    "triage_status": TriageStatus.UNTRIAGED,
    "triage_plan": "",
    "triage_review_on": None,
    "triage_reason": "",
    "triaged_by": None,
    "triaged_at": None,
    "false_positive_record_keys": [],
}


class RiskTriageError(Exception):
    """A triage the rules do not allow (shown to the user as a message, 400/409 in the API)."""


@dataclass
class RecomputeSummary:
    rules: int = 0
    raised: int = 0
    cleared: int = 0
    reopened: int = 0
    active: int = 0

    def as_json(self) -> dict:
        return dict(self.__dict__)


def _lock(*, officer_id: int | None) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite (the demo) serialises writers itself.
    with connection.cursor() as cursor:
        if officer_id is None:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [_LOCK_NAMESPACE])
        else:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, 0)", [_LOCK_NAMESPACE])
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE + 1, officer_id])


def rule_settings() -> list[tuple[engine.RuleDefinition, dict, str]]:
    """(rule, parameters, severity) for every enabled registered rule: stored values over code defaults."""
    stored = {r.code: r for r in RiskRule.objects.all()}
    result = []
    for code, rule in sorted(engine.registered_rules().items()):
        row = stored.get(code)
        if row is not None and not row.enabled:
            continue
        params = {**rule.defaults, **(row.parameters if row else {})}
        result.append((rule, params, row.severity if row else rule.severity))
    return result


def risk_recompute_all(*, as_of: dt.date | None = None) -> RecomputeSummary:
    """Recompute every flag for the whole force; two full recomputes never interleave (advisory lock)."""
    return _recompute(officer_ids=None, as_of=as_of)


def risk_recompute_officer(*, officer_id: int, as_of: dt.date | None = None) -> RecomputeSummary:
    """Recompute one officer's flags with the same rule functions, restricted to that officer."""
    return _recompute(officer_ids=[officer_id], as_of=as_of)


@transaction.atomic
def _recompute(*, officer_ids: list[int] | None, as_of: dt.date | None) -> RecomputeSummary:
    _lock(officer_id=officer_ids[0] if officer_ids else None)
    now = timezone.now()
    as_of = as_of or timezone.localdate(now)
    summary = RecomputeSummary()
    settings = rule_settings()
    for rule, params, _severity in settings:
        hits = rule.evaluate(params=params, as_of=as_of, officer_ids=officer_ids)
        _apply_rule(rule.code, hits, officer_ids=officer_ids, now=now, summary=summary)
        summary.rules += 1
    # Flags of rules that were disabled or removed stop applying too.
    live_codes = [rule.code for rule, _, _ in settings]
    stale = RiskFlag.objects.filter(active=True).exclude(rule_code__in=live_codes)
    stale = engine.restrict(stale, officer_ids, "officer_id")
    _clear(stale, now=now, summary=summary)
    _levels_recompute(officer_ids=officer_ids, severities={r.code: s for r, _, s in settings}, now=now)
    return summary


def _apply_rule(code, hits, *, officer_ids, now, summary) -> None:
    existing = {
        row["officer_id"]: row
        for row in engine.restrict(RiskFlag.objects.filter(rule_code=code), officer_ids, "officer_id").values(
            "id", "officer_id", "active", "first_seen", "triage_status", "false_positive_record_keys"
        )
    }
    rows, raised, reopened = [], [], []
    for officer_id, hit in hits.items():
        keys = hit.record_keys()
        old = existing.get(officer_id)
        first_seen = old["first_seen"] if old and old["active"] else now
        rows.append(
            RiskFlag(
                officer_id=officer_id,
                rule_code=code,
                level=hit.level,
                reasons=[r.as_json() for r in hit.reasons],
                record_keys=keys,
                first_seen=first_seen,
                last_seen=now,
                active=True,
                cleared_at=None,
            )
        )
        if old is None or not old["active"]:
            raised.append(officer_id)
        if (
            old
            and old["triage_status"] == TriageStatus.FALSE_POSITIVE
            and not set(keys) <= set(old["false_positive_record_keys"])
        ):
            reopened.append(old["id"])
    upserted = RiskFlag.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["officer", "rule_code"],
        update_fields=["level", "reasons", "record_keys", "first_seen", "last_seen", "active", "cleared_at"],
    )
    # Reactivated flags start a new episode: their earlier triage belonged to the earlier records,
    # except a false positive, which holds while the rule finds nothing new.
    restarted = [
        existing[o]["id"]
        for o in raised
        if o in existing and existing[o]["triage_status"] != TriageStatus.FALSE_POSITIVE
    ]
    if reopened or restarted:
        RiskFlag.objects.filter(id__in=reopened + restarted).update(**_UNTRIAGED)
    ids = {flag.officer_id: flag.pk for flag in upserted}
    events = [RiskFlagEvent(flag_id=ids[o], kind=RiskFlagEventKind.RAISED, at=now, level=hits[o].level) for o in raised]
    events += [RiskFlagEvent(flag_id=i, kind=RiskFlagEventKind.REOPENED, at=now) for i in reopened]
    cleared = [row["id"] for o, row in existing.items() if row["active"] and o not in hits]
    events += [RiskFlagEvent(flag_id=i, kind=RiskFlagEventKind.CLEARED, at=now) for i in cleared]
    RiskFlagEvent.objects.bulk_create(events)
    # Everything this run still found carries last_seen == now; the rest of the rule's active flags
    # (for these officers) stopped applying.
    stale = engine.restrict(
        RiskFlag.objects.filter(rule_code=code, active=True, last_seen__lt=now), officer_ids, "officer_id"
    )
    stale.update(active=False, cleared_at=now)
    summary.raised += len(raised)
    summary.reopened += len(reopened)
    summary.cleared += len(cleared)
    summary.active += len(rows)


def _clear(queryset, *, now, summary) -> None:
    ids = list(queryset.values_list("id", flat=True))
    if ids:
        RiskFlagEvent.objects.bulk_create(
            [RiskFlagEvent(flag_id=i, kind=RiskFlagEventKind.CLEARED, at=now) for i in ids]
        )
        RiskFlag.objects.filter(id__in=ids).update(active=False, cleared_at=now)
        summary.cleared += len(ids)


_SEVERITY_POINTS = {RuleSeverity.LOW: 1, RuleSeverity.MEDIUM: 2, RuleSeverity.HIGH: 3}


def combined_level(flags: list[tuple[str, str]], severities: dict[str, str]) -> tuple[str, int]:
    """(rule_code, flag level) pairs -> (level, score). A flag scores its rule's severity (low 1,
    medium 2, high 3) plus 1 when Critical; 1-2 is low, 3-4 medium, 5 or more high. A Critical flag
    from a high-severity rule is high on its own."""
    score = 0
    high = False
    for code, level in flags:
        severity = severities.get(code, RuleSeverity.MEDIUM)
        score += _SEVERITY_POINTS[severity] + (1 if level == FlagLevel.CRITICAL else 0)
        high = high or (severity == RuleSeverity.HIGH and level == FlagLevel.CRITICAL)
    if high or score >= 5:
        return RiskLevel.HIGH, score
    if score >= 3:
        return RiskLevel.MEDIUM, score
    if score >= 1:
        return RiskLevel.LOW, score
    return RiskLevel.NONE, 0


def _levels_recompute(*, officer_ids, severities, now) -> None:
    flags = engine.restrict(
        RiskFlag.objects.filter(active=True).exclude(triage_status=TriageStatus.FALSE_POSITIVE),
        officer_ids,
        "officer_id",
    ).values_list("officer_id", "rule_code", "level")
    by_officer: dict[int, list[tuple[str, str]]] = {}
    for officer_id, code, level in flags:
        by_officer.setdefault(officer_id, []).append((code, level))
    rows = []
    for officer_id, items in by_officer.items():
        level, score = combined_level(items, severities)
        rows.append(
            OfficerRiskLevel(
                officer_id=officer_id,
                level=level,
                score=score,
                contributing_rules=sorted(code for code, _ in items),
                computed_at=now,
            )
        )
    OfficerRiskLevel.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["officer"],
        update_fields=["level", "score", "contributing_rules", "computed_at"],
    )
    # No flag left: no row (level none). Derived data, so nothing of history is lost.
    engine.restrict(OfficerRiskLevel.objects.filter(computed_at__lt=now), officer_ids, "officer_id").delete()


_TRIAGE_TRANSITIONS = {
    TriageStatus.UNTRIAGED: {
        TriageStatus.ACKNOWLEDGED,
        TriageStatus.INTERVENTION_PLANNED,
        TriageStatus.FALSE_POSITIVE,
    },
    TriageStatus.ACKNOWLEDGED: {TriageStatus.INTERVENTION_PLANNED, TriageStatus.FALSE_POSITIVE},
    TriageStatus.INTERVENTION_PLANNED: {
        TriageStatus.ACKNOWLEDGED,
        TriageStatus.INTERVENTION_PLANNED,
        TriageStatus.FALSE_POSITIVE,
    },
    TriageStatus.FALSE_POSITIVE: {TriageStatus.ACKNOWLEDGED, TriageStatus.INTERVENTION_PLANNED},
}


@transaction.atomic
def risk_flag_triage(
    *,
    flag_id: int,
    actor,
    status: str,
    plan: str = "",
    review_on: dt.date | None = None,
    reason: str = "",
) -> RiskFlag:
    """A supervisor triages an active flag: acknowledged; intervention planned (a plan and a review
    date); or false positive (a reason), which keeps the flag quiet until the rule finds records
    other than the ones judged. Who and when are recorded, with an event row."""
    flag = RiskFlag.objects.select_for_update().get(id=flag_id)
    if not flag.active:
        raise RiskTriageError("This flag has cleared: there is nothing to triage.")
    if status not in _TRIAGE_TRANSITIONS.get(flag.triage_status, set()):
        raise RiskTriageError(f"A flag that is {flag.get_triage_status_display().lower()} cannot become {status}.")
    plan, reason = plan.strip(), reason.strip()
    if status == TriageStatus.INTERVENTION_PLANNED and not (plan and review_on):
        raise RiskTriageError("An intervention needs a plan and a review date.")
    if status == TriageStatus.FALSE_POSITIVE and not reason:
        raise RiskTriageError("Say why this is a false positive.")
    now = timezone.now()
    flag.triage_status = status
    flag.triage_plan = plan if status == TriageStatus.INTERVENTION_PLANNED else ""
    flag.triage_review_on = review_on if status == TriageStatus.INTERVENTION_PLANNED else None
    flag.triage_reason = reason
    flag.triaged_by = actor
    flag.triaged_at = now
    flag.false_positive_record_keys = flag.record_keys if status == TriageStatus.FALSE_POSITIVE else []
    flag.save(
        update_fields=[
            "triage_status",
            "triage_plan",
            "triage_review_on",
            "triage_reason",
            "triaged_by",
            "triaged_at",
            "false_positive_record_keys",
        ]
    )
    RiskFlagEvent.objects.create(
        flag=flag,
        kind=RiskFlagEventKind.TRIAGED,
        at=now,
        actor=actor,
        level=flag.level,
        detail={"status": status, "plan": flag.triage_plan, "reason": reason, "review_on": str(review_on or "")},
    )
    # A false positive (or its reversal) changes the officer's combined level.
    _levels_recompute(officer_ids=[flag.officer_id], severities={r.code: s for r, _, s in rule_settings()}, now=now)
    return flag


@transaction.atomic
def risk_rule_update(*, code: str, actor, parameters: dict | None = None, enabled: bool | None = None) -> RiskRule:
    """A supervisor tunes a rule. Only parameters the rule knows, of the type of its default, are
    accepted; the audit log keeps the history. The next recompute applies them."""
    rule = engine.registered_rules().get(code)
    if rule is None:
        raise ValueError(f"unknown rule {code!r}")
    row, _ = RiskRule.objects.select_for_update().get_or_create(
        code=code, defaults={"description": rule.description, "severity": rule.severity, "parameters": rule.defaults}
    )
    if parameters is not None:
        for key, value in parameters.items():
            if key not in rule.defaults:
                raise ValueError(f"{code} has no parameter {key!r}")
            default = rule.defaults[key]
            numbers = (int, float)
            if type(value) is not type(default) and not (type(value) in numbers and type(default) in numbers):
                raise ValueError(f"{key} must be a {type(default).__name__}")
        row.parameters = {**rule.defaults, **(row.parameters or {}), **parameters}
    if enabled is not None:
        row.enabled = enabled
    row.updated_by = actor
    row.save(update_fields=["parameters", "enabled", "updated_by", "updated_at"])
    from cases.queue import enqueue_on_commit

    from .tasks import risk_recompute_all_task

    enqueue_on_commit(risk_recompute_all_task)
    return row
