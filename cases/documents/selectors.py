"""Every read of documents, filtered by what the user may see: a document is readable exactly when its
owner record is (the owner kind's own selector: need-to-know, conflicts, panel assignment), and the
external panel and oversight see only the redacted copy where one exists. Fetch-and-check functions
answer the same 404 for missing and forbidden."""

from uuid import UUID

from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse

from cases.permissions import is_supervisor
from cases.roles import Role, has_role, user_roles

from .integrity import versions_with_last_check
from .models import CustodyEvent, Document, DocumentVersion
from .owners import document_owner_kind, document_owner_kinds
from .permissions import DOCUMENT_WRITERS, RETENTION_DECIDERS

# Readers whose view of a document is its redacted copy where one exists (the external panel; oversight
# bodies), unless they also hold a role that works with the full record.
REDACTED_AUDIENCE = {Role.PANEL_REVIEWER, Role.OVERSIGHT}
FULL_RECORD_ROLES = {Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.HOTLINE_TRIAGE, Role.VETTING_OFFICER}


def sees_only_redacted(user) -> bool:
    roles = user_roles(user)
    return bool(roles & REDACTED_AUDIENCE) and not roles & FULL_RECORD_ROLES


def _uuid(value):
    try:
        return UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise Http404 from None


def document_list(*, user) -> QuerySet[Document]:
    """Documents on every owner this user may open: one semi-join per owner kind."""
    visible = Q(pk__in=[])
    for kind in document_owner_kinds():
        visible |= Q(owner_kind=kind.slug, owner_id__in=kind.readable(user).order_by().values("id"))
    return Document.objects.filter(visible)


def access_document_owner(*, user, owner_kind: str, public_id):
    """(kind, owner) if the user may open the owner record; 404 alike otherwise."""
    kind = document_owner_kind(owner_kind)
    if kind is None:
        raise Http404
    owner = kind.readable(user).filter(public_id=_uuid(public_id)).first()
    if owner is None:
        raise Http404
    return kind, owner


def access_document(*, user, public_id) -> Document:
    document = Document.objects.filter(public_id=_uuid(public_id)).select_related("created_by").first()
    if document is None:
        raise Http404
    kind = document_owner_kind(document.owner_kind)
    owner = kind.readable(user).filter(pk=document.owner_id).first() if kind else None
    if owner is None:
        raise Http404
    document.owner = owner
    document.owner_kind_entry = kind
    return document


def _versions_for(user, versions: list[DocumentVersion]) -> list[DocumentVersion]:
    if sees_only_redacted(user) and any(v.redacted for v in versions):
        return [v for v in versions if v.redacted]
    return list(versions)


def document_versions_visible(*, user, document: Document) -> list[DocumentVersion]:
    """The versions this user may open, oldest first."""
    versions = getattr(document, "_prefetched_objects_cache", {}).get("versions")
    if versions is None:
        versions = document.versions.select_related("uploaded_by").order_by("number")
    return _versions_for(user, list(versions))


def document_version_for_download(*, user, document: Document, number=None) -> DocumentVersion:
    """The version asked for (or the newest this user may open); 404 if it is not one of theirs."""
    versions = [v for v in document_versions_visible(user=user, document=document) if v.purged_at is None]
    if number is not None:
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise Http404 from None
        versions = [v for v in versions if v.number == number]
    if not versions:
        raise Http404
    if number is None and not sees_only_redacted(user):
        originals = [v for v in versions if not v.redacted]
        versions = originals or versions
    return versions[-1]


def owner_documents(*, user, owner_kind: str, owner) -> list[Document]:
    """The documents on a record the user has already been allowed to open, each with `shown_versions`
    (what this user may open) and `current` (the newest of those). Two queries whatever the count."""
    documents = list(
        Document.objects.filter(owner_kind=owner_kind, owner_id=owner.pk)
        .select_related("created_by")
        .prefetch_related(Prefetch("versions", queryset=DocumentVersion.objects.order_by("number")))
        .order_by("created_at", "id")
    )
    for document in documents:
        document.shown_versions = _versions_for(user, list(document.versions.all()))
        document.current = document.shown_versions[-1] if document.shown_versions else None
    return documents


def owner_documents_section(*, user, owner_kind: str, owner, may_upload: bool | None = None) -> dict:
    """What a record's page needs for its Documents section (templates/documents/_documents.html), for
    a record the user has already been allowed to open: the documents as `owner_documents` gives them,
    and the upload link only where the owner kind lets this user add documents (its `may_upload`, the
    same check the upload view makes; a page that has just asked it may pass the answer). The same two
    queries on every owner's page."""
    kind = document_owner_kind(owner_kind)
    if kind is None:
        raise ValueError(f"No document owner kind {owner_kind!r} is registered.")
    if may_upload is None:
        may_upload = kind.may_upload(user, owner)
    may_upload = bool(may_upload) and has_role(user, *DOCUMENT_WRITERS)
    return {
        "documents": owner_documents(user=user, owner_kind=owner_kind, owner=owner),
        "documents_may_upload": may_upload,
        "documents_upload_url": reverse("documents:upload", args=[owner_kind, owner.public_id]) if may_upload else None,
    }


def retention_due_list(*, user) -> QuerySet[Document]:
    """Documents whose retention period has run out and whose deletion no one has confirmed yet, on
    records this user may open, soonest due first. The decision is a supervisor's (RETENTION_DECIDERS):
    anyone else gets nothing."""
    if not has_role(user, *RETENTION_DECIDERS):
        return Document.objects.none()
    return (
        document_list(user=user)
        .filter(retention_due_on__isnull=False, destroyed_at__isnull=True)
        .order_by("retention_due_on", "id")
    )


def integrity_worklist(*, user) -> QuerySet[DocumentVersion]:
    """The stored versions a supervisor should check next, on records they may open: those whose last
    integrity check failed, then those never checked, then the longest since their last check. Each row
    has `latest_ok` and `last_verified_at` (integrity.versions_with_last_check). Supervisors only."""
    if not is_supervisor(user):
        return DocumentVersion.objects.none()
    visible = document_list(user=user).filter(destroyed_at__isnull=True).order_by().values("id")
    return (
        versions_with_last_check()
        .filter(document_id__in=visible)
        .select_related("document")
        .annotate(
            integrity_rank=Case(
                When(latest_ok=False, then=Value(0)),
                When(last_verified_at__isnull=True, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("integrity_rank", F("last_verified_at").asc(nulls_first=True), "id")
    )


def custody_log(*, document: Document) -> QuerySet[CustodyEvent]:
    """The chain of custody of a document the user was allowed to open, oldest first."""
    return document.custody.select_related("actor", "version").order_by("at", "id")
