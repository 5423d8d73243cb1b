"""Casework in a real browser: from an allegation to dismissal and the barred list; reassignment."""

import pytest
from playwright.sync_api import expect

from cases.models import CaseStatus
from misconduct.roles import Role
from tests.factories import CaseFactory, OfficerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_investigator_takes_an_allegation_through_a_hearing_to_dismissal(browser_as):
    investigator = UserFactory(username="ivy", first_name="Ivy", last_name="Investigator", roles=[Role.INVESTIGATOR])
    OfficerFactory(collar_number="4321CW", staff_number="S5550001", first_name="Carl", last_name="Wrongdoer")
    OfficerFactory(collar_number="1111AA", staff_number="S5550002", last_name="Bystander")

    page = browser_as(investigator)
    page.goto("/officers/")
    page.get_by_label("Staff number, collar number or surname").fill("4321CW")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("row")).to_have_count(2)  # header + the one officer
    page.get_by_role("link", name="Carl Wrongdoer").click()

    page.get_by_label("Category").select_option(label="Abuse of position for a sexual purpose")
    page.get_by_label("Source", exact=True).select_option(label="Colleague report")
    page.get_by_label("Came to notice on").fill("2026-10-01")
    page.get_by_label("What is alleged").fill("Used police systems to contact a victim for a relationship.")
    page.get_by_role("button", name="Record allegation").click()
    expect(page.get_by_text("Allegation recorded.")).to_be_visible()

    page.get_by_role("button", name="Open case").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Intake")

    page.get_by_role("button", name="Check for mandatory IOPC referral").click()
    page.get_by_label("IOPC referral").select_option("not_required")
    page.get_by_role("button", name="Record the IOPC referral decision").click()
    expect(page.get_by_text("Referral to the IOPC is mandatory for these allegations.")).to_be_visible()
    page.get_by_label("IOPC referral").select_option("referred")
    page.get_by_label("Mode of investigation (if referred)").select_option("local")
    page.get_by_role("button", name="Record the IOPC referral decision").click()

    assessment = page.locator("form", has=page.get_by_role("button", name="Record the severity assessment"))
    assessment.get_by_label("Severity").select_option("gross_misconduct")
    assessment.get_by_label("Honesty and integrity").check()
    assessment.get_by_label("Discreditable conduct").check()
    assessment.get_by_role("button", name="Record the severity assessment").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Investigation")

    page.get_by_role("button", name="Case to answer", exact=True).click()
    page.get_by_label("Route").select_option("misconduct_hearing")
    page.get_by_role("button", name="Refer to misconduct proceedings").click()
    page.get_by_label("Finding of the meeting or hearing").select_option("gross_misconduct")
    page.get_by_label("Outcome", exact=True).select_option("dismissal")
    page.get_by_role("button", name="Record the finding and the outcome").click()
    expect(page.get_by_test_id("case-outcome")).to_contain_text("Dismissal without notice")

    page.goto("/officers/?q=S5550001")
    page.get_by_role("link", name="Carl Wrongdoer").click()
    expect(page.get_by_test_id("officer-status")).to_have_text("Dismissed")

    csv_text = page.request.get("/exports/barred-list.csv").text()
    assert "S5550001" in csv_text and "Wrongdoer" in csv_text
    assert "S5550002" not in csv_text


def test_supervisor_reassigns_a_case(browser_as):
    supervisor = UserFactory(username="sue", roles=[Role.SUPERVISOR])
    UserFactory(username="ann", first_name="Ann", last_name="Able", roles=[Role.INVESTIGATOR])
    UserFactory(username="bob", first_name="Bob", last_name="Baker", roles=[Role.INVESTIGATOR])
    case = CaseFactory(status=CaseStatus.INVESTIGATION, reference="DPS-2026-777777")

    page = browser_as(supervisor)
    page.goto(f"/cases/{case.public_id}/")
    page.get_by_label("Assign to").select_option(label="Ann Able")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_test_id("case-investigator")).to_have_text("Ann Able")
    page.get_by_label("Assign to").select_option(label="Bob Baker")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_test_id("case-investigator")).to_have_text("Bob Baker")
