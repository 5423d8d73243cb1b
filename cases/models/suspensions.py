"""Suspension and restricted duties (Police (Conduct) Regulations 2020, reg 11).

One row per period: who, which kind, from and to, the appropriate authority's decision and its
written reasons, and when it is next reviewed. Each review is a row of its own (who, when, continue or
lift, why). The officer's status (suspended / restricted / serving) stays on Officer and its history in
OfficerEvent; cases.services.suspension changes both together."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from .base import PublicId, Tracked
from .casework import Case
from .officers import Officer


class SuspensionKind(models.TextChoices):
    SUSPENSION = "suspension", "Suspension"
    RESTRICTED = "restricted", "Restricted duties"


def _written(field: str) -> Q:
    """A text column holding at least one non-blank character."""
    return Q(**{f"{field}__regex": r"\S"})


class Suspension(PublicId, Tracked):
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="suspensions")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="suspensions")
    kind = models.CharField(max_length=16, choices=SuspensionKind.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    # reg 11(1): the decision is the appropriate authority's (here a DPS supervisor), not only who typed it.
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # reg 11(4)(a): temporary redeployment to alternative duties or an alternative location considered
    # first, and found not appropriate in all the circumstances of the case.
    redeployment_considered = models.BooleanField(default=False)
    redeployment_rejected_reason = models.TextField(blank=True)
    # reg 11(4)(b)(i): the effective investigation of the case may be prejudiced unless suspended.
    ground_investigation_prejudiced = models.BooleanField(default=False)
    investigation_prejudiced_reason = models.TextField(blank=True)
    # reg 11(4)(b)(ii): having regard to the nature of the allegation and any other relevant
    # considerations, the public interest requires suspension.
    ground_public_interest = models.BooleanField(default=False)
    public_interest_reason = models.TextField(blank=True)
    # Restricted duties are a redeployment, not a reg 11 suspension: written reasons only.
    reasons = models.TextField(blank=True)
    next_review_due = models.DateField(null=True, blank=True, db_index=True)
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in SuspensionKind]), name="suspension_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="suspension_ended_after_started",
            ),
            models.CheckConstraint(
                condition=~Q(kind=SuspensionKind.SUSPENSION)
                | (Q(redeployment_considered=True) & _written("redeployment_rejected_reason")),
                name="suspension_reg_11_4_a_redeployment_considered",
            ),
            models.CheckConstraint(
                condition=~Q(kind=SuspensionKind.SUSPENSION)
                | Q(ground_investigation_prejudiced=True)
                | Q(ground_public_interest=True),
                name="suspension_reg_11_4_b_has_a_ground",
            ),
            models.CheckConstraint(
                condition=(Q(ground_investigation_prejudiced=False) | _written("investigation_prejudiced_reason"))
                & (Q(ground_public_interest=False) | _written("public_interest_reason")),
                name="suspension_ground_has_written_reasons",
            ),
            models.CheckConstraint(
                condition=~Q(kind=SuspensionKind.RESTRICTED) | _written("reasons"),
                name="restricted_duties_have_written_reasons",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=False) | Q(next_review_due__isnull=False),
                name="suspension_open_period_has_review_due",
            ),
            models.CheckConstraint(
                condition=Q(next_review_due__isnull=True) | Q(next_review_due__gte=F("started_on")),
                name="suspension_review_due_after_start",
            ),
            models.UniqueConstraint(
                fields=["officer", "kind"],
                condition=Q(ended_on__isnull=True),
                name="suspension_one_open_period_per_officer_and_kind",
            ),
        ]

    def __str__(self):
        end = self.ended_on.isoformat() if self.ended_on else "open"
        return f"{self.get_kind_display()} of {self.officer_id}: {self.started_on.isoformat()} to {end}"

    @property
    def grounds(self) -> list[str]:
        found = []
        if self.ground_investigation_prejudiced:
            found.append("The effective investigation may be prejudiced (reg 11(4)(b)(i))")
        if self.ground_public_interest:
            found.append("The public interest requires suspension (reg 11(4)(b)(ii))")
        return found


class SuspensionDecision(models.TextChoices):
    CONTINUE = "continue", "Continue"
    LIFT = "lift", "Lift"


class SuspensionReview(models.Model):
    """One review of a period (append-only): who decided, when, continue or lift, and why."""

    suspension = models.ForeignKey(Suspension, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=16, choices=SuspensionDecision.choices)
    reasons = models.TextField()
    next_review_due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=[d.value for d in SuspensionDecision]), name="suspension_review_decision_valid"
            ),
            models.CheckConstraint(condition=_written("reasons"), name="suspension_review_has_written_reasons"),
            models.CheckConstraint(
                condition=Q(decision=SuspensionDecision.LIFT) | Q(next_review_due__gt=F("reviewed_on")),
                name="suspension_review_continue_sets_next_review",
            ),
        ]

    def __str__(self):
        return f"{self.suspension_id} reviewed {self.reviewed_on.isoformat()}: {self.decision}"
