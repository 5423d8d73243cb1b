"""A document on a record, its versions (a replacement or a redacted copy is a new version; nothing is
overwritten), and its chain of custody (append-only: a database trigger refuses UPDATE and DELETE)."""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q


def documents_storage():
    """The private "documents" storage of settings.STORAGES (local directory or S3 bucket)."""
    return storages["documents"]


def version_path(instance, filename):
    # The uploader's file name is kept only as data; the stored name is random and has no extension.
    return f"documents/{uuid.uuid4().hex}"


class DocumentType(models.TextChoices):
    STATEMENT = "statement", "Statement"
    NOTICE = "notice", "Notice"
    REPORT = "report", "Report"
    EXHIBIT = "exhibit", "Exhibit"
    CORRESPONDENCE = "correspondence", "Correspondence"
    OTHER = "other", "Other"


class Document(models.Model):
    """One document on one record. The owner is a registered kind (cases/documents/owners.py) and the
    row's key; cases never names the models of the apps above it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner_kind = models.CharField(max_length=32)
    owner_id = models.BigIntegerField()
    document_type = models.CharField(max_length=16, choices=DocumentType.choices)
    description = models.CharField(max_length=500, blank=True)
    obtained_on = models.DateField(null=True, blank=True)
    obtained_from = models.CharField(max_length=200, blank=True)
    exhibit_reference = models.CharField(max_length=50, blank=True)
    disclosed_to_officer_on = models.DateField(null=True, blank=True)
    disclosed_to_complainant_on = models.DateField(null=True, blank=True)
    # Retention: the monthly review marks a document due; a supervisor confirms the deletion.
    retention_due_on = models.DateField(null=True, blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)
    destroyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # None: sent by a member of the public (a hotline reporter), who has no account.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["owner_kind", "owner_id", "created_at"], name="document_owner_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(document_type__in=[t.value for t in DocumentType]), name="document_type_valid"
            ),
        ]

    def __str__(self):
        return self.exhibit_reference or f"{self.get_document_type_display()} {self.public_id.hex[:8]}"


class DocumentVersion(models.Model):
    """One file of a document. Number 1 is the original upload; a replacement is the next number and
    the earlier ones stay retrievable. A redacted copy is a version with `redacted` set."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    redacted = models.BooleanField(default=False)
    file = models.FileField(upload_to=version_path, storage=documents_storage, max_length=200, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # The bytes were deleted (retention): the row and its hash stay as the record of what was held.
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["document_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_number_once"),
            models.CheckConstraint(condition=Q(size__gt=0), name="document_version_not_empty"),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="document_version_sha256"),
        ]

    def __str__(self):
        return f"{self.document} v{self.number}{' (redacted)' if self.redacted else ''}"


class CustodyAction(models.TextChoices):
    UPLOAD = "upload", "Uploaded"
    VIEW = "view", "Viewed"
    DOWNLOAD = "download", "Downloaded"
    REPLACE = "replace", "Replaced by a new version"
    REDACT = "redact", "Redacted copy added"
    DELETE = "delete", "Deleted (retention)"
    VERIFY = "verify", "Integrity verified"
    DISCLOSE = "disclose", "Marked disclosed"


class CustodyEvent(models.Model):
    """One link in a document's chain of custody: who did what to which version, when, and the hash
    of the bytes before and after. Append-only (migration 0002: a trigger refuses UPDATE and DELETE)."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="custody")
    version = models.ForeignKey(DocumentVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=16, choices=CustodyAction.choices)
    # None for the system (the weekly integrity check) or a member of the public (a hotline upload).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    hash_before = models.CharField(max_length=64, blank=True)
    hash_after = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["document", "at"], name="custody_document_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=[a.value for a in CustodyAction]), name="custody_action_valid"
            ),
        ]

    def __str__(self):
        return f"{self.action} of {self.document_id} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Custody events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Custody events are append-only.")
