"""The published OpenAPI schema tells the truth: every list and detail response of the API, for staff
and for oversight readers, validates against the schema the project generates, and the refusals
(401, 403) and misses (404) the API answers with are documented."""

import copy
import uuid

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft202012Validator

from cases import services
from cases.roles import Role
from tests.conftest import sign_in
from tests.factories import CaseFactory, OfficerFactory, OnyxReviewFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST_AND_DETAIL = [
    ("v1:case-list", "v1:case-detail", "case_id"),
    ("v1:officer-list", "v1:officer-detail", "officer_id"),
    ("v1:review-list", "v1:review-detail", "review_id"),
]


def _as_json_schema(node):
    """OpenAPI 3.0 says `nullable: true`; JSON Schema says the value may also be of type null."""
    if isinstance(node, list):
        return [_as_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _as_json_schema(v) for k, v in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


@pytest.fixture(scope="module")
def openapi():
    return SchemaGenerator(api_version="v1").get_schema(request=None, public=True)


def operation(openapi, url):
    for path, item in openapi["paths"].items():
        pattern = path.split("{")[0]
        if url == path or (url.startswith(pattern) and "{" in path and url.count("/") == path.count("/")):
            return item["get"]
    pytest.fail(f"{url} is not in the schema")


def check(openapi, url, status, body):
    responses = operation(openapi, url)["responses"]
    assert str(status) in responses, f"{url} answers {status}, which the schema does not document"
    schema = responses[str(status)]["content"]["application/json"]["schema"]
    root = {**_as_json_schema(schema), "components": _as_json_schema(copy.deepcopy(openapi["components"]))}
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in Draft202012Validator(root).iter_errors(body)
    ]
    assert not errors, f"{url} ({status}) disagrees with its schema: {errors[:5]}"


@pytest.fixture
def world(db):
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    officer = OfficerFactory(collar_number=None)  # nullable in the model, so it must be in the schema
    unallocated = CaseFactory(subject=officer)  # no investigator yet: the API sends null
    allocated = CaseFactory(investigator=investigator)
    undecided = OnyxReviewFactory(subject=officer)
    decided = OnyxReviewFactory(decided=True)
    services.panel_reviews_assign(
        review_ids=[decided.id], panel_members=[UserFactory(roles=[Role.PANEL_REVIEWER])], by=supervisor
    )
    return {
        "supervisor": supervisor,
        "investigator_without_otp": UserFactory(roles=[Role.INVESTIGATOR]),
        "oversight": UserFactory(roles=[Role.OVERSIGHT]),
        "ids": {
            "case_id": [unallocated.public_id, allocated.public_id],
            "officer_id": [officer.public_id],
            "review_id": [undecided.public_id, decided.public_id],
        },
    }


@pytest.mark.parametrize("reader", ["supervisor", "oversight"])
def test_every_list_and_detail_response_matches_the_schema(client, openapi, world, reader):
    sign_in(client, world[reader])
    checked = 0
    for list_name, detail_name, arg in LIST_AND_DETAIL:
        url = reverse(list_name)
        response = client.get(url)
        if response.status_code == 403:  # a reader without the role: the refusal is documented too
            check(openapi, url, 403, response.json())
            continue
        assert response.status_code == 200, url
        check(openapi, url, 200, response.json())
        checked += len(response.json()["results"])
        for object_id in world["ids"][arg]:
            detail = reverse(detail_name, kwargs={arg: object_id})
            response = client.get(detail)
            assert response.status_code in (200, 404), detail
            check(openapi, detail, response.status_code, response.json())
    assert checked, "no response was checked: the world gives this reader nothing to read"


def test_a_case_with_no_investigator_is_sent_as_null_and_declared_nullable(client, openapi, world):
    sign_in(client, world["supervisor"])
    body = client.get(reverse("v1:case-detail", kwargs={"case_id": world["ids"]["case_id"][0]})).json()
    assert body["investigator"] is None
    check(openapi, reverse("v1:case-detail", kwargs={"case_id": world["ids"]["case_id"][0]}), 200, body)


def test_refusals_and_misses_are_documented_and_match(client, openapi, world):
    for list_name, detail_name, arg in LIST_AND_DETAIL:
        detail = reverse(detail_name, kwargs={arg: uuid.uuid4()})
        for url in (reverse(list_name), detail):
            responses = operation(openapi, url)["responses"]
            assert {"200", "401", "403", "404"} <= set(responses), f"{url} documents only {sorted(responses)}"
        client.logout()
        anonymous = client.get(detail)
        assert anonymous.status_code == 401  # no credentials: the token scheme asks for them
        check(openapi, detail, 401, anonymous.json())
        no_second_factor = world["investigator_without_otp"]
        client.force_login(no_second_factor)
        refused = client.get(detail)
        assert refused.status_code == 403
        check(openapi, detail, 403, refused.json())
        client.logout()
        sign_in(client, world["supervisor"])
        missing = client.get(detail)
        assert missing.status_code == 404
        check(openapi, detail, 404, missing.json())
