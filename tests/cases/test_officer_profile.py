import datetime as dt

import pytest
from django.urls import reverse

from cases.roles import Role
from cases.timeline import officer_timeline
from tests.conftest import sign_in
from tests.factories import (
    AllegationFactory,
    ConvictionFactory,
    OfficerFactory,
    PNDCheckFactory,
    UserFactory,
    VettingReviewFactory,
)

pytestmark = pytest.mark.django_db


def test_profile_timeline_gathers_every_app_newest_first():
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    officer = OfficerFactory()
    AllegationFactory(subject=officer, received_on=dt.date(2021, 5, 1), incident_on=None)
    ConvictionFactory(officer=officer, convicted_on=dt.date(2019, 1, 1), offence_on=None)
    PNDCheckFactory(officer=officer, checked_on=dt.date(2023, 3, 1), result="criminal_association")
    VettingReviewFactory(officer=officer)
    kinds = [e.kind for e in officer_timeline(user=investigator, officer=officer)]
    assert kinds == ["Vetting review", "PND check", "Allegation", "Conviction"]


def test_profile_shows_its_timeline_as_moj_timeline_entries_newest_first(client):
    import re

    officer = OfficerFactory()
    AllegationFactory(subject=officer, received_on=dt.date(2021, 5, 1), incident_on=None)
    ConvictionFactory(officer=officer, convicted_on=dt.date(2019, 1, 1), offence_on=None)
    sign_in(client, UserFactory(roles=[Role.SUPERVISOR]))

    page = client.get(reverse("cases:officer_detail", args=[officer.public_id])).content.decode()

    timeline = page[page.index('class="moj-timeline"') :]
    titles = re.findall(r'<h3 class="moj-timeline__title">([^<]+)</h3>', timeline)
    assert titles[:2] == ["Allegation", "Conviction"]
    assert '<time datetime="2021-05-01T00:00:00' in timeline and ">1 May 2021</time>" in timeline


def test_hotline_triage_sees_identity_but_no_casework_on_the_profile(client):
    triage = UserFactory(roles=[Role.HOTLINE_TRIAGE])
    officer = OfficerFactory()
    AllegationFactory(subject=officer, narrative="secret narrative", category="dishonesty")
    PNDCheckFactory(officer=officer, result="potential_misconduct")
    assert officer_timeline(user=triage, officer=officer) == []
    sign_in(client, triage)
    page = client.get(reverse("cases:officer_detail", args=[officer.public_id])).content.decode()
    assert officer.staff_number in page
    assert "Dishonesty" not in page and "Potential misconduct" not in page


def test_profile_query_count_does_not_grow_with_history(client, django_assert_max_num_queries):
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    officer = OfficerFactory()
    sign_in(client, supervisor)
    url = reverse("cases:officer_detail", args=[officer.public_id])
    client.get(url)
    AllegationFactory.create_batch(3, subject=officer)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    AllegationFactory.create_batch(60, subject=officer)
    PNDCheckFactory.create_batch(5, officer=officer, checked_on=factory_dates(5))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def factory_dates(n):
    import factory

    return factory.Iterator([dt.date(2020, 1, 1) + dt.timedelta(days=i) for i in range(n)])
