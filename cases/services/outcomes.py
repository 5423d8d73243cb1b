"""Outcomes under the Police (Conduct) Regulations 2020, reg 42: the forums a case may be referred to, the
outcomes a finding allows, how long a warning stays in force, and recording the finding and outcome."""

import datetime as dt

from django.utils import timezone

from ..calendar import months_after
from ..errors import DomainError
from ..models import (
    OFFICER_RANKS,
    OUTCOMES_BY_FORUM_AND_FINDING,
    AllegationStatus,
    Case,
    Officer,
    Outcome,
    PersonKind,
    ProceedingsFinding,
    Rank,
    Route,
    Severity,
)

# reg 42(9)(a): a written warning is in force for 18 months beginning with the day it is notified.
WRITTEN_WARNING_MONTHS = 18
# reg 42(9)(b), (10): a final written warning is in force for 2 years beginning with the day it is
# notified, or a longer period the person deciding sets, up to 5 years (the same words as reg 62(4)
# for accelerated hearings; ⚠ reg 42(10) itself was read only through reg 42(11)'s reference to it).
FINAL_WRITTEN_WARNING_YEARS = 2
FINAL_WRITTEN_WARNING_MAX_YEARS = 5


def final_written_warning_in_force(*, officer_id: int, on: dt.date, excluding_case_id: int | None = None) -> bool:
    """Was a final written warning in force for this person on that day (reg 42(5), (8))? A warning is in
    force from the day it was notified to its last day (reg 42(9)-(10)); one quashed or replaced on appeal
    no longer has the outcome, so it no longer counts (reg 47(3))."""
    qs = Case.objects.filter(
        subject_id=officer_id,
        outcome=Outcome.FINAL_WRITTEN_WARNING,
        outcome_notified_on__lte=on,
        warning_ends_on__gte=on,
    )
    if excluding_case_id:
        qs = qs.exclude(pk=excluding_case_id)
    return qs.exists()


def warning_last_day(*, outcome: str, notified_on: dt.date, years: int | None = None) -> dt.date | None:
    """The last day a warning notified on `notified_on` is in force. reg 42(9): "a period of 18 months [2
    years] beginning with the day on which it was notified": the period ends the day before the
    corresponding date, or on the last day of the month where that month has no corresponding date (a
    warning notified on 29 February 2028 for 2 years is in force up to 28 February 2030; one notified on
    1 March 2027 for 5 years, up to 29 February 2032)."""
    if outcome == Outcome.WRITTEN_WARNING:
        months = WRITTEN_WARNING_MONTHS
    elif outcome == Outcome.FINAL_WRITTEN_WARNING:
        months = 12 * (years or FINAL_WRITTEN_WARNING_YEARS)
    else:
        return None
    corresponding = months_after(notified_on, months)  # clamped to the month's last day when it has none
    return corresponding if corresponding.day != notified_on.day else corresponding - dt.timedelta(days=1)


def _severity_test_date(case: Case) -> dt.date:
    # reg 42(5): the date of the severity assessment. Cases recorded before that date was kept fall
    # back to the day they were opened (the assessment came after it, so no later warning is missed).
    return case.severity_assessed_on or timezone.localtime(case.opened_at).date()


def routes_allowed(case: Case) -> list[str]:
    """Which misconduct proceedings the appropriate authority may refer a case with a case to answer to
    (reg 23(1)(c)): gross misconduct to a misconduct hearing (or, with the special conditions certified,
    an accelerated hearing, reg 49); misconduct to a misconduct meeting, or to a hearing where a final
    written warning was in force on the date of the severity assessment (reg 42(5)) or the misconduct
    arises from more than one incident not closely factually connected (reg 42(6)): only a hearing can
    then impose reduction in rank or dismissal (reg 42(3)(a)). ⚠ reg 23's own forum paragraphs were not
    read; these are the forums reg 42 gives each case."""
    if case.subject.kind == PersonKind.STAFF:
        return [Route.STAFF_HEARING] if case.severity in (Severity.MISCONDUCT, Severity.GROSS_MISCONDUCT) else []
    if case.severity == Severity.GROSS_MISCONDUCT:
        # An accelerated hearing once the special conditions are certified (reg 49), at referral or before.
        return [Route.MISCONDUCT_HEARING, Route.ACCELERATED_HEARING]
    if case.severity == Severity.MISCONDUCT:
        live = final_written_warning_in_force(
            officer_id=case.subject_id, on=_severity_test_date(case), excluding_case_id=case.pk
        )
        return [Route.MISCONDUCT_MEETING, *([Route.MISCONDUCT_HEARING] if live or case.several_incidents else [])]
    return []


def outcomes_allowed(case: Case, finding: str, *, several_incidents: bool = False) -> list[str]:
    """The outcomes this case's forum may give on that finding, for this person (reg 42)."""
    allowed = list(OUTCOMES_BY_FORUM_AND_FINDING.get(case.route, {}).get(finding, []))
    live = final_written_warning_in_force(
        officer_id=case.subject_id, on=_severity_test_date(case), excluding_case_id=case.pk
    )
    if live:
        # reg 42(8): with a final written warning in force on the date of the severity assessment, neither
        # a written warning nor a final written warning may be given.
        allowed = [o for o in allowed if o not in (Outcome.WRITTEN_WARNING, Outcome.FINAL_WRITTEN_WARNING)]
    if case.route == Route.STAFF_HEARING:
        # Staff procedure: dismissal with notice for misconduct only while a final written warning is live.
        if finding == ProceedingsFinding.MISCONDUCT and not live:
            allowed = [o for o in allowed if o != Outcome.DISMISSAL_WITH_NOTICE]
    elif finding == ProceedingsFinding.MISCONDUCT and not (live or several_incidents or case.several_incidents):
        # reg 42(3)(a)(iii)-(iv): for misconduct, reduction in rank and dismissal only where para (5) (a
        # final written warning in force on the date of the severity assessment) or para (6) (more than
        # one incident, not closely factually connected) applies.
        allowed = [o for o in allowed if o not in (Outcome.REDUCTION_IN_RANK, Outcome.DISMISSAL)]
    if not _may_be_reduced_in_rank(case.subject):
        allowed = [o for o in allowed if o != Outcome.REDUCTION_IN_RANK]
    return allowed


