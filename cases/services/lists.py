"""The police barred list and the police advisory list, which the College of Policing keeps (Police Act 1996
Part 4A, ss 88A-88M, inserted by the Policing and Crime Act 2017), and the reports the force must make to the
College (the Police Barred List and Police Advisory List Regulations 2017, SI 2017/1135, in force 15 December
2017).

Who is on each list is read from the cases and the people's status (barred_list, advisory_list): an entry is
made by the event that puts the person there (the dismissal, or leaving while a case is pending: the
officer's status-change event) and removed by the event that ends it (a dismissal reversed on appeal: the
reinstatement event; the case closing without a dismissal: the case's own event). What the force owes the
College is read from the same rows (college_reports_due, with each report's last day), and a report made is
recorded once per case and kind with its event (college_report_record)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cases.roles import Role, has_role

from ..calendar import working_days_after
from ..models import (
    DISMISSALS,
    OPEN_CASE_STATUSES,
    Case,
    CaseStatus,
    CollegeReport,
    CollegeReportKind,
    EmploymentStatus,
    Officer,
    OfficerEvent,
    OfficerEventKind,
)
from .access import DomainError, investigator_conflicted
from .officers import _officer_leaves, _officer_reinstated_after

K = CollegeReportKind
LEAVERS = [EmploymentStatus.RESIGNED, EmploymentStatus.RETIRED]
# SI 2017/1135 reg 3(1) (barred list) and reg 12(1) (advisory list): "before the end of 5 working days beginning
# with" the date of the relevant dismissal or finding (reg 3(1)(a)-(b)), or of the relevant event (reg 12(1)(a)).
COLLEGE_REPORT_WORKING_DAYS = 5
# The College's own page (college.police.uk "Barred list"): a review of a barred-list entry cannot be requested for
# a minimum of five years for a gross misconduct dismissal (three for gross incompetence, which this system does
# not hold); an advisory-list entry may be reviewed after five years (PFEW summary). ⚠ The regulations that set
# these periods (SI 2017/1135 regs 6-11) were not read; a lawyer should confirm them before they are relied on.
BARRED_LIST_REVIEW_YEARS = 5
ADVISORY_LIST_REVIEW_YEARS = 5


def barred_list(officers=None):
    """The police barred list (Police Act 1996 s 88A(1), s 88B): a member of a police force or special constable
    dismissed at proceedings under the Conduct Regulations (s 88A(1)(a)), a former one found at such proceedings
    to have been one who would have been dismissed (s 88A(1)(b): dismissed here too), and a member of police staff
    dismissed for a reason relating to conduct (s 88A(1)(c)). So: everyone whose status is dismissed. A dismissal
    reversed on appeal reinstates them, which takes them off (the quash path, casework._officer_reinstated)."""
    qs = Officer.objects.all() if officers is None else officers
    return qs.filter(status=EmploymentStatus.DISMISSED)


# Dismissals under other regulations than the Conduct Regulations (a dismissal without notice on the withdrawal of
# vetting clearance, Police (Vetting) Regulations 2025): the app that makes them registers a function returning the
# ids of the officers whose dismissal it holds, so the checks know such a barred-list entry has its dismissal.
_DISMISSAL_SOURCES: list[Callable] = []


def barred_list_dismissal_source(source: Callable) -> Callable:
    """Register `source() -> queryset of officer ids` dismissed by a process outside casework (decorator)."""
    if source not in _DISMISSAL_SOURCES:
        _DISMISSAL_SOURCES.append(source)
    return source


def dismissed_elsewhere():
    """The registered sources' officer-id querysets, for `exclude(pk__in=...)`."""
    return [source() for source in _DISMISSAL_SOURCES]


def barred_list_enter(*, officer_id: int, on: dt.date, by, reason: str) -> bool:
    """Dismissal puts the person on the barred list (s 88A(1)): the officer's status becomes dismissed, with the
    day they left, through the one officer-status writer, on a locked row. The same door for a dismissal at
    misconduct proceedings (casework) and any other dismissal; a repeat changes nothing. True if it changed."""
    before = Officer.objects.filter(pk=officer_id).values_list("status", flat=True).first()
    _officer_leaves(officer_id, EmploymentStatus.DISMISSED, on, by, reason)
    return before != EmploymentStatus.DISMISSED


def barred_list_reinstate(*, officer_id: int, by, reason: str) -> bool:
    """A dismissal reversed on appeal takes effect as from the original decision: the officer is serving again,
    so off the barred list (the entry goes with the dismissal), and the further report to the College of Policing
    is due (s 88F ⚠ not read). Only a dismissed officer is reinstated; a repeat changes nothing. True if it did."""
    return _officer_reinstated_after(officer_id, by, reason)


