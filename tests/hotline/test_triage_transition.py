"""The hotline's one transition function: every step goes through _transition and its table."""

import pytest

from cases.roles import Role
from hotline import services
from hotline.models import HotlineReport, HotlineReportEvent, HotlineStatus
from tests.factories import HotlineReportFactory, UserFactory

pytestmark = pytest.mark.django_db
S = HotlineStatus


def test_every_step_in_the_table_moves_to_a_state_the_workflow_knows():
    for action, (_, target) in services.HOTLINE_ACTIONS.items():
        targets = target.values() if isinstance(target, dict) else [target] if target else []
        assert set(targets) <= set(S.values), action
        if isinstance(target, dict):
            assert all(to in services.HOTLINE_TRANSITIONS[frm] for frm, to in target.items()), action


def test_a_refused_move_writes_nothing_not_even_the_steps_own_changes():
    triage = UserFactory(roles=[Role.HOTLINE_TRIAGE])
    report = HotlineReportFactory()  # received: it cannot be referred before an officer is linked
    calls = []

    def apply(locked):
        calls.append(locked.pk)
        return []

    with pytest.raises(services.DomainError, match="cannot move to referred"):
        services._transition(report.pk, "create_allegation", by=triage, apply=apply)
    assert calls == []
    assert HotlineReport.objects.get(pk=report.pk).status == S.RECEIVED
    assert not HotlineReportEvent.objects.filter(report=report).exists()


def test_a_step_that_stays_writes_its_event_with_the_same_state_on_both_sides():
    triage = UserFactory(roles=[Role.HOTLINE_TRIAGE])
    report = HotlineReportFactory()
    services.report_triage_reply(report=report, body="Thank you; we are looking at it.", by=triage)
    event = HotlineReportEvent.objects.get(report=report)
    assert (event.from_status, event.to_status, event.actor) == (S.RECEIVED, S.RECEIVED, triage)
