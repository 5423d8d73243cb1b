"""A statement in a real browser: uploaded to a case, downloaded by another investigator who may see
the case, refused (404) to one who may not, and the custody log shows the upload and the download."""

import pytest
from playwright.sync_api import expect

from cases import services as case_services
from cases.roles import Role
from tests.factories import CaseFactory, UserFactory

from .samples import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_statement_uploaded_downloaded_refused_and_in_the_custody_log(browser_as, tmp_path):
    supervisor = UserFactory(username="sue", roles=[Role.SUPERVISOR])
    owner = UserFactory(username="ivy", first_name="Ivy", last_name="Investigator", roles=[Role.INVESTIGATOR])
    colleague = UserFactory(username="cal", first_name="Cal", last_name="Colleague", roles=[Role.INVESTIGATOR])
    conflicted = UserFactory(username="con", roles=[Role.INVESTIGATOR])
    case = CaseFactory(reference="DPS-2026-DOCS")
    case_services.case_assign(case=case, investigator=owner, by=supervisor)
    case_services.conflict_declare(user=conflicted, officer=case.subject, reason="same team", by=supervisor)
    statement = tmp_path / "witness-statement.pdf"
    statement.write_bytes(PDF)

    page = browser_as(owner)
    page.goto(f"/cases/{case.public_id}/")
    page.get_by_role("link", name="Add documents").click()
    page.get_by_label("Files").set_input_files(str(statement))
    page.get_by_label("Statement").check()
    page.get_by_label("Obtained from").fill("Witness A")
    page.get_by_label("Exhibit reference").fill("EX-WA-1")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("1 document(s) added.")).to_be_visible()
    expect(page.get_by_role("link", name="witness-statement.pdf")).to_be_visible()
    document_url = page.get_by_role("link", name="EX-WA-1").get_attribute("href")

    other = browser_as(colleague)
    other.goto(f"/cases/{case.public_id}/")
    with other.expect_download() as download:
        other.get_by_role("link", name="witness-statement.pdf").click()
    assert download.value.suggested_filename == "witness-statement.pdf"
    with open(download.value.path(), "rb") as fh:
        assert fh.read() == PDF

    refused = browser_as(conflicted)
    response = refused.goto(document_url)
    assert response.status == 404

    page.goto(document_url)
    custody = page.locator("[data-custody]")
    expect(custody.locator('[data-custody-action="upload"]')).to_contain_text("Ivy Investigator")
    expect(custody.locator('[data-custody-action="download"]')).to_contain_text("Cal Colleague")
