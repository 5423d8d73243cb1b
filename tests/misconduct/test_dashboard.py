"""The dashboard on the demo force shows the published Onyx breakdown, scaled."""

import pytest
from django.urls import reverse

from cases.roles import Role
from misconduct.dashboard import dashboard_figures
from tests.cases.test_seed_demo import TINY_PEOPLE, largest_remainder, seed, share
from tests.conftest import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_dashboard_on_the_demo_force_shows_the_onyx_breakdown(client, settings):
    seed("--scale", "tiny", settings=settings)
    total = share(246 + 689 + 196, TINY_PEOPLE)
    nfa, reassess, risk = largest_remainder(total, [246, 689, 196])
    onyx = dashboard_figures()["onyx"]
    assert (onyx["total"], onyx["nfa"], onyx["reassess"], onyx["risk_management"]) == (total, nfa, reassess, risk)
    sign_in(client, UserFactory(roles=[Role.COMMISSIONER]))
    page = client.get(reverse("dashboard")).content.decode()
    assert f'data-figure="onyx-total">{total}<' in page
    assert f'data-figure="onyx-reassess">{reassess}<' in page


def _vetting_world(n: int) -> None:
    from tests.factories import ConvictionFactory, PNDCheckFactory, VettingClearanceFactory, VettingReviewFactory

    for i in range(n):
        ConvictionFactory(category="dishonesty", while_serving=True)
        ConvictionFactory(category="public_order")
        PNDCheckFactory(result="criminal_association")
        PNDCheckFactory()
        VettingClearanceFactory(status="suspended")
        VettingReviewFactory(trigger_ref=f"dash:{i}")


def test_the_dashboard_shows_convictions_pnd_and_vetting_figures(client):
    _vetting_world(2)
    v = dashboard_figures()["vetting"]
    assert (v["convictions"]["total"], v["convictions"]["dishonesty_or_violence"], v["convictions"]["other"]) == (
        4,
        2,
        2,
    )
    assert (v["convictions"]["serving"], v["convictions"]["joining"]) == (2, 2)
    assert (v["pnd"]["checks"], v["pnd"]["criminal_association"], v["pnd"]["potential_misconduct"]) == (4, 2, 0)
    assert (v["reviews"]["open"], v["reviews"]["decided"], v["clearances"]["suspended"]) == (2, 0, 2)
    sign_in(client, UserFactory(roles=[Role.COMMISSIONER]))
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-figure="pnd-criminal-association">2<' in page
    assert "4: 0 traffic, 2 dishonesty or violence, 0 sexual, 0 drugs, 2 other; 2 while serving" in page


@pytest.mark.parametrize("rows", [1, 20])
def test_the_dashboards_figures_take_a_fixed_number_of_queries(rows, django_assert_num_queries):
    _vetting_world(rows)
    with django_assert_num_queries(14):  # the same at 1 and 20 rows of each kind
        dashboard_figures()


def test_the_allegations_by_month_are_the_direct_counts_from_the_summary_and_the_changed_months():
    import datetime as dt
    import random
    from collections import Counter

    from cases.fairness.monthly import allegation_months_refresh
    from cases.models import Allegation
    from tests import clock
    from tests.factories import AllegationFactory, OfficerFactory

    rng = random.Random(4)
    officer = OfficerFactory()
    for _ in range(60):
        received = clock.TODAY - dt.timedelta(days=rng.randint(0, 900))
        AllegationFactory(subject=officer, received_on=received, incident_on=received)
    allegation_months_refresh()
    AllegationFactory(subject=officer, received_on=clock.days_ago(40), incident_on=clock.days_ago(40))  # not refreshed
    Allegation.objects.filter(pk=Allegation.objects.order_by("received_on").last().pk).delete()
    since = min(row["month"] for row in dashboard_figures(today=clock.TODAY)["trend"])
    direct = Counter(
        a.received_on.strftime("%Y-%m")
        for a in Allegation.objects.filter(received_on__gte=dt.date.fromisoformat(f"{since}-01"))
    )
    trend = {row["month"]: row["allegations"] for row in dashboard_figures(today=clock.TODAY)["trend"]}
    assert trend == {m: direct.get(m, 0) for m in trend} and sum(trend.values()) > 20
