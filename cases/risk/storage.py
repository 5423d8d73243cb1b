"""The risk engine's set-based writes: flags upserted, their history inserted, and each officer's combined
level recomputed, in a fixed number of statements whatever the number of officers (services.py calls them)."""

import json

from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast

from . import engine
from .models import FlagLevel, OfficerRiskLevel, RiskFlag, RiskFlagEvent, RiskLevel, RuleSeverity, TriageStatus

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


_FLAG_UPSERT_SQL = """
INSERT INTO risk_riskflag (officer_id, rule_code, level, reasons, digest, first_seen, last_seen, active, cleared_at,
                           triage_status, triage_plan, triage_reason, false_positive_record_keys)
SELECT r.officer_id, r.rule_code, r.level, r.reasons, r.digest, %(now)s, %(now)s, TRUE, NULL,
       %(untriaged)s, '', '', '[]'::jsonb
FROM jsonb_to_recordset(%(rows)s::jsonb)
     AS r(officer_id bigint, rule_code text, level text, reasons jsonb, digest text)
ON CONFLICT (officer_id, rule_code) DO UPDATE SET
    level = EXCLUDED.level, reasons = EXCLUDED.reasons, digest = EXCLUDED.digest, last_seen = EXCLUDED.last_seen,
    active = TRUE, cleared_at = NULL,
    first_seen = CASE WHEN risk_riskflag.active THEN risk_riskflag.first_seen ELSE EXCLUDED.first_seen END
"""


def _flags_upsert(rows, *, now) -> None:
    """One upsert of the new and changed flags. A flag that was inactive starts a new episode
    (first_seen now); an active one keeps its first_seen. On PostgreSQL the rows travel as one JSON
    document (jsonb_to_recordset): at Met scale that is several times faster than binding each
    value; elsewhere (SQLite, the demo) bulk_create does the same."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        payload = json.dumps(
            [{"officer_id": o, "rule_code": c, "level": lv, "reasons": r, "digest": d} for c, o, lv, r, d, _ in rows]
        )
        with connection.cursor() as cursor:
            cursor.execute(_FLAG_UPSERT_SQL, {"now": now, "untriaged": TriageStatus.UNTRIAGED, "rows": payload})
        return
    update_fields = ["level", "reasons", "digest", "last_seen", "active", "cleared_at"]
    for new_episode, fields in ((True, [*update_fields, "first_seen"]), (False, update_fields)):
        RiskFlag.objects.bulk_create(
            [
                RiskFlag(officer_id=o, rule_code=c, level=lv, reasons=r, digest=d, first_seen=now, last_seen=now)
                for c, o, lv, r, d, n in rows
                if n is new_episode
            ],
            update_conflicts=True,
            unique_fields=["officer", "rule_code"],
            update_fields=fields,
        )


_EVENTS_INSERT_SQL = """
INSERT INTO risk_riskflagevent (flag_id, kind, at, level, detail)
SELECT r.flag_id, r.kind, %(now)s, r.level, '{}'::jsonb
FROM jsonb_to_recordset(%(rows)s::jsonb) AS r(flag_id bigint, kind text, level text)
"""


def _events_insert(events: list[tuple[int, str, str]], *, now) -> None:
    """The history rows (flag id, kind, level), as one statement."""
    if not events:
        return
    if connection.vendor == "postgresql":
        payload = json.dumps([{"flag_id": f, "kind": k, "level": lv} for f, k, lv in events])
        with connection.cursor() as cursor:
            cursor.execute(_EVENTS_INSERT_SQL, {"now": now, "rows": payload})
        return
    RiskFlagEvent.objects.bulk_create([RiskFlagEvent(flag_id=f, kind=k, at=now, level=lv) for f, k, lv in events])


_LEVELS_UPSERT_SQL = """
INSERT INTO risk_officerrisklevel (officer_id, level, score, contributing_rules, computed_at)
SELECT r.officer_id, r.level, r.score, r.contributing_rules, %(now)s
FROM jsonb_to_recordset(%(rows)s::jsonb) AS r(officer_id bigint, level text, score integer, contributing_rules jsonb)
ON CONFLICT (officer_id) DO UPDATE SET
    level = EXCLUDED.level, score = EXCLUDED.score, contributing_rules = EXCLUDED.contributing_rules,
    computed_at = EXCLUDED.computed_at
"""


def _levels_upsert(rows: list[tuple[int, str, int, list[str]]], *, now) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        payload = json.dumps(
            [{"officer_id": o, "level": lv, "score": sc, "contributing_rules": r} for o, lv, sc, r in rows]
        )
        with connection.cursor() as cursor:
            cursor.execute(_LEVELS_UPSERT_SQL, {"now": now, "rows": payload})
        return
    OfficerRiskLevel.objects.bulk_create(
        [
            OfficerRiskLevel(officer_id=o, level=lv, score=sc, contributing_rules=r, computed_at=now)
            for o, lv, sc, r in rows
        ],
        update_conflicts=True,
        unique_fields=["officer"],
        update_fields=["level", "score", "contributing_rules", "computed_at"],
    )


def _levels_recompute(*, officer_ids, severities, now) -> None:
    flags = engine.restrict(
        RiskFlag.objects.filter(active=True).exclude(triage_status=TriageStatus.FALSE_POSITIVE).order_by(),
        officer_ids,
        "officer_id",
    ).values_list("officer_id", "rule_code", "level")
    by_officer: dict[int, list[tuple[str, str]]] = {}
    for officer_id, code, level in flags:
        by_officer.setdefault(officer_id, []).append((code, level))
    # The stored rules compared as JSON text, not decoded (22,000 json.loads were most of this read): both
    # databases give back the text json.dumps writes for a list of codes, '["a", "b"]'.
    existing = {
        officer_id: (level, score, rules)
        for officer_id, level, score, rules in engine.restrict(
            OfficerRiskLevel.objects.order_by(), officer_ids, "officer_id"
        ).values_list("officer_id", "level", "score", Cast("contributing_rules", TextField()))
    }
    rows = []
    for officer_id, items in by_officer.items():
        level, score = combined_level(items, severities)
        rules = sorted(code for code, _ in items)
        if existing.get(officer_id) != (level, score, json.dumps(rules)):
            rows.append((officer_id, level, score, rules))
    _levels_upsert(rows, now=now)
    # No flag left: no row (level none). Derived data, so nothing of history is lost.
    gone = existing.keys() - by_officer.keys()
    if gone:
        OfficerRiskLevel.objects.filter(officer_id__in=gone).delete()
