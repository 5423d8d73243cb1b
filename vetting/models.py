from django.db import models
from django.db.models import F, Q

from cases.models import Officer, PublicId, Tracked


class ClearanceLevel(models.TextChoices):
    RV = "rv", "Recruitment Vetting (RV)"
    MV = "mv", "Management Vetting (MV)"
    NPPV1 = "nppv1", "Non-Police Personnel Vetting level 1"
    NPPV2A = "nppv2a", "Non-Police Personnel Vetting level 2 (abbreviated)"
    NPPV2F = "nppv2f", "Non-Police Personnel Vetting level 2 (full)"
    NPPV3 = "nppv3", "Non-Police Personnel Vetting level 3"
    CTC = "ctc", "Counter-Terrorist Check (CTC)"
    SC = "sc", "Security Check (SC)"
    DV = "dv", "Developed Vetting (DV)"


class ClearanceStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"
    SUSPENDED = "suspended", "Suspended"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REFUSED = "refused", "Refused"


class RenewalPeriod(models.Model):
    """How long a clearance level lasts before renewal: configuration, not code."""

    level = models.CharField(max_length=8, choices=ClearanceLevel.choices, unique=True)
    years = models.PositiveSmallIntegerField()
    annual_appraisal = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.get_level_display()}: {self.years} years"


class VettingClearance(Tracked):
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="clearances")
    level = models.CharField(max_length=8, choices=ClearanceLevel.choices)
    status = models.CharField(max_length=16, choices=ClearanceStatus.choices, default=ClearanceStatus.PENDING)
    granted_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(granted_on__isnull=True) | Q(expires_on__isnull=True) | Q(expires_on__gt=F("granted_on")),
                name="clearance_expires_after_granted",
            ),
            models.CheckConstraint(
                condition=~Q(status=ClearanceStatus.ACTIVE)
                | (Q(granted_on__isnull=False) & Q(expires_on__isnull=False)),
                name="clearance_active_has_dates",
            ),
            models.CheckConstraint(
                condition=Q(level__in=[c.value for c in ClearanceLevel]), name="clearance_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[c.value for c in ClearanceStatus]), name="clearance_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["officer", "status"]), models.Index(fields=["status", "expires_on"])]

    def __str__(self):
        # Shown to staff as a risk flag's record ("Management Vetting (MV) clearance: active"): words, no ids.
        status = self.get_status_display().lower()
        return f"{self.get_level_display()} clearance: {status}" + (
            f", expires {self.expires_on:%-d %B %Y}" if self.expires_on else ""
        )


class ReviewTrigger(models.TextChoices):
    RISK_MANAGEMENT = "risk_management", "Onyx risk-management decision"
    MISCONDUCT_OUTCOME = "misconduct_outcome", "Misconduct outcome short of dismissal"
    CONVICTION = "conviction", "Caution or conviction"
    PND_HIT = "pnd_hit", "Police National Database result"
    HOTLINE = "hotline", "Hotline report linked to the person"
    SELF_REPORT = "self_report", "Self-reported change of circumstances"
    OTHER_ADVERSE = "other_adverse", "Other adverse information"


class VettingReviewStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DECIDED = "decided", "Decided"


class VettingOutcome(models.TextChoices):
    MAINTAINED = "maintained", "Maintained"
    MAINTAINED_WITH_CONDITIONS = "maintained_conditions", "Maintained with conditions"
    SUSPENDED = "suspended", "Suspended"
    WITHDRAWN = "withdrawn", "Withdrawn"


class VettingReview(PublicId, Tracked):
    """A review of someone's vetting after adverse information or a material change."""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="vetting_reviews")
    clearance = models.ForeignKey(
        VettingClearance, null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    trigger = models.CharField(max_length=32, choices=ReviewTrigger.choices)
    # What set it off, e.g. "onyxreview:123": a pointer, not a foreign key, since triggers span apps.
    trigger_ref = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=VettingReviewStatus.choices, default=VettingReviewStatus.OPEN)
    outcome = models.CharField(max_length=32, choices=VettingOutcome.choices, blank=True)
    conditions = models.TextField(blank=True)
    opened_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=VettingReviewStatus.DECIDED) & ~Q(outcome="") & Q(decided_at__isnull=False))
                | (~Q(status=VettingReviewStatus.DECIDED) & Q(outcome="") & Q(decided_at__isnull=True)),
                name="vetting_review_outcome_iff_decided",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=VettingOutcome.MAINTAINED_WITH_CONDITIONS) | ~Q(conditions=""),
                name="vetting_review_conditions_stated",
            ),
            models.UniqueConstraint(
                fields=["officer", "trigger", "trigger_ref"],
                condition=~Q(trigger_ref=""),
                name="vetting_review_once_per_trigger",
            ),
        ]
        indexes = [models.Index(fields=["status", "opened_at"])]

    def __str__(self):
        return f"Vetting review of {self.officer_id} ({self.get_trigger_display()})"


class PNDResult(models.TextChoices):
    NO_TRACE = "no_trace", "No trace"
    POTENTIAL_MISCONDUCT = "potential_misconduct", "Potential misconduct"
    CRIMINAL_ASSOCIATION = "criminal_association", "Off-duty association with a criminal"


class PNDCheck(Tracked):
    """A check of one person against the Police National Database."""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="pnd_checks")
    checked_on = models.DateField()
    result = models.CharField(max_length=32, choices=PNDResult.choices)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-checked_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "checked_on"], name="pnd_one_check_per_day"),
            models.CheckConstraint(condition=Q(result__in=[c.value for c in PNDResult]), name="pnd_result_valid"),
        ]
        indexes = [models.Index(fields=["result", "checked_on"])]

    def __str__(self):
        return f"PND check of {self.officer_id} on {self.checked_on}: {self.result}"
