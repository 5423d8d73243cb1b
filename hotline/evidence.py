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
