"""The withdrawal journey in a real browser: a vetting officer decides a review to withdraw, runs the
withdrawal to dismissal, and the officer's profile and the barred list show it."""

import pytest
from playwright.sync_api import expect

from cases.roles import Role
from tests.factories import OfficerFactory, UserFactory, VettingClearanceFactory
from vetting import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_review_decided_withdrawn_runs_to_dismissal_and_the_barred_list(browser_as):
    vetting = UserFactory(username="vet", first_name="Val", last_name="Vetter", roles=[Role.VETTING_OFFICER])
    supervisor = UserFactory(username="sup", roles=[Role.SUPERVISOR])
    officer = OfficerFactory(staff_number="S7100001", first_name="Wyn", last_name="Withdrawn")
    VettingClearanceFactory(officer=officer)
    review = services.vetting_review_open(
        officer_id=officer.pk, trigger="manual", trigger_ref="form:browser", reason="PND: criminal association"
    )

    page = browser_as(vetting)
    page.goto(f"/vetting/reviews/{review.public_id}/")
    page.get_by_role("button", name="Take under review").click()
    page.get_by_label("Withdrawn").check()
    page.get_by_label("Reasons").fill("Undisclosed association with a convicted drug supplier.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_test_id("review-outcome")).to_have_text("Withdrawn")

    # The decision opened the withdrawal process; the list shows it running.
    page.goto("/vetting/withdrawals/?running=true")
    page.get_by_role("link", name="Wyn Withdrawn").click()
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
    sup.goto(f"/officers/{officer.public_id}/")
    expect(sup.get_by_test_id("officer-status")).to_have_text("Dismissed")
    barred = sup.request.get("/exports/barred-list.csv")
    assert barred.status == 200
    assert "S7100001" in barred.text()
