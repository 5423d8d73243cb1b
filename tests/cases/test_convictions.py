"""Convictions referred to misconduct, and the Police (Conduct) Regulations 2020 reg 2(1) "gross misconduct" as
amended by SI 2025/558 reg 6(2)(c): "conduct which has resulted in conviction of an indictable-only offence is to be
taken to constitute such a breach". Expectations are written out here."""

import datetime as dt

import pytest

from cases import services
from cases.models import (
    Allegation,
    AllegationSource,
    ConvictionCategory,
    ConvictionReviewStatus,
    IopcReferral,
    ModeOfTrial,
    OfficerEvent,
    OfficerEventKind,
    Severity,
    Standard,
)
from cases.roles import Role
from cases.services import DomainError
from tests import clock
from tests.cases.test_idempotency import needs_postgres, race
from tests.constraints import rejected
from tests.factories import AllegationFactory, ConvictionFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = clock.TODAY
M = ModeOfTrial


@pytest.fixture
def supervisor():
    return UserFactory(roles=[Role.SUPERVISOR])


@pytest.fixture
def investigator():
    return UserFactory(roles=[Role.INVESTIGATOR])


def convicted(mode, *, subject=None, convicted_on=None):
    return ConvictionFactory(
        officer=subject or OfficerFactory(),
        category=ConvictionCategory.DISHONESTY,  # not an IOPC mandatory category: the referral check passes
        mode_of_trial=mode,
        convicted_on=convicted_on or clock.days_ago(30),
        offence_on=(convicted_on or clock.days_ago(30)) - dt.timedelta(days=90),
    )


def case_at_severity_assessment(conviction, by, *, received_on=None):
    allegation = services.conviction_refer(conviction=conviction, by=by, received_on=received_on)
    case = services.case_open(subject=conviction.officer, allegations=[allegation], by=by)
    services.case_transition(case=case, action="start_referral_check", by=by)
    return services.case_transition(case=case, action="record_referral", by=by, referral=IopcReferral.NOT_REQUIRED)


def assess(case, by, severity):
    return services.case_transition(
        case=case, action="assess_severity", by=by, severity=severity, standards=[Standard.HONESTY]
    )


@pytest.mark.parametrize(
    ("mode", "severity", "allowed"),
    [
        (M.INDICTABLE_ONLY, Severity.MISCONDUCT, False),
        (M.INDICTABLE_ONLY, Severity.GROSS_MISCONDUCT, True),
        (M.EITHER_WAY, Severity.MISCONDUCT, True),  # either way: the appropriate authority assesses it
        (M.EITHER_WAY, Severity.GROSS_MISCONDUCT, True),
        (M.SUMMARY, Severity.MISCONDUCT, True),
    ],
)
def test_reg_2_1_gross_misconduct_as_amended_by_si_2025_558_reg_6_2_c_an_indictable_only_conviction(
    mode, severity, allowed, supervisor
):
    case = case_at_severity_assessment(convicted(mode), supervisor)
    assert services.severity_floor(case) == (Severity.GROSS_MISCONDUCT if mode == M.INDICTABLE_ONLY else None)
    if allowed:
        assert assess(case, supervisor, severity).severity == severity
    else:
        with pytest.raises(DomainError, match="indictable-only"):
            assess(case, supervisor, severity)
        case.refresh_from_db()
        assert (case.severity, case.status) == ("", "severity_assessment")


def test_reg_14_an_indictable_only_conviction_is_not_practice_requiring_improvement(supervisor):
    case = case_at_severity_assessment(convicted(M.INDICTABLE_ONLY), supervisor)
    with pytest.raises(DomainError, match="gross misconduct"):
        services.case_transition(
            case=case, action="refer_to_reflective_practice", by=supervisor, standards=[Standard.HONESTY]
        )


def test_reg_14_a_re_assessment_cannot_lower_an_indictable_only_conviction_to_misconduct(supervisor):
    case = assess(case_at_severity_assessment(convicted(M.INDICTABLE_ONLY), supervisor), supervisor, "gross_misconduct")
    with pytest.raises(DomainError, match="indictable-only"):
        services.case_transition(
            case=case, action="reassess_severity", by=supervisor, severity=Severity.MISCONDUCT, reasons="Reconsidered"
        )


