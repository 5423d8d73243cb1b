"""Appeals against an outcome: lodging one in time (reg 45) and recording its result (reg 47)."""

import datetime as dt

from ..calendar import working_days_after
from ..errors import DomainError
from ..models import APPEALABLE_OUTCOMES, AllegationStatus, AppealResult, Outcome, Route
from .outcomes import outcomes_allowed, warning_last_day

# reg 45(3)(a): notice of a meeting appeal "before the end of 7 working days beginning with the first
# working day after the report is given to the officer under regulation 43".
MEETING_APPEAL_WORKING_DAYS = 7


def _lodge_appeal(case, *, lodged_on: dt.date | None = None, today, **_):
    lodged_on = lodged_on or today
    if case.outcome not in APPEALABLE_OUTCOMES:
        raise DomainError("Only a finding with disciplinary action can be appealed.")
    if lodged_on > today:
        raise DomainError("An appeal cannot be lodged in the future.", field="lodged_on")
    notified_on = case.outcome_notified_on or case.outcome_on
    if lodged_on < notified_on:
        raise DomainError("An appeal cannot be lodged before the outcome was notified.", field="lodged_on")
    if case.route == Route.MISCONDUCT_MEETING:
        # reg 45(3)(a): day 1 is the first working day after the outcome report was given to the officer.
        deadline = working_days_after(notified_on, MEETING_APPEAL_WORKING_DAYS)
        if lodged_on > deadline:
            raise DomainError(
                f"An appeal from a misconduct meeting must be lodged within 7 working days (by {deadline:%d %b %Y}).",
                field="lodged_on",
            )
    # After a hearing the appeal lies to a Police Appeals Tribunal (Police Appeals Tribunals Rules 2020,
    # r 3(1) "original hearing"); ⚠ its time limit (r 9) was not read and is not enforced.
    case.appeal_lodged_on = lodged_on
    return ["appeal_lodged_on"]


def _decide_appeal(case, *, result: str = "", outcome: str = "", **_):
    """reg 47(1): the person deciding a meeting appeal may confirm or reverse the decision, or deal with the
    officer in any manner the meeting could have (the Police Appeals Tribunal likewise after a hearing,
    Police Act 1996 Sch 6 para 7). The decision takes effect by substitution, as from the date the
    original outcome was notified (reg 47(3)): a substituted warning runs from that date, a reversed one
    never counts, and a reversed dismissal reinstates the officer."""
    if result not in AppealResult.values:
        raise DomainError("Record whether the appeal was upheld, allowed in part or dismissed.", field="result")
    case.appeal_result = result
    fields = ["appeal_result"]
    if result == AppealResult.DISMISSED:
        return fields
    case.outcome_before_appeal = case.outcome
    if result == AppealResult.UPHELD:
        case.outcome, case.warning_ends_on = Outcome.QUASHED_ON_APPEAL, None
        case.allegations.update(status=AllegationStatus.NOT_UPHELD)
    else:
        substitutes = [
            o
            for o in outcomes_allowed(case, case.proceedings_finding)
            if o != case.outcome and o in APPEALABLE_OUTCOMES
        ]
        if outcome not in substitutes:
            names = ", ".join(Outcome(o).label.lower() for o in substitutes) or "none"
            raise DomainError(f"Choose the outcome the appeal substitutes: {names}.", field="outcome")
        case.outcome = outcome
        notified_on = case.outcome_notified_on or case.outcome_on
        case.warning_ends_on = warning_last_day(outcome=outcome, notified_on=notified_on)
    return [*fields, "outcome_before_appeal", "outcome", "warning_ends_on"]
