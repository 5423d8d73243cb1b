"""Casework under the Police (Conduct) Regulations 2020, as one explicit state machine.

intake -> IOPC referral check -> severity assessment -> investigation -> case to answer (or no case
to answer: closed) -> proceedings on a route -> outcome -> appeal -> closed.

`case_transition` is the only way a case changes state: it looks the action up in CASE_ACTIONS
(from-state, to-state), checks the user's right to act on this case, locks the row, applies the
action's rules, saves with update_fields and writes a CaseEvent, all in one transaction."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from guardian.shortcuts import assign_perm

from cases.roles import Role, has_role

from .. import events
from ..calendar import months_after, working_days_after
from ..models import (
    APPEALABLE_OUTCOMES,
    DEATH_OR_SERIOUS_INJURY_GROUND,
    DISMISSALS,
    IOPC_MANDATORY_REFERRAL,
    LEFT_STATUSES,
    OFFICER_RANKS,
    OPEN_CASE_STATUSES,
    OUTCOMES_BY_FORUM_AND_FINDING,
    Allegation,
    AllegationStatus,
    AppealResult,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    EmploymentStatus,
    Finding,
    IopcMode,
    IopcReferral,
    Officer,
    OfficerEvent,
    OfficerEventKind,
    Outcome,
    PersonKind,
    ProceedingsFinding,
    Rank,
    Route,
    Severity,
    Standard,
)
from .access import DomainError, investigator_conflicted, reference_next
from .submissions import submission_claim

S = CaseStatus


@dataclass(frozen=True)
class Action:
    label: str
    from_status: str
    to_status: str


# The whole workflow. An action not listed from the case's current state is refused.
CASE_ACTIONS: dict[str, Action] = {
    "start_referral_check": Action("Check for mandatory IOPC referral", S.INTAKE, S.IOPC_REFERRAL),
    "record_referral": Action("Record the IOPC referral decision", S.IOPC_REFERRAL, S.SEVERITY_ASSESSMENT),
    "assess_severity": Action("Record the severity assessment", S.SEVERITY_ASSESSMENT, S.INVESTIGATION),
    "give_written_notice": Action("Record the written notice given to the officer", S.INVESTIGATION, S.INVESTIGATION),
    "reassess_severity": Action("Re-assess the severity", S.INVESTIGATION, S.INVESTIGATION),
    # reg 14: a matter assessed as practice requiring improvement (neither misconduct nor gross
    # misconduct) is referred to the reflective practice review process, not investigated as misconduct.
    "refer_to_reflective_practice": Action(
        "Refer to the reflective practice review process", S.SEVERITY_ASSESSMENT, S.CLOSED
    ),
    "find_case_to_answer": Action("Case to answer", S.INVESTIGATION, S.CASE_TO_ANSWER),
    "find_no_case_to_answer": Action("No case to answer", S.INVESTIGATION, S.CLOSED),
    "choose_route": Action("Refer to misconduct proceedings", S.CASE_TO_ANSWER, S.PROCEEDINGS),
    # reg 49(1): on the investigator's statement under reg 21(3), during the investigation.
    "certify_special_conditions": Action(
        "Certify the special conditions: accelerated misconduct hearing", S.INVESTIGATION, S.PROCEEDINGS
    ),
    "record_outcome": Action("Record the finding and the outcome", S.PROCEEDINGS, S.OUTCOME),
    "lodge_appeal": Action("Lodge an appeal", S.OUTCOME, S.APPEAL),
    "decide_appeal": Action("Record the appeal result", S.APPEAL, S.CLOSED),
    "close": Action("Close the case", S.OUTCOME, S.CLOSED),
}

# Police staff: the force's staff disciplinary procedure (see OUTCOMES_BY_FORUM_AND_FINDING), on the same
# engine. The IOPC referral applies to them too (SI 2020/2 covers persons serving with the police); there is
# no severity assessment under reg 14 but the force classes the allegation as misconduct or gross
# misconduct; no reflective practice review process; one forum, a disciplinary hearing; an internal appeal.
STAFF_CASE_ACTIONS: dict[str, Action] = {
    name: CASE_ACTIONS[name]
    for name in CASE_ACTIONS
    if name not in ("refer_to_reflective_practice", "give_written_notice", "certify_special_conditions")
} | {
    "assess_severity": Action("Class the allegation (staff procedure)", S.SEVERITY_ASSESSMENT, S.INVESTIGATION),
    "choose_route": Action("Refer to a disciplinary hearing", S.CASE_TO_ANSWER, S.PROCEEDINGS),
}


def case_actions(case: Case) -> dict[str, Action]:
    """The workflow that applies to this case's subject: the Conduct Regulations for police officers and
    special constables (reg 4(1)), the staff disciplinary procedure for police staff."""
    return STAFF_CASE_ACTIONS if case.subject.kind == PersonKind.STAFF else CASE_ACTIONS


# The appropriate authority's decisions (for the Met, a senior DPS officer acting for the Commissioner,
# Police (Conduct) Regulations 2020, reg 2(1) "appropriate authority" and reg 2(3)-(4) delegation): the
# referral to the IOPC, the severity assessment and any re-assessment (reg 14), case to answer or not and
# the referral to misconduct proceedings (reg 23). An investigator investigates and reports (regs 16, 21)
# but cannot record these: only a DPS supervisor, acting for the appropriate authority, can.
APPROPRIATE_AUTHORITY_ACTIONS = frozenset(
    {
        "record_referral",
        "assess_severity",
        "reassess_severity",
        "refer_to_reflective_practice",
        "find_case_to_answer",
        "find_no_case_to_answer",
        "choose_route",
        "certify_special_conditions",
    }
)

# reg 42(9)(a): a written warning is in force for 18 months beginning with the day it is notified.
WRITTEN_WARNING_MONTHS = 18
# reg 42(9)(b), (10): a final written warning is in force for 2 years beginning with the day it is
# notified, or a longer period the person deciding sets, up to 5 years (the same words as reg 62(4)
# for accelerated hearings; ⚠ reg 42(10) itself was read only through reg 42(11)'s reference to it).
FINAL_WRITTEN_WARNING_YEARS = 2
FINAL_WRITTEN_WARNING_MAX_YEARS = 5
# reg 45(3)(a): notice of a meeting appeal "before the end of 7 working days beginning with the first
# working day after the report is given to the officer under regulation 43".
MEETING_APPEAL_WORKING_DAYS = 7


def actions_available(case: Case) -> list[str]:
    return [name for name, action in case_actions(case).items() if action.from_status == case.status]


def may_decide_for_the_appropriate_authority(user, case: Case) -> bool:
    return has_role(user, Role.SUPERVISOR) and not investigator_conflicted(user=user, officer_id=case.subject_id)


def actions_for(user, case: Case) -> list[str]:
    """The actions this user may take on this case now: what the table allows from its state, less the
    appropriate authority's decisions for anyone not acting for it."""
    if not may_work_on_case(user, case):
        return []
    authority = may_decide_for_the_appropriate_authority(user, case)
    return [a for a in actions_available(case) if authority or a not in APPROPRIATE_AUTHORITY_ACTIONS]


