"""The reports to the College of Policing the demo force has made (DEBUG only: a report names the DPS
supervisor who recorded it, so it is written with the demo logins), through the service a supervisor uses
(cases.services.college_report_record). Most are made within the 5 working days (SI 2017/1135 reg 3(1),
reg 12(1)); a few of the last three months' are still to make, so the due and overdue lists show a realistic few."""

import datetime as dt
import random

from cases.models import Case
from cases.roles import Role
from cases.services import college_report_record, college_reports_due

from .logins import login_name
from .registry import DemoLogins, demo_login_part

RECENT_DAYS = 90  # reports whose event is this recent are made about half the time by now
OLD_LEFT = 0.03  # and a few older ones were never made


@demo_login_part(order=40)
def college_reports(state: DemoLogins) -> None:
    rng = random.Random(7)  # noqa: S311 - demo data, not security
    supervisor = state.users[login_name(Role.SUPERVISOR)]
    made = 0
    for due in college_reports_due():  # the barred and advisory list reports, with a deadline
        recent = (state.today - due.event_on).days <= RECENT_DAYS
        if rng.random() < (0.5 if recent else 1 - OLD_LEFT):
            _record(state, rng, due, supervisor)
            made += 1
    for due in college_reports_due():  # the further reports those made now owe (no deadline set)
        if due.due_on is None and rng.random() < 0.8:
            _record(state, rng, due, supervisor)
            made += 1
    outstanding = college_reports_due()
    overdue = sum(1 for d in outstanding if d.overdue(state.today))
    state.summary.append(
        f"  College of Policing reports: {made} made, {len(outstanding)} outstanding ({overdue} overdue)"
    )


def _record(state: DemoLogins, rng: random.Random, due, by) -> None:
    # Most within the period, some a few days late; never before the event nor after today.
    reported_on = min(state.today, due.event_on + dt.timedelta(days=rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 14])))
    college_report_record(case=Case.objects.get(pk=due.case_id), kind=due.kind, by=by, reported_on=reported_on)
