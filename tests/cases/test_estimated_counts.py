"""Long lists are not counted row by row (issue 18): a list counts exactly up to EXACT_COUNT_LIMIT rows
and above it shows the planner's estimate, "about N". No list page runs an unbounded COUNT."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Allegation
from cases.pagination import EstimatedCountPaginator, rounded
from cases.roles import Role
from tests.conftest import sign_in
from tests.factories import AllegationFactory, CaseFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _unbounded_counts(queries) -> list[str]:
    """COUNT queries that are not over a LIMITed subquery."""
    counts = [q["sql"] for q in queries if re.search(r"\bCOUNT\(", q["sql"], re.I)]
    return [sql for sql in counts if not re.search(r"\bLIMIT\b", sql, re.I)]


def test_a_small_list_is_counted_exactly(settings):
    settings.EXACT_COUNT_LIMIT = 10
    officer = OfficerFactory()
    AllegationFactory.create_batch(7, subject=officer)
    paginator = EstimatedCountPaginator(Allegation.objects.order_by("id"), 5)
    assert (paginator.count, paginator.count_is_estimate, paginator.num_pages) == (7, False, 2)


def test_a_list_over_the_limit_takes_the_planners_estimate_without_counting_every_row(settings):
    settings.EXACT_COUNT_LIMIT = 3
    officer = OfficerFactory()
    AllegationFactory.create_batch(8, subject=officer)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_allegation")
    paginator = EstimatedCountPaginator(Allegation.objects.order_by("id"), 2)
    with CaptureQueriesContext(connection) as ctx:
        count = paginator.count
    assert paginator.count_is_estimate and count >= 4, "an estimate is never below what was counted"
    assert not _unbounded_counts(ctx.captured_queries), "no COUNT without a LIMIT"
    assert any(q["sql"].upper().startswith("EXPLAIN") for q in ctx.captured_queries)
    assert list(paginator.page(1)) == list(Allegation.objects.order_by("id")[:2])


def test_estimates_are_shown_with_no_more_figures_than_they_have():
    assert rounded(999) == 999
    assert rounded(133_217) == 133_000
    assert rounded(1_234_567) == 1_230_000


@pytest.mark.parametrize(
    "url_name, role",
    [
        ("cases:case_list", Role.SUPERVISOR),
        ("cases:allegation_list", Role.SUPERVISOR),
        ("cases:officer_list", Role.SUPERVISOR),
    ],
)
def test_list_pages_estimate_long_lists_and_run_no_unbounded_count(client, settings, url_name, role):
    settings.EXACT_COUNT_LIMIT = 3
    for _ in range(6):
        CaseFactory(subject=(officer := OfficerFactory()))
        AllegationFactory(subject=officer)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    sign_in(client, UserFactory(roles=[role]))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert not _unbounded_counts(ctx.captured_queries), _unbounded_counts(ctx.captured_queries)
    assert any(q["sql"].upper().startswith("EXPLAIN") for q in ctx.captured_queries), "the estimate path is taken"


def test_the_api_says_when_its_count_is_an_estimate(client, settings):
    settings.EXACT_COUNT_LIMIT = 3
    for _ in range(6):
        AllegationFactory(subject=OfficerFactory())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    sign_in(client, UserFactory(roles=[Role.SUPERVISOR]))
    body = client.get("/api/v1/allegations/").json()
    assert body["count_is_estimate"] is True and body["count"] >= 4
    settings.EXACT_COUNT_LIMIT = 5000
    body = client.get("/api/v1/allegations/").json()
    assert body["count_is_estimate"] is False and body["count"] == 6
