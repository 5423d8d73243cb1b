"""Every write on documents: upload, replacement, redacted copy, disclosure marks, and the custody
event each one leaves. A batch of files is stored whole or not at all: every file is checked before
anything is written, the rows go in one transaction, and the stored bytes are removed again if it
rolls back."""

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cases.errors import DomainError
from cases.services.submissions import submission_claim

from .models import CustodyAction, CustodyEvent, Document, DocumentType, DocumentVersion, version_path
from .owners import document_owner_kind
from .uploads import PreparedFile, upload_prepare

logger = logging.getLogger(__name__)


def custody_record(
    *, document, action, actor, version=None, hash_before="", hash_after="", _model=CustodyEvent, **detail
):
    return _model.objects.create(
        document=document,
        version=version,
        action=action,
        actor=actor,
        hash_before=hash_before,
        hash_after=hash_after,
        detail=detail,
    )


def _prepare_all(files) -> list[PreparedFile]:
    files = [f for f in (files or []) if f]
    if not files:
        raise DomainError("Choose a file to upload.", field="files")
    if len(files) > settings.DOCUMENTS_MAX_FILES:
        raise DomainError(
            f"Upload at most {settings.DOCUMENTS_MAX_FILES} files at once (you chose {len(files)}).", field="files"
        )
    return [upload_prepare(f) for f in files]


class StoredFiles:
    """The names written to storage inside a transaction, removed again if it does not commit."""

    def __init__(self, storage):
        self.storage = storage
        self.names: list[str] = []

    def save(self, prepared: PreparedFile) -> str:
        name = self.storage.save(version_path(None, prepared.name), ContentFile(prepared.data))
        self.names.append(name)
        return name

    def remove(self):
        for name in self.names:
            try:
                self.storage.delete(name)
            except OSError:
                logger.exception("Could not remove %s after a failed upload", name)


def _version_add(*, document, prepared, stored, by, number, redacted=False, _model=DocumentVersion):
    version = _model(
        document=document,
        number=number,
        redacted=redacted,
        original_name=prepared.name,
        size=prepared.size,
        sha256=prepared.sha256,
        content_type=prepared.content_type,
        uploaded_by=by,
    )
    version.file.name = stored.save(prepared)
    version.save()
    return version


def _owner_check(owner_kind: str, owner, by):
    kind = document_owner_kind(owner_kind)
    if kind is None or not kind.readable(by).filter(pk=owner.pk).exists() or not kind.may_upload(by, owner):
        raise DomainError("You cannot add documents to this record.")


def documents_upload(
    *,
    owner_kind: str,
    owner,
    files,
    by,
    document_type: str,
    description: str = "",
    obtained_on=None,
    obtained_from: str = "",
    exhibit_reference: str = "",
    once_token: str = "",
) -> list[Document]:
    """Each file becomes a document on the owner, with the same details. All or nothing. The same form
    sent again (same `once_token`: a double click, a resent POST) stores nothing and gets the first
    upload's documents back: the first document's id is the claim's result, and the batch is this
    user's documents on this owner from that id on, as many as the form carries files."""
    _owner_check(owner_kind, owner, by)
    if document_type not in DocumentType.values:
        raise DomainError("Choose the type of document.", field="document_type")
    prepared = _prepare_all(files)
    stored = StoredFiles(DocumentVersion._meta.get_field("file").storage)
    documents = []
    try:
        with transaction.atomic():
            claim = submission_claim(token=once_token, by=by, purpose="documents_upload")
            if claim.replayed:
                return list(
                    Document.objects.filter(
                        owner_kind=owner_kind, owner_id=owner.pk, created_by=by, pk__gte=claim.replayed_id
                    ).order_by("pk")[: len(prepared)]
                )
            for item in prepared:
                document = document_with_first_version(
                    item=item,
                    stored=stored,
                    by=by,
                    owner_kind=owner_kind,
                    owner_id=owner.pk,
                    document_type=document_type,
                    description=description,
                    obtained_on=obtained_on,
                    obtained_from=obtained_from,
                    exhibit_reference=exhibit_reference,
                )
                documents.append(document)
            claim.done(documents[0].pk)
    except BaseException:
        stored.remove()
        raise
    return documents


