"""The Police (Conduct) Regulations 2020 (SI 2020/4), paragraph by paragraph: each test is named after the
regulation it checks and tries the boundaries. The expectations are written out here, not read from the
tables under test."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cases import services
from cases.models import (
    AppealResult,
    CaseStatus,
    EmploymentStatus,
    OfficerEvent,
    Outcome,
    PersonKind,
    Rank,
    Route,
    Severity,
)
from cases.roles import Role
from tests import clock
from tests.factories import AllegationFactory, CaseFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = clock.TODAY
# The severity assessment of the case under test: the reg 42(5) and (8) test date.
ASSESSED_ON = TODAY - dt.timedelta(days=200)


@pytest.fixture
def supervisor():
    return UserFactory(roles=[Role.SUPERVISOR])


def sergeant():
    return OfficerFactory(rank=Rank.SERGEANT)


def at_proceedings(route, severity, subject=None, **kwargs):
    return CaseFactory(
        subject=subject or sergeant(),
        status=CaseStatus.PROCEEDINGS,
        severity=severity,
        severity_assessed_on=ASSESSED_ON,
        route=route,
        opened_at=timezone.now() - dt.timedelta(days=300),
        **kwargs,
    )


def earlier_final_written_warning(subject, *, notified_on, years=2, outcome=Outcome.FINAL_WRITTEN_WARNING):
    """A closed case about the same person that ended in a final written warning notified on that day."""
    ends = services.warning_last_day(outcome=Outcome.FINAL_WRITTEN_WARNING, notified_on=notified_on, years=years)
    return CaseFactory(
        subject=subject,
        status=CaseStatus.CLOSED,
        severity=Severity.MISCONDUCT,
        route=Route.MISCONDUCT_MEETING,
        proceedings_finding="misconduct",
        outcome=outcome,
        outcome_on=notified_on,
        outcome_notified_on=notified_on,
        warning_ends_on=ends if outcome == Outcome.FINAL_WRITTEN_WARNING else None,
        opened_at=timezone.now() - relativedelta(years=6),
        closed_at=timezone.now() - relativedelta(years=5),
    )


def decision_makers(route):
    if route in (Route.MISCONDUCT_MEETING, Route.STAFF_HEARING):
        return {"conducted_by": "Inspector M Meeting"}
    return {"conducted_by": "Commander C Chair", "panel_members": "I One, I Two", "legal_adviser": "L Adviser"}


def record(case, by, finding, outcome, **kwargs):
    return services.case_transition(
        case=case,
        action="record_outcome",
        by=by,
        finding=finding,
        outcome=outcome,
        today=TODAY,
        **{**decision_makers(case.route), **kwargs},
    )


def allowed(case, by, finding, outcome, **kwargs) -> bool:
    try:
        record(case, by, finding, outcome, **kwargs)
    except services.DomainError:
        case.refresh_from_db()
        assert (case.status, case.outcome) == (CaseStatus.PROCEEDINGS, "")  # nothing half-written
        return False
    return True


# reg 42(1)-(3): the finding first, then the outcomes that finding allows at that forum.


@pytest.mark.parametrize(
    ("finding", "outcome", "expected"),
    [
        ("misconduct", Outcome.WRITTEN_WARNING, True),
        ("misconduct", Outcome.FINAL_WRITTEN_WARNING, True),
        ("misconduct", Outcome.REDUCTION_IN_RANK, False),
        ("misconduct", Outcome.DISMISSAL, False),
        ("gross_misconduct", Outcome.DISMISSAL, False),  # a meeting decides misconduct only
        ("not_proven", Outcome.NOT_PROVEN, True),
        ("not_proven", Outcome.WRITTEN_WARNING, False),
        ("practice_requiring_improvement", Outcome.REFLECTIVE_PRACTICE, True),
        ("practice_requiring_improvement", Outcome.WRITTEN_WARNING, False),
    ],
)
def test_reg_42_2_a_misconduct_meeting_gives_a_written_or_final_written_warning(finding, outcome, expected, supervisor):
    case = at_proceedings(Route.MISCONDUCT_MEETING, Severity.MISCONDUCT)
    assert allowed(case, supervisor, finding, outcome) is expected


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        (Outcome.WRITTEN_WARNING, False),
        (Outcome.FINAL_WRITTEN_WARNING, True),
        (Outcome.REDUCTION_IN_RANK, True),
        (Outcome.DISMISSAL, True),
        (Outcome.NOT_PROVEN, False),
    ],
)
def test_reg_42_3_b_gross_misconduct_at_a_hearing_never_ends_in_a_written_warning(outcome, expected, supervisor):
    case = at_proceedings(Route.MISCONDUCT_HEARING, Severity.GROSS_MISCONDUCT)
    assert allowed(case, supervisor, "gross_misconduct", outcome) is expected


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        (Outcome.WRITTEN_WARNING, True),
        (Outcome.FINAL_WRITTEN_WARNING, True),
        (Outcome.REDUCTION_IN_RANK, False),  # only where para (5) or (6) applies
        (Outcome.DISMISSAL, False),
    ],
)
def test_reg_42_3_a_misconduct_at_a_hearing(outcome, expected, supervisor):
    case = at_proceedings(Route.MISCONDUCT_HEARING, Severity.MISCONDUCT)
    assert allowed(case, supervisor, "misconduct", outcome) is expected


def test_reg_42_1_b_practice_requiring_improvement_at_a_hearing_goes_to_reflective_practice(supervisor):
    case = at_proceedings(Route.MISCONDUCT_HEARING, Severity.GROSS_MISCONDUCT)
    AllegationFactory(subject=case.subject, case=case)
    assert not allowed(case, supervisor, "practice_requiring_improvement", Outcome.FINAL_WRITTEN_WARNING)
    moved = record(case, supervisor, "practice_requiring_improvement", Outcome.REFLECTIVE_PRACTICE)
    assert (moved.proceedings_finding, moved.outcome) == ("practice_requiring_improvement", "reflective_practice")
    assert moved.allegations.get().status == "not_upheld"


# reg 42(5): reduction in rank or dismissal for misconduct where a final written warning was in force on the
# date of the severity assessment. reg 42(9)-(10): in force for 2 years (or up to 5 if set) beginning with
# the day it was notified.


@pytest.mark.parametrize(
    ("notified_on", "years", "outcome", "dismissal_allowed", "why"),
    [
        (ASSESSED_ON - relativedelta(years=2), 2, Outcome.FINAL_WRITTEN_WARNING, False, "expired the day before"),
        (
            ASSESSED_ON - relativedelta(years=2) + dt.timedelta(days=1),
            2,
            Outcome.FINAL_WRITTEN_WARNING,
            True,
            "its last day is the assessment day",
        ),
        (ASSESSED_ON, 2, Outcome.FINAL_WRITTEN_WARNING, True, "notified on the assessment day"),
        (ASSESSED_ON + dt.timedelta(days=1), 2, Outcome.FINAL_WRITTEN_WARNING, False, "notified after the assessment"),
        (ASSESSED_ON - relativedelta(years=4), 5, Outcome.FINAL_WRITTEN_WARNING, True, "a 5-year warning, year 4"),
        (ASSESSED_ON - relativedelta(years=1), 2, Outcome.QUASHED_ON_APPEAL, False, "quashed on appeal"),
    ],
)
def test_reg_42_5_final_written_warning_in_force_on_the_date_of_the_severity_assessment(
    notified_on, years, outcome, dismissal_allowed, why, supervisor
):
    case = at_proceedings(Route.MISCONDUCT_HEARING, Severity.MISCONDUCT)
    earlier_final_written_warning(case.subject, notified_on=notified_on, years=years, outcome=outcome)
    assert allowed(case, supervisor, "misconduct", Outcome.DISMISSAL) is dismissal_allowed, why


def test_reg_42_5_a_warning_given_in_another_persons_case_does_not_count(supervisor):
    case = at_proceedings(Route.MISCONDUCT_HEARING, Severity.MISCONDUCT)
    earlier_final_written_warning(sergeant(), notified_on=ASSESSED_ON - dt.timedelta(days=30))
    assert not allowed(case, supervisor, "misconduct", Outcome.DISMISSAL)


def test_reg_42_6_misconduct_from_several_unconnected_incidents_may_end_in_dismissal(supervisor):
    case = at_proceedings(Route.MISCONDUCT_HEARING, Severity.MISCONDUCT)
    moved = record(case, supervisor, "misconduct", Outcome.DISMISSAL, several_incidents=True)
    assert (moved.outcome, moved.several_incidents) == (Outcome.DISMISSAL, True)


@pytest.mark.parametrize(
    ("finding", "outcome", "expected"),
    [
        ("misconduct", Outcome.WRITTEN_WARNING, False),
        ("misconduct", Outcome.FINAL_WRITTEN_WARNING, False),
        ("misconduct", Outcome.REDUCTION_IN_RANK, True),
        ("misconduct", Outcome.DISMISSAL, True),
        ("gross_misconduct", Outcome.FINAL_WRITTEN_WARNING, False),
        ("gross_misconduct", Outcome.DISMISSAL, True),
    ],
)
def test_reg_42_8_no_further_warning_while_a_final_written_warning_was_in_force(finding, outcome, expected, supervisor):
    case = at_proceedings(Route.MISCONDUCT_HEARING, Severity.MISCONDUCT)
    earlier_final_written_warning(case.subject, notified_on=ASSESSED_ON - dt.timedelta(days=100))
    assert allowed(case, supervisor, finding, outcome) is expected


@pytest.mark.parametrize(
    ("outcome", "notified_on", "years", "last_day"),
    [
        (Outcome.WRITTEN_WARNING, dt.date(2025, 6, 3), None, dt.date(2026, 12, 2)),
        (Outcome.FINAL_WRITTEN_WARNING, dt.date(2025, 6, 3), None, dt.date(2027, 6, 2)),
        (Outcome.FINAL_WRITTEN_WARNING, dt.date(2025, 6, 3), 5, dt.date(2030, 6, 2)),
        (Outcome.FINAL_WRITTEN_WARNING, dt.date(2028, 2, 29), None, dt.date(2030, 2, 28)),
        (Outcome.FINAL_WRITTEN_WARNING, dt.date(2028, 3, 1), None, dt.date(2030, 2, 28)),
        (Outcome.FINAL_WRITTEN_WARNING, dt.date(2027, 3, 1), 5, dt.date(2032, 2, 29)),
        (Outcome.WRITTEN_WARNING, dt.date(2025, 8, 30), None, dt.date(2027, 2, 28)),
        (Outcome.WRITTEN_WARNING, dt.date(2025, 8, 31), None, dt.date(2027, 2, 28)),
        (Outcome.REDUCTION_IN_RANK, dt.date(2025, 6, 3), None, None),
    ],
)
def test_reg_42_9_a_warning_is_in_force_for_its_period_beginning_with_the_day_it_was_notified(
    outcome, notified_on, years, last_day
):
    assert services.warning_last_day(outcome=outcome, notified_on=notified_on, years=years) == last_day


def test_reg_42_10_a_final_written_warning_may_be_set_for_up_to_five_years(supervisor):
    refused = at_proceedings(Route.MISCONDUCT_MEETING, Severity.MISCONDUCT)
    assert not allowed(refused, supervisor, "misconduct", Outcome.FINAL_WRITTEN_WARNING, warning_years=6)
    assert not allowed(refused, supervisor, "misconduct", Outcome.WRITTEN_WARNING, warning_years=3)
    moved = record(refused, supervisor, "misconduct", Outcome.FINAL_WRITTEN_WARNING, warning_years=5)
    assert moved.warning_ends_on == period_end(TODAY, years=5)


def period_end(start: dt.date, *, years: int) -> dt.date:
    """Independent reckoning of "a period of N years beginning with" a day: it ends the day before the same
    date N years on; from 29 February into a common year, on the last day of February."""
    try:
        return start.replace(year=start.year + years) - dt.timedelta(days=1)
    except ValueError:
        return dt.date(start.year + years, 2, 28)


@pytest.mark.parametrize(
    ("rank", "kind", "expected"),
    [
        (Rank.CONSTABLE, PersonKind.OFFICER, False),
        (Rank.SERGEANT, PersonKind.OFFICER, True),
        (Rank.INSPECTOR, PersonKind.OFFICER, True),
        (Rank.STAFF_BAND_C, PersonKind.STAFF, False),
    ],
)
def test_reduction_in_rank_only_for_an_officer_above_constable(rank, kind, expected, supervisor):
    subject = OfficerFactory(rank=rank, kind=kind, **({"collar_number": None} if kind == PersonKind.STAFF else {}))
    case = at_proceedings(Route.MISCONDUCT_HEARING, Severity.GROSS_MISCONDUCT, subject=subject)
    assert allowed(case, supervisor, "gross_misconduct", Outcome.REDUCTION_IN_RANK) is expected


# reg 14 and reg 23: severity assessment and the forum.


def test_reg_14_practice_requiring_improvement_is_referred_to_reflective_practice_not_investigated(supervisor):
    case = CaseFactory(status=CaseStatus.SEVERITY_ASSESSMENT)
    with pytest.raises(services.DomainError, match="reflective practice"):
        services.case_transition(
            case=case, action="assess_severity", by=supervisor, severity=Severity.NEITHER, standards=["duties"]
        )
    closed = services.case_transition(
        case=case, action="refer_to_reflective_practice", by=supervisor, standards=["duties"], today=TODAY
    )
    assert (closed.status, closed.severity, closed.route, closed.outcome) == (
        CaseStatus.CLOSED,
        Severity.NEITHER,
        Route.REFLECTIVE_PRACTICE,
        Outcome.REFLECTIVE_PRACTICE,
    )
    assert closed.severity_assessed_on == TODAY


def test_reg_14_the_severity_assessment_date_is_recorded(supervisor):
    case = CaseFactory(status=CaseStatus.SEVERITY_ASSESSMENT)
    moved = services.case_transition(
        case=case, action="assess_severity", by=supervisor, severity="misconduct", standards=["honesty"], today=TODAY
    )
    assert (moved.severity, moved.severity_assessed_on) == (Severity.MISCONDUCT, TODAY)


def _routes(case):
    return services.routes_allowed(case)


def test_reg_23_gross_misconduct_goes_to_a_hearing_or_an_accelerated_hearing():
    case = CaseFactory(status=CaseStatus.CASE_TO_ANSWER, severity=Severity.GROSS_MISCONDUCT)
    assert _routes(case) == [Route.MISCONDUCT_HEARING, Route.ACCELERATED_HEARING]


def test_reg_23_misconduct_goes_to_a_meeting_unless_a_hearing_could_dismiss():
    case = CaseFactory(status=CaseStatus.CASE_TO_ANSWER, severity=Severity.MISCONDUCT, severity_assessed_on=ASSESSED_ON)
    assert _routes(case) == [Route.MISCONDUCT_MEETING]
    earlier_final_written_warning(case.subject, notified_on=ASSESSED_ON - dt.timedelta(days=10))
    assert _routes(case) == [Route.MISCONDUCT_MEETING, Route.MISCONDUCT_HEARING]


def test_reg_23_several_unconnected_incidents_open_the_hearing_route(supervisor):
    case = CaseFactory(status=CaseStatus.INVESTIGATION, severity=Severity.MISCONDUCT, severity_assessed_on=ASSESSED_ON)
    services.case_transition(case=case, action="find_case_to_answer", by=supervisor, several_incidents=True)
    case.refresh_from_db()
    moved = services.case_transition(case=case, action="choose_route", by=supervisor, route=Route.MISCONDUCT_HEARING)
    assert moved.route == Route.MISCONDUCT_HEARING


def test_reg_23_a_misconduct_case_cannot_be_sent_to_a_hearing_without_cause(supervisor):
    case = CaseFactory(status=CaseStatus.CASE_TO_ANSWER, severity=Severity.MISCONDUCT, severity_assessed_on=ASSESSED_ON)
    with pytest.raises(services.DomainError, match="misconduct meeting"):
        services.case_transition(case=case, action="choose_route", by=supervisor, route=Route.MISCONDUCT_HEARING)


def test_reg_23_no_case_to_answer_may_be_referred_to_reflective_practice(supervisor):
    case = CaseFactory(status=CaseStatus.INVESTIGATION, severity=Severity.MISCONDUCT, severity_assessed_on=ASSESSED_ON)
    closed = services.case_transition(
        case=case, action="find_no_case_to_answer", by=supervisor, reflective_practice=True, today=TODAY
    )
    assert (closed.finding, closed.route, closed.outcome) == (
        "no_case_to_answer",
        Route.REFLECTIVE_PRACTICE,
        Outcome.REFLECTIVE_PRACTICE,
    )


# reg 45 and reg 47: the meeting appeal; the Police Appeals Tribunal after a hearing (Police Act 1996 Sch 6
# para 7). An appeal takes effect by substitution, as from the original notice.


def with_outcome(route, finding, outcome, *, notified_on, subject=None):
    return CaseFactory(
        subject=subject or sergeant(),
        status=CaseStatus.OUTCOME,
        severity=Severity.MISCONDUCT if route == Route.MISCONDUCT_MEETING else Severity.GROSS_MISCONDUCT,
        severity_assessed_on=notified_on - dt.timedelta(days=200),
        route=route,
        proceedings_finding=finding,
        outcome=outcome,
        outcome_on=notified_on,
        outcome_notified_on=notified_on,
        warning_ends_on=services.warning_last_day(outcome=outcome, notified_on=notified_on),
        opened_at=timezone.now() - relativedelta(years=2),
    )


def test_reg_45_3_a_meeting_appeal_within_7_working_days_beginning_the_day_after_the_report(supervisor):
    # Report given on Wednesday 4 June 2025: day 1 is Thursday 5 June, day 7 Friday 13 June.
    case = with_outcome(
        Route.MISCONDUCT_MEETING, "misconduct", Outcome.WRITTEN_WARNING, notified_on=dt.date(2025, 6, 4)
    )
    with pytest.raises(services.DomainError, match="by 13 Jun 2025"):
        services.case_transition(case=case, action="lodge_appeal", by=supervisor, today=dt.date(2025, 6, 16))
    moved = services.case_transition(case=case, action="lodge_appeal", by=supervisor, today=dt.date(2025, 6, 13))
    assert moved.appeal_lodged_on == dt.date(2025, 6, 13)


def test_reg_45_1_only_a_finding_with_disciplinary_action_can_be_appealed(supervisor):
    case = with_outcome(Route.MISCONDUCT_MEETING, "not_proven", Outcome.NOT_PROVEN, notified_on=TODAY)
    with pytest.raises(services.DomainError, match="disciplinary action"):
        services.case_transition(case=case, action="lodge_appeal", by=supervisor, today=TODAY)


def _appeal(case, by, result, **kwargs):
    services.case_transition(case=case, action="lodge_appeal", by=by, today=case.outcome_notified_on)
    case.refresh_from_db()
    return services.case_transition(case=case, action="decide_appeal", by=by, result=result, **kwargs)


def test_reg_47_3_a_reversed_dismissal_reinstates_the_officer_and_takes_them_off_the_barred_list(supervisor):
    case = at_proceedings(Route.MISCONDUCT_HEARING, Severity.GROSS_MISCONDUCT)
    record(case, supervisor, "gross_misconduct", Outcome.DISMISSAL)
    officer = case.subject
    officer.refresh_from_db()
    assert officer.status == EmploymentStatus.DISMISSED and list(services.barred_list()) == [officer]

    case.refresh_from_db()
    decided = _appeal(case, supervisor, AppealResult.UPHELD)

    officer.refresh_from_db()
    assert (decided.status, decided.outcome, decided.outcome_before_appeal) == (
        CaseStatus.CLOSED,
        Outcome.QUASHED_ON_APPEAL,
        Outcome.DISMISSAL,
    )
    assert (officer.status, officer.left_on) == (EmploymentStatus.SERVING, None)
    assert list(services.barred_list()) == []
    event = OfficerEvent.objects.filter(officer=officer).latest("id")
    assert (event.from_value, event.to_value) == ("dismissed", "serving")
    assert "barred list" in event.reason


def test_reg_47_1_b_a_dismissal_varied_to_a_final_written_warning_reinstates_and_the_warning_runs_from_the_notice(
    supervisor,
):
    notified = TODAY - dt.timedelta(days=20)
    case = with_outcome(Route.MISCONDUCT_HEARING, "gross_misconduct", Outcome.DISMISSAL, notified_on=notified)
    services.officer_status_change(
        officer=case.subject, status="dismissed", by=supervisor, reason="Dismissed", on=notified
    )
    decided = _appeal(case, supervisor, AppealResult.VARIED, outcome=Outcome.FINAL_WRITTEN_WARNING)
    case.subject.refresh_from_db()
    assert decided.outcome == Outcome.FINAL_WRITTEN_WARNING
    assert decided.warning_ends_on == notified + relativedelta(years=2) - dt.timedelta(days=1)
    assert case.subject.status == EmploymentStatus.SERVING


def test_reg_47_1_a_an_appeal_dismissed_leaves_the_decision_and_the_officer_as_they_were(supervisor):
    case = with_outcome(Route.MISCONDUCT_MEETING, "misconduct", Outcome.FINAL_WRITTEN_WARNING, notified_on=TODAY)
    decided = _appeal(case, supervisor, AppealResult.DISMISSED)
    assert (decided.outcome, decided.outcome_before_appeal) == (Outcome.FINAL_WRITTEN_WARNING, "")


def test_reg_47_1_b_the_substitute_must_be_an_outcome_the_meeting_could_give(supervisor):
    case = with_outcome(Route.MISCONDUCT_MEETING, "misconduct", Outcome.FINAL_WRITTEN_WARNING, notified_on=TODAY)
    services.case_transition(case=case, action="lodge_appeal", by=supervisor, today=TODAY)
    with pytest.raises(services.DomainError, match="substitutes"):
        services.case_transition(
            case=case, action="decide_appeal", by=supervisor, result=AppealResult.VARIED, outcome=Outcome.DISMISSAL
        )
    case.refresh_from_db()
    assert (case.status, case.outcome) == (CaseStatus.APPEAL, Outcome.FINAL_WRITTEN_WARNING)


def test_a_final_written_warning_quashed_on_appeal_no_longer_counts(supervisor):
    officer = sergeant()
    warned = with_outcome(
        Route.MISCONDUCT_MEETING,
        "misconduct",
        Outcome.FINAL_WRITTEN_WARNING,
        notified_on=ASSESSED_ON - dt.timedelta(days=30),
        subject=officer,
    )
    later = at_proceedings(Route.MISCONDUCT_HEARING, Severity.MISCONDUCT, subject=officer)
    assert services.final_written_warning_in_force(officer_id=officer.id, on=ASSESSED_ON)
    services.case_transition(case=warned, action="lodge_appeal", by=supervisor, today=warned.outcome_notified_on)
    services.case_transition(case=warned, action="decide_appeal", by=supervisor, result=AppealResult.UPHELD)
    assert not services.final_written_warning_in_force(officer_id=officer.id, on=ASSESSED_ON)
    assert not allowed(later, supervisor, "misconduct", Outcome.DISMISSAL)
    assert allowed(later, supervisor, "misconduct", Outcome.WRITTEN_WARNING)


# Who decides: the appropriate authority's decisions are a supervisor's (acting for it); the meeting's or
# panel's decision is recorded with its makers (reg 28).


@pytest.mark.parametrize(
    ("status", "action", "data"),
    [
        (CaseStatus.IOPC_REFERRAL, "record_referral", {"referral": "not_required"}),
        (CaseStatus.SEVERITY_ASSESSMENT, "assess_severity", {"severity": "misconduct", "standards": ["honesty"]}),
        (CaseStatus.SEVERITY_ASSESSMENT, "refer_to_reflective_practice", {"standards": ["duties"]}),
        (CaseStatus.INVESTIGATION, "reassess_severity", {"severity": "misconduct", "reasons": "New evidence"}),
        (CaseStatus.INVESTIGATION, "find_case_to_answer", {}),
        (CaseStatus.INVESTIGATION, "find_no_case_to_answer", {}),
        (CaseStatus.CASE_TO_ANSWER, "choose_route", {"route": Route.MISCONDUCT_HEARING}),
        (
            CaseStatus.INVESTIGATION,
            "certify_special_conditions",
            {"sufficient_evidence": True, "public_interest": True, "reasons": "Convicted of an indictable offence"},
        ),
    ],
)
def test_an_investigator_cannot_record_the_appropriate_authoritys_decisions(status, action, data, supervisor):
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    case = CaseFactory(status=status, severity=Severity.GROSS_MISCONDUCT, severity_assessed_on=ASSESSED_ON)
    services.case_assign(case=case, investigator=investigator, by=supervisor)
    assert action not in services.actions_for(investigator, case)
    with pytest.raises(services.DomainError, match="appropriate authority"):
        services.case_transition(case=case, action=action, by=investigator, **data)
    case.refresh_from_db()
    assert case.status == status
    assert action in services.actions_for(supervisor, case)
    assert services.case_transition(case=case, action=action, by=supervisor, **data).status != ""


def test_the_assigned_investigator_records_the_written_notice_and_the_outcome(supervisor):
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    case = CaseFactory(status=CaseStatus.INVESTIGATION, severity=Severity.MISCONDUCT, severity_assessed_on=ASSESSED_ON)
    services.case_assign(case=case, investigator=investigator, by=supervisor)
    moved = services.case_transition(case=case, action="give_written_notice", by=investigator, today=TODAY)
    assert (moved.status, moved.written_notice_on) == (CaseStatus.INVESTIGATION, TODAY)
    with pytest.raises(services.DomainError, match="future"):
        services.case_transition(
            case=case, action="give_written_notice", by=investigator, given_on=TODAY + dt.timedelta(days=1)
        )


def test_reg_28_a_hearing_records_its_chair_two_members_and_legal_adviser(supervisor):
    case = at_proceedings(Route.MISCONDUCT_HEARING, Severity.GROSS_MISCONDUCT)
    with pytest.raises(services.DomainError, match="two panel members"):
        record(case, supervisor, "gross_misconduct", Outcome.DISMISSAL, panel_members="Only One")
    with pytest.raises(services.DomainError, match="legally qualified"):
        record(case, supervisor, "gross_misconduct", Outcome.DISMISSAL, legal_adviser=" ")
    moved = record(case, supervisor, "gross_misconduct", Outcome.DISMISSAL)
    assert moved.proceedings_panel == {
        "chair": "Commander C Chair",
        "members": ["I One", "I Two"],
        "legal_adviser": "L Adviser",
    }


def test_reg_28_a_meeting_records_who_conducted_it(supervisor):
    case = at_proceedings(Route.MISCONDUCT_MEETING, Severity.MISCONDUCT)
    with pytest.raises(services.DomainError, match="conducted the meeting"):
        record(case, supervisor, "misconduct", Outcome.WRITTEN_WARNING, conducted_by="")
    assert record(case, supervisor, "misconduct", Outcome.WRITTEN_WARNING).proceedings_panel == {
        "conducted_by": "Inspector M Meeting"
    }


def test_a_re_assessment_keeps_its_history_and_the_first_assessment_date(supervisor):
    case = CaseFactory(status=CaseStatus.INVESTIGATION, severity=Severity.MISCONDUCT, severity_assessed_on=ASSESSED_ON)
    with pytest.raises(services.DomainError, match="reasons"):
        services.case_transition(case=case, action="reassess_severity", by=supervisor, severity="gross_misconduct")
    moved = services.case_transition(
        case=case, action="reassess_severity", by=supervisor, severity="gross_misconduct", reasons="Second victim"
    )
    assert (moved.severity, moved.severity_assessed_on) == (Severity.GROSS_MISCONDUCT, ASSESSED_ON)
    event = moved.events.get()
    assert event.detail["changed"] == {"severity": ["misconduct", "gross_misconduct"]}
    assert event.detail["reasons"] == "Second victim"


def test_an_investigators_post_of_an_authority_decision_is_forbidden_and_changes_nothing(client, supervisor):
    from django.urls import reverse

    from tests.conftest import sign_in

    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    case = CaseFactory(status=CaseStatus.INVESTIGATION, severity=Severity.GROSS_MISCONDUCT)
    services.case_assign(case=case, investigator=investigator, by=supervisor)
    sign_in(client, investigator)
    url = reverse("cases:case_act", args=[case.public_id])
    assert client.post(url, {"action": "find_case_to_answer"}).status_code == 403
    page = client.get(reverse("cases:case_detail", args=[case.public_id]))
    assert page.status_code == 200
    assert (
        "Record the written notice" in page.content.decode() and "Case to answer</button>" not in page.content.decode()
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATION and not case.events.filter(kind="transition").exists()
    assert client.post(url, {"action": "give_written_notice"}).status_code == 302


# Mandatory referral to the IOPC (SI 2020/2 reg 4(1), reg 7(1); Police Reform Act 2002 Sch 3 para 4(1)(a)).


@pytest.mark.parametrize(
    ("category", "dsi", "ground"),
    [
        ("sexual_offence", False, "reg 4(1)(a)(ii)"),
        ("violence", False, "reg 4(1)(a)(i)"),
        ("abuse_position_sexual", False, "reg 4(1)(a)(iii)"),
        ("corrupt_association", False, "reg 4(1)(a)(iii)"),
        ("discrimination", False, "reg 4(1)(a)(iv)"),
        ("homophobia", False, "reg 4(1)(a)(iv)"),
        ("dishonesty", True, "Sch 3 para 4(1)(a)"),
        ("dishonesty", False, None),
        ("drugs", False, None),
    ],
)
def test_si_2020_2_reg_4_mandatory_referral_grounds(category, dsi, ground, supervisor):
    case = CaseFactory(status=CaseStatus.IOPC_REFERRAL)
    allegation = AllegationFactory(subject=case.subject, case=case, category=category, death_or_serious_injury=dsi)
    grounds = services.iopc_referral_grounds(case)
    if ground is None:
        assert grounds == {}
        moved = services.case_transition(case=case, action="record_referral", by=supervisor, referral="not_required")
        assert moved.iopc_referral == "not_required"
    else:
        assert ground in grounds[allegation.id]
        with pytest.raises(services.DomainError, match="mandatory") as refused:
            services.case_transition(case=case, action="record_referral", by=supervisor, referral="not_required")
        assert ground in str(refused.value)


def test_the_case_page_names_the_mandatory_referral_ground(client, supervisor):
    from django.urls import reverse

    from tests.conftest import sign_in

    case = CaseFactory(status=CaseStatus.IOPC_REFERRAL)
    AllegationFactory(subject=case.subject, case=case, category="sexual_offence")
    sign_in(client, supervisor)
    page = client.get(reverse("cases:case_detail", args=[case.public_id])).content.decode()
    assert "Referral is mandatory: the allegations include a serious sexual offence" in page


# Police staff: reg 4(1) applies the Conduct Regulations to police officers and special constables only;
# staff go through the force's staff disciplinary procedure on the same engine.


def staff_member():
    return OfficerFactory(staff=True)


def test_reg_4_1_police_staff_go_to_a_staff_disciplinary_hearing_never_a_misconduct_meeting_or_hearing(supervisor):
    case = CaseFactory(subject=staff_member(), status=CaseStatus.CASE_TO_ANSWER, severity=Severity.GROSS_MISCONDUCT)
    assert services.routes_allowed(case) == [Route.STAFF_HEARING]
    with pytest.raises(services.DomainError, match="can be referred to"):
        services.case_transition(case=case, action="choose_route", by=supervisor, route=Route.MISCONDUCT_HEARING)


def test_reg_4_1_no_reflective_practice_review_process_for_police_staff(supervisor):
    case = CaseFactory(subject=staff_member(), status=CaseStatus.SEVERITY_ASSESSMENT)
    assert "refer_to_reflective_practice" not in services.actions_for(supervisor, case)
    with pytest.raises(services.DomainError, match="staff disciplinary procedure"):
        services.case_transition(case=case, action="refer_to_reflective_practice", by=supervisor, standards=["duties"])


@pytest.mark.parametrize(
    ("finding", "outcome", "live_final_warning", "expected"),
    [
        ("misconduct", Outcome.WRITTEN_WARNING, False, True),
        ("misconduct", Outcome.FINAL_WRITTEN_WARNING, False, True),
        ("misconduct", Outcome.DISMISSAL_WITH_NOTICE, False, False),
        ("misconduct", Outcome.DISMISSAL_WITH_NOTICE, True, True),
        ("misconduct", Outcome.DISMISSAL, True, False),
        ("gross_misconduct", Outcome.DISMISSAL, False, True),
        ("gross_misconduct", Outcome.REDUCTION_IN_RANK, False, False),
        ("practice_requiring_improvement", Outcome.REFLECTIVE_PRACTICE, False, False),
    ],
)
def test_staff_procedure_outcomes(finding, outcome, live_final_warning, expected, supervisor):
    case = at_proceedings(Route.STAFF_HEARING, Severity.MISCONDUCT, subject=staff_member())
    if live_final_warning:
        earlier_final_written_warning(case.subject, notified_on=ASSESSED_ON - dt.timedelta(days=60))
    assert allowed(case, supervisor, finding, outcome, conducted_by="HR Manager") is expected


def test_a_staff_dismissal_with_notice_puts_them_on_the_barred_list_and_an_upheld_appeal_reinstates(supervisor):
    case = at_proceedings(Route.STAFF_HEARING, Severity.GROSS_MISCONDUCT, subject=staff_member())
    record(case, supervisor, "gross_misconduct", Outcome.DISMISSAL_WITH_NOTICE, conducted_by="HR Manager")
    case.subject.refresh_from_db()
    # Police Act 1996 s 88A(1)(c): a civilian police employee dismissed for conduct is reported too.
    assert list(services.barred_list()) == [case.subject]
    case.refresh_from_db()
    _appeal(case, supervisor, AppealResult.UPHELD)
    case.subject.refresh_from_db()
    assert case.subject.status == EmploymentStatus.SERVING and list(services.barred_list()) == []


# regs 49-53: accelerated misconduct hearings.

SPECIAL = {"sufficient_evidence": True, "public_interest": True, "reasons": "Convicted; statements and the record."}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**SPECIAL, "sufficient_evidence": False}, "reg 49(2)(a)"),
        ({**SPECIAL, "public_interest": False}, "reg 49(2)(b)"),
        ({**SPECIAL, "reasons": " "}, "reasons"),
    ],
)
def test_reg_49_2_both_special_conditions_and_the_reasons_are_needed(data, field, supervisor):
    case = CaseFactory(status=CaseStatus.INVESTIGATION, severity=Severity.GROSS_MISCONDUCT)
    with pytest.raises(services.DomainError, match=field.replace("(", r"\(").replace(")", r"\)")):
        services.case_transition(case=case, action="certify_special_conditions", by=supervisor, **data)
    case.refresh_from_db()
    assert (case.status, case.route, case.special_conditions_certified_on) == (CaseStatus.INVESTIGATION, "", None)


def test_reg_49_1_certified_during_the_investigation_the_case_goes_to_an_accelerated_hearing(supervisor):
    case = CaseFactory(status=CaseStatus.INVESTIGATION, severity=Severity.GROSS_MISCONDUCT)
    moved = services.case_transition(
        case=case, action="certify_special_conditions", by=supervisor, today=TODAY, **SPECIAL
    )
    assert (moved.status, moved.route) == (CaseStatus.PROCEEDINGS, Route.ACCELERATED_HEARING)
    assert (moved.special_conditions_certified_on, moved.special_conditions_certified_by) == (TODAY, supervisor)
    assert moved.special_conditions["reasons"].startswith("Convicted")


def test_reg_49_only_gross_misconduct_can_be_certified(supervisor):
    case = CaseFactory(status=CaseStatus.INVESTIGATION, severity=Severity.MISCONDUCT)
    with pytest.raises(services.DomainError, match="gross misconduct"):
        services.case_transition(case=case, action="certify_special_conditions", by=supervisor, **SPECIAL)


def test_reg_49_an_accelerated_referral_at_case_to_answer_needs_the_special_conditions(supervisor):
    case = CaseFactory(status=CaseStatus.CASE_TO_ANSWER, severity=Severity.GROSS_MISCONDUCT)
    with pytest.raises(services.DomainError, match="49"):
        services.case_transition(case=case, action="choose_route", by=supervisor, route=Route.ACCELERATED_HEARING)
    moved = services.case_transition(
        case=case, action="choose_route", by=supervisor, route=Route.ACCELERATED_HEARING, **SPECIAL
    )
    assert moved.special_conditions_certified_by == supervisor


def test_reg_2_4c_the_certifier_does_not_conduct_the_accelerated_hearing(supervisor):
    supervisor.first_name, supervisor.last_name = "Cora", "Certifier"
    supervisor.save()
    case = CaseFactory(status=CaseStatus.INVESTIGATION, severity=Severity.GROSS_MISCONDUCT, subject=sergeant())
    services.case_transition(case=case, action="certify_special_conditions", by=supervisor, **SPECIAL)
    case.refresh_from_db()
    with pytest.raises(services.DomainError, match="certified"):
        record(case, supervisor, "gross_misconduct", Outcome.DISMISSAL, conducted_by="Cora Certifier")
    assert record(case, supervisor, "gross_misconduct", Outcome.DISMISSAL, conducted_by="Dee Chief").outcome == (
        Outcome.DISMISSAL
    )