def may_work_on_case(user, case: Case) -> bool:
    """The assigned investigator (who holds the object grant) or a DPS supervisor."""
    if has_role(user, Role.SUPERVISOR):
        return not investigator_conflicted(user=user, officer_id=case.subject_id)
    return has_role(user, Role.INVESTIGATOR) and user.has_perm("cases.change_case", case)


def final_written_warning_in_force(*, officer_id: int, on: dt.date, excluding_case_id: int | None = None) -> bool:
    """Was a final written warning in force for this person on that day (reg 42(5), (8))? A warning is in
    force from the day it was notified to its last day (reg 42(9)-(10)); one quashed or replaced on appeal
    no longer has the outcome, so it no longer counts (reg 47(3))."""
    qs = Case.objects.filter(
        subject_id=officer_id,
        outcome=Outcome.FINAL_WRITTEN_WARNING,
        outcome_notified_on__lte=on,
        warning_ends_on__gte=on,
    )
    if excluding_case_id:
        qs = qs.exclude(pk=excluding_case_id)
    return qs.exists()


def warning_last_day(*, outcome: str, notified_on: dt.date, years: int | None = None) -> dt.date | None:
    """The last day a warning notified on `notified_on` is in force. reg 42(9): "a period of 18 months [2
    years] beginning with the day on which it was notified": the period ends the day before the
    corresponding date, or on the last day of the month where that month has no corresponding date (a
    warning notified on 29 February 2028 for 2 years is in force up to 28 February 2030; one notified on
    1 March 2027 for 5 years, up to 29 February 2032)."""
    if outcome == Outcome.WRITTEN_WARNING:
        months = WRITTEN_WARNING_MONTHS
    elif outcome == Outcome.FINAL_WRITTEN_WARNING:
        months = 12 * (years or FINAL_WRITTEN_WARNING_YEARS)
    else:
        return None
    corresponding = months_after(notified_on, months)  # clamped to the month's last day when it has none
    return corresponding if corresponding.day != notified_on.day else corresponding - dt.timedelta(days=1)