def test_reg_4_1_police_staff_are_not_held_to_the_conduct_regulations_floor(supervisor):
    case = case_at_severity_assessment(convicted(M.INDICTABLE_ONLY, subject=OfficerFactory(staff=True)), supervisor)
    assert services.severity_floor(case) is None
    assert assess(case, supervisor, Severity.MISCONDUCT).severity == Severity.MISCONDUCT


@pytest.mark.parametrize(
    ("received_on", "floor"),
    [
        (dt.date(2025, 5, 27), None),  # a pre-commencement allegation (SI 2025/558 reg 64(1) ⚠)
        (dt.date(2025, 5, 28), Severity.GROSS_MISCONDUCT),  # in force from 28 May 2025 (reg 1(1))
    ],
)
def test_si_2025_558_reg_64_1_the_amendment_does_not_reach_an_allegation_before_28_may_2025(
    received_on, floor, supervisor
):
    conviction = convicted(M.INDICTABLE_ONLY, convicted_on=dt.date(2025, 5, 1))
    case = case_at_severity_assessment(conviction, supervisor, received_on=received_on)
    assert services.severity_floor(case) == floor


def test_conviction_refer_makes_a_linked_allegation_and_moves_the_review_on(investigator):
    conviction = convicted(M.INDICTABLE_ONLY)
    allegation = services.conviction_refer(conviction=conviction, by=investigator, once_token="t-1")
    conviction.refresh_from_db()
    assert (allegation.conviction, allegation.source, allegation.subject, allegation.received_on) == (
        conviction,
        AllegationSource.CONVICTION,
        conviction.officer,
        TODAY,
    )
    assert (allegation.category, allegation.incident_on) == ("dishonesty", conviction.offence_on)
    assert conviction.review_status == ConvictionReviewStatus.REFERRED
    event = OfficerEvent.objects.get(officer=conviction.officer, kind=OfficerEventKind.CONVICTION_REFERRED)
    assert (event.actor, event.from_value, event.to_value) == (investigator, "pending", "referred")
    # The same form sent twice: the first allegation back; referring again: refused.
    assert services.conviction_refer(conviction=conviction, by=investigator, once_token="t-1") == allegation
    with pytest.raises(DomainError, match="referred for misconduct"):
        services.conviction_refer(conviction=conviction, by=investigator)


def test_conviction_refer_needs_the_mode_of_trial_a_sensible_date_and_dps_staff(investigator):
    conviction = convicted("")
    with pytest.raises(DomainError, match="triable"):
        services.conviction_refer(conviction=conviction, by=investigator)
    with pytest.raises(DomainError, match="before it was made"):
        services.conviction_refer(
            conviction=conviction, by=investigator, mode_of_trial=M.EITHER_WAY, received_on=clock.days_ago(31)
        )
    with pytest.raises(DomainError, match="future"):
        services.conviction_refer(
            conviction=conviction, by=investigator, mode_of_trial=M.EITHER_WAY, received_on=clock.days_ahead(1)
        )
    with pytest.raises(DomainError, match="Only DPS"):
        services.conviction_refer(conviction=conviction, by=UserFactory(roles=[Role.PANEL_REVIEWER]))
    allegation = services.conviction_refer(conviction=conviction, by=investigator, mode_of_trial=M.EITHER_WAY)
    conviction.refresh_from_db()
    assert (conviction.mode_of_trial, allegation.conviction_id) == (M.EITHER_WAY, conviction.pk)


def test_constraints_an_allegation_from_a_conviction_has_that_source_and_the_mode_of_trial_is_known():
    conviction = convicted(M.SUMMARY)
    rejected(
        "allegation_from_a_conviction_has_that_source",
        AllegationFactory,
        subject=conviction.officer,
        conviction=conviction,
        source=AllegationSource.PUBLIC_COMPLAINT,
    )
    rejected("conviction_mode_of_trial_valid", ConvictionFactory, mode_of_trial="crown_court")
    rejected("conviction_review_status_valid", ConvictionFactory, review_status="lost")


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_racing_referrals_of_one_conviction_make_one_allegation(investigator):
    conviction = convicted(M.EITHER_WAY)
    results, errors = race(lambda: services.conviction_refer(conviction=conviction, by=investigator))
    assert len(results) == 1 and [type(e) for e in errors] == [DomainError]
    assert Allegation.objects.filter(conviction=conviction).count() == 1
