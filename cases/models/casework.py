from django.conf import settings
from django.db import models
from django.db.models import Q

from .base import PublicId, Tracked
from .officers import Officer


class CaseStatus(models.TextChoices):
    INTAKE = "intake", "Intake"
    IOPC_REFERRAL = "iopc_referral", "IOPC referral check"
    SEVERITY_ASSESSMENT = "severity_assessment", "Severity assessment"
    INVESTIGATION = "investigation", "Investigation"
    CASE_TO_ANSWER = "case_to_answer", "Case to answer: route to decide"
    PROCEEDINGS = "proceedings", "Proceedings"
    OUTCOME = "outcome", "Outcome recorded"
    APPEAL = "appeal", "Appeal"
    CLOSED = "closed", "Closed"


OPEN_CASE_STATUSES = [s for s in CaseStatus if s != CaseStatus.CLOSED]


class Severity(models.TextChoices):
    """Regulation 14 severity assessment: what the matter would be, if proven."""

    NEITHER = "neither", "Neither (practice requiring improvement)"
    MISCONDUCT = "misconduct", "Misconduct"
    GROSS_MISCONDUCT = "gross_misconduct", "Gross misconduct"


class Standard(models.TextChoices):
    """The Standards of Professional Behaviour."""

    HONESTY = "honesty", "Honesty and integrity"
    AUTHORITY = "authority", "Authority, respect and courtesy"
    EQUALITY = "equality", "Equality and diversity"
    USE_OF_FORCE = "use_of_force", "Use of force"
    ORDERS = "orders", "Orders and instructions"
    DUTIES = "duties", "Duties and responsibilities"
    CONFIDENTIALITY = "confidentiality", "Confidentiality"
    FITNESS = "fitness", "Fitness for work"
    DISCREDITABLE = "discreditable", "Discreditable conduct"
    CHALLENGING = "challenging", "Challenging and reporting improper conduct"


class Finding(models.TextChoices):
    """The appropriate authority's determination on the investigator's report (Police (Conduct)
    Regulations 2020, reg 23(1)(a))."""

    CASE_TO_ANSWER = "case_to_answer", "Case to answer"
    NO_CASE_TO_ANSWER = "no_case_to_answer", "No case to answer"


class ProceedingsFinding(models.TextChoices):
    """What the person conducting a misconduct meeting, or the panel at a hearing, finds before choosing
    any disciplinary action (reg 41(15), reg 42(1))."""

    NOT_PROVEN = "not_proven", "Not proven"
    PRACTICE_REQUIRING_IMPROVEMENT = "practice_requiring_improvement", "Practice requiring improvement"
    MISCONDUCT = "misconduct", "Misconduct"
    GROSS_MISCONDUCT = "gross_misconduct", "Gross misconduct"


class Route(models.TextChoices):
    REFLECTIVE_PRACTICE = "reflective_practice", "Reflective practice review process"
    MISCONDUCT_MEETING = "misconduct_meeting", "Misconduct meeting"
    MISCONDUCT_HEARING = "misconduct_hearing", "Misconduct hearing"
    ACCELERATED_HEARING = "accelerated_hearing", "Accelerated misconduct hearing"
    STAFF_HEARING = "staff_disciplinary_hearing", "Disciplinary hearing (police staff procedure)"


class Outcome(models.TextChoices):
    """Regulation 42 outcomes, and the ways a case ends without one."""

    NO_CASE_TO_ANSWER = "no_case_to_answer", "No case to answer"
    NOT_PROVEN = "not_proven", "Not proven"
    NO_FURTHER_ACTION = "nfa", "No further action"
    REFLECTIVE_PRACTICE = "reflective_practice", "Referred to the reflective practice review process"
    WRITTEN_WARNING = "written_warning", "Written warning"
    FINAL_WRITTEN_WARNING = "final_written_warning", "Final written warning"
    REDUCTION_IN_RANK = "reduction_in_rank", "Reduction in rank"
    DISMISSAL = "dismissal", "Dismissal without notice"
    DISMISSAL_WITH_NOTICE = "dismissal_with_notice", "Dismissal with notice"
    QUASHED_ON_APPEAL = "quashed_on_appeal", "Quashed on appeal"


