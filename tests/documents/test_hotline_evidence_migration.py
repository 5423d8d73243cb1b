"""hotline 0003: the files reporters sent before documents existed (HotlineEvidence rows) become
documents on their report, opened by the triage team through the one download view; pictures lose
their metadata on the way and the event keeps the hash as received; running it again copies nothing
twice; a row whose bytes are gone is named on the report page, not half-copied."""

import hashlib
import io

import pytest
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from PIL import Image

from cases.documents.models import CustodyAction, CustodyEvent, Document, DocumentVersion
from cases.models import AccessRecord
from cases.roles import Role
from hotline import services as hotline_services
from hotline.evidence import evidence_into_documents
from hotline.models import HotlineEvidence, HotlineReport
from tests.conftest import sign_in
from tests.factories import UserFactory

from .samples import PDF, jpeg_with_gps

BEFORE = [("hotline", "0002_evidence_events_lookup_audit")]
AFTER = [("hotline", "0003_evidence_into_documents")]


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


def _report():
    report, _ = hotline_services.report_submit(
        data={"category": "discrimination", "what_happened": "It happened."}, anonymous=True
    )
    return report


def _old_evidence(model, report_id, name, data, content_type):
    evidence = model(
        report_id=report_id, original_name=name, content_type=content_type, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    evidence.file.save("x", ContentFile(data), save=False)
    evidence.save()
    return evidence


@pytest.mark.django_db
def test_old_evidence_becomes_documents_the_triage_team_downloads(client):
    report = _report()
    jpeg = jpeg_with_gps()
    picture = _old_evidence(HotlineEvidence, report.pk, "IMG_0001.jpg", jpeg, "image/jpeg")
    pdf = _old_evidence(HotlineEvidence, report.pk, "letter.pdf", PDF, "application/pdf")
    gone = _old_evidence(HotlineEvidence, report.pk, "lost.pdf", PDF, "application/pdf")
    gone.file.storage.delete(gone.file.name)

    assert evidence_into_documents(django_apps) == (2, [gone.pk])
    assert evidence_into_documents(django_apps) == (0, [gone.pk])  # idempotent: nothing copied twice
    documents = Document.objects.filter(owner_kind="hotline_report", owner_id=report.pk)
    assert documents.count() == 2
    uploads = {e.detail["hotline_evidence_id"]: e for e in CustodyEvent.objects.filter(action=CustodyAction.UPLOAD)}
    assert set(uploads) == {picture.pk, pdf.pk}
    event = uploads[picture.pk]
    assert event.hash_before == picture.sha256 != event.hash_after  # the original hash kept, stripped copy stored
    assert event.detail["metadata_stripped"] is True and event.detail["scanned"] is False
    assert event.version.sha256 == event.hash_after and event.version.uploaded_at == picture.uploaded_at

    triage = UserFactory(username="tri-mig", roles=[Role.HOTLINE_TRIAGE])
    sign_in(client, triage)
    page = client.get(reverse("triage:report", args=[report.public_id])).content.decode()
    assert "IMG_0001.jpg" in page and "letter.pdf" in page
    assert 'data-testid="evidence-not-copied"' in page and "lost.pdf" in page
    before = AccessRecord.objects.count()
    response = client.get(reverse("documents:download", args=[event.document.public_id]))
    assert response.status_code == 200 and AccessRecord.objects.count() == before + 1
    data = b"".join(response.streaming_content)
    assert not Image.open(io.BytesIO(data)).getexif() and b"ReporterPhone" not in data
    assert b"".join(
        client.get(reverse("documents:download", args=[uploads[pdf.pk].document.public_id])).streaming_content
    ) == PDF


@pytest.mark.django_db(transaction=True)
def test_the_migration_runs_back_and_forward_without_copying_twice():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    report = _report()
    _old_evidence(old_apps.get_model("hotline", "HotlineEvidence"), report.pk, "letter.pdf", PDF, "application/pdf")
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        sha = hashlib.sha256(PDF).hexdigest()
        assert DocumentVersion.objects.filter(document__owner_id=report.pk, sha256=sha).count() == 1
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)  # backwards keeps the documents (their custody is append-only)
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        assert Document.objects.filter(owner_kind="hotline_report", owner_id=report.pk).count() == 1
    finally:
        MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
    assert HotlineReport.objects.filter(pk=report.pk).exists()
