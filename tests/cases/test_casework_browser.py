"""Casework in a real browser: from an allegation to dismissal and the barred list; reassignment."""

import pytest
from playwright.sync_api import expect

from cases.models import CaseStatus
from cases.roles import Role
from tests.factories import CaseFactory, OfficerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_allegation_through_the_authoritys_decisions_a_hearing_dismissal_and_an_appeal_that_quashes_it(
    browser_as,
):
    investigator = UserFactory(username="ivy", first_name="Ivy", last_name="Investigator", roles=[Role.INVESTIGATOR])
    supervisor = UserFactory(username="sam", first_name="Sam", last_name="Senior", roles=[Role.SUPERVISOR])
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
    case_url = page.url
    # The referral, the severity assessment, case to answer and the referral to a hearing are the
    # appropriate authority's decisions: the investigator is not offered them.
    expect(page.get_by_role("button", name="Record the IOPC referral decision")).to_have_count(0)

    authority = browser_as(supervisor)
    authority.goto(case_url)
    authority.get_by_label("IOPC referral").select_option("not_required")
    authority.get_by_role("button", name="Record the IOPC referral decision").click()
    expect(
        authority.get_by_text("Referral to the IOPC is mandatory for these allegations: serious corruption").first
    ).to_be_visible()
    authority.get_by_label("IOPC referral").select_option("referred")
    authority.get_by_label("Mode of investigation (if referred)").select_option("local")
    authority.get_by_role("button", name="Record the IOPC referral decision").click()

    assessment = authority.locator("form", has=authority.get_by_role("button", name="Record the severity assessment"))
    assessment.get_by_label("Severity").select_option("gross_misconduct")
    assessment.get_by_label("Honesty and integrity").check()
    assessment.get_by_label("Discreditable conduct").check()
    assessment.get_by_role("button", name="Record the severity assessment").click()
    expect(authority.get_by_test_id("case-status")).to_have_text("Investigation")

    page.reload()
    page.get_by_role("button", name="Record the written notice given to the officer").click()
    expect(page.get_by_test_id("case-written-notice")).not_to_have_text("—")
    expect(page.get_by_role("button", name="Case to answer", exact=True)).to_have_count(0)

    authority.reload()
    to_answer = authority.locator("form", has=authority.get_by_role("button", name="Case to answer", exact=True))
    to_answer.get_by_role("button", name="Case to answer", exact=True).click()
    # A step that is hard to undo asks to be confirmed first.
    expect(authority.get_by_text("Tick the box to confirm").first).to_be_visible()
    to_answer = authority.locator("form", has=authority.get_by_role("button", name="Case to answer", exact=True))
    to_answer.get_by_label("I confirm this step").check()
    to_answer.get_by_role("button", name="Case to answer", exact=True).click()
    # Gross misconduct goes to a hearing or an accelerated hearing; never to a meeting.
    expect(authority.get_by_label("Route").locator("option")).to_have_text(
        ["Choose…", "Misconduct hearing", "Accelerated misconduct hearing"]
    )
    authority.get_by_label("Route").select_option("misconduct_hearing")
    authority.get_by_role("button", name="Refer to misconduct proceedings").click()

    page.reload()
    page.get_by_label("Finding of the meeting or hearing").select_option("gross_misconduct")
    # A gross-misconduct finding never ends in a written warning, and a constable has no rank to lose:
    # the form offers neither.
    gross = page.get_by_label("Outcome", exact=True).locator(
        'optgroup[label="On a finding of gross misconduct"] option'
    )
    expect(gross).to_have_text(["Final written warning", "Dismissal without notice"])
    page.get_by_label("Outcome", exact=True).select_option("dismissal")
    page.get_by_label("Conducted or chaired by").fill("Commander Ada Chair")
    page.get_by_label("Hearing panel members").fill("Ian Independent, Lee Layperson")
    page.get_by_label("Legally qualified person").fill("Quinn Counsel")
    page.get_by_label("I confirm this step").check()
    page.get_by_role("button", name="Record the finding and the outcome").click()
    expect(page.get_by_test_id("case-outcome")).to_contain_text("Dismissal without notice")
    expect(page.get_by_test_id("case-panel")).to_contain_text("Commander Ada Chair")

    page.goto("/officers/?q=S5550001")
    page.get_by_role("link", name="Carl Wrongdoer").click()
    expect(page.get_by_test_id("officer-status")).to_have_text("Dismissed")

    csv_text = page.request.get("/exports/barred-list.csv").text()
    assert "S5550001" in csv_text and "Wrongdoer" in csv_text
    assert "S5550002" not in csv_text

    # The investigation log: a note with who and when.
    page.goto(case_url)
    page.get_by_label("Add to the investigation log").fill("Tribunal hearing listed for next month.")
    page.get_by_role("button", name="Add to the log").click()
    expect(page.locator(".moj-timeline__item", has_text="Tribunal hearing listed for next month.")).to_contain_text(
        "Ivy Investigator"
    )

    # The officer appeals to the Police Appeals Tribunal, which quashes the dismissal.
    page.goto(case_url)
    page.get_by_role("button", name="Lodge an appeal").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Appeal")
    page.get_by_label("Appeal result").select_option("upheld")
    page.get_by_role("button", name="Record the appeal result").click()
    expect(page.get_by_test_id("case-outcome")).to_contain_text("Quashed on appeal")

    page.goto("/officers/?q=S5550001")
    page.get_by_role("link", name="Carl Wrongdoer").click()
    expect(page.get_by_test_id("officer-status")).to_have_text("Serving")
    assert "S5550001" not in page.request.get("/exports/barred-list.csv").text()


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
