"""check_conduct_rules: each rule, run over the whole table, reports exactly the cases (or people) that break
it, and none of the well-formed ones beside them; the command prints the rules and fails when one is broken.

The bad rows are written straight with factories (the service would refuse them): that is what the check is
for, data that did not come through the service (imports, the demo seeding, old records)."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from cases import conduct_check
from cases.models import (
    AppealResult,
    CaseStatus,
    EmploymentStatus,
    Finding,
    IopcMode,
    IopcReferral,
    ModeOfTrial,
    Outcome,
    ProceedingsFinding,
    Rank,
    Route,
    Severity,
)
from cases.services import warning_last_day
from tests import clock
from tests.factories import AllegationFactory, CaseFactory, ConvictionFactory, OfficerFactory

pytestmark = pytest.mark.django_db
TODAY = clock.TODAY
ASSESSED_ON = TODAY - dt.timedelta(days=200)
PF = ProceedingsFinding


def offenders(key: str) -> set[str]:
    rule = next(r for r in conduct_check.RULES if r.key == key)
    return set(rule.offenders().values_list(rule.reference, flat=True))


def broken() -> dict[str, set[str]]:
    return {r.key: found for r in conduct_check.RULES if (found := offenders(r.key))}


def decided(
    subject=None,
    *,
    route=Route.MISCONDUCT_MEETING,
    severity=Severity.MISCONDUCT,
    found=PF.MISCONDUCT,
    outcome=Outcome.WRITTEN_WARNING,
    assessed_on=ASSESSED_ON,
    notified_on=None,
    years=None,
    status=CaseStatus.CLOSED,
    **fields,
):
    """A case that went through the workflow to an outcome: referral checked, severity assessed, case to answer,
    a forum, a finding and an outcome notified (a warning with its last day)."""
    notified_on = notified_on or assessed_on + dt.timedelta(days=100)
    opened_at = timezone.make_aware(dt.datetime.combine(assessed_on - dt.timedelta(days=20), dt.time(10)))
    values = {
        "subject": subject or OfficerFactory(rank=Rank.SERGEANT),
        "status": status,
        "iopc_referral": IopcReferral.NOT_REQUIRED,
        "severity": severity,
        "severity_assessed_on": assessed_on,
        "finding": Finding.CASE_TO_ANSWER,
        "route": route,
        "proceedings_finding": found,
        "outcome": outcome,
        "outcome_on": notified_on,
        "outcome_notified_on": notified_on,
        "warning_ends_on": warning_last_day(outcome=outcome, notified_on=notified_on, years=years),
        "opened_at": opened_at,
        "closed_at": opened_at + dt.timedelta(days=150) if status == CaseStatus.CLOSED else None,
        **fields,
    }
    return CaseFactory(**values)


def final_warning(subject, *, notified_on, years=None):
    return decided(
        subject,
        outcome=Outcome.FINAL_WRITTEN_WARNING,
        notified_on=notified_on,
        years=years,
        assessed_on=notified_on - dt.timedelta(days=100),
    )


def dismissed(**kwargs):
    return OfficerFactory(status=EmploymentStatus.DISMISSED, left_on=TODAY - dt.timedelta(days=10), **kwargs)


def test_a_well_formed_history_breaks_no_rule():
    sergeant = dismissed(rank=Rank.SERGEANT)
    # A final written warning, then misconduct at a hearing while it is in force: dismissal (reg 42(5)).
    final_warning(sergeant, notified_on=ASSESSED_ON - dt.timedelta(days=300))
    decided(sergeant, route=Route.MISCONDUCT_HEARING, outcome=Outcome.DISMISSAL)
    constable = OfficerFactory()
    decided(
        constable,
        route=Route.MISCONDUCT_HEARING,
        severity=Severity.GROSS_MISCONDUCT,
        found=PF.GROSS_MISCONDUCT,
        outcome=Outcome.FINAL_WRITTEN_WARNING,
        years=3,
    )
    # Several incidents: misconduct at a hearing, reduction in rank (reg 42(6)).
    decided(route=Route.MISCONDUCT_HEARING, outcome=Outcome.REDUCTION_IN_RANK, several_incidents=True)
    # An appeal on a warning, from a meeting, still open; one quashed.
    decided(status=CaseStatus.APPEAL, appeal_lodged_on=ASSESSED_ON + dt.timedelta(days=102))
    decided(
        outcome=Outcome.QUASHED_ON_APPEAL,
        outcome_before_appeal=Outcome.WRITTEN_WARNING,
        warning_ends_on=None,
        appeal_lodged_on=ASSESSED_ON + dt.timedelta(days=102),
        appeal_result=AppealResult.UPHELD,
    )
    # Practice requiring improvement, no case to answer, and cases still early in the workflow.
    decided(
        severity=Severity.NEITHER,
        finding="",
        route=Route.REFLECTIVE_PRACTICE,
        proceedings_finding="",
        outcome=Outcome.REFLECTIVE_PRACTICE,
    )
    decided(finding=Finding.NO_CASE_TO_ANSWER, route="", proceedings_finding="", outcome=Outcome.NO_CASE_TO_ANSWER)
    intake = CaseFactory(status=CaseStatus.INTAKE)
    AllegationFactory(subject=intake.subject, case=intake, category="violence")  # referral not yet checked
    referred = decided(
        status=CaseStatus.INVESTIGATION,
        finding="",
        route="",
        proceedings_finding="",
        outcome="",
        iopc_referral=IopcReferral.REFERRED,
        iopc_mode=IopcMode.LOCAL,
    )
    AllegationFactory(subject=referred.subject, case=referred, category="violence")

    assert broken() == {}


def test_reg_42_outcome_must_be_one_the_forum_gives_on_its_finding():
    bad = decided(found=PF.NOT_PROVEN, outcome=Outcome.WRITTEN_WARNING)
    decided(found=PF.NOT_PROVEN, outcome=Outcome.NOT_PROVEN)
    assert offenders("outcome_not_allowed") == {bad.reference}


def test_reg_42_3_b_no_written_warning_on_gross_misconduct():
    bad = decided(route=Route.MISCONDUCT_HEARING, severity=Severity.GROSS_MISCONDUCT, found=PF.GROSS_MISCONDUCT)
    decided(route=Route.MISCONDUCT_HEARING, severity=Severity.GROSS_MISCONDUCT, found=PF.MISCONDUCT)
    assert offenders("written_warning_gross") == {bad.reference}
    assert offenders("outcome_not_allowed") == {bad.reference}


def test_no_reduction_in_rank_for_a_constable_or_police_staff():
    gross = {"route": Route.MISCONDUCT_HEARING, "severity": Severity.GROSS_MISCONDUCT, "found": PF.GROSS_MISCONDUCT}
    constable = decided(OfficerFactory(rank=Rank.CONSTABLE), outcome=Outcome.REDUCTION_IN_RANK, **gross)
    staff = decided(OfficerFactory(staff=True), outcome=Outcome.REDUCTION_IN_RANK, **gross)
    decided(OfficerFactory(rank=Rank.SERGEANT), outcome=Outcome.REDUCTION_IN_RANK, **gross)
    assert offenders("reduction_without_rank") == {constable.reference, staff.reference}


def test_reg_42_5_6_dismissal_for_misconduct_needs_a_live_final_warning_on_the_severity_date_or_several_incidents():
    hearing = {"route": Route.MISCONDUCT_HEARING, "outcome": Outcome.DISMISSAL}
    none = decided(dismissed(), **hearing)
    decided(dismissed(), several_incidents=True, **hearing)
    live = dismissed(rank=Rank.SERGEANT)
    final_warning(live, notified_on=ASSESSED_ON)  # in force from the day it was notified
    decided(live, **hearing)
    expired = dismissed(rank=Rank.SERGEANT)
    last_day_before = final_warning(expired, notified_on=ASSESSED_ON - relativedelta(years=2))
    assert last_day_before.warning_ends_on == ASSESSED_ON - dt.timedelta(days=1)
    too_late = decided(expired, **hearing)
    later = dismissed(rank=Rank.SERGEANT)
    final_warning(later, notified_on=ASSESSED_ON + dt.timedelta(days=1))  # given after the severity date
    after = decided(later, **hearing)
    assert offenders("misconduct_dismissal_without_cause") == {none.reference, too_late.reference, after.reference}


def test_reg_42_8_no_warning_while_a_final_written_warning_was_in_force_on_the_severity_date():
    person = OfficerFactory()
    earlier = final_warning(person, notified_on=ASSESSED_ON - dt.timedelta(days=30))
    bad = decided(person, outcome=Outcome.FINAL_WRITTEN_WARNING)
    other = OfficerFactory()
    final_warning(other, notified_on=ASSESSED_ON - relativedelta(years=2))  # ended the day before
    decided(other, outcome=Outcome.WRITTEN_WARNING)
    last_day = OfficerFactory()
    ending = final_warning(last_day, notified_on=ASSESSED_ON - relativedelta(years=1))
    ending.warning_ends_on = ASSESSED_ON  # still in force on its last day, the severity date
    ending.save()
    on_last_day = decided(last_day, outcome=Outcome.WRITTEN_WARNING)
    assert offenders("warning_over_live_fww") == {bad.reference, on_last_day.reference}
    assert earlier.reference not in offenders("warning_over_live_fww")  # its own warning does not count


def test_reg_23_misconduct_goes_to_a_hearing_only_with_cause_and_gross_misconduct_never_to_a_meeting():
    without_cause = decided(route=Route.MISCONDUCT_HEARING, found=PF.NOT_PROVEN, outcome=Outcome.NOT_PROVEN)
    decided(route=Route.MISCONDUCT_HEARING, found=PF.NOT_PROVEN, outcome=Outcome.NOT_PROVEN, several_incidents=True)
    gross_at_meeting = decided(severity=Severity.GROSS_MISCONDUCT)
    open_at_hearing = decided(
        status=CaseStatus.PROCEEDINGS,
        route=Route.MISCONDUCT_HEARING,
        proceedings_finding="",
        outcome="",
        warning_ends_on=None,
        outcome_notified_on=None,
        outcome_on=None,
    )
    assert offenders("forum_not_allowed") == {
        without_cause.reference,
        gross_at_meeting.reference,
        open_at_hearing.reference,
    }


def test_practice_requiring_improvement_only_in_the_reflective_practice_process():
    bad = decided(
        severity=Severity.NEITHER, found=PF.PRACTICE_REQUIRING_IMPROVEMENT, outcome=Outcome.REFLECTIVE_PRACTICE
    )
    decided(found=PF.PRACTICE_REQUIRING_IMPROVEMENT, outcome=Outcome.REFLECTIVE_PRACTICE)  # found at a meeting
    assert offenders("practice_requiring_improvement") == {bad.reference}


def test_a_dismissal_makes_the_person_dismissed_and_only_a_dismissal_does():
    hearing = {
        "route": Route.MISCONDUCT_HEARING,
        "severity": Severity.GROSS_MISCONDUCT,
        "found": PF.GROSS_MISCONDUCT,
        "outcome": Outcome.DISMISSAL,
    }
    serving = decided(OfficerFactory(), **hearing)
    decided(dismissed(), **hearing)
    never_dismissed = dismissed()
    reinstated = dismissed()
    decided(reinstated, **{**hearing, "outcome": Outcome.QUASHED_ON_APPEAL}, outcome_before_appeal=Outcome.DISMISSAL)
    OfficerFactory(status=EmploymentStatus.RESIGNED, left_on=TODAY)
    assert offenders("dismissed_still_serving") == {serving.reference}
    assert offenders("barred_without_dismissal") == {never_dismissed.staff_number, reinstated.staff_number}


def test_mandatory_categories_are_referred_to_the_iopc_once_the_referral_is_checked():
    bad = decided(
        status=CaseStatus.INVESTIGATION, finding="", route="", proceedings_finding="", outcome="", warning_ends_on=None
    )
    AllegationFactory(subject=bad.subject, case=bad, category="discrimination")
    not_mandatory = decided()
    AllegationFactory(subject=not_mandatory.subject, case=not_mandatory, category="dishonesty")
    unchecked = CaseFactory(status=CaseStatus.IOPC_REFERRAL)
    AllegationFactory(subject=unchecked.subject, case=unchecked, category="sexual_offence")
    assert offenders("mandatory_referral") == {bad.reference}


def test_reg_42_9_a_warning_has_its_notification_date_and_last_day():
    bad = decided(outcome_notified_on=None, warning_ends_on=None)
    decided()
    assert offenders("warning_dates_missing") == {bad.reference}


@pytest.mark.parametrize(
    "notified_on",
    # Month ends and 29 February: the SQL must end each period where warning_last_day does.
    [
        dt.date(2024, 3, 1),
        dt.date(2024, 2, 29),
        dt.date(2023, 8, 31),
        dt.date(2022, 1, 1),
        dt.date(2025, 12, 31),
        dt.date(2027, 3, 1),
        dt.date(2025, 8, 30),
    ],
)
def test_reg_42_9_10_warning_last_day_is_the_services(notified_on):
    right = [
        decided(outcome=Outcome.WRITTEN_WARNING, notified_on=notified_on),
        *(
            decided(outcome=Outcome.FINAL_WRITTEN_WARNING, notified_on=notified_on, years=years)
            for years in (None, 3, 5)
        ),
    ]
    day_late = decided(outcome=Outcome.WRITTEN_WARNING, notified_on=notified_on)
    day_late.warning_ends_on += dt.timedelta(days=1)
    day_late.save()
    six_years = decided(outcome=Outcome.FINAL_WRITTEN_WARNING, notified_on=notified_on)
    six_years.warning_ends_on = warning_last_day(
        outcome=Outcome.FINAL_WRITTEN_WARNING, notified_on=notified_on, years=6
    )
    six_years.save()
    assert offenders("warning_period_wrong") == {day_late.reference, six_years.reference}
    assert all(case.reference not in offenders("warning_period_wrong") for case in right)


def test_workflow_stages_and_fields_agree():
    referred_without_mode = decided(iopc_referral=IopcReferral.REFERRED)
    decided(iopc_referral=IopcReferral.REFERRED, iopc_mode=IopcMode.DIRECTED)
    unassessed = CaseFactory(status=CaseStatus.INVESTIGATION, iopc_referral=IopcReferral.NOT_REQUIRED)
    finding_without_forum = decided(finding=Finding.NO_CASE_TO_ANSWER, route="", outcome=Outcome.NO_CASE_TO_ANSWER)
    outcome_too_early = decided(status=CaseStatus.PROCEEDINGS)
    appeal_on_nothing = decided(
        status=CaseStatus.APPEAL,
        found=PF.NOT_PROVEN,
        outcome=Outcome.NOT_PROVEN,
        appeal_lodged_on=ASSESSED_ON + dt.timedelta(days=101),
    )
    assert offenders("referral_out_of_step") == {referred_without_mode.reference}
    assert offenders("severity_out_of_step") == {unassessed.reference}
    assert offenders("proceedings_out_of_step") == {finding_without_forum.reference, outcome_too_early.reference}
    assert offenders("appeal_out_of_step") == {appeal_on_nothing.reference}


def test_command_prints_each_rule_and_fails_when_one_is_broken(capsys):
    bad = decided(found=PF.NOT_PROVEN, outcome=Outcome.WRITTEN_WARNING)
    with pytest.raises(CommandError, match="1 broken"):
        call_command("check_conduct_rules")
    out = capsys.readouterr().out
    assert len([line for line in out.splitlines() if line.startswith(("ok", "FAIL"))]) == len(conduct_check.RULES)
    assert "FAIL       1  Outcome not one the forum may give on its finding [reg 42(1)-(3)" in out
    assert bad.reference in out
    assert "reg 42(8)" in out


def test_command_passes_on_well_formed_cases(capsys):
    decided()
    call_command("check_conduct_rules")
    assert "0 broken" in capsys.readouterr().out


def test_reg_4_1_staff_follow_their_own_procedure_and_officers_the_regulations():
    staff = OfficerFactory(staff=True)
    at_a_meeting = decided(staff)
    in_reflective_practice = decided(
        staff, route=Route.REFLECTIVE_PRACTICE, severity=Severity.NEITHER, found="", outcome=Outcome.REFLECTIVE_PRACTICE
    )
    decided(staff, route=Route.STAFF_HEARING)
    officer_at_a_staff_hearing = decided(OfficerFactory(rank=Rank.SERGEANT), route=Route.STAFF_HEARING)
    assert offenders("procedure_not_the_persons") == {
        at_a_meeting.reference,
        in_reflective_practice.reference,
        officer_at_a_staff_hearing.reference,
    }


def test_staff_dismissal_with_notice_for_misconduct_needs_a_live_final_warning():
    warned, unwarned = OfficerFactory(staff=True), OfficerFactory(staff=True)
    final_warning(warned, notified_on=ASSESSED_ON - dt.timedelta(days=30))
    decided(warned, route=Route.STAFF_HEARING, outcome=Outcome.DISMISSAL_WITH_NOTICE)
    bad = decided(unwarned, route=Route.STAFF_HEARING, outcome=Outcome.DISMISSAL_WITH_NOTICE)
    assert offenders("misconduct_dismissal_without_cause") == {bad.reference}


def test_reg_2_1_as_amended_by_si_2025_558_reg_6_2_c_an_indictable_only_conviction_is_gross_misconduct():
    def from_conviction(mode, severity, subject=None, received_on=None):
        case = decided(
            subject or OfficerFactory(),
            status=CaseStatus.INVESTIGATION,
            severity=severity,
            finding="",
            route="",
            proceedings_finding="",
            outcome="",
        )
        conviction = ConvictionFactory(officer=case.subject, mode_of_trial=mode)
        AllegationFactory(
            subject=case.subject,
            case=case,
            source="conviction",
            conviction=conviction,
            received_on=received_on or clock.days_ago(100),
            incident_on=None,
        )
        return case.reference

    bad = from_conviction(ModeOfTrial.INDICTABLE_ONLY, Severity.MISCONDUCT)
    from_conviction(ModeOfTrial.INDICTABLE_ONLY, Severity.GROSS_MISCONDUCT)
    from_conviction(ModeOfTrial.EITHER_WAY, Severity.MISCONDUCT)  # either way: not forced
    from_conviction(ModeOfTrial.INDICTABLE_ONLY, Severity.MISCONDUCT, subject=OfficerFactory(staff=True))  # reg 4(1)
    # SI 2025/558 reg 64(1): a pre-commencement allegation (before 28 May 2025) keeps the old definition.
    from_conviction(ModeOfTrial.INDICTABLE_ONLY, Severity.MISCONDUCT, received_on=dt.date(2025, 5, 27))
    assert broken() == {"conviction_gross_misconduct": {bad}}
