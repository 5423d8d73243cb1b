import pytest
from django.utils import timezone

from cases.models import AllegationCategory, AllegationSource
from cases.roles import Role
from cases.services import DomainError, conflict_declare
from hotline import services
from hotline.models import HotlineEventKind, HotlineMessage, HotlineReport, HotlineStatus, MessageSender
from tests.factories import HotlineReportFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db
S = HotlineStatus


@pytest.fixture
def triage():
    return UserFactory(roles=[Role.HOTLINE_TRIAGE])


def report_in(status, triage):
    """A report brought to `status` through the real services."""
    report = HotlineReportFactory()
    if status == S.RECEIVED:
        return report
    services.report_acknowledge(report=report, by=triage)
    if status == S.ACKNOWLEDGED:
        return report
    if status == S.NEEDS_INFORMATION:
        return services.report_information_request(report=report, question="When?", by=triage)
    services.report_officer_link(report=report, officer=OfficerFactory(), by=triage)
    if status == S.LINKED:
        return report
    if status == S.REFERRED:
        return services.report_allegation_create(report=report, by=triage)
    return services.report_close(report=report, reason="Not a police matter", by=triage)


def attempt(action, report, triage):
    """Run one triage action; returns the new status, or None if the rules refused it."""
    calls = {
        "acknowledge": lambda: services.report_acknowledge(report=report, by=triage),
        "ask": lambda: services.report_information_request(report=report, question="Which street?", by=triage),
        "link": lambda: services.report_officer_link(report=report, officer=OfficerFactory(), by=triage),
        "allegation": lambda: services.report_allegation_create(report=report, by=triage),
        "close": lambda: services.report_close(report=report, reason="Nothing to act on", by=triage),
    }
    try:
        calls[action]()
    except DomainError:
        return None
    return HotlineReport.objects.get(pk=report.pk).status


# The allowed moves, written out by hand from the triage process (not read back from the code).
ALLOWED = {
    (S.RECEIVED, "acknowledge"): S.ACKNOWLEDGED,
    (S.RECEIVED, "close"): S.CLOSED,
    (S.ACKNOWLEDGED, "ask"): S.NEEDS_INFORMATION,
    (S.ACKNOWLEDGED, "link"): S.LINKED,
    (S.ACKNOWLEDGED, "close"): S.CLOSED,
    (S.NEEDS_INFORMATION, "ask"): S.NEEDS_INFORMATION,
    (S.NEEDS_INFORMATION, "link"): S.LINKED,
    (S.NEEDS_INFORMATION, "close"): S.CLOSED,
    (S.LINKED, "ask"): S.NEEDS_INFORMATION,
    (S.LINKED, "link"): S.LINKED,
    (S.LINKED, "allegation"): S.REFERRED,
    (S.LINKED, "close"): S.CLOSED,
    (S.REFERRED, "close"): S.CLOSED,
}


@pytest.mark.parametrize("start", list(S))
@pytest.mark.parametrize("action", ["acknowledge", "ask", "link", "allegation", "close"])
def test_each_triage_action_moves_only_from_the_statuses_that_allow_it(start, action, triage):
    report = report_in(start, triage)
    events_before = report.events.count()

    result = attempt(action, report, triage)

    assert result == ALLOWED.get((start, action))
    report.refresh_from_db()
    if result is None:
        assert report.status == start  # refused: nothing changed
        assert report.events.count() == events_before
    else:
        assert report.events.count() == events_before + 1
        event = report.events.last()
        assert (event.from_status, event.to_status, event.actor) == (start, result, triage)


def test_acknowledging_records_when_for_the_two_working_day_target(triage):
    report = HotlineReportFactory()

    services.report_acknowledge(report=report, by=triage)

    report.refresh_from_db()
    assert report.acknowledged_at is not None and report.acknowledged_at >= report.received_at
    assert report.updated_by == triage


def test_asking_for_information_writes_to_the_reporter_as_the_team(triage):
    report = report_in(S.ACKNOWLEDGED, triage)

    services.report_information_request(report=report, question="Which street was it?", by=triage)

    message = HotlineMessage.objects.get(report=report)
    assert (message.sender, message.author, message.body) == (MessageSender.TRIAGE, triage, "Which street was it?")