HEARING_ROUTES = [Route.MISCONDUCT_HEARING, Route.ACCELERATED_HEARING]
PF = ProceedingsFinding
# What a meeting or hearing may do once it has found (Police (Conduct) Regulations 2020, reg 42):
# - reg 42(1)(b): conduct found to be neither misconduct nor gross misconduct (practice requiring
#   improvement) is referred to the reflective practice review process; no disciplinary action.
# - reg 42(2): a misconduct meeting may give a written warning or a final written warning. A meeting
#   decides whether conduct amounts to misconduct (reg 2(1) "misconduct meeting"): it cannot find gross
#   misconduct.
# - reg 42(3)(a): a hearing finding misconduct: written warning, final written warning, and reduction in
#   rank or dismissal without notice only where para (5) or (6) applies (checked in the service).
# - reg 42(3)(b): a hearing finding gross misconduct: final written warning, reduction in rank or
#   dismissal without notice (never a written warning).
# - An accelerated hearing (Part 5, reg 62) decides gross misconduct only: ⚠ its remittal to ordinary
#   proceedings (reg 62) is not modelled.
# A finding of "not proven" ends with no action.
OUTCOMES_BY_FORUM_AND_FINDING = {
    Route.MISCONDUCT_MEETING: {
        PF.NOT_PROVEN: [Outcome.NOT_PROVEN],
        PF.PRACTICE_REQUIRING_IMPROVEMENT: [Outcome.REFLECTIVE_PRACTICE],
        PF.MISCONDUCT: [Outcome.WRITTEN_WARNING, Outcome.FINAL_WRITTEN_WARNING],
    },
    Route.MISCONDUCT_HEARING: {
        PF.NOT_PROVEN: [Outcome.NOT_PROVEN],
        PF.PRACTICE_REQUIRING_IMPROVEMENT: [Outcome.REFLECTIVE_PRACTICE],
        PF.MISCONDUCT: [
            Outcome.WRITTEN_WARNING,
            Outcome.FINAL_WRITTEN_WARNING,
            Outcome.REDUCTION_IN_RANK,
            Outcome.DISMISSAL,
        ],
        PF.GROSS_MISCONDUCT: [Outcome.FINAL_WRITTEN_WARNING, Outcome.REDUCTION_IN_RANK, Outcome.DISMISSAL],
    },
    Route.ACCELERATED_HEARING: {
        PF.NOT_PROVEN: [Outcome.NOT_PROVEN],
        PF.GROSS_MISCONDUCT: [Outcome.FINAL_WRITTEN_WARNING, Outcome.REDUCTION_IN_RANK, Outcome.DISMISSAL],
    },
    # Police staff are not under the Conduct Regulations (reg 4(1): police officers and special constables)
    # but the force's staff disciplinary procedure, written to the Acas Code of Practice on disciplinary and
    # grievance procedures (issued under the Trade Union and Labour Relations (Consolidation) Act 1992
    # s 199): warnings, a final written warning, dismissal with notice for further misconduct while a final
    # warning is live, and dismissal without notice for gross misconduct. No reflective practice, no
    # reduction in rank, no Police Appeals Tribunal. ⚠ The Code's paragraph numbers were not read here;
    # the force's own procedure is the text to check these against.
    Route.STAFF_HEARING: {
        PF.NOT_PROVEN: [Outcome.NOT_PROVEN],
        PF.MISCONDUCT: [Outcome.WRITTEN_WARNING, Outcome.FINAL_WRITTEN_WARNING, Outcome.DISMISSAL_WITH_NOTICE],
        PF.GROSS_MISCONDUCT: [Outcome.FINAL_WRITTEN_WARNING, Outcome.DISMISSAL_WITH_NOTICE, Outcome.DISMISSAL],
    },
}
DISMISSALS = [Outcome.DISMISSAL, Outcome.DISMISSAL_WITH_NOTICE]
# Outcomes an appeal can leave in place of the decision (reg 47(1), Police Act 1996 Sch 6 para 7).
APPEALABLE_OUTCOMES = [
    Outcome.WRITTEN_WARNING,
    Outcome.FINAL_WRITTEN_WARNING,
    Outcome.REDUCTION_IN_RANK,
    Outcome.DISMISSAL,
    Outcome.DISMISSAL_WITH_NOTICE,
]
# What each route may end in (the database constraint): the outcomes its findings allow, a decision
# quashed on appeal, and, for cases recorded before findings were kept, "no further action".
OUTCOMES_BY_ROUTE = {
    **{
        route: list(
            dict.fromkeys(
                [
                    *(o for outcomes in by_finding.values() for o in outcomes),
                    Outcome.QUASHED_ON_APPEAL,
                    *([Outcome.NO_FURTHER_ACTION] if route != Route.ACCELERATED_HEARING else []),
                ]
            )
        )
        for route, by_finding in OUTCOMES_BY_FORUM_AND_FINDING.items()
    },
    Route.REFLECTIVE_PRACTICE: [Outcome.REFLECTIVE_PRACTICE, Outcome.NO_FURTHER_ACTION],
}
OUTCOMES_WITHOUT_ROUTE = [Outcome.NO_CASE_TO_ANSWER, Outcome.NO_FURTHER_ACTION]
del PF


