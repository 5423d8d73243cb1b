"""Where each demo case stands on the day the seed runs: its severity, the IOPC referral, case to answer
or not, and the stage it has reached. The forum and outcome are chosen later, by decisions.decide."""

import datetime as dt

from cases.models import (
    IOPC_MANDATORY_CATEGORIES,
    AllegationCategory,
    AllegationSource,
    CaseStatus,
    Finding,
    IopcMode,
    IopcReferral,
    Outcome,
    PersonKind,
    ProceedingsFinding,
    Route,
    Severity,
)

from .figures import pick
from .registry import DemoSeed
from .shape import OPEN_STAGES_AFTER_INVESTIGATION
from .warnings import notified


def progress(seed: DemoSeed, case, allegations) -> None:
    """Where the case stands on the day the seed runs. Investigations average about 400 days; the
    majority end with no case to answer (Casey: 55-60%)."""
    rng = seed.rng
    base_at = seed.as_of
    duration = dt.timedelta(days=rng.expovariate(1 / 400) + 7)
    gross = any(
        a.category
        in (
            AllegationCategory.SEXUAL_OFFENCE,
            AllegationCategory.ABUSE_OF_POSITION_SEXUAL,
            AllegationCategory.CORRUPT_ASSOCIATION,
        )
        for a in allegations
    )
    staff = case.subject.kind == PersonKind.STAFF
    # Most public complaints do not become misconduct cases: many are assessed as practice requiring
    # improvement and go to reflective practice at the assessment (reg 14); the rest mostly end with no case
    # to answer. Police staff have no reflective practice: their procedure is the force's (reg 4(1)).
    complaints = all(a.source == AllegationSource.PUBLIC_COMPLAINT for a in allegations)
    case.severity = pick(
        rng,
        [
            (Severity.GROSS_MISCONDUCT, 60 if gross else (8 if complaints else 15)),
            (Severity.MISCONDUCT, 30 if complaints else 50),
            (Severity.NEITHER, 0 if staff else (75 if complaints else 35)),
        ],
    )
    mandatory = any(a.category in IOPC_MANDATORY_CATEGORIES for a in allegations)
    if rng.random() < (0.3 if gross else 0.05) or mandatory:
        case.iopc_referral = IopcReferral.REFERRED
        case.iopc_mode = pick(rng, [(IopcMode.LOCAL, 60), (IopcMode.DIRECTED, 25), (IopcMode.INDEPENDENT, 15)])
    else:
        case.iopc_referral = IopcReferral.NOT_REQUIRED
    no_case = rng.random() < 0.57
    if case.severity == Severity.NEITHER:
        # Practice requiring improvement goes to the reflective practice review process at the severity
        # assessment (reg 14), never through "case to answer".
        case.finding, case.route, case.outcome = "", Route.REFLECTIVE_PRACTICE, Outcome.REFLECTIVE_PRACTICE
    elif no_case:
        case.finding, case.route, case.outcome = Finding.NO_CASE_TO_ANSWER, "", Outcome.NO_CASE_TO_ANSWER
    else:
        case.finding = Finding.CASE_TO_ANSWER
        # Provisional: decide() chooses the forum (routes_allowed), the finding and the outcome
        # (outcomes_allowed) once the person's earlier cases are decided.
        case.route = (
            Route.STAFF_HEARING
            if staff
            else (Route.MISCONDUCT_MEETING if case.severity == Severity.MISCONDUCT else Route.MISCONDUCT_HEARING)
        )
        case.proceedings_finding, case.outcome = ProceedingsFinding.NOT_PROVEN, Outcome.NOT_PROVEN
    closing = case.opened_at + duration
    if closing <= base_at:
        case.status, case.closed_at = CaseStatus.CLOSED, closing
        case.outcome_on = closing.date()
        case.severity_assessed_on = min(case.outcome_on, (case.opened_at + duration * 0.1).date())
        notified(case)
        case.investigator = rng.choice(seed.investigators)
        return
    # Still open: how far along is it? Keep only what has been decided by that stage.
    done = (base_at - case.opened_at) / duration
    stages = [
        (0.03, CaseStatus.INTAKE),
        (0.08, CaseStatus.IOPC_REFERRAL),
        (0.15, CaseStatus.SEVERITY_ASSESSMENT),
        (0.75, CaseStatus.INVESTIGATION),
        (0.82, CaseStatus.CASE_TO_ANSWER),
        (0.92, CaseStatus.PROCEEDINGS),
        (1.0, CaseStatus.OUTCOME),
    ]
    status = next((s for limit, s in stages if done <= limit), CaseStatus.OUTCOME)
    if case.severity == Severity.NEITHER and status not in (CaseStatus.INTAKE, CaseStatus.IOPC_REFERRAL):
        status = CaseStatus.SEVERITY_ASSESSMENT  # referred to reflective practice once assessed
    if case.finding == Finding.NO_CASE_TO_ANSWER and status in OPEN_STAGES_AFTER_INVESTIGATION:
        status = CaseStatus.INVESTIGATION  # "no case to answer" closes the case: not yet decided
    if status == CaseStatus.OUTCOME and case.route == Route.MISCONDUCT_MEETING and rng.random() < 0.3:
        status = CaseStatus.APPEAL  # appeals from meetings come to us; from hearings, to the tribunal
    case.status = status
    if status not in (CaseStatus.OUTCOME, CaseStatus.APPEAL):
        case.outcome = ""
    if status not in (CaseStatus.PROCEEDINGS, CaseStatus.OUTCOME, CaseStatus.APPEAL):
        case.route = ""
    if status in (
        CaseStatus.INTAKE,
        CaseStatus.IOPC_REFERRAL,
        CaseStatus.SEVERITY_ASSESSMENT,
        CaseStatus.INVESTIGATION,
    ):
        case.finding = ""
    if status in (CaseStatus.INTAKE, CaseStatus.IOPC_REFERRAL, CaseStatus.SEVERITY_ASSESSMENT):
        case.severity = ""
    if case.severity:
        case.severity_assessed_on = min(seed.today, (case.opened_at + duration * 0.1).date())
    if status in (CaseStatus.INTAKE, CaseStatus.IOPC_REFERRAL):
        case.iopc_referral, case.iopc_mode = IopcReferral.NOT_CHECKED, ""
    if case.outcome:
        case.outcome_on = min(seed.today, (case.opened_at + duration * 0.95).date())
    if not case.outcome:
        case.proceedings_finding = ""
    if case.outcome:
        notified(case)
    if status == CaseStatus.APPEAL:
        case.appeal_lodged_on = min(seed.today, case.outcome_on + dt.timedelta(days=rng.randint(1, 7)))
    if status != CaseStatus.INTAKE:
        case.investigator = rng.choice(seed.investigators)
