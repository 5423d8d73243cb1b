"""The live OpenAPI schema, exercised by schemathesis (issue 15): every operation, a fixed number of
generated requests each, with a supervisor's token and an oversight client's token, over seeded
records. No request may get a 5xx, and every response must match what the schema declares for it
(its body's shape and its content type)."""

import contextlib

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance
from schemathesis.openapi import from_dict

from cases.roles import Role
from cases.services.api_clients import api_client_create
from tests.factories import (
    AllegationFactory,
    CaseFactory,
    HotlineReportFactory,
    OfficerFactory,
    OnyxReviewFactory,
    UserFactory,
    VettingReviewFactory,
)

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 8  # a constant: the run's length does not depend on the schema's size
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def seeded():
    officer = OfficerFactory()
    AllegationFactory(subject=officer)
    CaseFactory(subject=officer)
    OnyxReviewFactory(subject=officer)
    HotlineReportFactory(officer=officer, linked_at=timezone.now())
    VettingReviewFactory(officer=officer)


@pytest.fixture
def wsgi_in_the_test_transaction():
    """The WSGI handler closes the database connection when a request ends; Django's own test client
    stops that so requests run inside the test's transaction, and so does this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _schema():
    raw = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    schema = from_dict(raw)
    schema.app = WSGIHandler()
    return schema


def _exercise(token: str) -> tuple[list[str], set[str]]:
    failures, reached = [], set()
    headers = {"Authorization": f"Token {token}"}
    for result in _schema().get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def call(case):
            response = case.call(headers=headers)
            reached.add(f"{case.method} {case.operation.path}")
            try:
                case.validate_response(response, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect every failure, report all
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: {exc}"[:600])
                raise

        with contextlib.suppress(Exception, BaseExceptionGroup):  # each failure is recorded above
            call()
    return failures, reached


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.OVERSIGHT])
def test_every_operation_answers_as_the_schema_says_without_a_server_error(seeded, wsgi_in_the_test_transaction, role):
    admin = UserFactory(is_superuser=True, is_staff=True)
    user = UserFactory(roles=[role]) if role != Role.OVERSIGHT else None
    _, token = api_client_create(name=f"schemathesis {role}", role=role, by=admin, user=user)
    failures, reached = _exercise(token)
    assert not failures, "\n".join(failures)
    operations = {f"{op.ok().method.upper()} {op.ok().path}" for op in _schema().get_all_operations()}
    assert {r.upper() for r in reached} >= {o.upper() for o in operations} and len(operations) > 20
