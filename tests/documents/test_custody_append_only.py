"""The chain of custody is append-only: neither the code nor a raw SQL statement can change or remove an event."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from cases.documents.models import CustodyAction, CustodyEvent, Document, DocumentType
from tests.factories import CaseFactory, UserFactory


@pytest.fixture
def event(db):
    user = UserFactory()
    case = CaseFactory()
    document = Document.objects.create(
        owner_kind="case", owner_id=case.pk, document_type=DocumentType.STATEMENT, created_by=user
    )
    return CustodyEvent.objects.create(document=document, action=CustodyAction.VIEW, actor=user)


def test_the_code_refuses_to_change_or_delete_a_custody_event(event):
    event.detail = {"changed": True}
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()


def test_the_database_refuses_to_change_or_delete_a_custody_event(event):
    for statement in (
        "UPDATE documents_custodyevent SET action = 'upload' WHERE id = %s",
        "DELETE FROM documents_custodyevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    assert CustodyEvent.objects.get(pk=event.pk).action == CustodyAction.VIEW
