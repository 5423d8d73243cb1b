from django.core.exceptions import ValidationError
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


class ConvictionKind(models.TextChoices):
    CAUTION = "caution", "Caution"
    CONVICTION = "conviction", "Conviction"


class PolicyAction(models.TextChoices):
    """What the review policy recommends for a caution or conviction (cases/services/conviction_policy.py)."""

    REVIEW_AND_MISCONDUCT = "review_and_misconduct", "Refer for vetting review and consider misconduct"
    REVIEW = "review", "Refer for vetting review"
    RECORD_ONLY = "record_only", "Record only"


class ConvictionPolicyRule(models.Model):
    """One rule of the configurable review policy: the first active rule by `order` whose conditions all match
    a caution or conviction decides its recommended action. A blank or null condition matches anything."""

    order = models.PositiveIntegerField(unique=True, help_text="Lower numbers are tried first.")
    active = models.BooleanField(default=True)
    name = models.CharField(max_length=120)
    # A JSON list of ConvictionCategory values (portable: the demo runs on SQLite); checked by clean().
    categories = models.JSONField(
        blank=True, default=list, help_text="Offence categories this rule covers; empty for any."
    )
    kind = models.CharField(max_length=16, choices=ConvictionKind.choices, blank=True, help_text="Blank for any.")
    as_minor = models.BooleanField(null=True, blank=True, help_text="Committed under 18; unknown for either.")
    while_serving = models.BooleanField(null=True, blank=True, help_text="Unknown for either.")
    action = models.CharField(max_length=32, choices=PolicyAction.choices)
    citation = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="") | Q(kind__in=[k.value for k in ConvictionKind]),
                name="convictionpolicyrule_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(action__in=[a.value for a in PolicyAction]),
                name="convictionpolicyrule_action_valid",
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.name}"

    def clean(self):
        known = {c.value for c in ConvictionCategory}
        if not isinstance(self.categories, list) or not set(self.categories) <= known:
            raise ValidationError({"categories": "Choose offence categories from the list (or none, for any)."})


class Conviction(Tracked):
    """A criminal conviction held by a member of the force, and its professional-standards review."""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="convictions")
    kind = models.CharField(max_length=16, choices=ConvictionKind.choices, default=ConvictionKind.CONVICTION)
    category = models.CharField(max_length=32, choices=ConvictionCategory.choices)
    # The offence was committed under 18.
    as_minor = models.BooleanField(default=False)
    # Blank for convictions recorded before the mode of trial was kept.
    mode_of_trial = models.CharField(max_length=16, choices=ModeOfTrial.choices, blank=True, default="")
    offence_on = models.DateField(null=True, blank=True)
    convicted_on = models.DateField()
    while_serving = models.BooleanField(default=False)
    disposal = models.CharField(max_length=200, blank=True)
    review_status = models.CharField(
        max_length=16, choices=ConvictionReviewStatus.choices, default=ConvictionReviewStatus.PENDING
    )
    # The review policy's recommendation, kept by cases/services/conviction_policy.py (blank: no rule matched).
    policy_rule = models.ForeignKey(
        ConvictionPolicyRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    policy_action = models.CharField(max_length=32, choices=PolicyAction.choices, blank=True, default="")

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
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in ConvictionKind]), name="conviction_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(policy_action="") | Q(policy_action__in=[a.value for a in PolicyAction]),
                name="conviction_policy_action_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()} {self.kind} of {self.officer_id} ({self.convicted_on})"
