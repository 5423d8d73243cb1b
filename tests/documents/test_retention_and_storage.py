"""Retention: the monthly review marks documents whose period has run out; a supervisor confirms the
deletion, the bytes go and the chain of custody stays. The case page lists its documents in a fixed
number of queries. (The S3 storage: test_s3_storage.py.)"""

import os

import pytest
from django.urls import reverse

from cases import services as case_services
from cases.documents import services
from cases.documents.models import CustodyAction, Document
from cases.documents.retention import document_destroy, documents_retention_review, retention_years
from cases.errors import DomainError
from cases.roles import Role
from tests.clock import days_ahead
from tests.conftest import sign_in
from tests.factories import CaseFactory, UserFactory

from .samples import PDF, TEXT, upload


@pytest.fixture
def setup(db):
    supervisor = UserFactory(username="ret-sup", roles=[Role.SUPERVISOR])
    investigator = UserFactory(username="ret-inv", roles=[Role.INVESTIGATOR])
    case = CaseFactory()
    case_services.case_assign(case=case, investigator=investigator, by=supervisor)
    return supervisor, investigator, case


def test_retention_years_come_from_the_configured_table(settings):
    settings.DOCUMENTS_RETENTION_YEARS = {"*": {"*": 6, "dismissal": 100}, "notice": {"*": 2}}
    assert retention_years(document_type="statement", outcome="dismissal") == 100
    assert retention_years(document_type="statement", outcome="") == 6
    assert retention_years(document_type="notice", outcome="dismissal") == 2


def test_an_open_case_keeps_its_documents_and_a_decided_one_falls_due(setup, settings):
    supervisor, investigator, case = setup
    settings.DOCUMENTS_RETENTION_YEARS = {"*": {"*": 1}}
    [document] = services.documents_upload(
        owner_kind="case", owner=case, files=[upload("a.pdf", PDF)], by=investigator, document_type="statement"
    )
    assert documents_retention_review(on=days_ahead(800)) == []  # no outcome yet: kept
    type(case).objects.filter(pk=case.pk).update(outcome="nfa", outcome_on=days_ahead(0), route="")
    assert documents_retention_review(on=days_ahead(300)) == []
    assert documents_retention_review(on=days_ahead(400)) == [document.pk]
    assert documents_retention_review(on=days_ahead(400)) == []  # idempotent


def test_a_supervisor_confirms_deletion_the_bytes_go_and_the_events_stay(
    setup, settings, client, django_capture_on_commit_callbacks
):
    supervisor, investigator, case = setup
    [document] = services.documents_upload(
        owner_kind="case", owner=case, files=[upload("a.pdf", PDF)], by=investigator, document_type="statement"
    )
    version = document.versions.get()
    path = version.file.path
    with pytest.raises(DomainError, match="not due"):
        document_destroy(document_id=document.pk, by=supervisor)
    Document.objects.filter(pk=document.pk).update(retention_due_on=days_ahead(-1))
    with pytest.raises(DomainError, match="supervisor"):
        document_destroy(document_id=document.pk, by=investigator)
    sign_in(client, supervisor)
    assert b"Documents due for deletion" in client.get(reverse("documents:retention")).content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:destroy", args=[document.public_id]), {"confirm": "on"})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.purged_at is not None and not os.path.exists(path)
    assert list(document.custody.values_list("action", flat=True)) == [CustodyAction.UPLOAD, CustodyAction.DELETE]
    assert client.get(reverse("documents:download", args=[document.public_id])).status_code == 404


def test_the_case_page_lists_documents_in_a_fixed_number_of_queries(setup, client, django_assert_max_num_queries):
    supervisor, investigator, case = setup
    sign_in(client, investigator)
    url = reverse("cases:case_detail", args=[case.public_id])
    services.documents_upload(
        owner_kind="case", owner=case, files=[upload("first.txt", TEXT)], by=investigator, document_type="other"
    )
    client.get(url)
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    for i in range(8):
        services.documents_upload(
            owner_kind="case", owner=case, files=[upload(f"n{i}.txt", TEXT)], by=investigator, document_type="other"
        )
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(url)
    assert b"n7.txt" in response.content
    assert len(many.captured_queries) == len(few.captured_queries)
