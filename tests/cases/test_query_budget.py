"""List pages and API lists cost a fixed number of queries, however many rows there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case
from cases.roles import Role
from tests.conftest import sign_in
from tests.factories import (
    AllegationFactory,
    CaseFactory,
    CommandFactory,
    OfficerFactory,
    OnyxReviewFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST_URLS = [
    "cases:case_list",
    "cases:officer_list",
    "cases:review_list",
    "cases:allegation_list",
    "v1:case-list",
    "v1:officer-list",
    "v1:review-list",
]


def make_rows(n):
    command = CommandFactory()
    officers = OfficerFactory.build_batch(n, command=command)
    from cases.models import Officer

    Officer.objects.bulk_create(officers)
    officers = list(Officer.objects.order_by("-id")[:n])
    Case.objects.bulk_create([CaseFactory.build(subject=o, restricted=(i % 7 == 0)) for i, o in enumerate(officers)])
    from cases.models import OnyxReview

    OnyxReview.objects.bulk_create([OnyxReviewFactory.build(subject=o, batch=None) for o in officers])
    from cases.models import Allegation

    Allegation.objects.bulk_create([AllegationFactory.build(subject=o) for o in officers])


def queries_for(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(ctx)


@pytest.mark.parametrize("name", LIST_URLS + ["cases:case_export", "cases:allegation_export"])
def test_list_query_count_does_not_grow_with_rows(client, name, django_assert_max_num_queries):
    user = UserFactory(roles=[Role.SUPERVISOR])
    sign_in(client, user)
    url = reverse(name)
    make_rows(10)
    queries_for(client, url)  # warm the per-process caches (content types) first
    small = queries_for(client, url)
    make_rows(1000)
    large = queries_for(client, url)
    assert large == small, f"{name}: {small} queries with 10 rows, {large} with 1,010"
    with django_assert_max_num_queries(15):
        client.get(url)


def test_detail_pages_stay_within_budget(client, django_assert_max_num_queries):
    user = UserFactory(roles=[Role.SUPERVISOR])
    sign_in(client, user)
    case = CaseFactory()
    for name, arg in [("cases:case_detail", case.public_id), ("cases:officer_detail", case.subject.public_id)]:
        with django_assert_max_num_queries(30):
            assert client.get(reverse(name, args=[arg])).status_code == 200
