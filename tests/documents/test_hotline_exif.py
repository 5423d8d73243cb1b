"""A reporter's pictures never name them: a JPEG or PNG sent through the hotline with GPS, camera and
author tags is stored with none of them (EXIF, PNG text chunks), and its upload event keeps the hash
of the bytes as the reporter sent them (hash_before) beside the hash of what is stored."""

import hashlib
import io

import pytest
from PIL import Image, PngImagePlugin

from cases.documents.models import CustodyAction, Document
from hotline import services as hotline_services

from .samples import upload

TAGS = {0x013B: "Jane Reporter", 0x010F: "ReporterPhoneMaker", 0x0110: "ReporterPhone 12"}  # Artist, Make, Model
GPS = {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)}
IDENTIFYING = [b"Jane Reporter", b"ReporterPhone", b"GPS"]


def _exif():
    exif = Image.Exif()
    for tag, value in TAGS.items():
        exif[tag] = value
    exif[0x8825] = GPS
    return exif.tobytes()


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 40)).save(out, format="JPEG", exif=_exif())
    return out.getvalue()


def png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jane Reporter")
    info.add_text("Comment", "taken from my flat at 12 Acacia Avenue")
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 40)).save(out, format="PNG", pnginfo=info, exif=_exif())
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("name, make", [("IMG_0001.jpg", jpeg), ("screenshot.png", png)])
def test_a_reporters_picture_is_stored_without_its_metadata_and_the_event_keeps_the_original_hash(
    documents_root, name, make
):
    sent = make()
    assert all(marker in sent for marker in IDENTIFYING[:2])  # the test picture does carry them
    assert Image.open(io.BytesIO(sent)).getexif().get_ifd(0x8825)
    report, _ = hotline_services.report_submit(
        data={"category": "discrimination", "what_happened": "It happened."}, anonymous=True, files=[upload(name, sent)]
    )
    document = Document.objects.get(owner_kind="hotline_report", owner_id=report.pk)
    version = document.versions.get()
    stored = version.file.read()
    picture = Image.open(io.BytesIO(stored))
    assert not picture.getexif() and not picture.info.get("exif")
    assert not {"Author", "Comment"} & set(picture.info)
    assert not any(marker in stored for marker in IDENTIFYING) and b"Acacia" not in stored
    assert picture.size == (32, 24)
    event = document.custody.get()
    assert event.action == CustodyAction.UPLOAD and event.actor is None
    assert event.hash_before == hashlib.sha256(sent).hexdigest()
    assert event.hash_after == version.sha256 == hashlib.sha256(stored).hexdigest() != event.hash_before
    assert event.detail["metadata_stripped"] is True
