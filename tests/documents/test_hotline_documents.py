"""A reporter's files: stored as documents on the hotline report with no metadata that could name the
sender, and opened by the triage team through the same download view (404 to those who may not)."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cases import services as case_services
from cases.documents.models import Document
from cases.roles import Role
from hotline import services as hotline_services
from tests.conftest import sign_in
from tests.factories import OfficerFactory, UserFactory

from .samples import jpeg_with_gps, upload


@pytest.mark.django_db
def test_triage_downloads_the_reporters_picture_without_its_metadata(client):
    triage = UserFactory(username="tri", roles=[Role.HOTLINE_TRIAGE])
    vetting = UserFactory(username="vet", roles=[Role.VETTING_OFFICER])
    report, _ = hotline_services.report_submit(
        data={"category": "discrimination", "what_happened": "It happened."},
        anonymous=True,
        files=[upload("IMG_0001.jpg", jpeg_with_gps())],
    )
    document = Document.objects.get(owner_kind="hotline_report", owner_id=report.pk)
    assert document.custody.get().detail["metadata_stripped"] is True

    sign_in(client, vetting)
    assert client.get(reverse("documents:download", args=[document.public_id])).status_code == 404

    sign_in(client, triage)
    assert b"IMG_0001.jpg" in client.get(reverse("triage:report", args=[report.public_id])).content
    response = client.get(reverse("documents:download", args=[document.public_id]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    assert not Image.open(io.BytesIO(data)).getexif() and b"ReporterPhone" not in data

    # Linked to an officer the triage member is conflicted on: the report and its files are gone alike.
    officer = OfficerFactory()
    type(report).objects.filter(pk=report.pk).update(officer=officer, linked_at=timezone.now(), status="linked")
    supervisor = UserFactory(username="sup-h", roles=[Role.SUPERVISOR])
    case_services.conflict_declare(user=triage, officer=officer, reason="family", by=supervisor)
    assert client.get(reverse("documents:download", args=[document.public_id])).status_code == 404


@pytest.mark.django_db
def test_a_vetting_officer_adds_a_document_to_a_vetting_review_that_only_its_readers_open(client):
    from cases.documents import services
    from tests.factories import VettingReviewFactory

    from .samples import PDF

    officer_user = UserFactory(username="vo", roles=[Role.VETTING_OFFICER])
    triage = UserFactory(username="tri2", roles=[Role.HOTLINE_TRIAGE])
    review = VettingReviewFactory(trigger_ref="docs:1")
    [document] = services.documents_upload(
        owner_kind="vetting_review", owner=review, files=[upload("notice.pdf", PDF)], by=officer_user,
        document_type="notice",
    )
    sign_in(client, triage)
    assert client.get(reverse("documents:download", args=[document.public_id])).status_code == 404
    sign_in(client, officer_user)
    assert client.get(reverse("documents:download", args=[document.public_id])).status_code == 200
