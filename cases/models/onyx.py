from django.conf import settings
from django.db import models
from django.db.models import Q

from .allegations import Allegation
from .base import PublicId, Tracked
from .casework import Case
from .officers import Officer


class ReviewBatch(Tracked):
    """A review programme, e.g. "domestic abuse and sexual offences, last 10 years"."""

    name = models.CharField(max_length=200, unique=True)
    categories = models.JSONField(default=list)
    period_start = models.DateField()
    period_end = models.DateField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="review_batch_period_ordered"
            )
        ]

    def __str__(self):
        return self.name


class OnyxDecision(models.TextChoices):
    NO_FURTHER_ACTION = "nfa", "No further action"
    REASSESS = "reassess", "Reassess"
    RISK_MANAGEMENT = "risk_management", "Formal risk management"


class OnyxStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    ALLOCATED = "allocated", "Allocated to a reviewer"
    DECIDED = "decided", "Decided: awaiting the panel"
    WITH_PANEL = "with_panel", "With the external panel"
    RETURNED = "returned", "Returned by the panel"
    CONCLUDED = "concluded", "Concluded: panel agreed"


DECIDED_STATUSES = [OnyxStatus.DECIDED, OnyxStatus.WITH_PANEL, OnyxStatus.CONCLUDED]


class OnyxReview(PublicId, Tracked):
    """A re-review of one person's past cases: one decision with a rationale, checked by the panel."""

    reference = models.CharField(max_length=32, unique=True)
    batch = models.ForeignKey(ReviewBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="reviews")
    subject = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="onyx_reviews")
    past_cases = models.ManyToManyField(Case, blank=True, related_name="onyx_reviews")
    past_allegations = models.ManyToManyField(Allegation, blank=True, related_name="onyx_reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="onyx_reviews"
    )
    status = models.CharField(max_length=16, choices=OnyxStatus.choices, default=OnyxStatus.QUEUED)
    decision = models.CharField(max_length=16, choices=OnyxDecision.choices, blank=True)
    rationale = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="") | Q(decision__in=[d.value for d in OnyxDecision]),
                name="onyx_decision_one_of_three",
            ),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in OnyxStatus]), name="onyx_status_valid"),
            models.CheckConstraint(
                condition=~Q(status__in=[s.value for s in DECIDED_STATUSES])
                | (~Q(decision="") & ~Q(rationale="") & Q(decided_at__isnull=False)),
                name="onyx_decided_has_decision_and_rationale",
            ),
            models.CheckConstraint(
                condition=~Q(status=OnyxStatus.ALLOCATED) | Q(reviewer__isnull=False),
                name="onyx_allocated_has_reviewer",
            ),
        ]
        indexes = [models.Index(fields=["status", "decision"]), models.Index(fields=["reviewer", "status"])]

    def __str__(self):
        return self.reference


class PanelVerdict(models.TextChoices):
    AGREE = "agree", "Agree"
    DISAGREE = "disagree", "Disagree"


class PanelAssignment(Tracked):
    """One external panel member's check of one decision (one round per decision)."""

    review = models.ForeignKey(OnyxReview, on_delete=models.PROTECT, related_name="panel_assignments")
    panel_member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_assignments"
    )
    round = models.PositiveSmallIntegerField(default=1)
    verdict = models.CharField(max_length=16, choices=PanelVerdict.choices, blank=True)
    reasons = models.TextField(blank=True)
    verdict_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review", "round"]
        constraints = [
            models.UniqueConstraint(fields=["review", "round"], name="panel_one_assignment_per_round"),
            models.CheckConstraint(
                condition=Q(verdict="") | Q(verdict__in=[v.value for v in PanelVerdict]),
                name="panel_verdict_valid",
            ),
            models.CheckConstraint(
                condition=~Q(verdict=PanelVerdict.DISAGREE) | ~Q(reasons=""),
                name="panel_disagreement_has_reasons",
            ),
            models.CheckConstraint(
                condition=(Q(verdict="") & Q(verdict_at__isnull=True)) | (~Q(verdict="") & Q(verdict_at__isnull=False)),
                name="panel_verdict_at_iff_verdict",
            ),
            models.CheckConstraint(condition=Q(round__gte=1), name="panel_round_positive"),
        ]
        indexes = [models.Index(fields=["panel_member", "verdict"])]

    def __str__(self):
        return f"{self.review_id} round {self.round}: {self.verdict or 'pending'}"


class OnyxEventKind(models.TextChoices):
    CREATED = "created", "Queued for review"
    ALLOCATED = "allocated", "Allocated to a reviewer"
    DECIDED = "decided", "Decision recorded"
    SENT_TO_PANEL = "sent_to_panel", "Sent to the external panel"
    PANEL_AGREED = "panel_agreed", "Panel agreed"
    PANEL_DISAGREED = "panel_disagreed", "Panel disagreed: returned to the reviewer"
    ACTIONS_WITHDRAWN = "actions_withdrawn", "Earlier decision's actions withdrawn"
    MEASURES_TAKE_EFFECT = "measures_take_effect", "Risk-management measures take effect"


class OnyxReviewEvent(models.Model):
    """The review's append-only timeline."""

    review = models.ForeignKey(OnyxReview, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=32, choices=OnyxEventKind.choices)
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(max_length=16, choices=OnyxStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=OnyxStatus.choices, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.review_id} {self.kind}"


class OnyxActionKind(models.TextChoices):
    # Reassess: new or missed lines of inquiry.
    RECONTACT_VICTIM = "recontact_victim", "Re-contact the victim"
    REINTERVIEW_WITNESS = "reinterview_witness", "Re-interview a witness"
    NEW_LINE_OF_INQUIRY = "new_inquiry", "Other new line of inquiry"
    REOPEN_CASE = "reopen_case", "Reopen or open a misconduct case"
    # Risk management: formal measures.
    RESTRICTED_DUTIES = "restricted_duties", "Restricted duties"
    VETTING_REVIEW = "vetting_review", "Vetting review"
    SUPERVISION_PLAN = "supervision_plan", "Supervision plan"


REASSESS_ACTIONS = [
    OnyxActionKind.RECONTACT_VICTIM,
    OnyxActionKind.REINTERVIEW_WITNESS,
    OnyxActionKind.NEW_LINE_OF_INQUIRY,
    OnyxActionKind.REOPEN_CASE,
]
RISK_MEASURES = [OnyxActionKind.RESTRICTED_DUTIES, OnyxActionKind.VETTING_REVIEW, OnyxActionKind.SUPERVISION_PLAN]


class OnyxAction(Tracked):
    """A line of inquiry (reassess) or a risk-management measure, tracked to completion."""

    review = models.ForeignKey(OnyxReview, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(max_length=32, choices=OnyxActionKind.choices)
    description = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # Set when the decision this action belonged to was replaced (the panel sent the review back and the
    # reviewer decided again): the action no longer stands, its history stays.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in OnyxActionKind]), name="onyx_action_kind_valid"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.review_id})"
