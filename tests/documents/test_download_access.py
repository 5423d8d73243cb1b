"""Downloads go through one view that asks the owning record's own fetch-and-check: a conflicted user,
a panel member not assigned, an investigator without need-to-know and the oversight role all get 404;
each allowed download writes exactly one access record and one custody event, streams as an
attachment with nosniff, and the external panel gets the redacted copy where one exists."""

import pytest
from django.urls import reverse

from cases import services as case_services
from cases.documents import services
from cases.documents.integrity import document_version_verify, documents_verify_all
from cases.documents.models import CustodyAction
from cases.models import AccessRecord
from cases.roles import Role
from tests.conftest import sign_in
from tests.factories import CaseFactory, OnyxReviewFactory, users_with_roles

from .samples import PDF, TEXT, upload


@pytest.fixture
def people(db):
    return users_with_roles(
        "doc",
        {
            "supervisor": Role.SUPERVISOR,
            "owner": Role.INVESTIGATOR,
            "colleague": Role.INVESTIGATOR,
            "conflicted": Role.INVESTIGATOR,
            "outsider": Role.INVESTIGATOR,
            "oversight": Role.OVERSIGHT,
            "panel": Role.PANEL_REVIEWER,
            "panel_other": Role.PANEL_REVIEWER,
        },
    )


def _case_document(people, *, restricted=False):
    case = CaseFactory(restricted=restricted)
    case_services.case_assign(case=case, investigator=people["owner"], by=people["supervisor"])
    case_services.conflict_declare(
        user=people["conflicted"], officer=case.subject, reason="same team", by=people["supervisor"]
    )
    [document] = services.documents_upload(
        owner_kind="case",
        owner=case,
        files=[upload("statement.pdf", PDF)],
        by=people["owner"],
        document_type="statement",
    )
    return case, document


def _download(client, user, document, version=None):
    sign_in(client, user)
    url = reverse("documents:download", args=[document.public_id])
    return client.get(url, {"version": version} if version else {})


def test_refused_readers_get_404_and_leave_no_access_record(client, people):
    case, open_document = _case_document(people)
    _, restricted_document = _case_document(people, restricted=True)
    before = AccessRecord.objects.count()
    for who, document in [
        ("conflicted", open_document),
        ("outsider", restricted_document),  # need-to-know case, no grant
        ("oversight", open_document),
        ("panel", open_document),  # the panel has no case register
    ]:
        response = _download(client, people[who], document)
        assert response.status_code == 404, who
        assert client.get(reverse("documents:detail", args=[document.public_id])).status_code == 404, who
    assert AccessRecord.objects.count() == before


def test_an_allowed_download_streams_an_attachment_and_writes_one_access_record(client, people):
    case, document = _case_document(people)
    response = _download(client, people["colleague"], document)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith('attachment; filename="statement.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    records = AccessRecord.objects.filter(object_type="document", object_id=document.pk)
    assert [r.user for r in records] == [people["colleague"]]
    assert list(document.custody.values_list("action", "actor__username")) == [
        (CustodyAction.UPLOAD, "doc-owner"),
        (CustodyAction.DOWNLOAD, "doc-colleague"),
    ]


def test_a_replaced_version_keeps_the_old_one_retrievable(client, people):
    case, document = _case_document(people)
    services.document_version_add(document_id=document.pk, upload=upload("statement-v2.txt", TEXT), by=people["owner"])
    assert b"".join(_download(client, people["colleague"], document).streaming_content) == TEXT
    assert b"".join(_download(client, people["colleague"], document, version=1).streaming_content) == PDF
    replace = document.custody.get(action=CustodyAction.REPLACE)
    assert replace.hash_before == document.versions.get(number=1).sha256


def test_the_assigned_panel_member_sees_only_the_redacted_copy(client, people):
    review = OnyxReviewFactory(decided=True)
    case_services.panel_reviews_assign(review_ids=[review.id], panel_members=[people["panel"]], by=people["supervisor"])
    [document] = services.documents_upload(
        owner_kind="onyx_review",
        owner=review,
        files=[upload("report.pdf", PDF)],
        by=people["owner"],
        document_type="report",
    )
    services.document_version_add(
        document_id=document.pk, upload=upload("report-redacted.txt", TEXT), by=people["owner"], redacted=True
    )
    assert b"".join(_download(client, people["panel"], document).streaming_content) == TEXT
    assert _download(client, people["panel"], document, version=1).status_code == 404
    assert _download(client, people["panel_other"], document).status_code == 404  # not assigned
    assert b"".join(_download(client, people["owner"], document).streaming_content) == PDF


def test_the_integrity_check_reports_bytes_changed_on_disk(people):
    case, document = _case_document(people)
    version = document.versions.get()
    assert document_version_verify(version_id=version.pk, by=people["owner"]) is True
    with open(version.file.path, "ab") as fh:
        fh.write(b"tampered")
    assert documents_verify_all() == [version.pk]
    failed = document.custody.filter(action=CustodyAction.VERIFY).last()
    assert failed.detail["ok"] is False and failed.hash_before == version.sha256 != failed.hash_after
