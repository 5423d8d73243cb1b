"""Casework under the Police (Conduct) Regulations 2020, as one explicit state machine.

intake -> IOPC referral check -> severity assessment -> investigation -> case to answer (or no case
to answer: closed) -> proceedings on a route -> outcome -> appeal -> closed.

`case_transition` is the only way a case changes state: it looks the action up in CASE_ACTIONS
(from-state, to-state), checks the user's right to act on this case, locks the row, applies the
action's rules, saves with update_fields and writes a CaseEvent, all in one transaction."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from misconduct.roles import Role, has_role

from ..calendar import working_days_after
from ..models import (
    HEARING_ROUTES,
    IOPC_MANDATORY_CATEGORIES,
    LEFT_STATUSES,
    OPEN_CASE_STATUSES,
    OUTCOMES_BY_ROUTE,
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
    "find_case_to_answer": Action("Case to answer", S.INVESTIGATION, S.CASE_TO_ANSWER),
    "find_no_case_to_answer": Action("No case to answer", S.INVESTIGATION, S.CLOSED),
    "choose_route": Action("Choose the route", S.CASE_TO_ANSWER, S.PROCEEDINGS),
    "record_outcome": Action("Record the outcome", S.PROCEEDINGS, S.OUTCOME),
    "lodge_appeal": Action("Lodge an appeal", S.OUTCOME, S.APPEAL),
    "decide_appeal": Action("Record the appeal result", S.APPEAL, S.CLOSED),
    "close": Action("Close the case", S.OUTCOME, S.CLOSED),
}

# Which routes a severity allows.
ROUTES_BY_SEVERITY = {
    Severity.NEITHER: [Route.REFLECTIVE_PRACTICE],
    Severity.MISCONDUCT: [Route.REFLECTIVE_PRACTICE, Route.MISCONDUCT_MEETING, Route.MISCONDUCT_HEARING],
    Severity.GROSS_MISCONDUCT: [Route.MISCONDUCT_HEARING, Route.ACCELERATED_HEARING],
}
FINAL_WRITTEN_WARNING_YEARS = 2
MEETING_APPEAL_WORKING_DAYS = 7


def actions_available(case: Case) -> list[str]:
    return [name for name, action in CASE_ACTIONS.items() if action.from_status == case.status]


def may_work_on_case(user, case: Case) -> bool:
    """The assigned investigator (who holds the object grant) or a DPS supervisor."""
    if has_role(user, Role.SUPERVISOR):
        return not investigator_conflicted(user=user, officer_id=case.subject_id)
    return has_role(user, Role.INVESTIGATOR) and user.has_perm("cases.change_case", case)


def live_final_written_warning(*, officer_id: int, on: dt.date, excluding_case_id: int | None = None) -> bool:
    since = on - dt.timedelta(days=365 * FINAL_WRITTEN_WARNING_YEARS)
    qs = Case.objects.filter(subject_id=officer_id, outcome=Outcome.FINAL_WRITTEN_WARNING, outcome_on__gte=since)
    if excluding_case_id:
        qs = qs.exclude(pk=excluding_case_id)
    return qs.exists()


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
    step = CASE_ACTIONS[action]
    today = today or timezone.localdate()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status != step.from_status:
            raise DomainError(
                f"“{step.label}” is not possible now: the case is at {case.get_status_display().lower()}."
            )
        if not may_work_on_case(by, case):
            raise DomainError("Only the assigned investigator or a DPS supervisor can move this case on.")
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
            detail={"action": action, **{k: _plain(v) for k, v in data.items()}},
        )
        if action == "record_outcome" and case.outcome == Outcome.DISMISSAL:
            _officer_leaves(case.subject_id, EmploymentStatus.DISMISSED, today, by, f"Dismissed: {case.reference}")
    return case


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _start_referral_check(case, **_):
    return []


def _record_referral(case, *, referral: str = "", mode: str = "", **_):
    if referral not in (IopcReferral.NOT_REQUIRED, IopcReferral.REFERRED):
        raise DomainError("Say whether the case was referred to the IOPC.")
    mandatory = case.allegations.filter(category__in=IOPC_MANDATORY_CATEGORIES).exists()
    if mandatory and referral != IopcReferral.REFERRED:
        raise DomainError("Referral to the IOPC is mandatory for these allegations.")
    if referral == IopcReferral.REFERRED and mode not in IopcMode.values:
        raise DomainError("Record the mode of investigation the IOPC decided: local, directed or independent.")
    if referral != IopcReferral.REFERRED and mode:
        raise DomainError("An investigation mode is only recorded when the IOPC was referred the case.")
    case.iopc_referral, case.iopc_mode = referral, mode if referral == IopcReferral.REFERRED else ""
    return ["iopc_referral", "iopc_mode"]


def _assess_severity(case, *, severity: str = "", standards: list[str] = (), **_):
    if severity not in Severity.values:
        raise DomainError("Choose the severity: neither, misconduct or gross misconduct.")
    standards = list(dict.fromkeys(standards or []))
    if not standards or any(s not in Standard.values for s in standards):
        raise DomainError("Choose the Standards of Professional Behaviour that would be breached.")
    case.severity, case.standards_breached = severity, standards
    return ["severity", "standards_breached"]


def _find_case_to_answer(case, **_):
    case.finding = Finding.CASE_TO_ANSWER
    return ["finding"]


def _find_no_case_to_answer(case, *, by, **_):
    case.finding, case.outcome = Finding.NO_CASE_TO_ANSWER, Outcome.NO_CASE_TO_ANSWER
    case.allegations.update(status=AllegationStatus.NOT_UPHELD, updated_by=by)
    return ["finding", "outcome"]


def _choose_route(case, *, route: str = "", **_):
    allowed = ROUTES_BY_SEVERITY.get(case.severity, [])
    if route not in allowed:
        names = ", ".join(Route(r).label.lower() for r in allowed) or "none"
        raise DomainError(f"A {case.get_severity_display().lower()} case can go to: {names}.")
    case.route = route
    return ["route"]


def _record_outcome(case, *, outcome: str = "", today, by, **_):
    allowed = OUTCOMES_BY_ROUTE.get(case.route, [])
    if outcome not in allowed:
        shown = Outcome(outcome).label if outcome in Outcome.values else (outcome or "no outcome")
        raise DomainError(f"A {case.get_route_display().lower()} cannot end in “{shown}”.")
    if outcome in (Outcome.REDUCTION_IN_RANK, Outcome.DISMISSAL):
        if case.route not in HEARING_ROUTES:
            raise DomainError("Reduction in rank and dismissal need a misconduct hearing.")
        if case.severity == Severity.MISCONDUCT and not live_final_written_warning(
            officer_id=case.subject_id, on=today, excluding_case_id=case.pk
        ):
            raise DomainError(
                "For misconduct (not gross misconduct), reduction in rank or dismissal needs a live final written "
                "warning."
            )
    case.outcome, case.outcome_on = outcome, today
    upheld = outcome not in (Outcome.NOT_PROVEN, Outcome.NO_FURTHER_ACTION)
    case.allegations.update(status=AllegationStatus.UPHELD if upheld else AllegationStatus.NOT_UPHELD, updated_by=by)
    return ["outcome", "outcome_on"]


def _lodge_appeal(case, *, lodged_on: dt.date | None = None, today, **_):
    lodged_on = lodged_on or today
    if lodged_on > today:
        raise DomainError("An appeal cannot be lodged in the future.")
    if lodged_on < case.outcome_on:
        raise DomainError("An appeal cannot be lodged before the outcome.")
    if case.route == Route.MISCONDUCT_MEETING:
        deadline = working_days_after(case.outcome_on, MEETING_APPEAL_WORKING_DAYS)
        if lodged_on > deadline:
            raise DomainError(
                f"An appeal from a misconduct meeting must be lodged within 7 working days (by {deadline:%d %b %Y})."
            )
    case.appeal_lodged_on = lodged_on
    return ["appeal_lodged_on"]


def _decide_appeal(case, *, result: str = "", **_):
    if result not in AppealResult.values:
        raise DomainError("Record whether the appeal was upheld or dismissed.")
    case.appeal_result = result
    return ["appeal_result"]


def _close(case, **_):
    return []


_RULES = {
    "start_referral_check": _start_referral_check,
    "record_referral": _record_referral,
    "assess_severity": _assess_severity,
    "find_case_to_answer": _find_case_to_answer,
    "find_no_case_to_answer": _find_no_case_to_answer,
    "choose_route": _choose_route,
    "record_outcome": _record_outcome,
    "lodge_appeal": _lodge_appeal,
    "decide_appeal": _decide_appeal,
    "close": _close,
}
assert set(_RULES) == set(CASE_ACTIONS)  # noqa: S101 - a table and its rules must not drift apart


def _officer_leaves(officer_id, status, on, by, reason):
    officer = Officer.objects.select_for_update().get(pk=officer_id)
    if officer.status == status:
        return
    OfficerEvent.objects.create(
        officer=officer,
        kind=OfficerEventKind.STATUS_CHANGED,
        actor=by,
        from_value=officer.status,
        to_value=status,
        reason=reason,
    )
    officer.status, officer.left_on, officer.updated_by = status, max(on, officer.joined_on), by
    officer.save(update_fields=["status", "left_on", "updated_by", "updated_at"])


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
        OfficerEvent.objects.create(
            officer=officer,
            kind=OfficerEventKind.STATUS_CHANGED,
            actor=by,
            from_value=officer.status,
            to_value=status,
            reason=reason.strip(),
        )
        officer.status, officer.updated_by = status, by
        fields = ["status", "updated_by", "updated_at"]
        if status in LEFT_STATUSES:
            officer.left_on = max(on, officer.joined_on)
            fields.append("left_on")
        officer.save(update_fields=fields)
    return officer


def barred_list(officers=None):
    """Everyone dismissed (College of Policing barred list)."""
    qs = Officer.objects.all() if officers is None else officers
    return qs.filter(status=EmploymentStatus.DISMISSED)


def advisory_list(officers=None):
    """Those who resigned or retired while a case about them was open (the advisory list)."""
    from django.db.models import Exists, OuterRef, Q

    qs = Officer.objects.all() if officers is None else officers
    under_investigation = Case.objects.filter(subject=OuterRef("pk"), opened_at__date__lte=OuterRef("left_on")).filter(
        Q(status__in=OPEN_CASE_STATUSES) | Q(closed_at__date__gte=OuterRef("left_on"))
    )
    return qs.filter(status__in=[EmploymentStatus.RESIGNED, EmploymentStatus.RETIRED]).filter(
        Exists(under_investigation)
    )


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
            created_by=by,
            updated_by=by,
        )
        claim.done(allegation.pk)
    return allegation
