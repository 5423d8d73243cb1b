"""Casework under the Police (Conduct) Regulations 2020, as one explicit state machine.

intake -> IOPC referral check -> severity assessment -> investigation -> case to answer (or no case
to answer: closed) -> proceedings on a route -> outcome -> appeal -> closed.

`case_transition` is the only way a case changes state: it looks the action up in CASE_ACTIONS
(from-state, to-state), checks the user's right to act on this case, locks the row, applies the
action's rules (steps.py, outcomes.py, appeals.py), saves with update_fields and writes a CaseEvent,
all in one transaction."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .. import events
from ..calendar import working_days_after
from ..errors import DomainError
from ..models import (
    DISMISSALS,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    PersonKind,
)
from .access import may_decide_for_the_appropriate_authority, may_work_on_case
from .appeals import MEETING_APPEAL_WORKING_DAYS, _decide_appeal, _lodge_appeal
from .intake import allegation_record, case_note_add, case_open, case_timeliness_report_record
from .lists import advisory_list, barred_list, barred_list_enter
from .officers import _officer_reinstated, officer_status_change, officer_status_write
from .outcomes import (
    FINAL_WRITTEN_WARNING_MAX_YEARS,
    FINAL_WRITTEN_WARNING_YEARS,
    WRITTEN_WARNING_MONTHS,
    _may_be_reduced_in_rank,
    _record_outcome,
    final_written_warning_in_force,
    outcomes_allowed,
    routes_allowed,
    warning_last_day,
)
from .steps import (
    _assess_severity,
    _certify_special_conditions,
    _choose_route,
    _close,
    _find_case_to_answer,
    _find_no_case_to_answer,
    _give_written_notice,
    _reassess_severity,
    _record_referral,
    _refer_to_reflective_practice,
    _start_referral_check,
    iopc_referral_grounds,
)

# Imported from here before the rules had modules of their own (casework.py grew past 800 lines).
__all__ = [
    "APPROPRIATE_AUTHORITY_ACTIONS",
    "CASE_ACTIONS",
    "FINAL_WRITTEN_WARNING_MAX_YEARS",
    "FINAL_WRITTEN_WARNING_YEARS",
    "MEETING_APPEAL_WORKING_DAYS",
    "STAFF_CASE_ACTIONS",
    "WRITTEN_WARNING_MONTHS",
    "Action",
    "_may_be_reduced_in_rank",
    "actions_available",
    "actions_for",
    "advisory_list",
    "allegation_record",
    "barred_list",
    "case_actions",
    "case_note_add",
    "case_open",
    "case_timeliness_report_record",
    "case_transition",
    "final_written_warning_in_force",
    "iopc_referral_grounds",
    "may_decide_for_the_appropriate_authority",
    "may_work_on_case",
    "officer_status_change",
    "officer_status_write",
    "outcomes_allowed",
    "routes_allowed",
    "warning_last_day",
    "working_days_after",
]

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


def actions_available(case: Case) -> list[str]:
    return [name for name, action in case_actions(case).items() if action.from_status == case.status]


def actions_for(user, case: Case) -> list[str]:
    """The actions this user may take on this case now: what the table allows from its state, less the
    appropriate authority's decisions for anyone not acting for it."""
    if not may_work_on_case(user, case):
        return []
    authority = may_decide_for_the_appropriate_authority(user, case)
    return [a for a in actions_available(case) if authority or a not in APPROPRIATE_AUTHORITY_ACTIONS]


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
            barred_list_enter(officer_id=case.subject_id, on=today, by=by, reason=f"Dismissed: {case.reference}")
        if action == "decide_appeal" and case.outcome_before_appeal in DISMISSALS and case.outcome not in DISMISSALS:
            _officer_reinstated(case, by)
    return case


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


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
