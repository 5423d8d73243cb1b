"""Integrity: a stored version's bytes are hashed again and compared with the SHA-256 taken at upload;
each check is a custody event, and a mismatch is logged as an error. On demand (a button on the
document page) and weekly for every stored version (tasks.documents_verify_all_task)."""

import hashlib
import logging

from django.db import transaction
from django.db.models import OuterRef, Subquery

from .models import CustodyAction, CustodyEvent, DocumentVersion
from .services import custody_record

logger = logging.getLogger(__name__)


def version_hash(version: DocumentVersion) -> str | None:
    """The SHA-256 of the bytes in storage now, or None if they cannot be read."""
    digest = hashlib.sha256()
    try:
        with version.file.storage.open(version.file.name, "rb") as fh:
            for chunk in iter(lambda: fh.read(1024 * 1024), b""):
                digest.update(chunk)
    except (OSError, ValueError):
        return None
    return digest.hexdigest()


def document_version_verify(*, version_id: int, by=None) -> bool:
    """True if the stored bytes still hash to what was stored; either way one custody event."""
    version = DocumentVersion.objects.select_related("document").get(pk=version_id)
    if version.purged_at is not None:
        return True  # deleted under retention: nothing left to check
    actual = version_hash(version)
    ok = actual == version.sha256
    with transaction.atomic():
        custody_record(
            document=version.document,
            version=version,
            action=CustodyAction.VERIFY,
            actor=by,
            hash_before=version.sha256,
            hash_after=actual or "",
            ok=ok,
            missing=actual is None,
        )
    if not ok:
        logger.error(
            "Document integrity check failed: document %s version %s (stored %s, now %s)",
            version.document.public_id,
            version.number,
            version.sha256,
            actual or "unreadable",
        )
    return ok


def documents_verify_all(*, by=None) -> list[int]:
    """Check every stored version; the ids of those that failed."""
    ids = DocumentVersion.objects.filter(purged_at__isnull=True).order_by("id").values_list("id", flat=True)
    failed = [vid for vid in ids.iterator() if not document_version_verify(version_id=vid, by=by)]
    if failed:
        logger.error("Weekly document integrity check: %d version(s) failed: %s", len(failed), failed)
    return failed


def versions_with_last_check():
    """Every stored version, with its latest integrity check: `latest_ok` (None if never checked) and
    `last_verified_at`. Correlated subqueries: one query whatever the count."""
    latest = CustodyEvent.objects.filter(version=OuterRef("pk"), action=CustodyAction.VERIFY).order_by("-at", "-id")
    return DocumentVersion.objects.filter(purged_at__isnull=True).annotate(
        latest_ok=Subquery(latest.values("detail__ok")[:1]),
        last_verified_at=Subquery(latest.values("at")[:1]),
    )


def versions_failing_integrity():
    """Versions whose latest integrity check failed (for the supervisors' worklist)."""
    return versions_with_last_check().filter(latest_ok=False)
