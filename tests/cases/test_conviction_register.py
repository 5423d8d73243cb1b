"""The convictions and cautions register: the published breakdown in one query, filters that refuse what
they do not know, nothing about someone the reader is conflicted on, and a query budget."""

import pytest
from django.urls import reverse

from cases import services
from cases.roles import Role
from cases.selectors_convictions import conviction_breakdown, conviction_register
from tests.conftest import sign_in
from tests.factories import ConvictionFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_breakdown_groups_the_register_as_published_in_one_query(django_assert_num_queries):
    for category, serving in [
        ("serious_traffic", False),
        ("dishonesty", True),
        ("violence", False),
        ("sexual", False),
        ("drugs", False),
        ("public_order", True),
        ("criminal_damage", False),
    ]:
        ConvictionFactory(category=category, while_serving=serving)
    user = UserFactory(roles=[Role.SUPERVISOR])
    qs = conviction_register(user=user)
    list(qs[:0])
    with django_assert_num_queries(1):
        b = conviction_breakdown(qs)
    rows = {r["key"]: (r["total"], r["serving"], r["before"]) for r in b["rows"]}
    assert rows == {
        "traffic": (1, 0, 1),
        "dishonesty_or_violence": (2, 1, 1),
        "sexual": (1, 0, 1),
        "drugs": (1, 0, 1),
        "other": (2, 1, 1),
    }
    assert (b["total"], b["serving"], b["before"]) == (7, 2, 5)


def test_the_register_hides_someone_the_reader_is_conflicted_on_and_filters_by_group(client):
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    reader = UserFactory(roles=[Role.VETTING_OFFICER])
    hidden = OfficerFactory(last_name="Conflictedperson")
    ConvictionFactory(officer=hidden, category="violence")
    shown = ConvictionFactory(category="drugs", officer=OfficerFactory(last_name="Shownperson"))
    services.conflict_declare(user=reader, officer=hidden, reason="family", by=supervisor)
    sign_in(client, reader)
    page = client.get(reverse("cases:conviction_list"))
    assert page.status_code == 200
    assert b"Conflictedperson" not in page.content and b"Shownperson" in page.content
    assert page.context["breakdown"]["total"] == 1
    narrowed = client.get(reverse("cases:conviction_list"), {"group": "drugs", "serving": "false"})
    assert [c.pk for c in narrowed.context["page"]] == [shown.pk]
    assert client.get(reverse("cases:conviction_list"), {"group": "theft"}).status_code == 400
    assert client.get(reverse("cases:conviction_list"), {"colour": "red"}).status_code == 400


@pytest.mark.parametrize("rows", [2, 40])
def test_the_register_stays_within_its_query_budget(client, rows, django_assert_max_num_queries):
    for _ in range(rows):
        ConvictionFactory()
    sign_in(client, UserFactory(roles=[Role.COMMISSIONER]))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("cases:conviction_list")).status_code == 200