def document_version_add(*, document_id: int, upload, by, redacted: bool = False) -> DocumentVersion:
    """A replacement (the next version; the earlier ones stay) or a redacted copy alongside the original."""
    prepared = _prepare_all([upload])[0]
    stored = StoredFiles(DocumentVersion._meta.get_field("file").storage)
    try:
        with transaction.atomic():
            document = Document.objects.select_for_update().get(pk=document_id)
            if document.destroyed_at is not None:
                raise DomainError("This document was deleted under the retention schedule.")
            kind = document_owner_kind(document.owner_kind)
            owner = kind.readable(by).filter(pk=document.owner_id).first() if kind else None
            if owner is None or not kind.may_upload(by, owner):
                raise DomainError("You cannot change this document.")
            previous = document.versions.filter(redacted=False).order_by("-number").first()
            number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            version = _version_add(
                document=document, prepared=prepared, stored=stored, by=by, number=number, redacted=redacted
            )
            custody_record(
                document=document,
                version=version,
                action=CustodyAction.REDACT if redacted else CustodyAction.REPLACE,
                actor=by,
                hash_before=previous.sha256 if previous else "",
                hash_after=prepared.sha256,
                name=prepared.name,
                received_sha256=prepared.received_sha256,
                metadata_stripped=prepared.stripped,
            )
            document.updated_by = by
            document.save(update_fields=["updated_by", "updated_at"])
    except BaseException:
        stored.remove()
        raise
    return version


DISCLOSED_TO = {"officer": "disclosed_to_officer_on", "complainant": "disclosed_to_complainant_on"}


def document_disclose(*, document_id: int, to: str, on, by) -> Document:
    """Mark a document disclosed to the officer or the complainant on a date (a second mark keeps the first)."""
    if to not in DISCLOSED_TO:
        raise DomainError("Say who the document was disclosed to.", field="to")
    if on is None:
        raise DomainError("Give the date it was disclosed.", field="on")
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        kind = document_owner_kind(document.owner_kind)
        owner = kind.readable(by).filter(pk=document.owner_id).first() if kind else None
        if owner is None or not kind.may_upload(by, owner):
            raise DomainError("You cannot change this document.")
        field = DISCLOSED_TO[to]
        if getattr(document, field) is not None:
            return document
        setattr(document, field, on)
        document.updated_by = by
        document.save(update_fields=[field, "updated_by", "updated_at"])
        custody_record(document=document, action=CustodyAction.DISCLOSE, actor=by, to=to, on=on.isoformat())
    return document


def document_with_first_version(*, item, stored, by, models=None, upload_detail=None, **details) -> Document:
    """A new document with its first version and the upload's custody event (the hash as received and
    as stored, which differ when a picture's metadata was stripped). `models` is (Document,
    DocumentVersion, CustodyEvent), for a data migration's historical models (hotline 0003)."""
    document_model, version_model, custody_model = models or (Document, DocumentVersion, CustodyEvent)
    document = document_model.objects.create(created_by=by, **details)
    version = _version_add(
        document=document, prepared=item, stored=stored, by=by, number=1, _model=version_model
    )
    custody_record(
        document=document,
        version=version,
        action=CustodyAction.UPLOAD,
        actor=by,
        hash_before=item.received_sha256,
        hash_after=item.sha256,
        _model=custody_model,
        name=item.name,
        metadata_stripped=item.stripped,
        **(upload_detail or {}),
    )
    return document


def documents_receive(*, owner_kind: str, owner, files, obtained_from: str, stored_names: list) -> list[Document]:
    """Files sent by a member of the public with no account (a hotline reporter), inside the caller's
    transaction. The same checks as any upload, pictures stripped of their metadata (their identity
    must not leak through it). The names written to storage are appended to `stored_names`, for the
    caller to remove if its transaction rolls back."""
    prepared = _prepare_all(files) if files else []
    stored = StoredFiles(DocumentVersion._meta.get_field("file").storage)
    stored.names = stored_names
    documents = []
    for item in prepared:
        document = document_with_first_version(
            item=item,
            stored=stored,
            by=None,
            owner_kind=owner_kind,
            owner_id=owner.pk,
            document_type=DocumentType.EXHIBIT,
            obtained_on=timezone.localdate(),
            obtained_from=obtained_from,
        )
        documents.append(document)
    return documents


def stored_files_remove(names: list) -> None:
    """Remove bytes a rolled-back transaction had written (documents_receive's `stored_names`)."""
    stored = StoredFiles(DocumentVersion._meta.get_field("file").storage)
    stored.names = list(names)
    stored.remove()
