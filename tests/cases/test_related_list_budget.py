"""The related lists now filtered by the access rules (a review's past cases and allegations, a risk
flag's reason records, audit rows) cost the same number of queries however many rows they hold:
the rules are set-based filters, never a check per row."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessRecord, Allegation, Case
from cases.risk.models import RiskFlag
from cases.roles import Role
from tests.conftest import sign_in
from tests.factories import AllegationFactory, CaseFactory, OfficerFactory, OnyxReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


def queries_for(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx), response.content


@pytest.fixture
def scene():
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    looker = UserFactory(username="budget-looker", roles=[Role.COMMISSIONER])
    officer = OfficerFactory()
    review = OnyxReviewFactory(subject=officer, decided=True)
    now = timezone.now()
    flag = RiskFlag.objects.create(
        officer=officer, rule_code="budget", level="warning", reasons=[], first_seen=now, last_seen=now
    )

    def grow(n):
        today = timezone.localdate()
        cases = Case.objects.bulk_create(
            [CaseFactory.build(subject=officer, restricted=(i % 3 == 0)) for i in range(n)]
        )
        allegations = Allegation.objects.bulk_create(
            [
                AllegationFactory.build(
                    subject=officer,
                    case=c,
                    received_on=today - dt.timedelta(days=10),
                    incident_on=today - dt.timedelta(days=20),
                )
                for c in cases
            ]
        )
        review.past_cases.add(*cases)
        review.past_allegations.add(*allegations)
        flag.reasons = [
            *flag.reasons,
            {"text": "allegations", "model": "cases.allegation", "ids": [a.pk for a in allegations]},
            {"text": "cases", "model": "cases.case", "ids": [c.pk for c in cases]},
        ]
        flag.save(update_fields=["reasons"])
        AccessRecord.objects.bulk_create(
            [
                AccessRecord(
                    user=looker, object_type="case", object_id=c.pk, object_label=c.reference, view="t", path="/"
                )
                for c in cases
            ]
        )

    return supervisor, review, officer, grow


@pytest.mark.parametrize("page", ["review", "risk", "audit"])
def test_filtered_related_lists_cost_the_same_queries_for_10_or_200_rows(client, scene, page):
    supervisor, review, officer, grow = scene
    url = {
        "review": reverse("cases:review_detail", args=[review.public_id]),
        "risk": reverse("risk:officer_flags", args=[officer.public_id]),
        "audit": reverse("cases:audit_reader") + "?user=budget-looker",
    }[page]
    sign_in(client, supervisor)
    grow(10)
    queries_for(client, url)  # warm the per-process caches (content types) first
    small, body = queries_for(client, url)
    assert b"DPS-2026" in body  # the visible rows are on the page
    grow(190)
    large, _ = queries_for(client, url)
    assert large == small, f"{page}: {small} queries with 10 rows, {large} with 200"
