"""The appropriate authority's and the investigator's steps before proceedings: the IOPC referral, the
severity assessment (reg 14), the written notice (reg 17), case to answer (reg 23), the route and the
special conditions of an accelerated hearing (reg 49). Each takes the locked case and returns the fields
it changed; `case_transition` (casework.py) saves them with the move."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from ..errors import DomainError
from ..models import (
    DEATH_OR_SERIOUS_INJURY_GROUND,
    IOPC_MANDATORY_REFERRAL,
    Allegation,
    AllegationStatus,
    Case,
    Finding,
    IopcMode,
    IopcReferral,
    Outcome,
    Route,
    Severity,
    Standard,
)
from .convictions import severity_check
from .outcomes import routes_allowed


def _start_referral_check(case, **_):
    return []


def iopc_referral_grounds(case: Case) -> dict[int, str]:
    """{allegation id: the ground} for each of the case's allegations (and the past allegations an Onyx
    re-review reassesses in it) that must be referred to the IOPC (see IOPC_MANDATORY_REFERRAL). One query."""
    grounds = {}
    rows = Allegation.objects.filter(Q(case=case) | Q(reassessed_in_cases=case)).distinct()
    for allegation_id, category, dsi in rows.values_list("id", "category", "death_or_serious_injury"):
        if dsi:
            grounds[allegation_id] = DEATH_OR_SERIOUS_INJURY_GROUND
        elif category in IOPC_MANDATORY_REFERRAL:
            grounds[allegation_id] = IOPC_MANDATORY_REFERRAL[category]
    return grounds


def _record_referral(case, *, referral: str = "", mode: str = "", **_):
    if referral not in (IopcReferral.NOT_REQUIRED, IopcReferral.REFERRED):
        raise DomainError("Say whether the case was referred to the IOPC.")
    grounds = iopc_referral_grounds(case)
    if grounds and referral != IopcReferral.REFERRED:
        raise DomainError(
            "Referral to the IOPC is mandatory for these allegations: "
            + "; ".join(sorted(set(grounds.values())))
            + ".",
            field="referral",
        )
    if referral == IopcReferral.REFERRED and mode not in IopcMode.values:
        raise DomainError("Record the mode of investigation the IOPC decided: local, directed or independent.")
    if referral != IopcReferral.REFERRED and mode:
        raise DomainError("An investigation mode is only recorded when the IOPC was referred the case.")
    case.iopc_referral, case.iopc_mode = referral, mode if referral == IopcReferral.REFERRED else ""
    return ["iopc_referral", "iopc_mode"]


def _assess_severity(case, *, severity: str = "", standards: list[str] = (), today, **_):
    """reg 14(1): the appropriate authority assesses whether the conduct, if proved, would amount to
    misconduct or gross misconduct; its date is the reg 42(5) test date."""
    if severity not in (Severity.MISCONDUCT, Severity.GROSS_MISCONDUCT):
        raise DomainError(
            "Choose misconduct or gross misconduct. Practice requiring improvement is referred to the "
            "reflective practice review process instead.",
            field="severity",
        )
    severity_check(case, severity)  # an indictable-only conviction is gross misconduct (SI 2025/558 reg 6(2)(c))
    standards = _standards(standards)
    case.severity, case.standards_breached, case.severity_assessed_on = severity, standards, today
    return ["severity", "standards_breached", "severity_assessed_on"]


def _give_written_notice(case, *, given_on: dt.date | None = None, today, **_):
    """reg 17: the investigator gives the officer written notice of the investigation (the conduct, the
    severity assessment, the likely form of proceedings, the right to a police friend). Its date is reported
    under reg 19(1)(b). ⚠ reg 17's own text was read only through summaries."""
    given_on = given_on or today
    if given_on > today:
        raise DomainError("The notice cannot be given in the future.", field="given_on")
    if given_on < timezone.localtime(case.opened_at).date():
        raise DomainError("The notice cannot come before the case was opened.", field="given_on")
    case.written_notice_on = given_on
    return ["written_notice_on"]


def _reassess_severity(case, *, severity: str = "", reasons: str = "", **_):
    """The appropriate authority may re-assess the severity as the investigation goes on; the officer must
    be told, with reasons (reg 17 notice). The first assessment's date stays the reg 42(5) test date (⚠ which
    assessment counts after a re-assessment is not settled by the text read). The history is the case's
    events."""
    if severity not in (Severity.MISCONDUCT, Severity.GROSS_MISCONDUCT):
        raise DomainError("Choose misconduct or gross misconduct.", field="severity")
    if severity == case.severity:
        raise DomainError("That is the current severity.", field="severity")
    if not reasons.strip():
        raise DomainError("Give the reasons for the re-assessment: the officer is told them.", field="reasons")
    severity_check(case, severity)
    case.severity = severity
    return ["severity"]


