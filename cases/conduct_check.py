"""The conduct rules checked over every case at once: `manage.py check_conduct_rules`.

The same rules the casework service applies one case at a time (cases/services/casework.py: routes_allowed,
outcomes_allowed, final_written_warning_in_force, warning_last_day, the CASE_ACTIONS workflow), written as set-based
queries over the whole table: each rule is one queryset of the cases (or people) that break it, so a force of
140,000 cases is checked in a handful of queries, never a Python loop per case. Citations are to the Police
(Conduct) Regulations 2020 (SI 2020/4) as the service encodes them."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, TruncDate

from .models import (
    APPEALABLE_OUTCOMES,
    DISMISSALS,
    IOPC_MANDATORY_CATEGORIES,
    OFFICER_RANKS,
    OUTCOMES_BY_FORUM_AND_FINDING,
    Allegation,
    Case,
    CaseStatus,
    EmploymentStatus,
    Finding,
    IopcReferral,
    Officer,
    Outcome,
    PersonKind,
    ProceedingsFinding,
    Rank,
    Route,
    Severity,
)
from .services.casework import FINAL_WRITTEN_WARNING_MAX_YEARS, FINAL_WRITTEN_WARNING_YEARS, WRITTEN_WARNING_MONTHS
from .services.convictions import CONVICTION_FLOOR_RULE
from .services.lists import dismissed_elsewhere

S = CaseStatus
WARNINGS = [Outcome.WRITTEN_WARNING, Outcome.FINAL_WRITTEN_WARNING]
PROCEEDINGS_ROUTES = list(OUTCOMES_BY_FORUM_AND_FINDING)  # meeting, hearing, accelerated hearing
BEFORE_REFERRAL_DECISION = [S.INTAKE, S.IOPC_REFERRAL]
BEFORE_SEVERITY = [S.INTAKE, S.IOPC_REFERRAL, S.SEVERITY_ASSESSMENT]
BEFORE_OUTCOME = [S.INTAKE, S.IOPC_REFERRAL, S.SEVERITY_ASSESSMENT, S.INVESTIGATION, S.CASE_TO_ANSWER, S.PROCEEDINGS]


@dataclass(frozen=True)
class Rule:
    key: str
    title: str
    citation: str
    offenders: callable  # () -> QuerySet of Case (or Officer) rows that break the rule
    reference: str = "reference"  # the field shown for an offender


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    count: int
    references: list[str]


def _cases() -> QuerySet:
    # reg 42(5): the test date is the severity assessment's; cases recorded before that date was kept fall
    # back to the day they were opened (as the service's _severity_test_date does).
    return Case.objects.annotate(test_on=Coalesce("severity_assessed_on", TruncDate("opened_at")))


def _fww_in_force_on_test_date() -> Exists:
    """A final written warning about the same person, from another case, in force on this case's severity
    assessment date (reg 42(5), (8); in force from notification to its last day, reg 42(9)-(10))."""
    return Exists(
        Case.objects.filter(
            subject_id=OuterRef("subject_id"),
            outcome=Outcome.FINAL_WRITTEN_WARNING,
            outcome_notified_on__lte=OuterRef("test_on"),
            warning_ends_on__gte=OuterRef("test_on"),
        ).exclude(pk=OuterRef("pk"))
    )


def _outcome_allowed_for_forum_and_finding() -> Q:
    allowed = Q(pk__in=[])
    for route, by_finding in OUTCOMES_BY_FORUM_AND_FINDING.items():
        for finding, outcomes in by_finding.items():
            allowed |= Q(route=route, proceedings_finding=finding, outcome__in=[o.value for o in outcomes])
    return allowed


def outcome_not_allowed_for_forum_and_finding():
    # A decision quashed on appeal no longer has an outcome of the forum's (reg 47(3)).
    return (
        _cases()
        .filter(route__in=PROCEEDINGS_ROUTES)
        .exclude(proceedings_finding="")
        .exclude(outcome__in=["", Outcome.QUASHED_ON_APPEAL])
        .exclude(_outcome_allowed_for_forum_and_finding())
    )


def written_warning_for_gross_misconduct():
    return _cases().filter(proceedings_finding=ProceedingsFinding.GROSS_MISCONDUCT, outcome=Outcome.WRITTEN_WARNING)


def reduction_in_rank_without_a_rank_to_lose():
    return (
        _cases()
        .filter(outcome=Outcome.REDUCTION_IN_RANK)
        .filter(
            ~Q(subject__kind=PersonKind.OFFICER)
            | Q(subject__rank=Rank.CONSTABLE)
            | ~Q(subject__rank__in=[r.value for r in OFFICER_RANKS])
        )
    )


def dismissal_or_reduction_for_misconduct_without_cause():
    officers = Q(
        proceedings_finding=ProceedingsFinding.MISCONDUCT,
        outcome__in=[Outcome.REDUCTION_IN_RANK, Outcome.DISMISSAL],
        several_incidents=False,
    )
    # The staff procedure: dismissal with notice for misconduct only while a final written warning is live.
    staff = Q(proceedings_finding=ProceedingsFinding.MISCONDUCT, outcome=Outcome.DISMISSAL_WITH_NOTICE)
    return _cases().filter(officers | staff).exclude(_fww_in_force_on_test_date())


def procedure_not_the_persons():
    """The Conduct Regulations for police officers and special constables, the staff disciplinary procedure for
    police staff (reg 4(1)): no staff case at a misconduct meeting, hearing or in reflective practice; no
    officer at a staff hearing."""
    officer_routes = [Route.MISCONDUCT_MEETING, Route.MISCONDUCT_HEARING, Route.ACCELERATED_HEARING]
    return _cases().filter(
        Q(subject__kind=PersonKind.STAFF, route__in=[*officer_routes, Route.REFLECTIVE_PRACTICE])
        | Q(subject__kind=PersonKind.OFFICER, route=Route.STAFF_HEARING)
    )


def warning_while_final_written_warning_in_force():
    return _cases().filter(outcome__in=WARNINGS).filter(_fww_in_force_on_test_date())


def forum_not_one_the_severity_allows():
    """routes_allowed: gross misconduct to a hearing or an accelerated hearing; misconduct to a meeting, or to
    a hearing only with a final written warning in force on the severity date or several incidents."""
    return _cases().filter(
        Q(severity=Severity.GROSS_MISCONDUCT, route=Route.MISCONDUCT_MEETING)
        | Q(severity=Severity.MISCONDUCT, route=Route.ACCELERATED_HEARING)
        | (
            Q(severity=Severity.MISCONDUCT, route=Route.MISCONDUCT_HEARING, several_incidents=False)
            & ~_fww_in_force_on_test_date()
        )
    )


def practice_requiring_improvement_outside_reflective_practice():
    return (
        _cases()
        .filter(severity=Severity.NEITHER)
        .exclude(route=Route.REFLECTIVE_PRACTICE, outcome=Outcome.REFLECTIVE_PRACTICE, status=S.CLOSED)
    )


def dismissed_but_still_serving():
    return _cases().filter(outcome__in=DISMISSALS).exclude(subject__status=EmploymentStatus.DISMISSED)


def on_the_barred_list_without_a_dismissal():
    # A dismissal under other regulations (registered with lists.barred_list_dismissal_source) is a dismissal too.
    found = Officer.objects.filter(status=EmploymentStatus.DISMISSED).exclude(
        Exists(Case.objects.filter(subject_id=OuterRef("pk"), outcome__in=DISMISSALS))
    )
    for officer_ids in dismissed_elsewhere():
        found = found.exclude(pk__in=officer_ids)
    return found


def mandatory_referral_not_made():
    mandatory = Allegation.objects.filter(case_id=OuterRef("pk")).filter(
        Q(category__in=IOPC_MANDATORY_CATEGORIES) | Q(death_or_serious_injury=True)
    )
    return (
        _cases()
        .exclude(status__in=BEFORE_REFERRAL_DECISION)
        .exclude(iopc_referral=IopcReferral.REFERRED)
        .filter(Exists(mandatory))
    )


def warning_without_its_dates():
    return (
        _cases()
        .filter(outcome__in=WARNINGS)
        .filter(Q(outcome_notified_on__isnull=True) | Q(warning_ends_on__isnull=True))
    )


def _warning_period_wrong(months: list[int]) -> RawSQL:
    # warning_last_day: "a period of N months beginning with the day on which it was notified" ends the day
    # before the corresponding date, or on the month's last day where there is none (PostgreSQL's date +
    # interval clamps to the month's end, as relativedelta does, so a changed day means there was none).
    # Only integers from this module's constants are bound, as parameters.
    table = Case._meta.db_table
    notified = f'"{table}"."outcome_notified_on"'
    corresponding = f"({notified} + make_interval(months => %s))::date"
    ends = [
        f"(CASE WHEN extract(day FROM {corresponding}) = extract(day FROM {notified}) "
        f"THEN {corresponding} - 1 ELSE {corresponding} END)"
        for _ in months
    ]
    params = [m for m in months for _ in range(3)]
    return RawSQL(f'"{table}"."warning_ends_on" NOT IN ({", ".join(ends)})', params)  # noqa: S611


def warning_period_wrong():
    final_years = range(FINAL_WRITTEN_WARNING_YEARS, FINAL_WRITTEN_WARNING_MAX_YEARS + 1)
    return (
        _cases()
        .filter(outcome_notified_on__isnull=False, warning_ends_on__isnull=False)
        .alias(
            written_wrong=_warning_period_wrong([WRITTEN_WARNING_MONTHS]),
            final_wrong=_warning_period_wrong([12 * years for years in final_years]),
        )
        .filter(
            Q(outcome=Outcome.WRITTEN_WARNING, written_wrong=True)
            | Q(outcome=Outcome.FINAL_WRITTEN_WARNING, final_wrong=True)
        )
    )


def referral_decision_out_of_step():
    """_record_referral: past the referral check a decision is recorded, and a referral has the IOPC's mode;
    before it, nothing is decided."""
    return _cases().filter(
        (~Q(status__in=BEFORE_REFERRAL_DECISION) & Q(iopc_referral=IopcReferral.NOT_CHECKED))
        | Q(status__in=BEFORE_REFERRAL_DECISION, iopc_referral__in=[IopcReferral.REFERRED, IopcReferral.NOT_REQUIRED])
        | Q(iopc_referral=IopcReferral.REFERRED, iopc_mode="")
    )


def severity_out_of_step():
    """Past the severity assessment (or closed, which only an assessed case can be) a severity and its date
    are recorded; before it, none, and no finding, forum or outcome."""
    return _cases().filter(
        (~Q(status__in=BEFORE_SEVERITY) & (Q(severity="") | Q(severity_assessed_on__isnull=True)))
        | (
            Q(status__in=BEFORE_SEVERITY)
            & (~Q(severity="") | ~Q(finding="") | ~Q(route="") | ~Q(outcome="") | ~Q(proceedings_finding=""))
        )
    )


def proceedings_out_of_step():
    """A forum only after a case to answer (choose_route), a proceedings finding only at a forum
    (record_outcome), an outcome only from the outcome stage on, and a case at or past the outcome stage has
    one (a closed case with a proceedings finding but no route could not be produced)."""
    return _cases().filter(
        (Q(route__in=PROCEEDINGS_ROUTES) & ~Q(finding=Finding.CASE_TO_ANSWER))
        | (~Q(proceedings_finding="") & ~Q(route__in=PROCEEDINGS_ROUTES))
        | Q(status__in=[S.CASE_TO_ANSWER, S.PROCEEDINGS], finding__in=["", Finding.NO_CASE_TO_ANSWER])
        | Q(status=S.PROCEEDINGS, route__in=["", Route.REFLECTIVE_PRACTICE])
        | (Q(status=S.CASE_TO_ANSWER) & ~Q(route=""))
        | (Q(status__in=BEFORE_OUTCOME) & (~Q(outcome="") | ~Q(proceedings_finding="")))
        | (Q(status__in=[S.OUTCOME, S.APPEAL]) & (Q(proceedings_finding="") | ~Q(route__in=PROCEEDINGS_ROUTES)))
        | Q(status=S.CLOSED, outcome="")
        | (
            Q(route__in=PROCEEDINGS_ROUTES, status=S.CLOSED, proceedings_finding="")
            & ~Q(outcome=Outcome.NO_FURTHER_ACTION)  # cases recorded before findings were kept
        )
    )


def appeal_out_of_step():
    """lodge_appeal: only a finding with disciplinary action is appealed, and an appeal has its date."""
    appealable = [o.value for o in APPEALABLE_OUTCOMES]
    return _cases().filter(
        Q(status=S.APPEAL, appeal_lodged_on__isnull=True)
        | (Q(status=S.APPEAL) & ~Q(outcome__in=appealable))
        | (Q(appeal_lodged_on__isnull=False) & ~Q(outcome__in=appealable) & ~Q(outcome_before_appeal__in=appealable))
    )


RULES = [
    Rule(
        "outcome_not_allowed",
        "Outcome not one the forum may give on its finding",
        "reg 42(1)-(3) (OUTCOMES_BY_FORUM_AND_FINDING)",
        outcome_not_allowed_for_forum_and_finding,
    ),
    Rule(
        "written_warning_gross",
        "Written warning on a finding of gross misconduct",
        "reg 42(3)(b)",
        written_warning_for_gross_misconduct,
    ),
    Rule(
        "reduction_without_rank",
        "Reduction in rank for a constable or a member of police staff",
        "reg 42(3); Police Regulations 2003 reg 4(1) (constable is the lowest rank; staff hold grades)",
        reduction_in_rank_without_a_rank_to_lose,
    ),
    Rule(
        "misconduct_dismissal_without_cause",
        "Reduction in rank or dismissal for misconduct without a final written warning in force on the "
        "severity assessment date or several incidents",
        "reg 42(3)(a)(iii)-(iv), (5), (6)",
        dismissal_or_reduction_for_misconduct_without_cause,
    ),
    Rule(
        "warning_over_live_fww",
        "Written or final written warning given while a final written warning was in force on the "
        "severity assessment date",
        "reg 42(8)",
        warning_while_final_written_warning_in_force,
    ),
    Rule(
        "forum_not_allowed",
        "Forum the severity does not allow (misconduct at a hearing without a live final written warning or "
        "several incidents; gross misconduct at a meeting; misconduct at an accelerated hearing)",
        "reg 23(1)(c) as routes_allowed encodes it; reg 42(5), (6); reg 2(1) 'misconduct meeting'",
        forum_not_one_the_severity_allows,
    ),
    Rule(
        "procedure_not_the_persons",
        "A member of staff taken through the Conduct Regulations, or an officer through the staff procedure",
        "reg 4(1) (police officers and special constables); the force's staff disciplinary procedure",
        procedure_not_the_persons,
    ),
    Rule(
        "practice_requiring_improvement",
        "Practice requiring improvement (severity 'neither') anywhere but the reflective practice review process",
        "reg 14; Part 6",
        practice_requiring_improvement_outside_reflective_practice,
    ),
    Rule(
        "dismissed_still_serving",
        "Case ending in dismissal whose subject is not recorded as dismissed",
        "reg 42(3) dismissal without notice (takes effect at once)",
        dismissed_but_still_serving,
    ),
    Rule(
        "barred_without_dismissal",
        "Person dismissed (on the barred list) with no case ending in dismissal",
        "barred list entries come only from a dismissal (barred_list; reg 42(3))",
        on_the_barred_list_without_a_dismissal,
        reference="staff_number",
    ),
    Rule(*CONVICTION_FLOOR_RULE),  # SI 2025/558 reg 6(2)(c): the query is severity_floor's, set-based
    Rule(
        "mandatory_referral",
        "Allegation in a mandatory-referral category but the case not referred to the IOPC after the check",
        "mandatory referral to the IOPC (IOPC_MANDATORY_CATEGORIES; _record_referral)",
        mandatory_referral_not_made,
    ),
    Rule(
        "warning_dates_missing",
        "Warning without its notification date or its last day",
        "reg 42(4), (9)-(10)",
        warning_without_its_dates,
    ),
    Rule(
        "warning_period_wrong",
        "Warning's last day not 18 months (written) or 2 to 5 years (final) from its notification",
        "reg 42(9)-(10) (warning_last_day)",
        warning_period_wrong,
    ),
    Rule(
        "referral_out_of_step",
        "IOPC referral decision out of step with the case's stage, or a referral without its mode",
        "workflow: record_referral",
        referral_decision_out_of_step,
    ),
    Rule(
        "severity_out_of_step",
        "Severity assessment out of step with the case's stage",
        "reg 14; workflow: assess_severity",
        severity_out_of_step,
    ),
    Rule(
        "proceedings_out_of_step",
        "Finding, forum or outcome the workflow could not have produced at the case's stage",
        "reg 23(1), reg 42; workflow: find_case_to_answer, choose_route, record_outcome, close",
        proceedings_out_of_step,
    ),
    Rule(
        "appeal_out_of_step",
        "Appeal without its date, or on an outcome with no disciplinary action",
        "reg 45, reg 47(1); workflow: lodge_appeal",
        appeal_out_of_step,
    ),
]


def conduct_rules_check(*, sample: int = 5) -> list[RuleResult]:
    """Every rule's count of offenders and the first few of their references: two queries a rule."""
    results = []
    for rule in RULES:
        offenders = rule.offenders()
        count = offenders.count()
        references = (
            list(offenders.order_by(rule.reference).values_list(rule.reference, flat=True)[:sample]) if count else []
        )
        results.append(RuleResult(rule=rule, count=count, references=references))
    return results
