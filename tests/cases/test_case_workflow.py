"""The Conduct Regulations workflow: every allowed and every forbidden move of the table, and the
rules the regulations set on outcomes, routes, referrals and appeals."""

import datetime as dt

import pytest
from django.utils import timezone

from cases import services
from cases.models import (
    AllegationCategory,
    AllegationStatus,
    Case,
    CaseEvent,
    CaseStatus,
    EmploymentStatus,
    OfficerEvent,
    Outcome,
    Route,
    Severity,
)
from cases.roles import Role
from cases.services.casework import CASE_ACTIONS
from tests import clock
from tests.factories import AllegationFactory, CaseFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = clock.TODAY

HEARING_PANEL = {
    "conducted_by": "Commander A Chair",
    "panel_members": "B Member, C Member",
    "legal_adviser": "D Adviser",
}
VALID_DATA = {
    "start_referral_check": {},
    "record_referral": {"referral": "not_required"},
    "assess_severity": {"severity": Severity.GROSS_MISCONDUCT, "standards": ["honesty"]},
    "find_case_to_answer": {},
    "find_no_case_to_answer": {},
    "choose_route": {"route": Route.MISCONDUCT_HEARING},
    "refer_to_reflective_practice": {"standards": ["duties"]},
    "give_written_notice": {},
    "certify_special_conditions": {"sufficient_evidence": True, "public_interest": True, "reasons": "Convicted."},
    "reassess_severity": {"severity": Severity.MISCONDUCT, "reasons": "Evidence since the assessment."},
    "record_outcome": {
        "finding": "gross_misconduct",
        "outcome": Outcome.FINAL_WRITTEN_WARNING,
        **HEARING_PANEL,
    },
    "lodge_appeal": {},
    "decide_appeal": {"result": "dismissed"},
    "close": {},
}


@pytest.fixture
def supervisor():
    return UserFactory(roles=[Role.SUPERVISOR])


def case_at(status, **kwargs):
    later = status in (CaseStatus.PROCEEDINGS, CaseStatus.OUTCOME, CaseStatus.APPEAL, CaseStatus.CLOSED)
    has_outcome = status in (CaseStatus.OUTCOME, CaseStatus.APPEAL, CaseStatus.CLOSED)
    fields = {
        "opened_at": timezone.now() - dt.timedelta(days=30),
        "status": status,
        "severity": Severity.GROSS_MISCONDUCT,
        "route": Route.MISCONDUCT_HEARING if later else "",
        "outcome": Outcome.FINAL_WRITTEN_WARNING if has_outcome else "",
        "outcome_on": TODAY if has_outcome else None,
        "closed_at": timezone.now() if status == CaseStatus.CLOSED else None,
    }
    fields.update(kwargs)
    return CaseFactory(**fields)


# The workflow as the regulations give it, written out here rather than read from CASE_ACTIONS: the one
# state each action starts from, and where it leaves the case.
EXPECTED_MOVES = {
    "start_referral_check": ("intake", "iopc_referral"),
    "record_referral": ("iopc_referral", "severity_assessment"),
    "assess_severity": ("severity_assessment", "investigation"),
    "give_written_notice": ("investigation", "investigation"),
    "reassess_severity": ("investigation", "investigation"),
    "refer_to_reflective_practice": ("severity_assessment", "closed"),
    "find_case_to_answer": ("investigation", "case_to_answer"),
    "find_no_case_to_answer": ("investigation", "closed"),
    "choose_route": ("case_to_answer", "proceedings"),
    "certify_special_conditions": ("investigation", "proceedings"),
    "record_outcome": ("proceedings", "outcome"),
    "lodge_appeal": ("outcome", "appeal"),
    "decide_appeal": ("appeal", "closed"),
    "close": ("outcome", "closed"),
}
STATES = [
    "intake",
    "iopc_referral",
    "severity_assessment",
    "investigation",
    "case_to_answer",
    "proceedings",
    "outcome",
    "appeal",
    "closed",
]


def test_the_workflow_has_exactly_the_expected_actions_and_states():
    assert sorted(CASE_ACTIONS) == sorted(EXPECTED_MOVES)
    assert sorted(CaseStatus.values) == sorted(STATES)


