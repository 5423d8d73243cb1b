"""The triage team's pages: the queue and the workbench, with the same access rules as casework."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import AccessRecord, Allegation, AllegationSource
from cases.roles import Role
from hotline.models import HotlineStatus
from hotline.selectors import acknowledge_due
from tests.conftest import sign_in
from tests.factories import HotlineReportFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def triage():
    return UserFactory(roles=[Role.HOTLINE_TRIAGE])


def act(client, report, **data):
    return client.post(reverse("triage:act", args=[report.public_id]), data)


def test_triage_links_a_report_and_creates_an_allegation_on_the_officer(client, triage):
    officer = OfficerFactory(collar_number="2468HT")
    report = HotlineReportFactory(category="sexual_boundaries", what_happened="He kept messaging my sister.")
    sign_in(client, triage)
    page = client.get(reverse("triage:report", args=[report.public_id]))
    assert page.status_code == 200
    assert AccessRecord.objects.filter(user=triage, object_type="hotline_report", object_id=report.pk).count() == 1
    assert act(client, report, action="acknowledge").status_code == 302
    search = client.get(reverse("triage:report", args=[report.public_id]) + "?officer_q=2468HT").content.decode()
    assert officer.staff_number in search
    act(client, report, action="link", officer=str(officer.public_id))
    act(client, report, action="allegation", category="abuse_position_sexual", text="")
    report.refresh_from_db()
    assert report.status == HotlineStatus.REFERRED and report.officer == officer
    allegation = Allegation.objects.get(subject=officer)
    assert (allegation.source, report.allegation) == (AllegationSource.HOTLINE, allegation)


def test_a_refused_step_says_why_and_changes_nothing(client, triage):
    report = HotlineReportFactory()
    sign_in(client, triage)
    response = act(client, report, action="close", text="  ")
    assert response.status_code == 400
    assert b"Give the reason for closing the report." in response.content
    report.refresh_from_db()
    assert report.status == HotlineStatus.RECEIVED


def test_reports_about_a_conflicted_officer_are_hidden_from_the_queue_and_the_workbench(client, triage):
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    officer = OfficerFactory()
    hidden = HotlineReportFactory(
        officer=officer, linked_at=timezone.now(), status=HotlineStatus.LINKED, reference="HL-2026-99999"
    )
    case_services.conflict_declare(user=triage, officer=officer, reason="Neighbour", by=supervisor)
    sign_in(client, triage)
    assert b"HL-2026-99999" not in client.get(reverse("triage:queue") + "?status=all").content
    assert client.get(reverse("triage:report", args=[hidden.public_id])).status_code == 404
    assert act(client, hidden, action="close", text="x").status_code == 404


def test_panel_reviewers_and_the_public_cannot_reach_triage(client):
    report = HotlineReportFactory()
    assert client.get(reverse("triage:queue")).status_code == 302
    sign_in(client, UserFactory(roles=[Role.PANEL_REVIEWER]))
    assert client.get(reverse("triage:queue")).status_code == 404
    assert client.get(reverse("triage:report", args=[report.public_id])).status_code == 404


def test_acknowledgement_is_due_two_working_days_after_receipt():
    thursday = timezone.make_aware(dt.datetime(2026, 11, 19, 15, 0))
    assert acknowledge_due(thursday) == dt.date(2026, 11, 23)  # Friday, then Monday


def test_queue_query_count_is_fixed(client, triage, django_assert_max_num_queries):
    sign_in(client, triage)
    HotlineReportFactory.create_batch(3)
    client.get(reverse("triage:queue"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("triage:queue"))
    HotlineReportFactory.create_batch(60, officer=OfficerFactory(), linked_at=timezone.now())
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("triage:queue"))
