"""A vetting review's page carries its Documents section (cases.documents.selectors.owner_documents_section):
the vetting unit may add documents, the other readers of the review only read them, someone conflicted on
the officer gets 404 on the review and its documents, and the page's queries do not grow with them."""

import pytest
from django.urls import reverse

from cases import services as case_services
from cases.documents import services as document_services
from cases.documents.models import Document
from cases.roles import Role
from tests.conftest import sign_in
from tests.documents.samples import TEXT, upload
from tests.factories import UserFactory, VettingReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def documents_root(settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST = ""


def add_document(review, by, name):
    document_services.documents_upload(
        owner_kind="vetting_review", owner=review, files=[upload(name, TEXT)], by=by, document_type="report"
    )


def test_the_vetting_review_page_lists_documents_and_offers_upload_to_the_vetting_unit(
    client, vetting_officer, django_assert_max_num_queries
):
    review = VettingReviewFactory(trigger_ref="docs:1")
    add_document(review, vetting_officer, "first.txt")
    url = reverse("vetting:review_detail", kwargs={"vetting_review_id": review.public_id})
    upload_url = reverse("documents:upload", args=["vetting_review", review.public_id])
    sign_in(client, vetting_officer)
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        body = client.get(url).content.decode()
    assert "first.txt" in body and upload_url in body
    for i in range(8):
        add_document(review, vetting_officer, f"n{i}.txt")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert b"n7.txt" in client.get(url).content
    sign_in(client, UserFactory(roles=[Role.SUPERVISOR]))
    body = client.get(url).content.decode()
    assert "first.txt" in body and upload_url not in body


def test_someone_conflicted_on_the_officer_gets_404_on_the_review_and_its_documents(client, vetting_officer):
    review = VettingReviewFactory(trigger_ref="docs:2")
    add_document(review, vetting_officer, "first.txt")
    review_document = Document.objects.get(owner_kind="vetting_review", owner_id=review.pk)
    conflicted = UserFactory(roles=[Role.VETTING_OFFICER])
    grantor = UserFactory(roles=[Role.SUPERVISOR])
    case_services.conflict_declare(user=conflicted, officer=review.officer, reason="family", by=grantor)
    sign_in(client, conflicted)
    assert client.get(reverse("vetting:review_detail", args=[review.public_id])).status_code == 404
    for name in ("documents:detail", "documents:download"):
        assert client.get(reverse(name, args=[review_document.public_id])).status_code == 404