def advisory_list(officers=None):
    """The police advisory list (Police Act 1996 s 88I, s 88L): a person who resigned or retired after an
    allegation about them came to the force's attention and before the proceedings on it were concluded
    (s 88I(1)(a)), or about whom an allegation came to attention after they left (s 88I(1)(b)), while those
    proceedings are pending. They come off when it is determined no proceedings will be brought (no case to
    answer: also the s 88I(2) exception when decided before they left), when the proceedings are withdrawn,
    or when they conclude without a finding that the person would have been dismissed (s 88L(1)-(2)); such
    a finding moves them to the barred list instead (s 88L(5), s 88A(1)(b)). So: leavers with a case still
    open about them."""
    qs = Officer.objects.all() if officers is None else officers
    pending = Case.objects.filter(subject=OuterRef("pk"), status__in=OPEN_CASE_STATUSES)
    return qs.filter(status__in=LEAVERS).filter(Exists(pending))


def college_report_due_on(event_on: dt.date) -> dt.date:
    """The last day for a report to the College: the 5th working day counted from (and including) the event's day
    (SI 2017/1135 reg 3(1), reg 12(1): "beginning with"). ⚠ Where the event falls on a day that is not a working
    day the text does not say; the first working day after it is taken as day 1."""
    return working_days_after(event_on - dt.timedelta(days=1), COLLEGE_REPORT_WORKING_DAYS)


def list_review_from(*, listed_on: dt.date, kind: str) -> dt.date:
    """The first day the person may ask the College to review their entry (see BARRED_LIST_REVIEW_YEARS ⚠)."""
    years = BARRED_LIST_REVIEW_YEARS if kind == K.BARRED else ADVISORY_LIST_REVIEW_YEARS
    return listed_on + relativedelta(years=years)


@dataclass(frozen=True)
class ReportDue:
    kind: str
    officer_id: int
    case_id: int
    case_reference: str
    event_on: dt.date
    due_on: dt.date | None  # None: the period is set in regulations not read (⚠), so no deadline is shown

    @property
    def label(self) -> str:
        return CollegeReportKind(self.kind).label

    def overdue(self, today: dt.date) -> bool:
        return self.due_on is not None and today > self.due_on


def _not_reported(kind: str) -> Exists:
    return ~Exists(CollegeReport.objects.filter(case_id=OuterRef("pk"), kind=kind))


def _reported(kind: str) -> Exists:
    return Exists(CollegeReport.objects.filter(case_id=OuterRef("pk"), kind=kind))


def _closed_on(case) -> dt.date:
    return timezone.localtime(case.closed_at).date()


def college_reports_due(*, cases=None) -> list[ReportDue]:
    """Every report the force owes the College and has not recorded, with its last day, oldest first. Four
    queries, whatever the number of cases.

    - Barred list (s 88A(1); SI 2017/1135 reg 3(1)): a case whose dismissal is in effect; 5 working days beginning
      with the date of the dismissal (or the finding, for a former officer). A dismissal reversed on appeal
      before it was reported owes no report.
    - Further report on a barred person (s 88F ⚠ not read; the explanatory note to SI 2017/1135 says reg 5 sets
      its content and time limit, ⚠ not read): a reported dismissal later reversed on appeal. No deadline shown.
    - Advisory list (s 88I(1)(a)-(b); reg 12(1)(a)): a resigned or retired person with a case pending; 5 working
      days beginning with the relevant event, taken as the later of leaving and the matter coming to notice ⚠
      ("relevant event" is defined in text not read).
    - Further report on an advisory-list person (s 88L(1)-(2)): a reported case closed without a dismissal (no case
      to answer, no proceedings, or proceedings ending short of dismissal); its period is set by regulations under
      s 88L(3)(a) (⚠ not read), so no deadline is shown. A case ending in dismissal moves the person to the barred
      list, and the College removes the advisory entry itself (s 88L(5)): the barred-list report is then due."""
    cases = Case.objects.all() if cases is None else cases
    due: list[ReportDue] = []
    barred = cases.filter(outcome__in=DISMISSALS, subject__status=EmploymentStatus.DISMISSED).filter(
        _not_reported(K.BARRED)
    )
    for case in barred:
        dismissed_on = case.outcome_on or timezone.localtime(case.opened_at).date()
        due.append(_due(K.BARRED, case, dismissed_on, college_report_due_on(dismissed_on)))
    reversed_ = cases.filter(outcome_before_appeal__in=DISMISSALS).exclude(outcome__in=DISMISSALS)
    for case in reversed_.filter(_reported(K.BARRED), _not_reported(K.BARRED_FURTHER)):
        due.append(_due(K.BARRED_FURTHER, case, _closed_on(case) if case.closed_at else case.outcome_on, None))
    pending = cases.filter(status__in=OPEN_CASE_STATUSES, subject__status__in=LEAVERS).filter(_not_reported(K.ADVISORY))
    for case in pending.select_related("subject"):
        event_on = max(case.subject.left_on, case.came_to_notice_on)
        due.append(_due(K.ADVISORY, case, event_on, college_report_due_on(event_on)))
    ended = cases.filter(status=CaseStatus.CLOSED).exclude(outcome__in=DISMISSALS)
    for case in ended.filter(_reported(K.ADVISORY), _not_reported(K.ADVISORY_FURTHER)):
        due.append(_due(K.ADVISORY_FURTHER, case, _closed_on(case), None))
    return sorted(due, key=lambda d: (d.due_on or dt.date.max, d.event_on, d.case_id, d.kind))