class IopcReferral(models.TextChoices):
    NOT_CHECKED = "not_checked", "Not yet checked"
    NOT_REQUIRED = "not_required", "Referral not required"
    REFERRED = "referred", "Referred to the IOPC"


class IopcMode(models.TextChoices):
    LOCAL = "local", "Local investigation"
    DIRECTED = "directed", "Directed investigation"
    INDEPENDENT = "independent", "Independent investigation"


def _route_outcome_rule():
    """Q: the outcome is one the route allows (or none yet)."""
    allowed = Q(outcome="")
    for route, outcomes in OUTCOMES_BY_ROUTE.items():
        allowed |= Q(route=route, outcome__in=[o.value for o in outcomes])
    allowed |= Q(route="", outcome__in=[o.value for o in OUTCOMES_WITHOUT_ROUTE])
    return allowed


class AppealResult(models.TextChoices):
    """What the person deciding a meeting appeal (reg 47(1)) or the Police Appeals Tribunal decides."""

    UPHELD = "upheld", "Appeal upheld: the decision is reversed"
    VARIED = "varied", "Appeal allowed in part: another outcome substituted"
    DISMISSED = "dismissed", "Appeal dismissed: the decision stands"


# Referral to the IOPC is mandatory (Police (Complaints and Misconduct) Regulations 2020, SI 2020/2: reg 4(1)
# for complaints, reg 7(1) and Police Reform Act 2002 Sch 3 para 13 for recordable conduct matters) for
# conduct constituting the following, "as determined in guidance issued by the Director General": a category
# here makes the check name the ground; whether the conduct is "serious" is the decision recorded with it.
# Not modelled: "a relevant offence" (reg 4(1)(a)(v), its definition not read), a matter "arising from the
# same incident" as a referred one (reg 4(1)(b)), and chief officers (reg 4(1)(c): the Commissioner and the
# Deputy Commissioner, who are not in this system).
IOPC_MANDATORY_REFERRAL = {
    "sexual_offence": "a serious sexual offence (SI 2020/2 reg 4(1)(a)(ii), reg 7(1)(b))",
    "violence": "a serious assault (SI 2020/2 reg 4(1)(a)(i), reg 7(1)(a))",
    "abuse_position_sexual": (
        "serious corruption, including abuse of position for a sexual purpose (SI 2020/2 reg 4(1)(a)(iii), reg 7(1)(c))"
    ),
    "corrupt_association": "serious corruption (SI 2020/2 reg 4(1)(a)(iii), reg 7(1)(c))",
    "discrimination": (
        "a criminal offence or behaviour liable to lead to disciplinary proceedings, aggravated by "
        "discriminatory behaviour (SI 2020/2 reg 4(1)(a)(iv), reg 7(1)(d))"
    ),
    "homophobia": (
        "a criminal offence or behaviour liable to lead to disciplinary proceedings, aggravated by "
        "discriminatory behaviour (SI 2020/2 reg 4(1)(a)(iv), reg 7(1)(d))"
    ),
}
IOPC_MANDATORY_CATEGORIES = list(IOPC_MANDATORY_REFERRAL)
# Police Reform Act 2002 Sch 3 para 4(1)(a): a complaint alleging conduct that resulted in death or serious
# injury (⚠ the paragraph's text was not read; its effect is restated in SI 2020/2 reg 4(1)(a)).
DEATH_OR_SERIOUS_INJURY_GROUND = (
    "conduct that resulted in death or serious injury (Police Reform Act 2002 Sch 3 para 4(1)(a))"
)


