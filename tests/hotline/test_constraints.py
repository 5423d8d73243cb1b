import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from hotline.models import HotlineMessage, HotlineStatus, MessageSender
from tests.factories import HotlineReportFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db


def rejected(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_linked_report_names_an_officer():
    rejected(HotlineReportFactory, status=HotlineStatus.LINKED, officer=None)
    HotlineReportFactory(status=HotlineStatus.LINKED, officer=OfficerFactory(), linked_at=timezone.now())


def test_closed_report_gives_a_reason():
    rejected(HotlineReportFactory, status=HotlineStatus.CLOSED, closed_reason="")


def test_receipt_hashes_are_unique():
    first = HotlineReportFactory()
    rejected(HotlineReportFactory, receipt_hash=first.receipt_hash)


def test_reporter_messages_have_no_staff_author_and_triage_messages_have_one():
    report = HotlineReportFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        HotlineMessage.objects.create(report=report, sender=MessageSender.REPORTER, author=UserFactory(), body="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        HotlineMessage.objects.create(report=report, sender=MessageSender.TRIAGE, author=None, body="x")
