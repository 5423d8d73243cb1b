"""Every API list (and every statistics endpoint) costs the same number of queries at 10 rows as at
1,000, at the default page size and at the largest (100); the lists' access records included."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Allegation, Case, CaseEvent, CaseEventKind, Officer, OnyxReview, PanelAssignment
from cases.risk.models import RiskFlag
from cases.roles import Role
from hotline.models import HotlineReport
from tests.conftest import sign_in
from tests.factories import (
    AllegationFactory,
    CaseFactory,
    CommandFactory,
    HotlineReportFactory,
    OfficerFactory,
    OnyxReviewFactory,
    UserFactory,
    VettingReviewFactory,
)
from vetting.models import VettingReview

pytestmark = pytest.mark.django_db

LISTS = [
    "v1:case-list",
    "v1:case-event-list",
    "v1:officer-list",
    "v1:review-list",
    "v1:allegation-list",
    "v1:vetting-review-list",
    "v1:hotline-report-list",
    "v1:risk-flag-list",
]
STATISTICS = [
    "v1:statistics-onyx",
    "v1:statistics-outcomes-by-category",
    "v1:statistics-outcomes-by-month",
    "v1:statistics-time-to-outcome",
    "v1:statistics-reg19-overdue",
    "v1:statistics-hotline",
]


def make_rows(n, *, events_case, panel_member):
    now = timezone.now()
    command = CommandFactory()
    Officer.objects.bulk_create(OfficerFactory.build_batch(n, command=command))
    officers = list(Officer.objects.order_by("-id")[:n])
    Case.objects.bulk_create([CaseFactory.build(subject=o, restricted=(i % 7 == 0)) for i, o in enumerate(officers)])
    reviews = OnyxReview.objects.bulk_create([OnyxReviewFactory.build(subject=o, batch=None) for o in officers])
    PanelAssignment.objects.bulk_create([PanelAssignment(review=r, panel_member=panel_member) for r in reviews])
    allegations = Allegation.objects.bulk_create([AllegationFactory.build(subject=o) for o in officers])
    VettingReview.objects.bulk_create([VettingReviewFactory.build(officer=o) for o in officers])
    reports = HotlineReport.objects.bulk_create(
        [HotlineReportFactory.build(officer=o, linked_at=now) for o in officers]
    )
    RiskFlag.objects.bulk_create(
        [
            RiskFlag(
                officer=o,
                rule_code="budget",
                level="warning",
                first_seen=now,
                last_seen=now,
                reasons=[
                    {"text": "An allegation.", "model": "cases.allegation", "ids": [a.pk]},
                    {"text": "A hotline report.", "model": "hotline.hotlinereport", "ids": [h.pk]},
                ],
            )
            for o, a, h in zip(officers, allegations, reports, strict=True)
        ]
    )
    CaseEvent.objects.bulk_create([CaseEvent(case=events_case, kind=CaseEventKind.NOTE, note="n") for _ in range(n)])


def queries_for(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    body = response.json()
    if isinstance(body, dict) and "results" in body:  # a list: its rows are there to be counted
        assert body["results"], f"{url} answered nothing to count"
    return len(ctx)


@pytest.fixture
def reader(client):
    user = UserFactory(roles=[Role.SUPERVISOR, Role.VETTING_OFFICER, Role.HOTLINE_TRIAGE])
    sign_in(client, user)
    return user


@pytest.mark.parametrize("name", LISTS + STATISTICS)
@pytest.mark.parametrize("page_size", ["", "100"])
def test_api_reads_cost_the_same_at_10_and_1000_rows(client, reader, name, page_size, django_assert_max_num_queries):
    events_case = CaseFactory()
    kwargs = {"case_id": events_case.public_id} if name == "v1:case-event-list" else {}
    url = reverse(name, kwargs=kwargs) + (f"?page_size={page_size}" if page_size and name in LISTS else "")
    panel_member = UserFactory(roles=[Role.PANEL_REVIEWER])
    make_rows(10, events_case=events_case, panel_member=panel_member)
    queries_for(client, url)  # warm the per-process caches (content types) first
    small = queries_for(client, url)
    make_rows(1000, events_case=events_case, panel_member=panel_member)
    large = queries_for(client, url)
    assert large == small, f"{name}: {small} queries with 10 rows, {large} with 1,010"
    with django_assert_max_num_queries(20):
        client.get(url)


def test_a_page_holds_at_most_100_rows(client, reader):
    CaseFactory.create_batch(3)
    body = client.get(reverse("v1:case-list") + "?page_size=2").json()
    assert len(body["results"]) == 2 and body["count"] == 3
    Case.objects.bulk_create([CaseFactory.build(subject=OfficerFactory()) for _ in range(101)])
    assert len(client.get(reverse("v1:case-list") + "?page_size=5000").json()["results"]) == 100
