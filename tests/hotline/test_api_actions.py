"""Acknowledging a hotline report through the API: the triage workbench's access check and service, the
answer without the reporter's words, once per idempotency key, refused to roles outside triage."""

import pytest
from django.urls import reverse

from cases.roles import Role
from cases.services.api_clients import api_client_create
from hotline.models import HotlineStatus
from tests.factories import HotlineReportFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "v1:hotline-report-acknowledge"


def post(client, token, report, key=None):
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    url = reverse(URL, kwargs={"report_id": report.public_id})
    return client.post(url, {}, content_type="application/json", **headers)


def token_for(role, user=None):
    admin = UserFactory(is_superuser=True, is_staff=True)
    return api_client_create(name=f"client-{role}", role=role, user=user, by=admin)[1]


def test_the_triage_team_acknowledges_once_per_key_and_sees_no_report_text(client):
    report = HotlineReportFactory(what_happened="Marker-text-9981 from the reporter.")
    token = token_for(Role.HOTLINE_TRIAGE, UserFactory(roles=[Role.HOTLINE_TRIAGE]))

    first = post(client, token, report, key="ack-1")
    again = post(client, token, report, key="ack-1")
    second = post(client, token, report, key="ack-2")

    assert first.status_code == 200, first.content
    assert first.json()["status"] == HotlineStatus.ACKNOWLEDGED and first.json()["acknowledged_at"]
    assert again.json() == first.json()
    assert second.status_code == 400 and "already acknowledged" in second.json()["non_field_errors"][0]
    assert b"Marker-text-9981" not in first.content
    assert report.events.filter(kind="acknowledged").count() == 1


@pytest.mark.parametrize("role", [Role.PANEL_REVIEWER, Role.VETTING_OFFICER, Role.COMMISSIONER, Role.OVERSIGHT])
def test_roles_outside_triage_are_refused(client, role):
    report = HotlineReportFactory()
    user = None if role == Role.OVERSIGHT else UserFactory(roles=[role])

    assert post(client, token_for(role, user), report).status_code == 403
    report.refresh_from_db()
    assert report.acknowledged_at is None
