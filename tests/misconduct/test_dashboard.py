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
