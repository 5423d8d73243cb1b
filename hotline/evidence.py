"""What an uploaded file really is, judged by its first bytes (never by its name or the browser's word)."""

from .models import EvidenceType

_SNIFF_BYTES = 8192


def evidence_type_sniff(upload) -> str | None:
    """The EvidenceType of an uploaded file, or None if it is none of the accepted kinds."""
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return EvidenceType.PDF
    if head.startswith(b"\xff\xd8\xff"):
        return EvidenceType.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return EvidenceType.PNG
    if head and _is_plain_text(head):
        return EvidenceType.TEXT
    return None


def _is_plain_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the sniffing boundary is still text.
        if exc.start < len(head) - 4:
            return False
        text = head[: exc.start].decode("utf-8")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
    return controls == 0


MIGRATED_FROM = "hotline_evidence"


def evidence_into_documents(apps) -> tuple[int, list[int]]:
    """Copy each HotlineEvidence row (the files reporters sent before documents existed) into a document
    on its report: the bytes into the documents storage, pictures stripped of their metadata, a first
    version and an upload custody event that names the row it came from (`hotline_evidence_id`) and
    keeps the hash as received. Idempotent: a row already copied is passed over. `apps` is a migration's
    app registry (historical models) or django.apps.apps. Returns (copied, ids skipped: bytes missing
    or unreadable, left as they were)."""
    import logging

    from django.db import transaction

    from cases.documents.services import StoredFiles, document_with_first_version
    from cases.documents.uploads import held_file_prepare
    from cases.errors import DomainError

    logger = logging.getLogger(__name__)
    evidence_model = apps.get_model("hotline", "HotlineEvidence")
    models = tuple(apps.get_model("documents", n) for n in ("Document", "DocumentVersion", "CustodyEvent"))
    copied_ids = {
        detail.get("hotline_evidence_id")
        for detail in models[2].objects.filter(
            action="upload", document__owner_kind="hotline_report"
        ).values_list("detail", flat=True)
        if isinstance(detail, dict) and detail.get("migrated_from") == MIGRATED_FROM
    }
    copied, skipped = 0, []
    for evidence in evidence_model.objects.order_by("id").iterator():
        if evidence.pk in copied_ids:
            continue
        try:
            with evidence.file.open("rb") as fh:
                data = fh.read()
            item = held_file_prepare(evidence.original_name or "file", data, evidence.content_type)
        except (OSError, ValueError, DomainError) as exc:
            logger.warning("Hotline evidence %s not copied into documents: %s", evidence.pk, exc)
            skipped.append(evidence.pk)
            continue
        stored = StoredFiles(models[1]._meta.get_field("file").storage)
        try:
            with transaction.atomic():
                document = document_with_first_version(
                    item=item,
                    stored=stored,
                    by=None,
                    models=models,
                    upload_detail={
                        "migrated_from": MIGRATED_FROM,
                        "hotline_evidence_id": evidence.pk,
                        "hash_when_received": evidence.sha256,
                        "unchanged_since_received": item.received_sha256 == evidence.sha256,
                        "scanned": False,
                    },
                    owner_kind="hotline_report",
                    owner_id=evidence.report_id,
                    document_type="exhibit",
                    obtained_on=evidence.uploaded_at.date(),
                    obtained_from="The reporter, through the public hotline",
                )
                # The document dates from when the reporter sent it, not from the copy.
                models[0].objects.filter(pk=document.pk).update(created_at=evidence.uploaded_at)
                models[1].objects.filter(document_id=document.pk).update(uploaded_at=evidence.uploaded_at)
        except BaseException:
            stored.remove()
            raise
        copied += 1
    return copied, skipped
