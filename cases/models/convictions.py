from django.db import models
from django.db.models import Q

from .base import Tracked
from .officers import Officer


class ConvictionCategory(models.TextChoices):
    SERIOUS_TRAFFIC = "serious_traffic", "Serious traffic offence"
    DISHONESTY = "dishonesty", "Dishonesty"
    VIOLENCE = "violence", "Violence"
    SEXUAL = "sexual", "Sexual offence"
    DRUGS = "drugs", "Drugs"
    CRIMINAL_DAMAGE = "criminal_damage", "Criminal damage"
    PUBLIC_ORDER = "public_order", "Public order"


class ConvictionReviewStatus(models.TextChoices):
    PENDING = "pending", "Awaiting review"
    UNDER_REVIEW = "under_review", "Under review"
    NO_ACTION = "no_action", "Reviewed: no further action"
    REFERRED = "referred", "Reviewed: referred for misconduct"


class ModeOfTrial(models.TextChoices):
    """How the offence is triable in England and Wales if committed by an adult. An indictable-only offence is
    "triable only on indictment if committed by an adult" (Police (Conduct) Regulations 2020, reg 2(2A), inserted
    by SI 2025/558 reg 6(3)); its conviction is gross misconduct (reg 2(1) "gross misconduct", SI 2025/558
    reg 6(2)(c))."""

    INDICTABLE_ONLY = "indictable_only", "Indictable only"
    EITHER_WAY = "either_way", "Triable either way"
    SUMMARY = "summary", "Summary only"


class Conviction(Tracked):
    """A criminal conviction held by a member of the force, and its professional-standards review."""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="convictions")
    category = models.CharField(max_length=32, choices=ConvictionCategory.choices)
    # Blank for convictions recorded before the mode of trial was kept.
    mode_of_trial = models.CharField(max_length=16, choices=ModeOfTrial.choices, blank=True, default="")
    offence_on = models.DateField(null=True, blank=True)
    convicted_on = models.DateField()
    while_serving = models.BooleanField(default=False)
    disposal = models.CharField(max_length=200, blank=True)
    review_status = models.CharField(
        max_length=16, choices=ConvictionReviewStatus.choices, default=ConvictionReviewStatus.PENDING
    )

    class Meta:
        ordering = ["-convicted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(offence_on__isnull=True) | Q(offence_on__lte=models.F("convicted_on")),
                name="conviction_offence_before_conviction",
            ),
            models.CheckConstraint(
                condition=Q(category__in=[c.value for c in ConvictionCategory]),
                name="conviction_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(mode_of_trial="") | Q(mode_of_trial__in=[m.value for m in ModeOfTrial]),
                name="conviction_mode_of_trial_valid",
            ),
            models.CheckConstraint(
                condition=Q(review_status__in=[s.value for s in ConvictionReviewStatus]),
                name="conviction_review_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()} conviction of {self.officer_id} ({self.convicted_on})"
