"""The Onyx journey in a real browser: decide, panel disagrees, decide again, panel agrees."""

import pytest
from playwright.sync_api import expect

from cases import services
from cases.roles import Role
from tests.factories import OfficerFactory, OnyxReviewFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_risk_management_decision_goes_through_the_panel_and_moves_the_dashboard(browser_as):
    supervisor = UserFactory(username="sup", first_name="Sam", last_name="Supervisor", roles=[Role.SUPERVISOR])
    reviewer = UserFactory(username="rev", first_name="Rita", last_name="Reviewer", roles=[Role.INVESTIGATOR])
    panel = UserFactory(username="panel", first_name="Pat", last_name="Panel", roles=[Role.PANEL_REVIEWER])
    commissioner = UserFactory(username="boss", roles=[Role.COMMISSIONER])
    officer = OfficerFactory(staff_number="S7000001", first_name="Dan", last_name="Subject")
    review = OnyxReviewFactory(subject=officer, reference="ONYX-90001")
    OnyxReviewFactory(reference="ONYX-90002", decided=True)  # someone else's, never shown to this panel member
    services.onyx_reviews_allocate(review_ids=[review.id], reviewer=reviewer, by=supervisor)

    # The reviewer decides: formal risk management with a vetting review.
    page = browser_as(reviewer)
    page.goto(f"/reviews/{review.public_id}/")
    page.get_by_label("Formal risk management").check()
    page.get_by_label("Rationale").fill("Three domestic abuse reports; victims never re-contacted.")
    page.get_by_role("checkbox", name="Vetting review").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_test_id("review-status")).to_have_text("Decided: awaiting the panel")

    # The decision is not final until the panel agrees: no vetting review yet.
    page.goto("/vetting/reviews/")
    expect(page.get_by_role("row").filter(has_text="S7000001")).to_have_count(0)

    # The supervisor sends it to the panel.
    sup = browser_as(supervisor)
    sup.goto("/reviews/?status=decided")
    sup.get_by_label("Select ONYX-90001").check()
    sup.get_by_label("Pat Panel").check()
    sup.get_by_role("button", name="Send to panel").click()
    expect(sup.get_by_text("1 review(s) sent to the panel.")).to_be_visible()

    # The panel member sees only that review, and disagrees.
    pan = browser_as(panel)
    pan.goto("/reviews/")
    expect(pan.get_by_role("link", name="ONYX-90001")).to_be_visible()
    expect(pan.get_by_text("ONYX-90002")).to_have_count(0)
    pan.get_by_role("link", name="ONYX-90001").click()
    pan.get_by_role("radio", name="Disagree").check()
    pan.get_by_label("Reasons (required if you disagree)").fill("Restricted duties should also be considered.")
    pan.get_by_role("button", name="Give verdict").click()
    expect(pan.get_by_text("Your verdict on ONYX-90001 is recorded.")).to_be_visible()

    # The reviewer sees it returned with the panel's reasons, and decides again.
    page.goto(f"/reviews/{review.public_id}/")
    expect(page.get_by_test_id("panel-reasons")).to_have_text("Restricted duties should also be considered.")
    page.get_by_label("Formal risk management").check()
    page.get_by_label("Rationale").fill("Agreed with the panel: restricted duties and vetting review.")
    page.get_by_role("checkbox", name="Restricted duties").check()
    page.get_by_role("checkbox", name="Vetting review").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_test_id("review-status")).to_have_text("Decided: awaiting the panel")

    sup.goto("/reviews/?status=decided")
    sup.get_by_label("Select ONYX-90001").check()
    sup.get_by_label("Pat Panel").check()
    sup.get_by_role("button", name="Send to panel").click()

    pan.goto(f"/reviews/{review.public_id}/")
    pan.get_by_role("radio", name="Agree", exact=True).check()
    pan.get_by_role("button", name="Give verdict").click()
    expect(pan.get_by_text("Your verdict on ONYX-90001 is recorded.")).to_be_visible()

    # Now final, its measures take effect: a vetting review appears for that officer.
    page.goto("/vetting/reviews/")
    row = page.get_by_role("row").filter(has_text="S7000001")
    expect(row).to_contain_text("Onyx risk-management decision")

    # The commissioner's dashboard counts it.
    boss = browser_as(commissioner)
    boss.goto("/dashboard/")
    expect(boss.locator('[data-figure="onyx-agreed"]')).to_have_text("1")
    expect(boss.locator('[data-figure="onyx-disagreed"]')).to_have_text("1")
    expect(boss.locator('[data-figure="onyx-panel-checked"]')).to_have_text("1")
    expect(boss.locator('[data-figure="onyx-risk-management"]')).to_have_text("1")
    expect(boss.locator('[data-figure="restricted-duties"]')).to_have_text("1")