def _severity_test_date(case: Case) -> dt.date:
    # reg 42(5): the date of the severity assessment. Cases recorded before that date was kept fall
    # back to the day they were opened (the assessment came after it, so no later warning is missed).
    return case.severity_assessed_on or timezone.localtime(case.opened_at).date()


def routes_allowed(case: Case) -> list[str]:
    """Which misconduct proceedings the appropriate authority may refer a case with a case to answer to
    (reg 23(1)(c)): gross misconduct to a misconduct hearing (or, with the special conditions certified,
    an accelerated hearing, reg 49); misconduct to a misconduct meeting, or to a hearing where a final
    written warning was in force on the date of the severity assessment (reg 42(5)) or the misconduct
    arises from more than one incident not closely factually connected (reg 42(6)): only a hearing can
    then impose reduction in rank or dismissal (reg 42(3)(a)). ⚠ reg 23's own forum paragraphs were not
    read; these are the forums reg 42 gives each case."""
    if case.subject.kind == PersonKind.STAFF:
        return [Route.STAFF_HEARING] if case.severity in (Severity.MISCONDUCT, Severity.GROSS_MISCONDUCT) else []
    if case.severity == Severity.GROSS_MISCONDUCT:
        # An accelerated hearing once the special conditions are certified (reg 49), at referral or before.
        return [Route.MISCONDUCT_HEARING, Route.ACCELERATED_HEARING]
    if case.severity == Severity.MISCONDUCT:
        live = final_written_warning_in_force(
            officer_id=case.subject_id, on=_severity_test_date(case), excluding_case_id=case.pk
        )
        return [Route.MISCONDUCT_MEETING, *([Route.MISCONDUCT_HEARING] if live or case.several_incidents else [])]
    return []


def outcomes_allowed(case: Case, finding: str, *, several_incidents: bool = False) -> list[str]:
    """The outcomes this case's forum may give on that finding, for this person (reg 42)."""
    allowed = list(OUTCOMES_BY_FORUM_AND_FINDING.get(case.route, {}).get(finding, []))
    live = final_written_warning_in_force(
        officer_id=case.subject_id, on=_severity_test_date(case), excluding_case_id=case.pk
    )
    if live:
        # reg 42(8): with a final written warning in force on the date of the severity assessment, neither
        # a written warning nor a final written warning may be given.
        allowed = [o for o in allowed if o not in (Outcome.WRITTEN_WARNING, Outcome.FINAL_WRITTEN_WARNING)]
    if case.route == Route.STAFF_HEARING:
        # Staff procedure: dismissal with notice for misconduct only while a final written warning is live.
        if finding == ProceedingsFinding.MISCONDUCT and not live:
            allowed = [o for o in allowed if o != Outcome.DISMISSAL_WITH_NOTICE]
    elif finding == ProceedingsFinding.MISCONDUCT and not (live or several_incidents or case.several_incidents):
        # reg 42(3)(a)(iii)-(iv): for misconduct, reduction in rank and dismissal only where para (5) (a
        # final written warning in force on the date of the severity assessment) or para (6) (more than
        # one incident, not closely factually connected) applies.
        allowed = [o for o in allowed if o not in (Outcome.REDUCTION_IN_RANK, Outcome.DISMISSAL)]
    if not _may_be_reduced_in_rank(case.subject):
        allowed = [o for o in allowed if o != Outcome.REDUCTION_IN_RANK]
    return allowed


def _may_be_reduced_in_rank(person: Officer) -> bool:
    # Constable is the lowest rank of a police force (Police Regulations 2003, reg 4(1)): a constable has
    # no rank to be reduced to, and police staff hold grades, not ranks.
    return person.kind == PersonKind.OFFICER and person.rank in OFFICER_RANKS and person.rank != Rank.CONSTABLE