def _standards(standards):
    standards = list(dict.fromkeys(standards or []))
    if not standards or any(s not in Standard.values for s in standards):
        raise DomainError("Choose the Standards of Professional Behaviour that would be breached.", field="standards")
    return standards


def _refer_to_reflective_practice(case, *, standards: list[str] = (), today, by, **_):
    """reg 14: assessed as practice requiring improvement, the matter goes to the reflective practice review
    process (Part 6), which is not a disciplinary outcome."""
    severity_check(case, Severity.NEITHER)
    case.severity, case.standards_breached, case.severity_assessed_on = Severity.NEITHER, _standards(standards), today
    case.route, case.outcome, case.outcome_on = Route.REFLECTIVE_PRACTICE, Outcome.REFLECTIVE_PRACTICE, today
    case.allegations.update(status=AllegationStatus.NOT_UPHELD, updated_by=by)
    return ["severity", "standards_breached", "severity_assessed_on", "route", "outcome", "outcome_on"]


def _find_case_to_answer(case, *, several_incidents: bool = False, **_):
    """reg 23(1)(a): case to answer. The authority also records whether the misconduct arises from more than
    one incident not closely factually connected (reg 42(6)), which decides the forum."""
    case.finding, case.several_incidents = Finding.CASE_TO_ANSWER, bool(several_incidents)
    return ["finding", "several_incidents"]


def _find_no_case_to_answer(case, *, by, reflective_practice: bool = False, today, **_):
    """reg 23(1)(a): no case to answer; the authority may then refer the matter to the reflective practice
    review process (⚠ reg 23(5): "must assess whether", read only in part)."""
    case.finding = Finding.NO_CASE_TO_ANSWER
    fields = ["finding", "outcome"]
    if reflective_practice:
        case.route, case.outcome, case.outcome_on = Route.REFLECTIVE_PRACTICE, Outcome.REFLECTIVE_PRACTICE, today
        fields += ["route", "outcome_on"]
    else:
        case.outcome = Outcome.NO_CASE_TO_ANSWER
    case.allegations.update(status=AllegationStatus.NOT_UPHELD, updated_by=by)
    return fields


def _choose_route(case, *, route: str = "", today, by, **data):
    allowed = routes_allowed(case)
    if route not in allowed:
        names = ", ".join(Route(r).label.lower() for r in allowed) or "none"
        raise DomainError(f"This case can be referred to: {names}.", field="route")
    case.route = route
    if route == Route.ACCELERATED_HEARING:
        return ["route", *_certify(case, today=today, by=by, **data)]
    return ["route"]


def _certify_special_conditions(case, *, today, by, **data):
    if case.severity != Severity.GROSS_MISCONDUCT:
        raise DomainError("Only a case assessed as gross misconduct can go to an accelerated hearing.")
    case.route = Route.ACCELERATED_HEARING
    return ["route", *_certify(case, today=today, by=by, **data)]


def _certify(
    case, *, today, by, sufficient_evidence: bool = False, public_interest: bool = False, reasons: str = "", **_
):
    """reg 49(2): the special conditions, both of them: (a) "sufficient evidence, in the form of written
    statements or other documents, to establish on the balance of probabilities that the conduct of the
    officer concerned constitutes gross misconduct", and (b) "it is in the public interest for the officer
    concerned to cease to be a member of a police force or a special constable without delay". The
    appropriate authority certifies the case (reg 49(4) ⚠, read through SI 2020/2 reg 26(3)) with its reasons."""
    if not sufficient_evidence:
        raise DomainError(
            "Special condition (a) (reg 49(2)(a)): confirm the written evidence establishes gross misconduct.",
            field="sufficient_evidence",
        )
    if not public_interest:
        raise DomainError(
            "Special condition (b) (reg 49(2)(b)): confirm the public interest requires the officer to leave "
            "without delay.",
            field="public_interest",
        )
    if not reasons.strip():
        raise DomainError("Give the reasons the special conditions are satisfied.", field="reasons")
    case.special_conditions_certified_on, case.special_conditions_certified_by = today, by
    case.special_conditions = {"evidence": True, "public_interest": True, "reasons": reasons.strip()}
    return ["special_conditions_certified_on", "special_conditions_certified_by", "special_conditions"]


def _close(case, **_):
    return []
