"""Uploads: a file is what its bytes say, not its name; refused files leave nothing behind (no row,
no stored bytes, no custody event), and a batch is stored whole or not at all."""

import io

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from PIL import Image

from cases import services as case_services
from cases.documents import services
from cases.documents.models import CustodyAction, CustodyEvent, Document, DocumentVersion
from cases.errors import DomainError
from cases.roles import Role
from tests.conftest import sign_in
from tests.factories import CaseFactory, UserFactory

from .samples import HTML, PDF, SVG, TEXT, docx_bomb, jpeg_with_gps, plain_zip, png, upload


@pytest.fixture
def investigator(db):
    return UserFactory(username="inv-upload", roles=[Role.INVESTIGATOR])


@pytest.fixture
def case(investigator):
    supervisor = UserFactory(username="sup-upload", roles=[Role.SUPERVISOR])
    case = CaseFactory()
    case_services.case_assign(case=case, investigator=investigator, by=supervisor)
    return case


def _upload(case, by, *files, **extra):
    return services.documents_upload(
        owner_kind="case", owner=case, files=list(files), by=by, document_type="statement", **extra
    )


def _stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _nothing_saved(root):
    return not Document.objects.exists() and not DocumentVersion.objects.exists() and not _stored_files(root)


def test_a_pdf_is_stored_with_its_hash_and_an_upload_event(case, investigator, documents_root):
    import hashlib

    [document] = _upload(case, investigator, upload("statement.pdf", PDF), obtained_from="PC Example")
    version = document.versions.get()
    assert (version.number, version.content_type, version.size) == (1, "application/pdf", len(PDF))
    assert version.sha256 == hashlib.sha256(PDF).hexdigest()
    assert version.file.read() == PDF
    assert str(documents_root) in version.file.path
    event = CustodyEvent.objects.get(document=document)
    assert (event.action, event.actor, event.hash_after) == (CustodyAction.UPLOAD, investigator, version.sha256)


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("statement.pdf", HTML, "not accepted"),
        ("scene-plan.svg", SVG, "not accepted"),
        ("scene-plan.png", SVG, "not accepted"),
        ("bundle.docx", docx_bomb(), "zip bomb"),
        ("bundle.zip", plain_zip(), "not accepted"),
        ("empty.txt", b"", "empty"),
        ("binary.txt", b"\x00\x01\x02garbage", "not accepted"),
    ],
)
def test_a_file_that_is_not_what_it_claims_or_is_dangerous_is_refused(
    case, investigator, documents_root, name, data, why
):
    with pytest.raises(DomainError, match=why) as refused:
        _upload(case, investigator, upload(name, data, "application/pdf"))
    assert refused.value.field == "files"
    assert name in str(refused.value)
    assert _nothing_saved(documents_root)


def test_a_file_over_the_size_limit_is_refused(case, investigator, documents_root, settings):
    settings.DOCUMENTS_MAX_BYTES = 1024
    with pytest.raises(DomainError, match="larger than"):
        _upload(case, investigator, upload("big.txt", b"a" * 1025))
    assert _nothing_saved(documents_root)


def test_a_zip_based_document_over_the_unpacked_limit_is_refused(case, investigator, documents_root, settings):
    settings.DOCUMENTS_MAX_UNPACKED_BYTES = 1024 * 1024
    with pytest.raises(DomainError, match="unpacks"):
        _upload(case, investigator, upload("report.docx", docx_bomb(unpacked_mb=2)))
    assert _nothing_saved(documents_root)


def test_more_files_than_the_limit_at_once_are_refused(case, investigator, documents_root):
    files = [upload(f"note-{i}.txt", TEXT) for i in range(30)]
    with pytest.raises(DomainError, match="at most 10 files"):
        _upload(case, investigator, *files)
    assert _nothing_saved(documents_root)


def test_one_bad_file_in_a_batch_saves_none_of_them(case, investigator, documents_root):
    with pytest.raises(DomainError, match="statement.pdf"):
        _upload(case, investigator, upload("good.pdf", PDF), upload("statement.pdf", HTML))
    assert _nothing_saved(documents_root)


