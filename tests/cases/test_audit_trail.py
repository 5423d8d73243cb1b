"""Every change keeps who, when and what; the audit itself cannot be changed."""

import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from cases.models import AccessRecord, CaseEvent, CaseEventKind
from cases.roles import Role
from tests.conftest import sign_in
from tests.factories import CaseFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_change_records_who_when_and_the_changed_fields():
    from auditlog.context import set_actor

    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    officer = OfficerFactory(status="serving")
    with set_actor(supervisor):
        officer.status = "restricted"
        officer.save()
    entry = LogEntry.objects.get_for_object(officer).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == supervisor
    assert entry.changes_dict["status"] == ["serving", "restricted"]
    assert entry.timestamp is not None


def test_creation_and_deletion_are_logged_too():
    case = CaseFactory()
    assert LogEntry.objects.get_for_object(case).filter(action=LogEntry.Action.CREATE).exists()
    case_pk = case.pk
    case.delete()
    assert LogEntry.objects.filter(object_pk=str(case_pk), action=LogEntry.Action.DELETE).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's")
def test_access_records_and_case_events_cannot_be_edited_or_deleted(client):
    user = UserFactory(roles=[Role.INVESTIGATOR])
    case = CaseFactory()
    sign_in(client, user)
    client.get(reverse("cases:case_detail", args=[case.public_id]))
    record = AccessRecord.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessRecord.objects.filter(pk=record.pk).update(view="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessRecord.objects.filter(pk=record.pk).delete()
    event = CaseEvent.objects.create(case=case, kind=CaseEventKind.NOTE, note="first")
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).update(note="rewritten")


def test_the_admin_cannot_change_access_records(client):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    sign_in(client, superuser)
    assert client.get(reverse("admin:cases_accessrecord_add")).status_code == 403
