import pytest

from cases.roles import Role
from cases.timeline import officer_timeline
from hotline import services
from tests.factories import HotlineReportFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_with_reports():
    triage = UserFactory(roles=[Role.HOTLINE_TRIAGE])
    officer, other = OfficerFactory(), OfficerFactory()
    linked = []
    for _ in range(3):
        report = HotlineReportFactory()
        services.report_acknowledge(report=report, by=triage)
        services.report_officer_link(report=report, officer=officer, by=triage)
        linked.append(report)
    services.report_allegation_create(report=linked[0], by=triage)
    unrelated = HotlineReportFactory()
    services.report_acknowledge(report=unrelated, by=triage)
    services.report_officer_link(report=unrelated, officer=other, by=triage)
    return officer, linked, unrelated


@pytest.mark.parametrize("role", [Role.HOTLINE_TRIAGE, Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER])
def test_repeated_hotline_reports_about_an_officer_show_on_their_profile(officer_with_reports, role):
    officer, linked, unrelated = officer_with_reports

    timeline = officer_timeline(user=UserFactory(roles=[role]), officer=officer)

    entries = [e for e in timeline if e.kind == "Hotline report"]

    texts = " ".join(e.text for e in entries)
    assert len(entries) == 3
    assert all(r.reference in texts for r in linked)
    assert unrelated.reference not in texts
    assert "allegation recorded" in next(e.text for e in entries if linked[0].reference in e.text)


@pytest.mark.parametrize("role", [Role.PANEL_REVIEWER, Role.OVERSIGHT])
def test_roles_outside_hotline_work_do_not_see_hotline_reports_on_a_profile(officer_with_reports, role):
    officer, _, _ = officer_with_reports

    entries = officer_timeline(user=UserFactory(roles=[role]), officer=officer)

    assert not [e for e in entries if e.kind == "Hotline report"]
