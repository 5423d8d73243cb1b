"""The public half of the hotline journey in real headless Chromium, with JavaScript switched off:
file an anonymous report (checking the answers and changing one first), keep the receipt,
come back, see it acknowledged, answer a question."""

import os

import pytest
from playwright.sync_api import expect

from cases.roles import Role
from hotline import services
from hotline.models import HotlineReport, HotlineStatus, MessageSender
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def public_page(chromium, live_server, settings):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    settings.SESSION_COOKIE_SECURE = False  # the live server speaks plain http on 127.0.0.1
    settings.CSRF_COOKIE_SECURE = False
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def come_back_with(page, receipt):
    page.goto("/hotline/")
    page.get_by_role("link", name="see what is happening and answer our questions").click()
    page.get_by_label("Your receipt code").fill(receipt)
    page.get_by_role("button", name="Continue").click()


def test_member_of_the_public_reports_anonymously_and_answers_the_triage_team(public_page):
    page = public_page
    triage = UserFactory(roles=[Role.HOTLINE_TRIAGE])

    # 1. File an anonymous report. A first try with nothing filled in shows what is missing, at the top.
    page.goto("/hotline/")
    page.get_by_role("link", name="Make a report").click()
    page.get_by_role("button", name="Continue").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    assert summary.is_visible()
    assert summary.get_by_role("link", name="What happened?: This field is required.").is_visible()
    page.get_by_label("Using their position for personal advantage").check()
    page.get_by_label("What happened?").fill("An officer took cash to drop a parking fine outside the market.")
    page.get_by_label("Their collar or shoulder number, if you know it").fill("MD 4471")
    page.get_by_label("I saw it happen").check()
    page.get_by_label("Yes, keep me anonymous. I will use my receipt code to follow up.").check()
    page.get_by_role("button", name="Continue").click()

    # 2. Check the answers, change one (the Change button goes back to that question), send.
    assert page.get_by_role("heading", name="Check your answers before sending your report").is_visible()
    assert page.get_by_text("MD 4471").is_visible() and page.get_by_text("I saw it happen").is_visible()
    page.get_by_role("button", name="Change where did it happen?").click()
    expect(page.get_by_label("Where did it happen?")).to_be_focused()  # the browser's autofocus, no script
    page.get_by_label("Where did it happen?").fill("Outside the market")
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_text("Outside the market", exact=True).is_visible()
    page.get_by_role("button", name="Send report").click()

    # 3. The receipt, shown once.
    assert page.get_by_role("heading", name="Write this code down now").is_visible()
    receipt = page.get_by_test_id("receipt-code").inner_text().strip()
    assert len(receipt.replace("-", "")) >= 16
    report = HotlineReport.objects.get()
    assert report.anonymous and report.collar_number_given == "MD 4471"
    assert report.where_happened == "Outside the market"
    assert receipt not in report.receipt_hash

    # 4. The triage team acknowledges it; the reporter comes back with the code and sees that.
    services.report_acknowledge(report=report, by=triage)
    come_back_with(page, receipt)
    assert page.get_by_test_id("report-status").inner_text() == "Acknowledged"
    page.get_by_role("button", name="Sign out of your report").click()

    # 5. The team asks a question; the reporter comes back, reads it and answers.
    services.report_information_request(report=report, question="Which day of the week was it?", by=triage)
    come_back_with(page, receipt)
    assert page.get_by_test_id("report-status").inner_text() == "We have a question for you"
    assert page.get_by_text("Which day of the week was it?").is_visible()
    page.get_by_label("Your message").fill("It was a Saturday morning, about 10am.")
    page.get_by_role("button", name="Send message").click()

    assert page.get_by_text("Your message has been sent to the hotline team.").is_visible()
    assert page.get_by_test_id("report-status").inner_text() == "Acknowledged"
    assert page.get_by_text("It was a Saturday morning, about 10am.").is_visible()
    report.refresh_from_db()
    assert report.status == HotlineStatus.ACKNOWLEDGED
    assert list(report.messages.values_list("sender", flat=True)) == [MessageSender.TRIAGE, MessageSender.REPORTER]


def test_a_wrong_receipt_code_shows_a_plain_message(public_page):
    come_back_with(public_page, "AAAA-BBBB-CCCC-DDDD-EEEE")

    assert public_page.get_by_text("We could not find a report with that receipt code").is_visible()


def test_whole_journey_with_the_triage_team_working_in_the_browser(public_page, browser_as):
    from tests.factories import OfficerFactory

    page = public_page
    triage_user = UserFactory(username="tina", roles=[Role.HOTLINE_TRIAGE])
    investigator = UserFactory(username="ian", roles=[Role.INVESTIGATOR])
    officer = OfficerFactory(collar_number="MD4471", staff_number="S9990001", first_name="Mark", last_name="Dent")

    page.goto("/hotline/report/")
    page.get_by_label("Using their position for personal advantage").check()
    page.get_by_label("What happened?").fill("An officer took cash to drop a parking fine outside the market.")
    page.get_by_label("Their collar or shoulder number, if you know it").fill("MD4471")
    page.get_by_label("I saw it happen").check()
    page.get_by_label("Yes, keep me anonymous. I will use my receipt code to follow up.").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send report").click()
    receipt = page.get_by_test_id("receipt-code").inner_text().strip()
    report = HotlineReport.objects.get()

    # The triage user works the report in the staff pages.
    staff = browser_as(triage_user)
    staff.goto("/triage/")
    staff.get_by_role("link", name=report.reference).click()
    staff.get_by_role("button", name="Acknowledge").click()
    assert staff.get_by_test_id("report-status").inner_text() == "Acknowledged"
    staff.get_by_label("Message to the reporter").fill("Which day of the week was it?")
    staff.get_by_role("button", name="Ask a question").click()

    come_back_with(page, receipt)
    assert page.get_by_test_id("report-status").inner_text() == "We have a question for you"
    page.get_by_label("Your message").fill("A Saturday morning.")
    page.get_by_role("button", name="Send message").click()
    assert page.get_by_test_id("report-status").inner_text() == "Acknowledged"

    staff.reload()
    assert staff.get_by_text("A Saturday morning.").is_visible()
    staff.get_by_label("Staff number, collar number or surname").fill("MD4471")
    staff.get_by_role("button", name="Find officer").click()
    staff.get_by_role("button", name="Link to Mark Dent").click()
    assert "S9990001" in staff.get_by_test_id("report-officer").inner_text()
    staff.get_by_role("button", name="Create allegation").click()
    assert staff.get_by_text("Allegation recorded on the officer's record.").is_visible()

    # The allegation is on the officer's profile for an investigator.
    desk = browser_as(investigator)
    desk.goto(f"/officers/{officer.public_id}/")
    assert desk.get_by_role("listitem").filter(has_text="(Hotline)").count() == 1
