"""Every endpoint of the schema, called with an oversight client's token over seeded records, answers
without a name, staff number, collar number, narrative, rationale or hotline text anywhere (nested
fields and error bodies included), and every write endpoint refuses it."""

import re

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from cases.models import OnyxDecision
from cases.roles import Role
from cases.services.api_clients import api_client_create
from tests.factories import (
    AllegationFactory,
    CaseFactory,
    HotlineReportFactory,
    OfficerFactory,
    OnyxReviewFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    officer = OfficerFactory(first_name="Peregrine", last_name="Ashcombe-Vale", collar_number="7319QX")
    AllegationFactory(subject=officer, narrative="Narrative-marker-4471 about the night shift.")
    CaseFactory(subject=officer)
    OnyxReviewFactory(
        subject=officer, decided=True, decision=OnyxDecision.NO_FURTHER_ACTION, rationale="Rationale-marker-8812."
    )
    HotlineReportFactory(
        officer=officer, linked_at=timezone.now(), what_happened="Hotline-marker-5530 said at the station."
    )
    secrets = ["Peregrine", "Ashcombe-Vale", "7319QX", officer.staff_number, "Narrative-marker-4471"]
    return officer, secrets + ["Rationale-marker-8812", "Hotline-marker-5530"]


def _paths():
    schema = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    return schema["paths"]


def test_no_endpoint_tells_an_oversight_reader_who_anyone_is(client, seeded):
    admin = UserFactory(is_superuser=True, is_staff=True)
    _, token = api_client_create(name="PCC office", role=Role.OVERSIGHT, by=admin)
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    _, secrets = seeded
    walked, writes = [], []
    for path, operations in _paths().items():
        if "get" in operations and "{" not in path:
            response = client.get(path, **auth)
            walked.append((path, response))
            if response.status_code == 200 and isinstance(response.json(), dict):
                for row in response.json().get("results", [])[:3]:
                    detail = re.sub(r"\{[^}]+\}", str(row.get("id", "")), _detail_of(path))
                    if detail:
                        walked.append((detail, client.get(detail, **auth)))
        for method in ("post", "put", "patch", "delete"):
            if method in operations:
                url = re.sub(r"\{[^}]+\}", "00000000-0000-0000-0000-000000000000", path)
                writes.append((method, url, getattr(client, method)(url, {}, content_type="application/json", **auth)))

    assert len(walked) >= 4, walked
    for url, response in walked:
        assert response.status_code < 500, url
        text = response.content.decode()
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{url} shows {leaked}"
    assert writes, "the schema has write endpoints"
    written = {url.split("00000000-0000-0000-0000-000000000000")[-1] for _, url, _ in writes}
    assert {"/decision/", "/verdict/", "/open-case/", "/cases/", "/acknowledge/", "/actions/"} <= written, written
    for method, url, response in writes:
        assert response.status_code == 403, (method, url, response.status_code)


def _detail_of(list_path: str) -> str:
    for path in _paths():
        if path.startswith(list_path) and path.count("/") == list_path.count("/") + 1 and "{" in path:
            return path
    return ""