def case_open(
    *, subject: Officer, allegations: list[Allegation], by, restricted: bool = False, once_token: str = ""
) -> Case:
    """Open a case grouping open allegations about one subject. The opener, if an investigator,
    is assigned to it. The allegations are locked and must not be in a case yet, so two racing
    opens make one case; a repeat of the same form (same `once_token`) gets the first case back."""
    if not has_role(by, Role.INVESTIGATOR, Role.SUPERVISOR):
        raise DomainError("Only DPS investigators and supervisors open cases.")
    if investigator_conflicted(user=by, officer_id=subject.pk):
        raise DomainError("You are conflicted on this officer and cannot open a case about them.")
    if not allegations:
        raise DomainError("Choose at least one allegation to investigate.", field="allegation")
    with transaction.atomic():
        claim = submission_claim(token=once_token, by=by, purpose="case_open")
        if claim.replayed:
            return Case.objects.get(pk=claim.replayed_id)
        locked = list(Allegation.objects.select_for_update().filter(pk__in=[a.pk for a in allegations]))
        if not locked:
            raise DomainError("Choose at least one allegation to investigate.", field="allegation")
        if any(a.subject_id != subject.pk for a in locked):
            raise DomainError("A case groups allegations about one subject only.")
        if any(a.case_id is not None for a in locked):
            raise DomainError("One of those allegations is already part of a case.")
        now = timezone.now()
        case = Case.objects.create(
            reference=reference_next(prefix=f"DPS-{now.year}"),
            subject=subject,
            came_to_notice_on=min(a.received_on for a in locked),
            opened_at=now,
            restricted=restricted,
            investigator=by if has_role(by, Role.INVESTIGATOR) else None,
            created_by=by,
            updated_by=by,
        )
        Allegation.objects.filter(pk__in=[a.pk for a in locked]).update(case=case, updated_by=by)
        if case.investigator_id:
            assign_perm("cases.change_case", by, case)
            assign_perm("cases.view_case", by, case)
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventKind.OPENED,
            actor=by,
            to_status=case.status,
            detail={"allegations": [a.pk for a in locked]},
        )
        claim.done(case.pk)
    return case


def case_transition(*, case: Case, action: str, by, today: dt.date | None = None, **data) -> Case:
    """Move a case along the workflow; see CASE_ACTIONS. Refuses anything the table or the
    regulations do not allow, with a message saying why, and changes nothing then."""
    if action not in CASE_ACTIONS:
        raise DomainError("Unknown action.")
    today = today or timezone.localdate()
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("subject").get(pk=case.pk)
        table = case_actions(case)
        if action not in table:
            raise DomainError(f"“{CASE_ACTIONS[action].label}” is not part of the police staff disciplinary procedure.")
        step = table[action]
        if case.status != step.from_status:
            raise DomainError(
                f"“{step.label}” is not possible now: the case is at {case.get_status_display().lower()}."
            )
        if not may_work_on_case(by, case):
            raise DomainError("Only the assigned investigator or a DPS supervisor can move this case on.")
        if action in APPROPRIATE_AUTHORITY_ACTIONS and not may_decide_for_the_appropriate_authority(by, case):
            raise DomainError(f"“{step.label}” is the appropriate authority's decision: a DPS supervisor records it.")
        before = {f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields}
        changed = _RULES[action](case, today=today, by=by, **data)
        previous = case.status
        case.status = step.to_status
        if step.to_status == S.CLOSED:
            case.closed_at = timezone.now()
            changed = [*changed, "closed_at"]
        case.updated_by = by
        case.save(update_fields=sorted({*changed, "status", "updated_by", "updated_at"}))
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventKind.TRANSITION,
            actor=by,
            from_status=previous,
            to_status=case.status,
            detail={
                "action": action,
                **{k: _plain(v) for k, v in data.items()},
                # What the move changed on the case, before and after: the history of each decision.
                "changed": {
                    f: [_plain(before[f]), _plain(getattr(case, f))]
                    for f in changed
                    if f in before and before[f] != getattr(case, f)
                },
            },
        )
        events.publish_on_commit(
            events.case_moved,
            case_id=case.pk,
            officer_id=case.subject_id,
            action=action,
            outcome=case.outcome,
            severity=case.severity,
            actor_id=by.pk,
        )
        if action == "record_outcome" and case.outcome in DISMISSALS:
            _officer_leaves(case.subject_id, EmploymentStatus.DISMISSED, today, by, f"Dismissed: {case.reference}")
        if action == "decide_appeal" and case.outcome_before_appeal in DISMISSALS and case.outcome not in DISMISSALS:
            _officer_reinstated(case, by)
    return case


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


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


