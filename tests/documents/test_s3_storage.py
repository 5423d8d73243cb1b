"""Documents through django-storages' S3 backend for real: upload, download through the view, the
integrity check (and bytes changed in the bucket reported), deletion under retention. Against the
S3-compatible server configured in the environment (DOCUMENTS_S3_BUCKET, docker-compose.yml's
minio) when there is one; otherwise against moto's S3 server (moto[server], the test extra) started
here on a free local port. Skipped, with the reason, only when neither is available."""

import os

import pytest
from django.urls import reverse

from cases import services as case_services
from cases.documents import services
from cases.documents.integrity import document_version_verify, documents_verify_all
from cases.documents.models import CustodyAction, Document, DocumentVersion
from cases.documents.retention import document_destroy
from cases.roles import Role
from tests.clock import days_ahead
from tests.conftest import sign_in
from tests.factories import CaseFactory, UserFactory

from .samples import PDF, upload

CONFIGURED = bool(os.environ.get("DOCUMENTS_S3_BUCKET"))


def _moto_storage():
    try:
        import boto3
        from moto.server import ThreadedMotoServer
        from storages.backends.s3 import S3Storage
    except ImportError as exc:
        pytest.skip(f"no S3-compatible server configured (DOCUMENTS_S3_BUCKET) and moto[server] missing: {exc}")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    keys = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "eu-west-2"}
    boto3.client("s3", endpoint_url=endpoint, **keys).create_bucket(
        Bucket="case-documents-test", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    # The options misconduct/settings.py gives the "documents" storage when DOCUMENTS_S3_BUCKET is set.
    storage = S3Storage(
        bucket_name="case-documents-test", endpoint_url=endpoint, region_name="eu-west-2",
        access_key="testing", secret_key="testing", default_acl="private", querystring_auth=True,
        file_overwrite=False, location="case-documents",
    )
    return storage, server


@pytest.fixture
def s3_storage(monkeypatch):
    if CONFIGURED:
        from django.core.files.storage import storages

        yield storages["documents"]
        return
    storage, server = _moto_storage()
    # The FileField resolved its storage when the model loaded; point it (and so the services) at S3.
    monkeypatch.setattr(DocumentVersion._meta.get_field("file"), "storage", storage)
    yield storage
    server.stop()


@pytest.fixture
def setup(db):
    supervisor = UserFactory(username="s3-sup", roles=[Role.SUPERVISOR])
    investigator = UserFactory(username="s3-inv", roles=[Role.INVESTIGATOR])
    case = CaseFactory()
    case_services.case_assign(case=case, investigator=investigator, by=supervisor)
    return supervisor, investigator, case


def test_documents_round_trip_through_the_s3_bucket(
    s3_storage, setup, client, documents_root, django_capture_on_commit_callbacks
):
    supervisor, investigator, case = setup
    assert type(s3_storage).__name__ == "S3Storage"
    [document] = services.documents_upload(
        owner_kind="case", owner=case, files=[upload("a.pdf", PDF)], by=investigator, document_type="statement"
    )
    version = document.versions.get()
    assert version.file.storage is s3_storage and s3_storage.exists(version.file.name)
    assert not documents_root.exists() or not any(p.is_file() for p in documents_root.rglob("*"))  # not local
    key = s3_storage.bucket.Object(f"case-documents/{version.file.name}")
    assert key.get()["Body"].read() == PDF

    sign_in(client, investigator)
    response = client.get(reverse("documents:download", args=[document.public_id]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF

    assert document_version_verify(version_id=version.pk, by=investigator) is True
    key.put(Body=PDF + b"tampered")  # the bytes changed in the bucket behind the system's back
    assert documents_verify_all() == [version.pk]
    assert document.custody.filter(action=CustodyAction.VERIFY).last().detail["ok"] is False

    Document.objects.filter(pk=document.pk).update(retention_due_on=days_ahead(-1))
    with django_capture_on_commit_callbacks(execute=True):
        document_destroy(document_id=document.pk, by=supervisor)
    assert not s3_storage.exists(version.file.name)
    assert client.get(reverse("documents:download", args=[document.public_id])).status_code == 404
