"""The forum, finding and outcome of each demo case, chosen from the sets the engine itself allows
(cases.services routes_allowed and outcomes_allowed): the demo never re-types a conduct rule. Those
functions read the person's earlier final written warnings from the database, so a person's decided cases
are written before a later case of theirs is decided whenever one of them gave a final written warning."""

import datetime as dt
from collections.abc import Callable

from cases.models import (
    APPEALABLE_OUTCOMES,
    DISMISSALS,
    OUTCOMES_BY_FORUM_AND_FINDING,
    AllegationStatus,
    CaseStatus,
    EmploymentStatus,
    Finding,
    Outcome,
    ProceedingsFinding,
    Route,
    Severity,
)
from cases.services import outcomes_allowed, routes_allowed

from .figures import pick
from .registry import DemoSeed
from .warnings import notified

DISMISSAL_ODDS = 6  # each other allowed outcome is this many times likelier than a dismissal
FINDING_WEIGHTS = {
    ProceedingsFinding.NOT_PROVEN: 20,
    ProceedingsFinding.PRACTICE_REQUIRING_IMPROVEMENT: 10,
    ProceedingsFinding.MISCONDUCT: 50,
    ProceedingsFinding.GROSS_MISCONDUCT: 60,
}


def decide(seed: DemoSeed, person, cases: list, write: Callable[[list], None]) -> tuple[bool, list]:
    """Decide one person's cases in the order they were assessed, as the service would one at a time: the
    forum from routes_allowed, then a finding the forum can make and an outcome outcomes_allowed gives for
    it. A dismissal makes the person dismissed (so only a case dismisses anyone), and nobody the demo keeps
    serving (restricted, suspended, with later cases) is dismissed. `write` puts decided cases in the
    database. Returns (the person's status changed, the cases not yet written)."""
    rng = seed.rng
    dismissed_on = None
    protected = person.status in (EmploymentStatus.RESTRICTED, EmploymentStatus.SUSPENDED)
    unwritten = []
    for case in sorted(cases, key=lambda c: (c.severity_assessed_on or dt.date.max, c.reference)):
        if case.finding == Finding.CASE_TO_ANSWER:
            case.several_incidents = len(case._allegations) > 1 and rng.random() < 0.1
        if case.route in OUTCOMES_BY_FORUM_AND_FINDING:
            if any(c.outcome == Outcome.FINAL_WRITTEN_WARNING for c in unwritten):
                write(unwritten)  # the engine reads the earlier warnings from the database
                unwritten = []
            case.route = _route(rng, case, routes_allowed(case))
            if case.outcome:
                may_dismiss = (
                    not protected
                    and dismissed_on is None
                    and not any(c.opened_at.date() > case.outcome_on for c in cases if c is not case)
                )
                case.proceedings_finding, case.outcome = _finding_and_outcome(rng, case, may_dismiss=may_dismiss)
                notified(case)
                if case.outcome in DISMISSALS:
                    dismissed_on = case.outcome_on
        if case.status == CaseStatus.APPEAL and (
            case.outcome not in APPEALABLE_OUTCOMES or case.route != Route.MISCONDUCT_MEETING
        ):
            # Nothing to appeal, or an appeal that goes to the Police Appeals Tribunal, not to us.
            case.status, case.appeal_lodged_on = CaseStatus.OUTCOME, None
        allegations_decided(seed, case)
        unwritten.append(case)
    if dismissed_on is not None:
        person.status, person.left_on = EmploymentStatus.DISMISSED, max(dismissed_on, person.joined_on)
        return True, unwritten
    if person.status == EmploymentStatus.DISMISSED:
        person.status = rng.choice([EmploymentStatus.RESIGNED, EmploymentStatus.RETIRED])  # no case dismissed
        return True, unwritten
    return False, unwritten


def _route(rng, case, routes: list[str]) -> str:
    if not routes:
        return case.route
    if Route.ACCELERATED_HEARING in routes and rng.random() < 0.1:
        return Route.ACCELERATED_HEARING  # the special conditions certified (reg 49)
    if case.severity == Severity.MISCONDUCT and Route.MISCONDUCT_HEARING in routes and rng.random() < 0.7:
        return Route.MISCONDUCT_HEARING  # with cause: a live final written warning or several incidents
    return next(r for r in routes if r != Route.ACCELERATED_HEARING)


def _finding_and_outcome(rng, case, *, may_dismiss: bool) -> tuple[str, str]:
    """A finding the case's forum can make, then one of the outcomes outcomes_allowed gives this person on
    it, less a dismissal where the demo keeps the person serving. With nothing left to give, the forum
    finds the matter not proven."""
    findings = list(OUTCOMES_BY_FORUM_AND_FINDING[case.route])
    finding = pick(rng, [(f, FINDING_WEIGHTS[f]) for f in findings])
    outcomes = outcomes_allowed(case, finding)
    if not may_dismiss:
        outcomes = [o for o in outcomes if o not in DISMISSALS]
    if not outcomes:
        finding = ProceedingsFinding.NOT_PROVEN
        outcomes = outcomes_allowed(case, finding)
    # Dismissal is the rarer outcome (the Met dismisses about 0.3% of its officers a year).
    return finding, pick(rng, [(o, 1 if o in DISMISSALS else DISMISSAL_ODDS) for o in outcomes])


def allegations_decided(seed: DemoSeed, case) -> None:
    """The allegations' status once the case has its outcome (as record_outcome and the closing moves set)."""
    if not case.outcome:
        return
    upheld = case.proceedings_finding in (ProceedingsFinding.MISCONDUCT, ProceedingsFinding.GROSS_MISCONDUCT)
    status = AllegationStatus.UPHELD if upheld else AllegationStatus.NOT_UPHELD
    if case.outcome == Outcome.NO_FURTHER_ACTION:
        status = AllegationStatus.NO_FURTHER_ACTION
    for a in case._allegations:
        a.status = status
        if case.status == CaseStatus.CLOSED and seed.rng.random() < 0.03:
            a.status = AllegationStatus.WITHDRAWN
