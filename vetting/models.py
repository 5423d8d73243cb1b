from django.conf import settings
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
    """How long a clearance level lasts before renewal, and whether it carries an annual appraisal
    (APP Vetting: the annual integrity and vetting review, Appendix B): configuration, not code."""

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
        indexes = [
            models.Index(fields=["officer", "status"]),
            models.Index(fields=["status", "expires_on"]),
            # "Current" clearance = no later grant of the same level for the person (selectors.current_clearances):
            # a probe per row instead of hashing every clearance.
            models.Index(fields=["officer", "level", "-granted_on"], name="clearance_latest_per_level"),
        ]

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
    MANUAL = "manual", "Opened by a vetting officer"
    GROSS_MISCONDUCT = "gross_misconduct", "Gross-misconduct severity assessment"
    RANDOM_REVETTING = "random_revetting", "Randomised re-vetting"


class VettingReviewStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "Under review"
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
    # Why it was opened, in words (a vetting officer's reason, what the trigger was).
    reason = models.TextField(blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The decision's maker and reasons (Police (Vetting) Regulations 2025 reg 7: the outcome is recorded).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rationale = models.TextField(blank=True)
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
        indexes = [
            models.Index(fields=["status", "opened_at"]),
            # The review list, newest first, alone or by status.
            models.Index(fields=["-opened_at", "-id"], name="vetting_review_newest"),
            models.Index(fields=["status", "-opened_at", "-id"], name="vetting_review_status_newest"),
        ]

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


class VettingReviewEvent(models.Model):
    """One move of a vetting review, by whom and when: the review's history."""

    review = models.ForeignKey(VettingReview, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    at = models.DateTimeField()
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.review_id}: {self.from_status or '-'} -> {self.to_status}"


class NoticeThreshold(models.TextChoices):
    DUE_90 = "due_90", "Expires within 90 days"
    DUE_60 = "due_60", "Expires within 60 days"
    DUE_30 = "due_30", "Expires within 30 days"
    EXPIRED = "expired", "Expired"
    APPRAISAL = "appraisal", "Annual appraisal due"


class ClearanceNotice(models.Model):
    """A notice to the vetting team about one clearance at one threshold: written once (the unique
    constraint), then sent by a task; a notice whose mail failed stays unsent and is sent on the next run,
    so a mail-server outage loses nothing. `due_on` is the expiry date (expiry thresholds) or the
    appraisal date (one appraisal notice a year)."""

    clearance = models.ForeignKey(VettingClearance, on_delete=models.CASCADE, related_name="notices")
    threshold = models.CharField(max_length=16, choices=NoticeThreshold.choices)
    due_on = models.DateField()
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["clearance", "threshold", "due_on"], name="clearance_notice_once"),
            models.CheckConstraint(
                condition=Q(threshold__in=[c.value for c in NoticeThreshold]), name="clearance_notice_threshold_valid"
            ),
        ]
        indexes = [models.Index(fields=["sent_at"], name="clearance_notice_unsent")]

    def __str__(self):
        return f"{self.get_threshold_display()} for clearance {self.clearance_id} ({self.due_on})"


class RevettingDraw(models.Model):
    """One month's random sample of clearances for early review (APP Vetting 2024: mandatory,
    randomised re-vetting). The seed and the population are recorded, so the draw can be repeated."""

    period = models.DateField(unique=True, help_text="The first day of the month the draw is for.")
    seed = models.BigIntegerField()
    percent = models.DecimalField(max_digits=5, decimal_places=2)
    population = models.PositiveIntegerField()
    clearance_ids = models.JSONField(default=list)
    drawn_at = models.DateTimeField()
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["-period"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__gt=0) & Q(percent__lte=100), name="revetting_percent_range")
        ]

    def __str__(self):
        return f"Re-vetting draw {self.period:%Y-%m}: {len(self.clearance_ids)} of {self.population}"


class CircumstanceKind(models.TextChoices):
    NAME_OR_ADDRESS = "name_address", "Change of name or address"
    CO_RESIDENTS = "co_residents", "Someone moved in or out of my home"
    PARTNER = "partner", "New partner"
    FINANCES = "finances", "Significant change in my finances"
    CRIMINAL = "criminal", "Arrest, charge, caution or conviction (including motoring)"
    CIVIL = "civil", "Adverse finding in a civil matter"
    ASSOCIATES = "associates", "Someone close to me is involved in crime"
    OTHER = "other", "Something else that may affect my vetting"


class CircumstanceChange(models.Model):
    """A member of the force's own report of a change in their circumstances (Police (Vetting)
    Regulations 2025 reg 5: the duty to notify the vetting authority promptly). Seen by vetting staff only."""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="circumstance_changes")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=CircumstanceKind.choices)
    occurred_on = models.DateField(null=True, blank=True)
    details = models.TextField()
    reported_at = models.DateTimeField()
    # The form's one-time token: a double submit records one report.
    once_token = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[c.value for c in CircumstanceKind]), name="circumstance_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(details=""), name="circumstance_details_given"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} reported by {self.officer_id}"


class PNDImportStatus(models.TextChoices):
    PENDING = "pending", "Waiting to start"
    RUNNING = "running", "Importing"
    DONE = "done", "Finished"
    FAILED = "failed", "Failed"


class PNDImport(PublicId, Tracked):
    """One upload of PND results (a CSV file), imported by a task: the file and the error report are kept
    in private storage (vetting/services/pnd_import.py), the counts are written with each batch, so the
    status page shows how far it has got and the counts always match the rows saved."""

    file_name = models.CharField(max_length=255)
    upload = models.CharField(max_length=255, help_text="The stored file's name in the private storage.")
    sha256 = models.CharField(max_length=64, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    bytes_read = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=16, choices=PNDImportStatus.choices, default=PNDImportStatus.PENDING)
    rows_read = models.PositiveIntegerField(default=0)
    rows_saved = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    hits = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    errors_file = models.CharField(max_length=255, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[c.value for c in PNDImportStatus]), name="pnd_import_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(rows_read__gte=F("rows_saved") + F("rows_unchanged") + F("rows_rejected")),
                name="pnd_import_counts_add_up",
            ),
        ]

    def __str__(self):
        return f"PND import of {self.file_name} ({self.get_status_display().lower()})"

    @property
    def percent(self) -> int:
        if self.status == PNDImportStatus.DONE:
            return 100
        return min(99, int(100 * self.bytes_read / self.size_bytes)) if self.size_bytes else 0


# The withdrawal process's tables, in their own module (imported here so the app registers them).
from .models_withdrawal import (  # noqa: E402, F401
    DISMISSED_STATUSES,
    RUNNING_STATUSES,
    AppealBody,
    VettingWithdrawal,
    WithdrawalEvent,
    WithdrawalNotice,
    WithdrawalNoticeKind,
    WithdrawalStatus,
)
