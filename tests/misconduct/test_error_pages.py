"""Refusals get a page in plain words, never Django's bare defaults."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_missing_page_says_so_in_plain_words(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_a_form_without_its_csrf_token_explains_what_to_do():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/hotline/report/", {"what_happened": "x"})
    assert response.status_code == 403
    assert b"Please go back and try again" in response.content
