"""The PND journey in a real browser: a vetting officer imports a results file with a bad row, watches it
finish, downloads the rejected rows, and opens (triages) the review a hit opened."""

import pytest
from playwright.sync_api import expect

from cases.roles import Role
from tests.clock import days_ago
from tests.factories import OfficerFactory, UserFactory, VettingClearanceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_vetting_officer_imports_pnd_results_downloads_the_rejected_rows_and_triages_a_hit(
    browser_as, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    officer = UserFactory(username="vet", first_name="Val", last_name="Vetting", roles=[Role.VETTING_OFFICER])
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