def _record_outcome(
    case,
    *,
    finding: str = "",
    outcome: str = "",
    today,
    by,
    notified_on: dt.date | None = None,
    warning_years: int | None = None,
    several_incidents: bool = False,
    conducted_by: str = "",
    panel_members: str = "",
    legal_adviser: str = "",
    **_,
):
    """reg 42: the meeting or hearing first finds, then chooses among the outcomes that finding allows. The
    decision is recorded as its makers': the person conducting a meeting (reg 28(1)(a), (3)), or a hearing
    panel's chair and its two members appointed by the local policing body, with the legally qualified
    person who advised them (reg 28(1)(b), (4) as substituted by SI 2024/521 from 7 May 2024)."""
    findings = OUTCOMES_BY_FORUM_AND_FINDING.get(case.route, {})
    if finding not in findings:
        names = ", ".join(ProceedingsFinding(f).label.lower() for f in findings)
        raise DomainError(f"A {case.get_route_display().lower()} finds one of: {names}.", field="finding")
    allowed = outcomes_allowed(case, finding, several_incidents=several_incidents)
    if outcome not in allowed:
        shown = Outcome(outcome).label if outcome in Outcome.values else (outcome or "no outcome")
        names = ", ".join(Outcome(o).label.lower() for o in allowed) or "none"
        raise DomainError(
            f"On a finding of {ProceedingsFinding(finding).label.lower()} this case cannot end in “{shown}”; "
            f"it can end in: {names}.",
            field="outcome",
        )
    case.proceedings_panel = _panel(case.route, conducted_by, panel_members, legal_adviser)
    certifier = case.special_conditions_certified_by
    if (
        case.route == Route.ACCELERATED_HEARING
        and certifier
        and conducted_by.strip().lower()
        in (
            certifier.get_full_name().strip().lower(),
            certifier.username.lower(),
        )
    ):
        # reg 2(4C) (SI 2024/521): the person conducting an accelerated hearing is not the one who certified it.
        raise DomainError(
            "The person who certified the special conditions cannot conduct the hearing.", field="conducted_by"
        )
    notified_on = notified_on or today
    if notified_on < today:
        raise DomainError("The outcome cannot be notified before it was decided.", field="notified_on")
    if warning_years is not None and outcome != Outcome.FINAL_WRITTEN_WARNING:
        raise DomainError("Only a final written warning has a period to set.", field="warning_years")
    if (
        warning_years is not None
        and not FINAL_WRITTEN_WARNING_YEARS <= warning_years <= FINAL_WRITTEN_WARNING_MAX_YEARS
    ):
        raise DomainError("A final written warning lasts from 2 to 5 years.", field="warning_years")
    case.proceedings_finding, case.outcome, case.outcome_on, case.outcome_notified_on = (
        finding,
        outcome,
        today,
        notified_on,
    )
    case.several_incidents = case.several_incidents or bool(several_incidents)
    case.warning_ends_on = warning_last_day(outcome=outcome, notified_on=notified_on, years=warning_years)
    upheld = finding in (ProceedingsFinding.MISCONDUCT, ProceedingsFinding.GROSS_MISCONDUCT)
    case.allegations.update(status=AllegationStatus.UPHELD if upheld else AllegationStatus.NOT_UPHELD, updated_by=by)
    return [
        "proceedings_panel",
        "proceedings_finding",
        "outcome",
        "outcome_on",
        "outcome_notified_on",
        "warning_ends_on",
        "several_incidents",
    ]