@pytest.mark.parametrize("status", STATES)
@pytest.mark.parametrize("action", list(EXPECTED_MOVES))
def test_every_move_of_the_table_is_allowed_or_refused(status, action, supervisor):
    case = case_at(status)
    from_status, to_status = EXPECTED_MOVES[action]
    if from_status == status:
        moved = services.case_transition(case=case, action=action, by=supervisor, today=TODAY, **VALID_DATA[action])
        assert moved.status == to_status
        event = CaseEvent.objects.get(case=case)
        assert (event.from_status, event.to_status, event.actor) == (status, to_status, supervisor)
    else:
        with pytest.raises(services.DomainError, match="not possible now"):
            services.case_transition(case=case, action=action, by=supervisor, today=TODAY, **VALID_DATA[action])
        case.refresh_from_db()
        assert case.status == status
        assert not CaseEvent.objects.filter(case=case).exists()


# The police staff disciplinary procedure on the same engine, written out: no reflective practice referral
# and no reg 17 notice (Conduct Regulations only); one forum.
EXPECTED_STAFF_MOVES = {
    "start_referral_check": ("intake", "iopc_referral"),
    "record_referral": ("iopc_referral", "severity_assessment"),
    "assess_severity": ("severity_assessment", "investigation"),
    "reassess_severity": ("investigation", "investigation"),
    "find_case_to_answer": ("investigation", "case_to_answer"),
    "find_no_case_to_answer": ("investigation", "closed"),
    "choose_route": ("case_to_answer", "proceedings"),
    "record_outcome": ("proceedings", "outcome"),
    "lodge_appeal": ("outcome", "appeal"),
    "decide_appeal": ("appeal", "closed"),
    "close": ("outcome", "closed"),
}
STAFF_DATA = {
    **VALID_DATA,
    "choose_route": {"route": Route.STAFF_HEARING},
    "record_outcome": {"finding": "gross_misconduct", "outcome": Outcome.FINAL_WRITTEN_WARNING, "conducted_by": "HR"},
}


def test_the_staff_procedure_has_exactly_the_expected_actions():
    assert sorted(services.STAFF_CASE_ACTIONS) == sorted(EXPECTED_STAFF_MOVES)


@pytest.mark.parametrize("status", STATES)
@pytest.mark.parametrize("action", list(EXPECTED_MOVES))
def test_every_move_of_the_staff_table_is_allowed_or_refused(status, action, supervisor):
    later = status in ("proceedings", "outcome", "appeal", "closed")
    case = case_at(status, subject=OfficerFactory(staff=True), route=Route.STAFF_HEARING if later else "")
    if action in EXPECTED_STAFF_MOVES and EXPECTED_STAFF_MOVES[action][0] == status:
        moved = services.case_transition(case=case, action=action, by=supervisor, today=TODAY, **STAFF_DATA[action])
        assert moved.status == EXPECTED_STAFF_MOVES[action][1]
    else:
        with pytest.raises(services.DomainError, match="not possible now|not part of the police staff"):
            services.case_transition(case=case, action=action, by=supervisor, today=TODAY, **STAFF_DATA[action])
        case.refresh_from_db()
        assert case.status == status
        assert not CaseEvent.objects.filter(case=case).exists()


def test_unknown_action_is_refused(supervisor):
    with pytest.raises(services.DomainError):
        services.case_transition(case=case_at(CaseStatus.INTAKE), action="skip_to_the_end", by=supervisor)


def test_mandatory_iopc_referral_cannot_be_skipped(supervisor):
    case = case_at(CaseStatus.IOPC_REFERRAL)
    AllegationFactory(subject=case.subject, case=case, category=AllegationCategory.ABUSE_OF_POSITION_SEXUAL)
    with pytest.raises(services.DomainError, match="mandatory"):
        services.case_transition(case=case, action="record_referral", by=supervisor, referral="not_required")
    with pytest.raises(services.DomainError, match="mode"):
        services.case_transition(case=case, action="record_referral", by=supervisor, referral="referred")
    moved = services.case_transition(
        case=case, action="record_referral", by=supervisor, referral="referred", mode="independent"
    )
    assert (moved.iopc_referral, moved.iopc_mode) == ("referred", "independent")


