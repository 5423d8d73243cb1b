"""Recording what comes in and what happens alongside the workflow: allegations, the one way a case is
opened (`case_create`, used by `case_open` and by an Onyx re-review), the investigation log and the
reg 19 timeliness report."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from cases.fairness.stale import months_mark_stale
from cases.roles import Role, has_role

from ..errors import DomainError
from ..models import Allegation, AllegationCategory, AllegationSource, Case, CaseEvent, CaseEventKind, Officer
from ..references import reference_next
from .access import investigator_conflicted, may_work_on_case
from .submissions import submission_claim


def case_opener_check(*, by, officer_id: int) -> None:
    """Who may open a case about a person: DPS investigators and supervisors not conflicted on them."""
    if not has_role(by, Role.INVESTIGATOR, Role.SUPERVISOR):
        raise DomainError("Only DPS investigators and supervisors open cases.")
    if investigator_conflicted(user=by, officer_id=officer_id):
        raise DomainError("You are conflicted on this officer and cannot open a case about them.")


def case_create(
    *, subject_id: int, came_to_notice_on: dt.date, by, restricted: bool = False, detail: dict, note: str = ""
) -> Case:
    """The one place a case row is made, inside the caller's transaction (after `case_opener_check`): its
    reference, the opener assigned (with the object grants) if an investigator, and the OPENED event."""
    now = timezone.now()
    case = Case.objects.create(
        reference=reference_next(prefix=f"DPS-{now.year}"),
        subject_id=subject_id,
        came_to_notice_on=came_to_notice_on,
        opened_at=now,
        restricted=restricted,
        investigator=by if has_role(by, Role.INVESTIGATOR) else None,
        created_by=by,
        updated_by=by,
    )
    if case.investigator_id:
        assign_perm("cases.change_case", by, case)
        assign_perm("cases.view_case", by, case)
    CaseEvent.objects.create(
        case=case, kind=CaseEventKind.OPENED, actor=by, to_status=case.status, detail=detail, note=note
    )
    return case


def case_open(
    *, subject: Officer, allegations: list[Allegation], by, restricted: bool = False, once_token: str = ""
) -> Case:
    """Open a case grouping open allegations about one subject. The opener, if an investigator,
    is assigned to it. The allegations are locked and must not be in a case yet, so two racing
    opens make one case; a repeat of the same form (same `once_token`) gets the first case back."""
    case_opener_check(by=by, officer_id=subject.pk)
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
        case = case_create(
            subject_id=subject.pk,
            came_to_notice_on=min(a.received_on for a in locked),
            restricted=restricted,
            by=by,
            detail={"allegations": [a.pk for a in locked]},
        )
        case.subject = subject
        Allegation.objects.filter(pk__in=[a.pk for a in locked]).update(case=case, updated_by=by)
        # update() sends no signal: the monthly summary of the fairness figures is told here.
        months_mark_stale([a.received_on for a in locked])
        claim.done(case.pk)
    return case


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