def test_a_failure_after_the_bytes_are_stored_removes_them(case, investigator, documents_root, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "custody_record", broken)
    with pytest.raises(RuntimeError):
        _upload(case, investigator, upload("a.pdf", PDF), upload("b.txt", TEXT))
    assert _nothing_saved(documents_root)


def test_a_picture_loses_its_exif_and_the_event_keeps_the_original_hash(case, investigator):
    import hashlib

    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif()  # the sample really carries metadata
    [document] = _upload(case, investigator, upload("scene.jpg", original))
    version = document.versions.get()
    stored = version.file.read()
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert b"ReporterPhone" not in stored
    event = document.custody.get()
    assert event.hash_before == hashlib.sha256(original).hexdigest() != event.hash_after == version.sha256
    assert event.detail["metadata_stripped"] is True


def test_someone_who_may_not_work_on_the_case_cannot_upload(case, documents_root):
    other = UserFactory(username="inv-other", roles=[Role.INVESTIGATOR])
    with pytest.raises(DomainError):
        _upload(case, other, upload("a.pdf", PDF))
    assert _nothing_saved(documents_root)


def test_the_scanner_refuses_an_infected_file(case, investigator, documents_root, monkeypatch):
    from cases.documents import scanning

    class Infected:
        def scan(self, data, name):
            raise scanning.ScanRefused("This file contains a virus or malware and was not accepted.")

    monkeypatch.setattr("cases.documents.uploads.scanner", lambda: Infected())
    with pytest.raises(DomainError, match="virus"):
        _upload(case, investigator, upload("a.pdf", PDF))
    assert _nothing_saved(documents_root)


def test_without_a_scanner_configured_uploads_log_a_warning(case, investigator, caplog):
    _upload(case, investigator, upload("a.pdf", PDF))
    assert "No virus scanner configured" in caplog.text


_names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=80
).filter(lambda s: s.strip() and "\x00" not in s)


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_names, suffix=st.sampled_from([".pdf", ".txt", ".jpg", ".docx", ""]))
def test_markup_is_refused_whatever_its_name(case, investigator, documents_root, name, suffix):
    with pytest.raises(DomainError, match="not accepted"):
        _upload(case, investigator, upload(name + suffix, HTML))
    assert _nothing_saved(documents_root)


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_names)
def test_a_real_pdf_is_accepted_whatever_its_name(case, investigator, name):
    [document] = _upload(case, investigator, upload(name, PDF))
    assert document.versions.get().content_type == "application/pdf"


# --- through the page ---------------------------------------------------------------------------


def test_the_upload_page_shows_a_field_error_and_saves_nothing(client, case, investigator, documents_root):
    sign_in(client, investigator)
    url = reverse("documents:upload", args=["case", case.public_id])
    response = client.post(url, {"document_type": "statement", "files": [upload("statement.pdf", HTML)]})
    assert response.status_code == 400
    assert b"There is a problem" in response.content and b"statement.pdf" in response.content
    assert _nothing_saved(documents_root)


def test_thirty_files_through_the_page_are_refused_with_a_message(client, case, investigator, documents_root):
    sign_in(client, investigator)
    url = reverse("documents:upload", args=["case", case.public_id])
    files = [upload(f"n{i}.txt", TEXT) for i in range(30)]
    response = client.post(url, {"document_type": "statement", "files": files})
    assert response.status_code == 400 and b"at most 10 files" in response.content
    assert _nothing_saved(documents_root)


def test_the_upload_page_adds_documents_and_the_case_page_lists_them(client, case, investigator):
    sign_in(client, investigator)
    url = reverse("documents:upload", args=["case", case.public_id])
    response = client.post(
        url, {"document_type": "statement", "files": [upload("a.pdf", PDF), upload("b.png", png())],
              "exhibit_reference": "EX-1"},
    )
    assert response.status_code == 302
    page = client.get(reverse("cases:case_detail", args=[case.public_id]))
    assert b"a.pdf" in page.content and b"b.png" in page.content and b"EX-1" in page.content