def _panel(route: str, conducted_by: str, panel_members: str, legal_adviser: str) -> dict:
    conducted_by = conducted_by.strip()
    members = [m.strip() for m in panel_members.replace("\n", ",").split(",") if m.strip()]
    if route == Route.MISCONDUCT_MEETING:
        if not conducted_by:
            raise DomainError(
                "Name the person who conducted the meeting or the staff hearing (and their rank or grade).",
                field="conducted_by",
            )
        return {"conducted_by": conducted_by}
    if not conducted_by:
        raise DomainError("Name the chair of the hearing.", field="conducted_by")
    if route == Route.MISCONDUCT_HEARING and len(members) != 2:
        raise DomainError(
            "Name the two panel members appointed by the local policing body, separated by a comma.",
            field="panel_members",
        )
    if route == Route.MISCONDUCT_HEARING and not legal_adviser.strip():
        raise DomainError("Name the legally qualified person who advised the panel.", field="legal_adviser")
    return {"chair": conducted_by, "members": members, "legal_adviser": legal_adviser.strip()}


def _lodge_appeal(case, *, lodged_on: dt.date | None = None, today, **_):
    lodged_on = lodged_on or today
    if case.outcome not in APPEALABLE_OUTCOMES:
        raise DomainError("Only a finding with disciplinary action can be appealed.")
    if lodged_on > today:
        raise DomainError("An appeal cannot be lodged in the future.", field="lodged_on")
    notified_on = case.outcome_notified_on or case.outcome_on
    if lodged_on < notified_on:
        raise DomainError("An appeal cannot be lodged before the outcome was notified.", field="lodged_on")
    if case.route == Route.MISCONDUCT_MEETING:
        # reg 45(3)(a): day 1 is the first working day after the outcome report was given to the officer.
        deadline = working_days_after(notified_on, MEETING_APPEAL_WORKING_DAYS)
        if lodged_on > deadline:
            raise DomainError(
                f"An appeal from a misconduct meeting must be lodged within 7 working days (by {deadline:%d %b %Y}).",
                field="lodged_on",
            )
    # After a hearing the appeal lies to a Police Appeals Tribunal (Police Appeals Tribunals Rules 2020,
    # r 3(1) "original hearing"); ⚠ its time limit (r 9) was not read and is not enforced.
    case.appeal_lodged_on = lodged_on
    return ["appeal_lodged_on"]


def _decide_appeal(case, *, result: str = "", outcome: str = "", **_):
    """reg 47(1): the person deciding a meeting appeal may confirm or reverse the decision, or deal with the
    officer in any manner the meeting could have (the Police Appeals Tribunal likewise after a hearing,
    Police Act 1996 Sch 6 para 7). The decision takes effect by substitution, as from the date the
    original outcome was notified (reg 47(3)): a substituted warning runs from that date, a reversed one
    never counts, and a reversed dismissal reinstates the officer."""
    if result not in AppealResult.values:
        raise DomainError("Record whether the appeal was upheld, allowed in part or dismissed.", field="result")
    case.appeal_result = result
    fields = ["appeal_result"]
    if result == AppealResult.DISMISSED:
        return fields
    case.outcome_before_appeal = case.outcome
    if result == AppealResult.UPHELD:
        case.outcome, case.warning_ends_on = Outcome.QUASHED_ON_APPEAL, None
        case.allegations.update(status=AllegationStatus.NOT_UPHELD)
    else:
        substitutes = [
            o
            for o in outcomes_allowed(case, case.proceedings_finding)
            if o != case.outcome and o in APPEALABLE_OUTCOMES
        ]
        if outcome not in substitutes:
            names = ", ".join(Outcome(o).label.lower() for o in substitutes) or "none"
            raise DomainError(f"Choose the outcome the appeal substitutes: {names}.", field="outcome")
        case.outcome = outcome
        notified_on = case.outcome_notified_on or case.outcome_on
        case.warning_ends_on = warning_last_day(outcome=outcome, notified_on=notified_on)
    return [*fields, "outcome_before_appeal", "outcome", "warning_ends_on"]


def _close(case, **_):
    return []


_RULES = {
    "start_referral_check": _start_referral_check,
    "record_referral": _record_referral,
    "assess_severity": _assess_severity,
    "give_written_notice": _give_written_notice,
    "reassess_severity": _reassess_severity,
    "refer_to_reflective_practice": _refer_to_reflective_practice,
    "find_case_to_answer": _find_case_to_answer,
    "find_no_case_to_answer": _find_no_case_to_answer,
    "choose_route": _choose_route,
    "certify_special_conditions": _certify_special_conditions,
    "record_outcome": _record_outcome,
    "lodge_appeal": _lodge_appeal,
    "decide_appeal": _decide_appeal,
    "close": _close,
}
assert set(_RULES) == set(CASE_ACTIONS)  # noqa: S101 - a table and its rules must not drift apart


