"""Form fields reused across pages (cases/views/fragments.py) are the code's markup and nothing else:
the same as a fresh render, never a user's value, a record's choices, the day or a one-time token."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from cases.forms import AllegationForm, ReviewProgrammeForm, SuspensionStartForm
from cases.models import Case
from cases.roles import Role
from cases.views.fragments import form_fields
from tests.conftest import sign_in
from tests.factories import CaseFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_reused_field_markup_is_what_a_fresh_render_gives():
    for _ in range(2):  # the second time from the cache
        pairs = form_fields(AllegationForm())
        for field, html in pairs:
            if html is not None:
                assert html == render_to_string("cases/_field.html", {"field": field}), field.name
    reused = {field.name for field, html in pairs if html is not None}
    assert "category" in reused and "narrative" in reused
    assert "once_token" not in reused  # a callable initial: a new token on each page


def test_the_review_programme_form_reuses_all_but_its_token():
    for _ in range(2):
        pairs = form_fields(ReviewProgrammeForm())
        for field, html in pairs:
            if html is not None:
                assert html == render_to_string("cases/_field.html", {"field": field}), field.name
    assert {field.name for field, html in pairs if html is None} == {"once_token"}


def test_fields_with_the_day_a_query_or_a_view_value_are_rendered_each_time():
    form = SuspensionStartForm(cases=Case.objects.none())
    rendered_here = {field.name for field, html in form_fields(form) if html is None}
    assert {"started_on", "case"} <= rendered_here
    given = {field.name: html for field, html in form_fields(AllegationForm(initial={"category": "dishonesty"}))}
    assert given["category"] is None and given["narrative"] is not None
    assert all(html is None for _, html in form_fields(AllegationForm({"category": "x"})))


def test_each_profile_gets_its_own_token_and_its_officers_cases(client):
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    sign_in(client, supervisor)
    first, second = OfficerFactory(), OfficerFactory()
    case_a = CaseFactory(subject=first, reference="DPS-2026-777001")
    case_b = CaseFactory(subject=second, reference="DPS-2026-777002")
    page_a = client.get(reverse("cases:officer_detail", args=[first.public_id])).content.decode()
    page_b = client.get(reverse("cases:officer_detail", args=[second.public_id])).content.decode()
    token = re.compile(r'name="once_token" value="([^"]+)"[^>]*id="id_once_token"')
    assert token.search(page_a).group(1) != token.search(page_b).group(1)
    choice = '<option value="{}"'
    assert choice.format(case_a.public_id) in page_a and choice.format(case_b.public_id) not in page_a
    assert choice.format(case_b.public_id) in page_b and choice.format(case_a.public_id) not in page_b
