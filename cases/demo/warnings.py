"""A warning's dates, as the engine sets them when an outcome is notified (reg 42(9)-(10))."""

from cases.services import warning_last_day


def notified(case) -> None:
    """The outcome notified on the day it was given; a warning then runs to warning_last_day."""
    case.outcome_notified_on = case.outcome_on
    case.warning_ends_on = warning_last_day(outcome=case.outcome, notified_on=case.outcome_on)
