"""Every input, select and textarea with an error is described by it, the GOV.UK way: the message is a
`<p class="govuk-error-message">` with an id, and the field's aria-describedby names that id (and its
hint's), so a screen reader reads the error with the field, not only in the summary at the top."""

import re

import pytest
from django.urls import reverse

from cases.roles import Role
from tests.conftest import sign_in
from tests.factories import UserFactory
from tests.hotline.conftest import VALID_REPORT

pytestmark = pytest.mark.django_db

CONTROL = re.compile(rb"<(?:input|select|textarea)\b[^>]*>")
FIELDSET = re.compile(rb"<fieldset\b[^>]*>")


def attribute(tag: bytes, name: str) -> str | None:
    found = re.search(rb'\s' + name.encode() + rb'="([^"]*)"', tag)
    return found.group(1).decode() if found else None


def error_ids(content: bytes) -> set[str]:
    return {m.decode() for m in re.findall(rb'<p class="govuk-error-message" id="([^"]+)"', content)}


def described(content: bytes) -> dict[str, list[str]]:
    """Each described control or fieldset by id (a fieldset by its first radio's name) -> its description ids."""
    out = {}
    for tag in CONTROL.findall(content) + FIELDSET.findall(content):
        if (ids := attribute(tag, "aria-describedby")) is not None:
            out[attribute(tag, "id") or attribute(tag, "name") or tag.decode()[:40]] = ids.split()
    return out


def test_the_report_form_ties_each_error_and_hint_to_its_field(client):
    answers = {k: v for k, v in VALID_REPORT.items() if k not in {"send", "what_happened", "category"}}
    page = client.post(reverse("hotline:report"), {**answers, "anonymous": "no"})

    assert page.status_code == 400
    errors = error_ids(page.content)
    assert {"id_what_happened_error", "id_category_error", "id_contact_email_error"} <= errors
    descriptions = list(described(page.content).values())
    assert ["id_what_happened_helptext", "id_what_happened_error"] in descriptions
    assert ["id_contact_email_error"] in descriptions
    assert any(ids == ["id_category_error"] for ids in descriptions)  # the radios' fieldset
    # No error goes undescribed, and no description points at nothing.
    assert errors <= {i for ids in descriptions for i in ids}
    assert {i for ids in descriptions for i in ids if i.endswith("_error")} <= errors


def test_a_refused_filter_on_a_list_page_is_described_by_its_error(client):
    sign_in(client, UserFactory(roles=[Role.SUPERVISOR]))

    page = client.get(reverse("cases:case_list"), {"status": "nonsense", "older_than_days": "soon"})

    assert page.status_code == 400
    assert {"status-error", "older_than_days-error"} <= error_ids(page.content)
    descriptions = described(page.content)
    assert descriptions["status"] == ["status-error"] and descriptions["older_than_days"] == ["older_than_days-error"]
    assert b'href="#status"' in page.content  # the summary's link lands on the same input
