"""Every write the cases domain knows. Object permissions are granted and revoked only here."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm, remove_perm

from cases.roles import Role, has_role

from ..errors import DomainError
from ..models import (
    AccessRecord,
    Case,
    CaseEvent,
    CaseEventKind,
    ConflictOfInterest,
    Officer,
)
from ..permissions import CASE_READERS
from ..references import reference_next  # noqa: F401 - re-exported: callers imported it from here


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


def access_records_write_many(*, request, rows: list[tuple[int, str]], object_type: str) -> None:
    """Record a list read: one access record per row served ((id, label) pairs), all with the same
    moment, list and query string, in one INSERT (the audit pages find them as they find detail reads)."""
    if not rows:
        return
    match = getattr(request, "resolver_match", None)
    view, path, ip = (match.view_name if match else "")[:100], request.get_full_path()[:500], _client_ip(request)
    AccessRecord.objects.bulk_create(
        [
            AccessRecord(
                user=request.user,
                object_type=object_type,
                object_id=pk,
                object_label=label[:200],
                view=view,
                path=path,
                ip_address=ip,
            )
            for pk, label in rows
        ]
    )


def case_access_grant(*, case: Case, user, by) -> None:
    """A DPS supervisor lets one more person see a need-to-know case. Refused when the case is not
    restricted, when the supervisor or the grantee is conflicted on the subject, or when the grantee
    holds no role that reads cases. Granting twice records one grant."""
    if not has_role(by, Role.SUPERVISOR):
        raise DomainError("Only a DPS supervisor can give need-to-know access.")
    if investigator_conflicted(user=by, officer_id=case.subject_id):
        raise DomainError("You are conflicted on this officer.")
    if not user.is_active or not has_role(user, *CASE_READERS):
        raise DomainError("Need-to-know access goes only to DPS staff who read cases.", field="username")
    if investigator_conflicted(user=user, officer_id=case.subject_id):
        raise DomainError("That person is conflicted on this officer.", field="username")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if not case.restricted:
            raise DomainError("This case is not restricted: every DPS role can already see it.")
        user.__dict__.pop("_granted_case_ids", None)  # the selectors' per-request cache
        if UserObjectPermission.objects.filter(
            user=user,
            permission__codename="view_case",
            content_type=ContentType.objects.get_for_model(Case),
            object_pk=str(case.pk),
        ).exists():
            return  # already granted (a double click): one grant, one event
        assign_perm("cases.view_case", user, case)
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventKind.RESTRICTION_CHANGED,
            actor=by,
            detail={"granted_view_to": user.pk},
        )


def case_access_revoke(*, case: Case, user, by) -> None:
    """A DPS supervisor takes need-to-know access back."""
    if not has_role(by, Role.SUPERVISOR):
        raise DomainError("Only a DPS supervisor can take need-to-know access back.")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
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
        raise DomainError("Cases can only be assigned to a DPS investigator.", field="investigator")
    if investigator_conflicted(user=by, officer_id=case.subject_id):
        raise DomainError("You are conflicted on this officer.")
    if investigator_conflicted(user=investigator, officer_id=case.subject_id):
        raise DomainError("That investigator is conflicted on this officer.", field="investigator")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        previous = case.investigator
        if previous == investigator:
            return case  # already theirs (a double click): no second assignment event
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
    """A DPS supervisor declares that a user must not see anything about an officer (e.g. same
    team). A supervisor conflicted on that officer cannot; declaring twice keeps the first."""
    if not has_role(by, Role.SUPERVISOR):
        raise DomainError("Only a DPS supervisor can declare a conflict of interest.")
    if investigator_conflicted(user=by, officer_id=officer.pk):
        raise DomainError("No officer you can see has that staff number.", field="staff_number")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why the conflict exists.", field="reason")
    if len(reason) > ConflictOfInterest._meta.get_field("reason").max_length:
        raise DomainError("Keep the reason to 200 characters.", field="reason")
    conflict, _ = ConflictOfInterest.objects.get_or_create(
        user=user, officer=officer, defaults={"reason": reason, "declared_by": by}
    )
    user.__dict__.pop("_conflicted_officer_ids", None)  # the selectors' per-request cache
    return conflict


def may_decide_for_the_appropriate_authority(user, case: Case) -> bool:
    return has_role(user, Role.SUPERVISOR) and not investigator_conflicted(user=user, officer_id=case.subject_id)


def may_work_on_case(user, case: Case) -> bool:
    """The assigned investigator (who holds the object grant) or a DPS supervisor."""
    if has_role(user, Role.SUPERVISOR):
        return not investigator_conflicted(user=user, officer_id=case.subject_id)
    return has_role(user, Role.INVESTIGATOR) and user.has_perm("cases.change_case", case)
