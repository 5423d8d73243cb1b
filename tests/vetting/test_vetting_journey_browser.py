"""The vetting officer's journey in a real browser (issue 14): import a PND results file with a bad row,
download the rejected rows, triage the hit's review, decide it withdrawn, run the withdrawal to
dismissal; the officer's profile and the barred list show it."""

import pytest
from playwright.sync_api import expect

from cases.roles import Role
from tests.clock import days_ago
from tests.factories import OfficerFactory, UserFactory, VettingClearanceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_vetting_officer_screens_triages_withdraws_and_the_profile_and_barred_list_show_it(
    browser_as, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    officer = UserFactory(username="vet", first_name="Val", last_name="Vetter", roles=[Role.VETTING_OFFICER])
    supervisor = UserFactory(username="sup", roles=[Role.SUPERVISOR])
    OfficerFactory(staff_number="PB0001")
    subject = OfficerFactory(staff_number="PB0002", first_name="Hugh", last_name="Hitperson")
    VettingClearanceFactory(officer=subject)
    results = tmp_path / "pnd-results.csv"
    results.write_text(
        "staff number,date checked,result,notes\n"
        f"PB0001,{days_ago(2)},No trace,\n"
        f"PB0002,{days_ago(2)},Criminal association,seen with a nominal\n"
        f"PB9999,{days_ago(2)},No trace,\n"
    )

    page = browser_as(officer)
    page.goto("/vetting/pnd/")
    page.get_by_role("link", name="Import PND results").click()
    page.get_by_label("PND results file (CSV)").set_input_files(str(results))
    page.get_by_role("button", name="Import the file").click()
    expect(page.get_by_test_id("import-status")).to_have_text("Finished", timeout=15_000)
    expect(page.get_by_test_id("rows-saved")).to_have_text("2")
    expect(page.get_by_test_id("rows-rejected")).to_have_text("1")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the rejected rows").click()
    report = download.value.path().read_text()
    assert "4,PB9999" in report and "Unknown staff number" in report

    page.get_by_role("link", name="PND screening: checks, hits and their reviews").click()
    expect(page.get_by_test_id("pnd-progress")).to_have_text("first 2 of 2")
    hit = page.get_by_test_id("pnd-hit-list").get_by_role("row").filter(has_text="PB0002")
    hit.get_by_role("link", name="Open: triage").click()
    expect(page.get_by_role("heading", name="Vetting review: Hugh Hitperson")).to_be_visible()
    page.get_by_role("button", name="Take under review").click()
    expect(page.get_by_test_id("review-status")).to_have_text("Under review, assigned to vet")


    # The hit's review, decided withdrawn, opens the withdrawal process.
    page.get_by_label("Withdrawn").check()
    page.get_by_label("Reasons").fill("Undisclosed association with a convicted drug supplier.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_test_id("review-outcome")).to_have_text("Withdrawn")

    # The decision opened the withdrawal process; the list shows it running.
    page.goto("/vetting/withdrawals/?running=true")
    page.get_by_role("link", name="Hugh Hitperson").click()
    expect(page.get_by_test_id("withdrawal-status")).to_have_text("Withdrawal assessment opened")
    expect(page.get_by_test_id("officer-status")).to_have_text("Restricted duties")

    page.get_by_label("Who carries out the assessment and decides").select_option(label="Val Vetter")
    page.get_by_role("button", name="Appoint the decision-maker").click()
    page.get_by_label("Police friend (name and how to reach them)").fill("PC Fran Friend")
    page.get_by_role("button", name="Record the police friend").click()
    page.get_by_label("What the notice said").fill("The matter, your right to a police friend and to reply.")
    page.get_by_role("button", name="Serve the notice of the withdrawal assessment").click()
    expect(page.get_by_test_id("withdrawal-status")).to_have_text("Notice served: representations awaited")
    expect(page.get_by_test_id("representations-due")).to_contain_text("Due by")
    page.get_by_label("The officer's written representations").fill("The association ended years ago.")
    page.get_by_role("button", name="Record the representations").click()
    page.get_by_label("Withdraw clearance and dismiss").check()
    page.get_by_label("Reasons").fill("The association continued; not suitable to hold clearance.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_test_id("withdrawal-status")).to_have_text("Clearance withdrawn: dismissed without notice")
    expect(page.get_by_test_id("officer-status")).to_have_text("Dismissed")
    expect(page.get_by_test_id("withdrawal-history")).to_contain_text("Notice of the withdrawal assessment served")

    # The officer's profile and the barred list show the dismissal.
    sup = browser_as(supervisor)
    sup.goto(f"/officers/{subject.public_id}/")
    expect(sup.get_by_test_id("officer-status")).to_have_text("Dismissed")
    barred = sup.request.get("/exports/barred-list.csv")
    assert barred.status == 200
    assert "PB0002" in barred.text()
