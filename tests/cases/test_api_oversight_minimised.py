"""Every endpoint of the schema, called with an oversight client's token over seeded records, answers
without a name, staff number, collar number, narrative, rationale or hotline text anywhere (nested
fields and error bodies included), and every write endpoint refuses it."""

import re

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from cases.models import CaseEvent, CaseEventKind, OnyxDecision
from cases.risk.models import RiskFlag
from cases.roles import Role
from cases.services.api_clients import api_client_create
from tests.factories import (
    AllegationFactory,
    CaseFactory,
    HotlineReportFactory,
    OfficerFactory,
    OnyxReviewFactory,
    PanelAssignmentFactory,
    UserFactory,
    VettingReviewFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    officer = OfficerFactory(first_name="Peregrine", last_name="Ashcombe-Vale", collar_number="7319QX")
    allegation = AllegationFactory(subject=officer, narrative="Narrative-marker-4471 about the night shift.")
    case = CaseFactory(subject=officer)
    investigator = UserFactory(username="investigator-marker-6620", roles=[Role.INVESTIGATOR])
    CaseEvent.objects.create(case=case, kind=CaseEventKind.NOTE, actor=investigator, note="Note-marker-3391.")
    review = OnyxReviewFactory(
        subject=officer, decided=True, decision=OnyxDecision.NO_FURTHER_ACTION, rationale="Rationale-marker-8812."
    )
    PanelAssignmentFactory(
        review=review,
        panel_member=UserFactory(username="panellist-marker-1177", roles=[Role.PANEL_REVIEWER]),
        verdict="disagree",
        reasons="Panel-reasons-marker-2204.",
        verdict_at=timezone.now(),
    )
    HotlineReportFactory(
        officer=officer,
        linked_at=timezone.now(),
        what_happened="Hotline-marker-5530 said at the station.",
        officer_name_given="Given-name-marker-8080",
    )
    VettingReviewFactory(officer=officer, reason="Vetting-reason-marker-4242.", rationale="")
    now = timezone.now()
    RiskFlag.objects.create(
        officer=officer,
        rule_code="walk",
        level="warning",
        first_seen=now,
        last_seen=now,
        reasons=[{"text": "Reason-marker-9191", "model": "cases.allegation", "ids": [allegation.pk]}],
    )
    secrets = ["Peregrine", "Ashcombe-Vale", "7319QX", officer.staff_number, "Narrative-marker-4471"]
    words = ["Rationale-marker-8812", "Hotline-marker-5530", "Note-marker-3391", "investigator-marker-6620"]
    words += ["panellist-marker-1177", "Panel-reasons-marker-2204", "Given-name-marker-8080"]
    return officer, secrets + words + ["Vetting-reason-marker-4242", "Reason-marker-9191"]


def _paths():
    schema = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    return schema["paths"]


def test_no_endpoint_tells_an_oversight_reader_who_anyone_is(client, seeded):
    admin = UserFactory(is_superuser=True, is_staff=True)
    _, token = api_client_create(name="PCC office", role=Role.OVERSIGHT, by=admin)
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    _, secrets = seeded
    walked, writes = [], []
    ids_by_list: dict[str, list[str]] = {}
    paths = _paths()
    # Lists first (no parameter), then every path with parameters, filled from the ids the list it
    # hangs off gave (a case's events from the cases list's ids), shallowest first.
    for path in sorted(paths, key=lambda p: (p.count("{"), p.count("/"), p)):
        operations = paths[path]
        if "get" in operations:
            for url in _urls_for(path, ids_by_list):
                response = client.get(url, **auth)
                walked.append((url, response))
                if "{" not in path and response.status_code == 200 and isinstance(response.json(), dict):
                    ids_by_list[path] = [str(r["id"]) for r in response.json().get("results", [])[:3] if "id" in r]
        for method in ("post", "put", "patch", "delete"):
            if method in operations:
                url = re.sub(r"\{[^}]+\}", "00000000-0000-0000-0000-000000000000", path)
                writes.append((method, url, getattr(client, method)(url, {}, content_type="application/json", **auth)))

    templated = {url for url, _ in walked if "events" in url}
    assert templated, "the walk reached the nested endpoints (a case's events)"
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


def _urls_for(path: str, ids_by_list: dict[str, list[str]]) -> list[str]:
    if "{" not in path:
        return [path]
    parent = path[: path.index("{")]
    return [re.sub(r"\{[^}]+\}", key, path, count=1) for key in ids_by_list.get(parent, [])]