def _may_be_reduced_in_rank(person: Officer) -> bool:
    # Constable is the lowest rank of a police force (Police Regulations 2003, reg 4(1)): a constable has
    # no rank to be reduced to, and police staff hold grades, not ranks.
    return person.kind == PersonKind.OFFICER and person.rank in OFFICER_RANKS and person.rank != Rank.CONSTABLE


def _record_outcome(
    case,
    *,
    finding: str = "",
    outcome: str = "",
    today,
    by,
    notified_on: dt.date | None = None,
    warning_years: int | None = None,
    several_incidents: bool = False,
    conducted_by: str = "",
    panel_members: str = "",
    legal_adviser: str = "",
    **_,
):
    """reg 42: the meeting or hearing first finds, then chooses among the outcomes that finding allows. The
    decision is recorded as its makers': the person conducting a meeting (reg 28(1)(a), (3)), or a hearing
    panel's chair and its two members appointed by the local policing body, with the legally qualified
    person who advised them (reg 28(1)(b), (4) as substituted by SI 2024/521 from 7 May 2024)."""
    findings = OUTCOMES_BY_FORUM_AND_FINDING.get(case.route, {})
    if finding not in findings:
        names = ", ".join(ProceedingsFinding(f).label.lower() for f in findings)
        raise DomainError(f"A {case.get_route_display().lower()} finds one of: {names}.", field="finding")
    allowed = outcomes_allowed(case, finding, several_incidents=several_incidents)
    if outcome not in allowed:
        shown = Outcome(outcome).label if outcome in Outcome.values else (outcome or "no outcome")
        names = ", ".join(Outcome(o).label.lower() for o in allowed) or "none"
        raise DomainError(
            f"On a finding of {ProceedingsFinding(finding).label.lower()} this case cannot end in “{shown}”; "
            f"it can end in: {names}.",
            field="outcome",
        )
    case.proceedings_panel = _panel(case.route, conducted_by, panel_members, legal_adviser)
    certifier = case.special_conditions_certified_by
    if (
        case.route == Route.ACCELERATED_HEARING
        and certifier
        and conducted_by.strip().lower()
        in (
            certifier.get_full_name().strip().lower(),
            certifier.username.lower(),
        )
    ):
        # reg 2(4C) (SI 2024/521): the person conducting an accelerated hearing is not the one who certified it.
        raise DomainError(
            "The person who certified the special conditions cannot conduct the hearing.", field="conducted_by"
        )
    notified_on = notified_on or today
    if notified_on < today:
        raise DomainError("The outcome cannot be notified before it was decided.", field="notified_on")
    if warning_years is not None and outcome != Outcome.FINAL_WRITTEN_WARNING:
        raise DomainError("Only a final written warning has a period to set.", field="warning_years")
    if (
        warning_years is not None
        and not FINAL_WRITTEN_WARNING_YEARS <= warning_years <= FINAL_WRITTEN_WARNING_MAX_YEARS
    ):
        raise DomainError("A final written warning lasts from 2 to 5 years.", field="warning_years")
    case.proceedings_finding, case.outcome, case.outcome_on, case.outcome_notified_on = (
        finding,
        outcome,
        today,
        notified_on,
    )
    case.several_incidents = case.several_incidents or bool(several_incidents)
    case.warning_ends_on = warning_last_day(outcome=outcome, notified_on=notified_on, years=warning_years)
    upheld = finding in (ProceedingsFinding.MISCONDUCT, ProceedingsFinding.GROSS_MISCONDUCT)
    case.allegations.update(status=AllegationStatus.UPHELD if upheld else AllegationStatus.NOT_UPHELD, updated_by=by)
    return [
        "proceedings_panel",
        "proceedings_finding",
        "outcome",
        "outcome_on",
        "outcome_notified_on",
        "warning_ends_on",
        "several_incidents",
    ]


def _panel(route: str, conducted_by: str, panel_members: str, legal_adviser: str) -> dict:
    conducted_by = conducted_by.strip()
    members = [m.strip() for m in panel_members.replace("\n", ",").split(",") if m.strip()]
    if route == Route.MISCONDUCT_MEETING:
        if not conducted_by:
            raise DomainError(
                "Name the person who conducted the meeting or the staff hearing (and their rank or grade).",
                field="conducted_by",
            )
        return {"conducted_by": conducted_by}
    if not conducted_by:
        raise DomainError("Name the chair of the hearing.", field="conducted_by")
    if route == Route.MISCONDUCT_HEARING and len(members) != 2:
        raise DomainError(
            "Name the two panel members appointed by the local policing body, separated by a comma.",
            field="panel_members",
        )
    if route == Route.MISCONDUCT_HEARING and not legal_adviser.strip():
        raise DomainError("Name the legally qualified person who advised the panel.", field="legal_adviser")
    return {"chair": conducted_by, "members": members, "legal_adviser": legal_adviser.strip()}
