"""The vetting officer's home page lists their reviews, reviews nobody has taken, and clearances expired or
due within 30 days, each counted and linked, through the vetting selectors; nobody else gets these."""

import pytest
from django.urls import reverse

from cases.roles import Role
from cases.worklist import worklist_for
from tests import clock
from tests.conftest import sign_in
from tests.factories import UserFactory, VettingClearanceFactory, VettingReviewFactory

pytestmark = pytest.mark.django_db


def _sections(user):
    return {s.key: s for s in worklist_for(user=user, today=clock.TODAY)}


def test_a_vetting_officer_sees_their_reviews_open_reviews_and_expiring_clearances():
    officer = UserFactory(roles=[Role.VETTING_OFFICER])
    VettingReviewFactory(status="in_progress", assigned_to=officer)
    VettingReviewFactory(status="in_progress", assigned_to=UserFactory(roles=[Role.VETTING_OFFICER]))
    VettingReviewFactory(status="open")
    VettingClearanceFactory(expires_on=clock.days_ago(-10))
    VettingClearanceFactory(expires_on=clock.days_ago(-200))

    sections = _sections(officer)

    assert sections["vetting_mine"].count == 1
    assert sections["vetting_open"].count == 1
    assert sections["vetting_expiring"].count == 1


@pytest.mark.parametrize("role", [Role.INVESTIGATOR, Role.COMMISSIONER, Role.HOTLINE_TRIAGE])
def test_others_get_no_vetting_sections(role):
    VettingReviewFactory(status="open")
    assert not {"vetting_mine", "vetting_open", "vetting_expiring"} & set(_sections(UserFactory(roles=[role])))


def test_the_home_page_shows_them_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    officer = UserFactory(roles=[Role.VETTING_OFFICER])
    for _ in range(12):
        VettingReviewFactory(status="open")
        VettingClearanceFactory(expires_on=clock.days_ago(-5))
    sign_in(client, officer)

    with django_assert_max_num_queries(30):
        page = client.get(reverse("home"))

    assert page.status_code == 200
    assert 'data-worklist-count="vetting_open">12<' in page.content.decode()
