"""Every write the cases domain knows. Object permissions are granted and revoked only here."""

from django.db import transaction
from django.db.models import F
from guardian.shortcuts import assign_perm, remove_perm

from misconduct.roles import Role, has_role

from ..models import (
    AccessRecord,
    Case,
    CaseEvent,
    CaseEventKind,
    ConflictOfInterest,
    Officer,
    ReferenceCounter,
)


class DomainError(Exception):
    """A request the rules refuse; views show it as a message, the API as 400/409."""


def reference_next(*, prefix: str, width: int = 6) -> str:
    """The next human reference for a prefix, e.g. DPS-2026-000124. Locks the counter row."""
    with transaction.atomic():
        ReferenceCounter.objects.get_or_create(prefix=prefix)
        counter = ReferenceCounter.objects.select_for_update().get(prefix=prefix)
        counter.last_number = F("last_number") + 1
        counter.save(update_fields=["last_number"])
        counter.refresh_from_db(fields=["last_number"])
        return f"{prefix}-{counter.last_number:0{width}d}"


def _client_ip(request) -> str | None:
    # Staff reads only: the address of the DPS workstation, for the audit trail. Behind the
    # production proxy REMOTE_ADDR is the proxy; the proxy is configured to set it to the client.
    return request.META.get("REMOTE_ADDR") or None


def access_record_write(*, request, obj, object_type: str, label: str = "") -> AccessRecord:
    """Record one staff read of a record's detail (who, what, when, from where)."""
    match = getattr(request, "resolver_match", None)
    return AccessRecord.objects.create(
        user=request.user,
        object_type=object_type,
        object_id=obj.pk,
        object_label=(label or str(obj))[:200],
        view=(match.view_name if match else "")[:100],
        path=request.get_full_path()[:500],
        ip_address=_client_ip(request),
    )


def case_access_grant(*, case: Case, user, by) -> None:
    """Let a user see a need-to-know case."""
    with transaction.atomic():
        assign_perm("cases.view_case", user, case)
        user.__dict__.pop("_granted_case_ids", None)  # the selectors' per-request cache
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventKind.RESTRICTION_CHANGED,
            actor=by,
            detail={"granted_view_to": user.pk},
        )


def case_access_revoke(*, case: Case, user, by) -> None:
    with transaction.atomic():
        remove_perm("cases.view_case", user, case)
        user.__dict__.pop("_granted_case_ids", None)
        CaseEvent.objects.create(
            case=case, kind=CaseEventKind.RESTRICTION_CHANGED, actor=by, detail={"revoked_view_from": user.pk}
        )


def case_assign(*, case: Case, investigator, by) -> Case:
    """A supervisor assigns (or reassigns) the investigator; edit rights follow the assignment."""
    if not has_role(by, Role.SUPERVISOR):
        raise DomainError("Only a DPS supervisor can assign cases.")
    if not has_role(investigator, Role.INVESTIGATOR):
        raise DomainError("Cases can only be assigned to a DPS investigator.")
    if investigator_conflicted(user=investigator, officer_id=case.subject_id):
        raise DomainError("That investigator is conflicted on this officer.")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        previous = case.investigator
        if previous and previous != investigator:
            remove_perm("cases.change_case", previous, case)
            remove_perm("cases.view_case", previous, case)
        case.investigator = investigator
        case.updated_by = by
        case.save(update_fields=["investigator", "updated_by", "updated_at"])
        assign_perm("cases.change_case", investigator, case)
        assign_perm("cases.view_case", investigator, case)
        for person in (previous, investigator):
            if person is not None:
                person.__dict__.pop("_granted_case_ids", None)
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventKind.ASSIGNED,
            actor=by,
            detail={"from": previous.pk if previous else None, "to": investigator.pk},
        )
    return case


def investigator_conflicted(*, user, officer_id: int) -> bool:
    return (
        Officer.objects.filter(id=officer_id, user=user).exists()
        or ConflictOfInterest.objects.filter(user=user, officer_id=officer_id).exists()
    )


def conflict_declare(*, user, officer: Officer, reason: str, by) -> ConflictOfInterest:
    """Declare that a user must not see anything about an officer (e.g. same team)."""
    if not reason.strip():
        raise DomainError("Say why the conflict exists.")
    conflict, _ = ConflictOfInterest.objects.get_or_create(
        user=user, officer=officer, defaults={"reason": reason.strip(), "declared_by": by}
    )
    user.__dict__.pop("_conflicted_officer_ids", None)  # the selectors' per-request cache
    return conflict
