import pytest
from django.utils import timezone

from hotline.models import HotlineMessage, HotlineStatus, MessageSender
from tests.constraints import refused_by, rejected
from tests.factories import HotlineReportFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_linked_report_names_an_officer():
    rejected("hotline_linked_has_officer", HotlineReportFactory, status=HotlineStatus.LINKED, officer=None)
    HotlineReportFactory(status=HotlineStatus.LINKED, officer=OfficerFactory(), linked_at=timezone.now())


def test_closed_report_gives_a_reason():
    rejected("hotline_closed_has_reason", HotlineReportFactory, status=HotlineStatus.CLOSED, closed_reason="")


def test_receipt_hashes_are_unique():
    first = HotlineReportFactory()
    rejected("hotline_hotlinereport_receipt_hash_key", HotlineReportFactory, receipt_hash=first.receipt_hash)


def test_reporter_messages_have_no_staff_author_and_triage_messages_have_one():
    report = HotlineReportFactory()
    with refused_by("hotline_message_author_matches_sender"):
        HotlineMessage.objects.create(report=report, sender=MessageSender.REPORTER, author=UserFactory(), body="x")
    with refused_by("hotline_message_author_matches_sender"):
        HotlineMessage.objects.create(report=report, sender=MessageSender.TRIAGE, author=None, body="x")
