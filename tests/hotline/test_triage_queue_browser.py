"""In the browser, the triage queue marks a report whose reporter has written since the team last replied,
and its "show only those" link lists just those reports."""

import pytest

from cases.roles import Role
from hotline import services
from hotline.models import HotlineMessage, MessageSender
from tests.factories import HotlineReportFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_queue_marks_a_report_with_a_new_message_from_the_reporter(browser_as):
    triage = UserFactory(roles=[Role.HOTLINE_TRIAGE])
    waiting = HotlineReportFactory()
    answered = HotlineReportFactory()
    HotlineMessage.objects.create(report=answered, sender=MessageSender.REPORTER, body="First note.")
    HotlineMessage.objects.create(report=answered, sender=MessageSender.TRIAGE, author=triage, body="Thank you.")
    services.reporter_reply(report_id=waiting.pk, body="I remembered the car's registration.")

    page = browser_as(triage)
    page.goto("/triage/")
    row_waiting = page.locator("tr", has=page.get_by_role("link", name=waiting.reference))
    row_answered = page.locator("tr", has=page.get_by_role("link", name=answered.reference))

    assert row_waiting.get_by_text("New message from the reporter").is_visible()
    assert row_answered.get_by_text("New message from the reporter").count() == 0
    page.get_by_role("link", name="show only those").click()
    assert page.get_by_role("link", name=waiting.reference).is_visible()
    assert page.get_by_role("link", name=answered.reference).count() == 0