def officer_status_write(officer: Officer, status: str, *, by, reason: str, left_on=...) -> None:
    """Record a status change on an officer row the caller has locked: the event, then the row. `left_on`
    is set when given (None clears it)."""
    OfficerEvent.objects.create(
        officer=officer,
        kind=OfficerEventKind.STATUS_CHANGED,
        actor=by,
        from_value=officer.status,
        to_value=status,
        reason=reason,
    )
    officer.status, officer.updated_by = status, by
    fields = ["status", "updated_by", "updated_at"]
    if left_on is not ...:
        officer.left_on = left_on
        fields.append("left_on")
    officer.save(update_fields=fields)


def _officer_leaves(officer_id, status, on, by, reason):
    officer = Officer.objects.select_for_update().get(pk=officer_id)
    if officer.status == status:
        return
    officer_status_write(officer, status, by=by, reason=reason, left_on=max(on, officer.joined_on))


def _officer_reinstated(case: Case, by) -> None:
    """A dismissal reversed or replaced on appeal takes effect as from the original decision (reg 47(3);
    Police Act 1996 Sch 6 para 7): the officer is serving again, so off the barred list, and the further
    report to the College of Policing is due (Police Act 1996 s 88F ⚠ not read)."""
    officer = Officer.objects.select_for_update().get(pk=case.subject_id)
    if officer.status != EmploymentStatus.DISMISSED:
        return
    reason = (
        f"Reinstated: dismissal in {case.reference} {case.get_appeal_result_display().lower()}; "
        "removed from the barred list."
    )
    officer_status_write(officer, EmploymentStatus.SERVING, by=by, reason=reason, left_on=None)


def officer_status_change(*, officer: Officer, status: str, by, reason: str, on: dt.date | None = None) -> Officer:
    """Put an officer on or off restricted duties or suspension, or record that they left: a
    recorded event every time."""
    if status not in EmploymentStatus.values:
        raise DomainError("Unknown status.")
    if not has_role(by, Role.SUPERVISOR, Role.INVESTIGATOR):
        raise DomainError("Only DPS staff change an officer's status.")
    if investigator_conflicted(user=by, officer_id=officer.pk):
        raise DomainError("You are conflicted on this officer.")
    if not reason.strip():
        raise DomainError("Give the reason for the change.", field="reason")
    on = on or timezone.localdate()
    with transaction.atomic():
        officer = Officer.objects.select_for_update().get(pk=officer.pk)
        if officer.status == status:
            raise DomainError(f"The officer is already {officer.get_status_display().lower()}.")
        if officer.status in LEFT_STATUSES:
            raise DomainError("The officer has left the force.")
        left_on = max(on, officer.joined_on) if status in LEFT_STATUSES else ...
        officer_status_write(officer, status, by=by, reason=reason.strip(), left_on=left_on)
    return officer


def barred_list(officers=None):
    """Everyone dismissed (College of Policing barred list)."""
    qs = Officer.objects.all() if officers is None else officers
    return qs.filter(status=EmploymentStatus.DISMISSED)


def advisory_list(officers=None):
    """The police advisory list (Police Act 1996 s 88I, s 88L): a person who resigned or retired after an
    allegation about them came to the force's attention and before the proceedings on it were concluded
    (s 88I(1)(a)), or about whom an allegation came to attention after they left (s 88I(1)(b)), while those
    proceedings are pending. They come off when it is determined no proceedings will be brought (no case to
    answer: also the s 88I(2) exception when decided before they left), when the proceedings are withdrawn,
    or when they conclude without a finding that the person would have been dismissed (s 88L(1)-(2)); such
    a finding moves them to the barred list instead (s 88L(5), s 88A(1)(b)). So: leavers with a case still
    open about them. ⚠ The report itself (SI 2017/1135 reg 12, within 5 working days) is not modelled."""
    from django.db.models import Exists, OuterRef

    qs = Officer.objects.all() if officers is None else officers
    pending = Case.objects.filter(subject=OuterRef("pk"), status__in=OPEN_CASE_STATUSES)
    return qs.filter(status__in=[EmploymentStatus.RESIGNED, EmploymentStatus.RETIRED]).filter(Exists(pending))