# The visibility rule reads `restricted` on every case a list walks (cases.selectors._cases_known).
COVERS = ["restricted"]


class Case(PublicId, Tracked):
    """A misconduct case: allegations about one subject, investigated together."""

    reference = models.CharField(max_length=32, unique=True)
    subject = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="cases")
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    status = models.CharField(max_length=32, choices=CaseStatus.choices, default=CaseStatus.INTAKE)
    came_to_notice_on = models.DateField(help_text="Start of the regulation 19 twelve-month clock.")
    iopc_referral = models.CharField(max_length=16, choices=IopcReferral.choices, default=IopcReferral.NOT_CHECKED)
    iopc_mode = models.CharField(max_length=16, choices=IopcMode.choices, blank=True)
    severity = models.CharField(max_length=32, choices=Severity.choices, blank=True)
    standards_breached = models.JSONField(default=list, blank=True)
    severity_assessed_on = models.DateField(
        null=True, blank=True, help_text="Date of the reg 14 severity assessment (the reg 42(5) test date)."
    )
    written_notice_on = models.DateField(null=True, blank=True, help_text="reg 17 written notice given on.")
    finding = models.CharField(max_length=32, choices=Finding.choices, blank=True)
    # The appropriate authority's record that the misconduct arises from more than one incident not
    # closely factually connected (reg 42(6)); the panel confirms it at the outcome.
    several_incidents = models.BooleanField(default=False)
    # reg 49: the appropriate authority certified that the special conditions are satisfied (an
    # accelerated misconduct hearing follows), with its reasons for each condition.
    special_conditions_certified_on = models.DateField(null=True, blank=True)
    special_conditions_certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    special_conditions = models.JSONField(default=dict, blank=True)
    route = models.CharField(max_length=32, choices=Route.choices, blank=True)
    proceedings_finding = models.CharField(max_length=32, choices=ProceedingsFinding.choices, blank=True)
    # Who decided at the meeting or hearing: {"conducted_by": ...} or {"chair", "members", "legal_adviser"}.
    proceedings_panel = models.JSONField(default=dict, blank=True)
    outcome = models.CharField(max_length=32, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    outcome_notified_on = models.DateField(
        null=True, blank=True, help_text="When the outcome was notified to the officer (reg 42(4), reg 43)."
    )
    # The last day a written or final written warning given in this case is in force (reg 42(9)-(10)).
    warning_ends_on = models.DateField(null=True, blank=True)
    outcome_before_appeal = models.CharField(max_length=32, choices=Outcome.choices, blank=True)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # The past allegations an Onyx re-review reassesses in this case (they stay in the cases that first dealt
    # with them); the IOPC referral check reads them too.
    reassessed_allegations = models.ManyToManyField("cases.Allegation", blank=True, related_name="reassessed_in_cases")
    # Need-to-know (e.g. anti-corruption): visible only to users granted on the case.
    restricted = models.BooleanField(default=False)
    last_timeliness_report_on = models.DateField(null=True, blank=True)
    appeal_lodged_on = models.DateField(null=True, blank=True)
    appeal_result = models.CharField(max_length=16, choices=AppealResult.choices, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=[s.value for s in CaseStatus]), name="case_status_valid"),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gte=models.F("opened_at")),
                name="case_closed_after_opened",
            ),
            models.CheckConstraint(
                condition=(Q(status=CaseStatus.CLOSED) & Q(closed_at__isnull=False))
                | (~Q(status=CaseStatus.CLOSED) & Q(closed_at__isnull=True)),
                name="case_closed_at_iff_closed",
            ),
            models.CheckConstraint(condition=_route_outcome_rule(), name="case_outcome_allowed_for_route"),
            models.CheckConstraint(
                condition=Q(iopc_mode="") | Q(iopc_referral=IopcReferral.REFERRED),
                name="case_iopc_mode_only_if_referred",
            ),
            models.CheckConstraint(
                condition=Q(severity="") | Q(severity__in=[s.value for s in Severity]),
                name="case_severity_valid",
            ),
            models.CheckConstraint(
                condition=Q(proceedings_finding="") | Q(proceedings_finding__in=[f.value for f in ProceedingsFinding]),
                name="case_proceedings_finding_valid",
            ),
            models.CheckConstraint(
                condition=Q(warning_ends_on__isnull=True)
                | Q(
                    outcome__in=[Outcome.WRITTEN_WARNING, Outcome.FINAL_WRITTEN_WARNING],
                    outcome_notified_on__isnull=False,
                ),
                name="case_warning_end_only_for_a_notified_warning",
            ),
        ]
        # The case register's filters and sorts (cases/filters.py CASE_SORTS; the tie-break on id follows the
        # sort's direction, so each index serves a sort and its reverse as one index walk, and a deep page's
        # OFFSET walks the index instead of sorting every match): no filter, status, severity, both. Each
        # covers `restricted` (PostgreSQL; ignored on SQLite), so a deep page's ids come from the index alone
        # (cases.pagination.EstimatedCountPaginator.page).
        indexes = [
            models.Index(fields=["-opened_at", "-id"], name="case_newest_first", include=COVERS),
            models.Index(fields=["reference", "id"], name="case_by_reference", include=COVERS),
            models.Index(fields=["status", "id"], name="case_by_status", include=COVERS),
            models.Index(fields=["came_to_notice_on", "id"], name="case_by_came_to_notice", include=COVERS),
            models.Index(fields=["status", "-opened_at", "-id"], name="case_status_newest", include=COVERS),
            models.Index(fields=["status", "reference", "id"], name="case_status_reference", include=COVERS),
            models.Index(
                fields=["status", "came_to_notice_on", "id"], name="case_status_came_to_notice", include=COVERS
            ),
            models.Index(fields=["severity", "-opened_at", "-id"], name="case_severity_newest", include=COVERS),
            models.Index(fields=["severity", "reference", "id"], name="case_severity_reference", include=COVERS),
            models.Index(
                fields=["status", "severity", "-opened_at", "-id"], name="case_status_severity_newest", include=COVERS
            ),
            models.Index(
                fields=["status", "severity", "reference", "id"], name="case_status_severity_reference", include=COVERS
            ),
            models.Index(fields=["severity", "status", "id"], name="case_severity_status", include=COVERS),
            models.Index(
                fields=["severity", "came_to_notice_on", "id"], name="case_severity_came_to_notice", include=COVERS
            ),
            models.Index(
                fields=["status", "severity", "came_to_notice_on", "id"],
                name="case_status_severity_notice",
                include=COVERS,
            ),
            # Regulation 19 reports due (selectors.cases_due_timeliness_report): open cases, oldest matter first, with
            # the columns of its other tests, so the list's top 50 and its bounded count walk only open cases (they
            # walked case_by_came_to_notice past 38,000 closed ones: 200 ms).
            models.Index(
                fields=["came_to_notice_on", "id"],
                name="case_open_by_came_to_notice",
                condition=Q(status__in=[s.value for s in OPEN_CASE_STATUSES]),
                include=[*COVERS, "last_timeliness_report_on"],
            ),
            # Need-to-know cases are few: the visibility rule's "not in a restricted case" probes this.
            models.Index(fields=["id"], condition=Q(restricted=True), name="case_restricted_ids"),
            models.Index(fields=["investigator", "status"]),
            models.Index(fields=["subject", "status"]),
        ]

    def __str__(self):
        return self.reference

    @property
    def standards_breached_labels(self) -> list[str]:
        return [Standard(s).label if s in Standard.values else s for s in self.standards_breached]


class CaseEventKind(models.TextChoices):
    OPENED = "opened", "Case opened"
    TRANSITION = "transition", "Status changed"
    ASSIGNED = "assigned", "Investigator assigned"
    ALLEGATION_ADDED = "allegation_added", "Allegation added"
    RESTRICTION_CHANGED = "restriction_changed", "Need-to-know restriction changed"
    TIMELINESS_REPORT = "timeliness_report", "Regulation 19 report to the local policing body"
    NOTE = "note", "Note"


class CaseEvent(models.Model):
    """The case's append-only timeline: who did what, and when."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=32, choices=CaseEventKind.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(max_length=32, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=32, choices=CaseStatus.choices, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.case_id} {self.kind} at {self.at:%Y-%m-%d %H:%M}"
