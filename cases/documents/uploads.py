"""What an uploaded file really is, judged by its bytes (the `filetype` library's signatures, and a
text check of our own), never by its name or the browser's word; and the checks it must pass before a
byte is stored: the allowed types and size (settings), no markup posing as text or PDF (an HTML page
renamed .pdf, an SVG with a script), no zip bomb, a clean virus scan. Pictures lose their metadata
(EXIF: where and with what they were taken) before they are stored; the hash of the bytes as received
is kept for the chain of custody."""

import hashlib
import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

from cases.errors import DomainError

from .scanning import ScanRefused, scanner

TEXT = "text/plain"
ZIP_BASED = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
}
PICTURES = {"image/jpeg": "JPEG", "image/png": "PNG"}
# Markup a browser would render or run: never accepted as a plain text document.
_MARKUP = re.compile(rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|meta|\?xml)\b", re.I)
_MAX_UNPACK_RATIO = 100  # a member that unpacks to over 100 times its stored size is a bomb


@dataclass(frozen=True)
class PreparedFile:
    name: str
    data: bytes
    content_type: str
    received_sha256: str  # the bytes as uploaded
    sha256: str  # the bytes as stored (differs when metadata was stripped)

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def stripped(self) -> bool:
        return self.received_sha256 != self.sha256


def content_type_sniff(data: bytes) -> str | None:
    """The content type the bytes say they are, or None. Text only if it is UTF-8 with no markup."""
    kind = filetype.guess(data[:8192])
    if kind is not None:
        return kind.mime
    if _is_plain_text(data):
        return TEXT
    return None


def _is_plain_text(data: bytes) -> bool:
    if not data or b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if _MARKUP.search(data):
        return False
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\r\n\f")
    return controls == 0


def _refuse(name: str, why: str):
    raise DomainError(f"{name}: {why}", field="files")


def _check_zip(name: str, data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        _refuse(name, "the file is damaged and cannot be opened.")
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > _MAX_UNPACK_RATIO * max(member.compress_size, 1) and member.file_size > 1024 * 1024:
            _refuse(name, "the file unpacks to far more than its size (a zip bomb) and was not accepted.")
    if total > settings.DOCUMENTS_MAX_UNPACKED_BYTES or len(members) > 10_000:
        _refuse(name, "the file unpacks to more than the system accepts and was not accepted.")


def _picture_clean(name: str, data: bytes, content_type: str) -> bytes:
    """The picture re-drawn from its pixels alone: no EXIF, GPS, comments or text chunks survive."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > settings.DOCUMENTS_MAX_IMAGE_PIXELS:
                    _refuse(name, "the picture has more pixels than the system accepts.")
                image = ImageOps.exif_transpose(image)  # keep it the right way up once the tag is gone
                clean = Image.frombytes(image.mode, image.size, image.tobytes())
                if image.mode == "P":
                    clean.putpalette(image.getpalette())
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse(name, "the picture is damaged or too large and cannot be opened.")
    out = io.BytesIO()
    if PICTURES[content_type] == "JPEG":
        clean.save(out, format="JPEG", quality=95)
    else:
        clean.save(out, format="PNG")
    return out.getvalue()


# Control characters, format characters (a right-to-left override makes "report\u202efdp.exe" read as
# "reportexe.pdf"), lone surrogates and line/paragraph separators.
_UNSHOWN = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def display_name(name) -> str:
    """The uploader's file name as display text only (the stored name is random, models.version_path):
    no directory part, no control or format characters (a newline would break the download's header), at most
    200 characters."""
    name = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _UNSHOWN).strip()
    return name[:200] or "file"


def upload_prepare(upload) -> PreparedFile:
    """Check one uploaded file and return what will be stored, or raise a DomainError on `files`."""
    name = display_name(getattr(upload, "name", ""))
    if upload.size is not None and upload.size > settings.DOCUMENTS_MAX_BYTES:
        _refuse(name, f"the file is larger than {settings.DOCUMENTS_MAX_BYTES // (1024 * 1024)} MB.")
    upload.seek(0)
    data = upload.read(settings.DOCUMENTS_MAX_BYTES + 1)
    if not data:
        _refuse(name, "the file is empty.")
    if len(data) > settings.DOCUMENTS_MAX_BYTES:
        _refuse(name, f"the file is larger than {settings.DOCUMENTS_MAX_BYTES // (1024 * 1024)} MB.")
    content_type = content_type_sniff(data)
    if content_type is None or content_type not in settings.DOCUMENTS_ALLOWED_TYPES:
        _refuse(name, "this kind of file is not accepted. Upload a PDF, a picture (JPEG, PNG), a Word document "
                "or text.")
    if content_type in ZIP_BASED:
        _check_zip(name, data)
    try:
        scanner().scan(data, name)
    except ScanRefused as exc:
        _refuse(name, str(exc))
    received = hashlib.sha256(data).hexdigest()
    if content_type in PICTURES:
        data = _picture_clean(name, data, content_type)
    return PreparedFile(name, data, content_type, received, hashlib.sha256(data).hexdigest())


def held_file_prepare(name: str, data: bytes, content_type: str) -> PreparedFile:
    """A file the system already held before documents existed (hotline migration 0003): pictures
    lose their metadata as on upload, the received hash is of the bytes as held. Not scanned here
    (a migration must not depend on the scanner being up); the caller says so in the custody event."""
    received = hashlib.sha256(data).hexdigest()
    if content_type in PICTURES:
        data = _picture_clean(name, data, content_type)
    return PreparedFile(display_name(name), data, content_type, received, hashlib.sha256(data).hexdigest())