def test_severity_needs_the_standards_breached(supervisor):
    case = case_at(CaseStatus.SEVERITY_ASSESSMENT, severity="")
    with pytest.raises(services.DomainError, match="Standards"):
        services.case_transition(
            case=case, action="assess_severity", by=supervisor, severity="misconduct", standards=[]
        )
    with pytest.raises(services.DomainError, match="Standards"):
        services.case_transition(
            case=case, action="assess_severity", by=supervisor, severity="misconduct", standards=["being_late"]
        )


@pytest.mark.parametrize("outcome", [Outcome.DISMISSAL, Outcome.REDUCTION_IN_RANK])
def test_a_misconduct_meeting_cannot_dismiss_or_demote(outcome, supervisor):
    case = case_at(CaseStatus.PROCEEDINGS, severity=Severity.MISCONDUCT, route=Route.MISCONDUCT_MEETING)
    with pytest.raises(services.DomainError, match="cannot end in"):
        services.case_transition(
            case=case,
            action="record_outcome",
            by=supervisor,
            finding="misconduct",
            outcome=outcome,
            conducted_by="Inspector A Chair",
            today=TODAY,
        )
    case.refresh_from_db()
    assert (case.status, case.outcome) == (CaseStatus.PROCEEDINGS, "")


def test_dismissal_at_a_gross_misconduct_hearing_puts_the_officer_on_the_barred_list(supervisor):
    case = case_at(CaseStatus.PROCEEDINGS)
    AllegationFactory(subject=case.subject, case=case)
    services.case_transition(
        case=case,
        action="record_outcome",
        by=supervisor,
        finding="gross_misconduct",
        outcome="dismissal",
        today=TODAY,
        **HEARING_PANEL,
    )
    officer = case.subject
    officer.refresh_from_db()
    assert (officer.status, officer.left_on) == (EmploymentStatus.DISMISSED, TODAY)
    assert OfficerEvent.objects.filter(officer=officer, to_value="dismissed").exists()
    assert list(services.barred_list()) == [officer]
    assert case.allegations.get().status == AllegationStatus.UPHELD


def test_meeting_appeal_must_come_within_seven_working_days(supervisor):
    outcome_on = dt.date(2026, 11, 2)  # a Monday: seven working days later is Wednesday 11th
    assert services.working_days_after(outcome_on, 7) == dt.date(2026, 11, 11)
    late = case_at(
        CaseStatus.OUTCOME,
        severity=Severity.MISCONDUCT,
        route=Route.MISCONDUCT_MEETING,
        outcome=Outcome.WRITTEN_WARNING,
        outcome_on=outcome_on,
    )
    with pytest.raises(services.DomainError, match="7 working days"):
        services.case_transition(case=late, action="lodge_appeal", by=supervisor, today=dt.date(2026, 11, 12))
    moved = services.case_transition(case=late, action="lodge_appeal", by=supervisor, today=dt.date(2026, 11, 11))
    assert moved.appeal_lodged_on == dt.date(2026, 11, 11)


def test_no_case_to_answer_closes_the_case(supervisor):
    case = case_at(CaseStatus.INVESTIGATION)
    allegation = AllegationFactory(subject=case.subject, case=case)
    closed = services.case_transition(case=case, action="find_no_case_to_answer", by=supervisor)
    assert (closed.status, closed.outcome) == (CaseStatus.CLOSED, Outcome.NO_CASE_TO_ANSWER)
    assert closed.closed_at is not None
    allegation.refresh_from_db()
    assert allegation.status == AllegationStatus.NOT_UPHELD


def test_only_the_assigned_investigator_or_a_supervisor_moves_a_case(supervisor):
    assigned = UserFactory(roles=[Role.INVESTIGATOR])
    other = UserFactory(roles=[Role.INVESTIGATOR])
    commissioner = UserFactory(roles=[Role.COMMISSIONER])
    case = case_at(CaseStatus.INTAKE)
    services.case_assign(case=case, investigator=assigned, by=supervisor)
    for outsider in (other, commissioner):
        with pytest.raises(services.DomainError, match="assigned investigator"):
            services.case_transition(case=case, action="start_referral_check", by=outsider)
    assert services.case_transition(case=case, action="start_referral_check", by=assigned).status == (
        CaseStatus.IOPC_REFERRAL
    )