def case_note_add(*, case: Case, by, note: str, once_token: str = "") -> CaseEvent:
    """An entry in the case's investigation log, by someone who works on the case: who and when are the
    event's. A resent form (same token) adds it once."""
    note = (note or "").strip()
    if not may_work_on_case(by, case):
        raise DomainError("Only the assigned investigator or a DPS supervisor adds to the log.")
    if not note:
        raise DomainError("Write the note.", field="note")
    with transaction.atomic():
        claim = submission_claim(token=once_token, by=by, purpose="case_note")
        if claim.replayed:
            return CaseEvent.objects.get(pk=claim.replayed_id)
        event = CaseEvent.objects.create(case=case, kind=CaseEventKind.NOTE, actor=by, note=note)
        claim.done(event.pk)
    return event


def case_timeliness_report_record(*, case: Case, by, note: str, today: dt.date | None = None) -> Case:
    """Regulation 19: record the report to the local policing body (progress, estimated end, reasons for
    delay, next steps)."""
    note = (note or "").strip()
    if not note:
        raise DomainError(
            "Write the report: progress, estimated end date, reasons for delay and next steps.", field="note"
        )
    today = today or timezone.localdate()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if not may_work_on_case(by, case):
            raise DomainError("Only the assigned investigator or a DPS supervisor reports on this case.")
        last = case.events.filter(kind=CaseEventKind.TIMELINESS_REPORT).order_by("-at", "-id").first()
        if case.last_timeliness_report_on == today and last is not None and last.note == note:
            return case  # the same report sent twice (a double click): recorded once
        case.last_timeliness_report_on, case.updated_by = today, by
        case.save(update_fields=["last_timeliness_report_on", "updated_by", "updated_at"])
        CaseEvent.objects.create(case=case, kind=CaseEventKind.TIMELINESS_REPORT, actor=by, note=note)
    return case


def allegation_record(
    *,
    subject: Officer,
    category: str,
    source: str,
    received_on: dt.date,
    narrative: str,
    by,
    incident_on: dt.date | None = None,
    complainant_ref: str = "",
    death_or_serious_injury: bool = False,
    today: dt.date | None = None,
    once_token: str = "",
) -> Allegation:
    """Record an allegation against an officer or member of staff: by DPS staff (or hotline triage)
    not conflicted on them, with a known category and source, dates not in the future and the
    incident not after it came to notice, and a narrative. A repeat of the same form (same
    `once_token`, e.g. a double click) returns the allegation the first one recorded."""
    from ..models import AllegationCategory, AllegationSource

    today = today or timezone.localdate()
    if not has_role(by, Role.INVESTIGATOR, Role.SUPERVISOR, Role.HOTLINE_TRIAGE):
        raise DomainError("Only DPS staff record allegations.")
    if investigator_conflicted(user=by, officer_id=subject.pk):
        raise DomainError("You are conflicted on this officer.")
    if category not in AllegationCategory.values:
        raise DomainError("Choose the category of the allegation.", field="category")
    if source not in AllegationSource.values:
        raise DomainError("Choose the source of the allegation.", field="source")
    if received_on is None:
        raise DomainError("Say when the allegation came to notice.", field="received_on")
    if received_on > today:
        raise DomainError("This date is in the future.", field="received_on")
    if incident_on and incident_on > today:
        raise DomainError("This date is in the future.", field="incident_on")
    if incident_on and incident_on > received_on:
        raise DomainError("The incident cannot come after the allegation was received.", field="incident_on")
    narrative, complainant_ref = (narrative or "").strip(), (complainant_ref or "").strip()
    if not narrative:
        raise DomainError("Describe what is alleged.", field="narrative")
    with transaction.atomic():
        claim = submission_claim(token=once_token, by=by, purpose="allegation_record")
        if claim.replayed:
            return Allegation.objects.get(pk=claim.replayed_id)
        allegation = Allegation.objects.create(
            subject=subject,
            category=category,
            source=source,
            received_on=received_on,
            incident_on=incident_on,
            narrative=narrative,
            complainant_ref=complainant_ref,
            death_or_serious_injury=bool(death_or_serious_injury),
            created_by=by,
            updated_by=by,
        )
        claim.done(allegation.pk)
    return allegation