def test_reply_to_the_reporter_keeps_the_status_but_not_on_a_closed_report(triage):
    report = report_in(S.ACKNOWLEDGED, triage)

    services.report_triage_reply(report=report, body="Thank you, we are on it.", by=triage)
    assert HotlineReport.objects.get(pk=report.pk).status == S.ACKNOWLEDGED

    services.report_close(report=report, reason="Done", by=triage)
    with pytest.raises(DomainError):
        services.report_triage_reply(report=report, body="One more thing", by=triage)
    assert HotlineMessage.objects.filter(report=report).count() == 1


def test_allegation_from_a_report_is_about_its_officer_with_source_hotline(triage):
    report = report_in(S.ACKNOWLEDGED, triage)
    officer = OfficerFactory()
    services.report_officer_link(report=report, officer=officer, by=triage)

    services.report_allegation_create(report=report, by=triage, category=AllegationCategory.DISHONESTY)

    report.refresh_from_db()
    allegation = report.allegation
    assert allegation.subject == officer
    assert allegation.source == AllegationSource.HOTLINE
    assert allegation.category == AllegationCategory.DISHONESTY
    assert allegation.narrative == report.what_happened.strip()
    assert allegation.received_on == timezone.localdate(report.received_at)
    assert report.status == S.REFERRED
    assert report.events.filter(kind=HotlineEventKind.ALLEGATION_CREATED).exists()


def test_a_report_turned_into_an_allegation_keeps_its_officer(triage):
    report = report_in(S.REFERRED, triage)
    officer = report.officer

    with pytest.raises(DomainError):
        services.report_officer_link(report=report, officer=OfficerFactory(), by=triage)
    assert HotlineReport.objects.get(pk=report.pk).officer == officer


def test_a_conflicted_user_cannot_link_a_report_to_that_officer(triage):
    report = report_in(S.ACKNOWLEDGED, triage)
    officer = OfficerFactory()
    conflict_declare(user=triage, officer=officer, reason="My brother", by=UserFactory(roles=[Role.SUPERVISOR]))

    with pytest.raises(DomainError):
        services.report_officer_link(report=report, officer=officer, by=triage)
    assert HotlineReport.objects.get(pk=report.pk).officer is None


@pytest.mark.parametrize("role", [Role.PANEL_REVIEWER, Role.COMMISSIONER, Role.OVERSIGHT, None])
def test_only_triage_and_dps_staff_work_on_reports(role):
    user = UserFactory(roles=[role] if role else [])
    report = HotlineReportFactory()

    with pytest.raises(DomainError):
        services.report_acknowledge(report=report, by=user)
    with pytest.raises(DomainError):
        services.report_close(report=report, reason="x", by=user)
    assert HotlineReport.objects.get(pk=report.pk).status == S.RECEIVED


def test_closing_needs_a_reason(triage):
    report = HotlineReportFactory()

    with pytest.raises(DomainError):
        services.report_close(report=report, reason="   ", by=triage)
    assert HotlineReport.objects.get(pk=report.pk).status == S.RECEIVED


def test_merging_a_duplicate_closes_it_pointing_at_the_first_report(triage):
    first, second, third = HotlineReportFactory(), HotlineReportFactory(), HotlineReportFactory()
    services.report_duplicate_merge(report=third, original=second, by=triage)

    services.report_duplicate_merge(report=second, original=first, by=triage)

    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == S.CLOSED and second.duplicate_of == first
    assert first.reference in second.closed_reason
    # Its own duplicates follow it to the first report.
    assert third.duplicate_of == first


def test_a_report_cannot_be_merged_into_itself_or_into_a_duplicate(triage):
    first, second, third = HotlineReportFactory(), HotlineReportFactory(), HotlineReportFactory()
    services.report_duplicate_merge(report=second, original=first, by=triage)

    with pytest.raises(DomainError):
        services.report_duplicate_merge(report=first, original=first, by=triage)
    with pytest.raises(DomainError):
        services.report_duplicate_merge(report=third, original=second, by=triage)
    assert HotlineReport.objects.get(pk=third.pk).status == S.RECEIVED


def test_a_closed_report_cannot_be_merged(triage):
    first = HotlineReportFactory()
    closed = report_in(S.CLOSED, triage)

    with pytest.raises(DomainError):
        services.report_duplicate_merge(report=closed, original=first, by=triage)