def test_opening_a_case_groups_the_allegations_and_assigns_the_opener():
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    officer = OfficerFactory()
    first = AllegationFactory(subject=officer, received_on=dt.date(2026, 3, 1), incident_on=None)
    second = AllegationFactory(subject=officer, received_on=dt.date(2026, 1, 5), incident_on=None)
    case = services.case_open(subject=officer, allegations=[first, second], by=investigator)
    assert case.reference.startswith("DPS-")
    assert case.came_to_notice_on == dt.date(2026, 1, 5)
    assert set(case.allegations.all()) == {first, second}
    assert investigator.has_perm("cases.change_case", case)
    with pytest.raises(services.DomainError, match="already part of a case"):
        services.case_open(subject=officer, allegations=[first], by=investigator)
    assert Case.objects.count() == 1


def test_a_case_cannot_mix_subjects():
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    a, b = AllegationFactory(), AllegationFactory()
    with pytest.raises(services.DomainError, match="one subject"):
        services.case_open(subject=a.subject, allegations=[a, b], by=investigator)


def test_allegation_dates_cannot_be_in_the_future():
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    officer = OfficerFactory()
    with pytest.raises(services.DomainError, match="future"):
        services.allegation_record(
            subject=officer,
            category="dishonesty",
            source="public_complaint",
            received_on=TODAY + dt.timedelta(days=1),
            narrative="x",
            by=investigator,
            today=TODAY,
        )


def test_leaving_while_under_investigation_puts_the_officer_on_the_advisory_list(supervisor):
    officer = OfficerFactory()
    case_at(CaseStatus.INVESTIGATION, subject=officer)
    bystander = OfficerFactory()
    services.officer_status_change(officer=officer, status="resigned", by=supervisor, reason="Resigned", on=TODAY)
    services.officer_status_change(officer=bystander, status="retired", by=supervisor, reason="Retired", on=TODAY)
    assert list(services.advisory_list()) == [officer]


def test_restricted_duties_is_a_recorded_event(supervisor):
    officer = OfficerFactory()
    services.officer_status_change(officer=officer, status="restricted", by=supervisor, reason="Onyx measure")
    services.officer_status_change(officer=officer, status="serving", by=supervisor, reason="Measure lifted")
    assert list(OfficerEvent.objects.filter(officer=officer).order_by("id").values_list("to_value", flat=True)) == [
        "restricted",
        "serving",
    ]


def test_allegation_form_errors_change_nothing(client):
    from django.urls import reverse

    from cases.models import Allegation
    from tests.conftest import sign_in

    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    officer = OfficerFactory()
    sign_in(client, investigator)
    url = reverse("cases:allegation_new", args=[officer.public_id])
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(
        url, {"category": "dishonesty", "source": "public_complaint", "received_on": tomorrow, "narrative": "x"}
    )
    assert response.status_code == 400 and b"This date is in the future." in response.content
    response = client.post(url, {"category": "dishonesty"})
    assert response.status_code == 400 and b"This field is required." in response.content
    assert not Allegation.objects.exists()


