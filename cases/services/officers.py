"""The one officer-status service: every change of an officer's employment status (suspension, restricted
duties, leaving, dismissal, reinstatement on appeal, Onyx restricted duties) writes the event and the row
through `officer_status_write`, on a row the caller has locked."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cases.roles import Role, has_role

from ..errors import DomainError
from ..models import LEFT_STATUSES, Case, EmploymentStatus, Officer, OfficerEvent, OfficerEventKind
from .access import investigator_conflicted


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
    reason = (
        f"Reinstated: dismissal in {case.reference} {case.get_appeal_result_display().lower()}; "
        "removed from the barred list."
    )
    _officer_reinstated_after(case.subject_id, by, reason)


def _officer_reinstated_after(officer_id: int, by, reason: str) -> bool:
    """A dismissed officer serving again (a dismissal reversed on appeal, whatever the process): True if it did."""
    officer = Officer.objects.select_for_update().get(pk=officer_id)
    if officer.status != EmploymentStatus.DISMISSED:
        return False
    officer_status_write(officer, EmploymentStatus.SERVING, by=by, reason=reason, left_on=None)
    return True


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