def _due(kind, case, event_on, due_on) -> ReportDue:
    return ReportDue(kind, case.subject_id, case.pk, case.reference, event_on, due_on)


def college_reports_overdue(*, cases=None, today: dt.date | None = None) -> list[ReportDue]:
    today = today or timezone.localdate()
    return [d for d in college_reports_due(cases=cases) if d.overdue(today)]


def college_report_record(*, case: Case, kind: str, by, reported_on: dt.date | None = None) -> CollegeReport:
    """Record that the report of this kind on this case was made to the College: only one that is due (see
    college_reports_due), by a DPS supervisor acting for the relevant authority (the chief officer, s 88A(1)) who is
    not conflicted on the person, on a day not before its event nor in the future. The case row is locked, so a
    report is recorded once; a repeat (a double click) returns the first. The officer's history gets the event."""
    if kind not in CollegeReportKind.values:
        raise DomainError("Choose the report that was made.", field="kind")
    if not has_role(by, Role.SUPERVISOR) or investigator_conflicted(user=by, officer_id=case.subject_id):
        raise DomainError("A DPS supervisor not conflicted on this person records reports to the College.")
    today = timezone.localdate()
    reported_on = reported_on or today
    if reported_on > today:
        raise DomainError("The report cannot be made in the future.", field="reported_on")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        made = CollegeReport.objects.filter(case=case, kind=kind).first()
        if made is not None:
            return made
        due = next((d for d in college_reports_due(cases=Case.objects.filter(pk=case.pk)) if d.kind == kind), None)
        if due is None:
            raise DomainError(f"No “{CollegeReportKind(kind).label}” is due on {case.reference}.", field="kind")
        if reported_on < due.event_on:
            raise DomainError("The report cannot come before the event it reports.", field="reported_on")
        report = CollegeReport.objects.create(
            officer_id=case.subject_id,
            case=case,
            kind=kind,
            event_on=due.event_on,
            due_on=due.due_on,
            reported_on=reported_on,
            reported_by=by,
        )
        late = f"; {(reported_on - due.due_on).days} days late" if due.overdue(reported_on) else ""
        OfficerEvent.objects.create(
            officer_id=case.subject_id,
            kind=OfficerEventKind.COLLEGE_REPORTED,
            actor=by,
            to_value=kind,
            reason=f"{CollegeReportKind(kind).label}: {case.reference}, reported on {reported_on:%d %b %Y}{late}.",
        )
    return report


@dataclass(frozen=True)
class ListEntry:
    kind: str  # CollegeReportKind.BARRED or ADVISORY
    officer: Officer
    case_id: int
    case_reference: str
    listed_on: dt.date  # the dismissal, or the advisory list's relevant event
    reported_on: dt.date | None

    @property
    def review_from(self) -> dt.date:
        return list_review_from(listed_on=self.listed_on, kind=self.kind)


def list_entries(*, officers=None) -> list[ListEntry]:
    """Who is on each list now, the case that put them there, when, whether the College was told, and from when
    they may ask for a review. Two queries."""
    reports = {
        (r.case_id, r.kind): r.reported_on
        for r in CollegeReport.objects.filter(kind__in=[K.BARRED, K.ADVISORY]).only("case_id", "kind", "reported_on")
    }
    entries = []
    dismissed = Q(outcome__in=DISMISSALS, subject__in=barred_list(officers))
    pending = Q(status__in=OPEN_CASE_STATUSES, subject__in=advisory_list(officers))
    for case in Case.objects.filter(dismissed | pending).select_related("subject").order_by("subject_id", "id"):
        if case.outcome in DISMISSALS:
            entries.append(_entry(K.BARRED, case, case.outcome_on or case.subject.left_on, reports))
        else:
            listed_on = max(case.subject.left_on, case.came_to_notice_on)
            entries.append(_entry(K.ADVISORY, case, listed_on, reports))
    return entries


def _entry(kind, case, listed_on, reports) -> ListEntry:
    return ListEntry(kind, case.subject, case.pk, case.reference, listed_on, reports.get((case.pk, kind)))