def test_a_double_submitted_transition_is_refused_the_second_time(client, supervisor):
    from django.urls import reverse

    from tests.conftest import sign_in

    case = case_at(CaseStatus.PROCEEDINGS, severity=Severity.MISCONDUCT, route=Route.MISCONDUCT_MEETING)
    sign_in(client, supervisor)
    url = reverse("cases:case_act", args=[case.public_id])
    assert (
        client.post(
            url,
            {
                "action": "record_outcome",
                "finding": "misconduct",
                "outcome": "written_warning",
                "conducted_by": "Insp A",
            },
        ).status_code
        == 302
    )
    second = client.post(
        url,
        {
            "action": "record_outcome",
            "finding": "misconduct",
            "outcome": "final_written_warning",
            "conducted_by": "Insp A",
        },
    )
    assert second.status_code == 400 and "not possible now" in second.content.decode()
    case.refresh_from_db()
    assert case.outcome == Outcome.WRITTEN_WARNING
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_an_outcome_the_route_does_not_allow_is_a_form_error(client, supervisor):
    from django.urls import reverse

    from tests.conftest import sign_in

    case = case_at(CaseStatus.PROCEEDINGS, severity=Severity.MISCONDUCT, route=Route.MISCONDUCT_MEETING)
    sign_in(client, supervisor)
    response = client.post(
        reverse("cases:case_act", args=[case.public_id]),
        {"action": "record_outcome", "finding": "misconduct", "outcome": "dismissal", "confirm": "on"},
    )
    assert response.status_code == 400 and "cannot end in" in response.content.decode()
    case.refresh_from_db()
    assert (case.status, case.outcome) == (CaseStatus.PROCEEDINGS, "")


def test_a_risky_move_from_the_browser_must_be_confirmed_and_changes_nothing_until_it_is(client, supervisor):
    from django.urls import reverse

    from tests.conftest import sign_in

    case = case_at(CaseStatus.INVESTIGATION)
    sign_in(client, supervisor)
    url = reverse("cases:case_act", args=[case.public_id])
    refused = client.post(url, {"action": "find_case_to_answer"})
    assert refused.status_code == 400 and "Tick the box to confirm" in refused.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATION
    assert client.post(url, {"action": "find_case_to_answer", "confirm": "on"}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CASE_TO_ANSWER


def test_the_investigation_log_records_who_and_when_once_per_form(client, supervisor):
    from django.urls import reverse

    from tests.conftest import sign_in

    investigator, outsider = UserFactory(roles=[Role.INVESTIGATOR]), UserFactory(roles=[Role.INVESTIGATOR])
    case = case_at(CaseStatus.INVESTIGATION)
    services.case_assign(case=case, investigator=investigator, by=supervisor)
    url = reverse("cases:case_note", args=[case.public_id])
    sign_in(client, investigator)
    form = {"note": "Statement taken from the witness.", "once_token": "tok-1"}
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302  # a double click adds it once
    [note] = CaseEvent.objects.filter(case=case, kind="note")
    assert (note.actor, note.note) == (investigator, "Statement taken from the witness.")
    assert client.post(url, {"note": " ", "once_token": "tok-2"}).status_code == 400
    sign_in(client, outsider)
    assert client.post(url, {"note": "Not mine to write", "once_token": "tok-3"}).status_code in (403, 404)
    assert CaseEvent.objects.filter(case=case, kind="note").count() == 1


def test_pa_1996_s_88l_the_advisory_entry_ends_when_the_case_concludes_without_dismissal(supervisor):
    officer = OfficerFactory()
    case = case_at(CaseStatus.INVESTIGATION, subject=officer)
    services.officer_status_change(officer=officer, status="resigned", by=supervisor, reason="Resigned", on=TODAY)
    assert list(services.advisory_list()) == [officer]
    services.case_transition(case=case, action="find_no_case_to_answer", by=supervisor, today=TODAY)
    assert list(services.advisory_list()) == []


def test_pa_1996_s_88i_1_b_an_allegation_after_leaving_puts_the_former_officer_on_the_advisory_list(supervisor):
    officer = OfficerFactory()
    services.officer_status_change(officer=officer, status="retired", by=supervisor, reason="Retired", on=TODAY)
    assert list(services.advisory_list()) == []
    case_at(CaseStatus.INTAKE, subject=officer, came_to_notice_on=TODAY)
    assert list(services.advisory_list()) == [officer]


def test_pa_1996_s_88i_2_no_entry_when_no_case_to_answer_was_decided_before_leaving(supervisor):
    officer = OfficerFactory()
    case = case_at(CaseStatus.INVESTIGATION, subject=officer)
    services.case_transition(case=case, action="find_no_case_to_answer", by=supervisor, today=TODAY)
    services.officer_status_change(officer=officer, status="resigned", by=supervisor, reason="Resigned", on=TODAY)
    assert list(services.advisory_list()) == []
