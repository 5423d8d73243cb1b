"""Early-intervention risk flags: the rules as data, the flags they raise, and each officer's
combined level. A flag informs a human decision; it never decides."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import Officer, Tracked


class RuleSeverity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class FlagLevel(models.TextChoices):
    WARNING = "warning", "Warning"
    CRITICAL = "critical", "Critical"


class TriageStatus(models.TextChoices):
    UNTRIAGED = "untriaged", "Not yet triaged"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    INTERVENTION_PLANNED = "intervention_planned", "Intervention planned"
    FALSE_POSITIVE = "false_positive", "False positive"


class RiskLevel(models.TextChoices):
    NONE = "none", "None"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class RiskRule(Tracked):
    """One named rule's settings. The logic lives in code (cases/risk/rules.py and each app's
    risk_rules.py); what supervisors tune lives here, with its history in the audit log."""

    code = models.SlugField(max_length=64, unique=True)
    description = models.TextField()
    severity = models.CharField(max_length=8, choices=RuleSeverity.choices, default=RuleSeverity.MEDIUM)
    parameters = models.JSONField(default=dict, blank=True)
    enabled = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__in=[s.value for s in RuleSeverity]), name="risk_rule_severity_valid"
            ),
        ]

    def __str__(self):
        return self.code


class RiskFlag(models.Model):
    """The current state of one rule for one officer. Never deleted: when the rule stops applying
    the flag is deactivated (cleared_at); RiskFlagEvent keeps every raise, clear and triage."""

    # No single-column indexes on officer and rule_code: the unique (officer, rule_code) and the (rule_code, active)
    # index lead with them, and every index is one more write for each flag a recompute raises or rewrites.
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="risk_flags", db_index=False)
    rule_code = models.SlugField(max_length=64, db_index=False)
    level = models.CharField(max_length=16, choices=FlagLevel.choices)
    # [{"text": "...", "model": "cases.allegation", "ids": [..]}]: the records behind each reason.
    reasons = models.JSONField(default=list)
    # A hash of level and reasons: a recompute rewrites only the flags whose content changed.
    digest = models.CharField(max_length=40, blank=True)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    active = models.BooleanField(default=True)
    cleared_at = models.DateTimeField(null=True, blank=True)

    triage_status = models.CharField(max_length=32, choices=TriageStatus.choices, default=TriageStatus.UNTRIAGED)
    triage_plan = models.TextField(blank=True)
    triage_review_on = models.DateField(null=True, blank=True)
    triage_reason = models.TextField(blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    # The records ("app.model:id") a supervisor judged a false positive: the flag stays quiet while
    # the rule finds only these, and is reopened as soon as it finds any other.
    false_positive_record_keys = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-first_seen", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "rule_code"], name="risk_flag_one_per_officer_rule"),
            models.CheckConstraint(condition=Q(level__in=[v.value for v in FlagLevel]), name="risk_flag_level_valid"),
            models.CheckConstraint(
                condition=Q(triage_status__in=[v.value for v in TriageStatus]), name="risk_flag_triage_valid"
            ),
            models.CheckConstraint(
                condition=(Q(active=True) & Q(cleared_at__isnull=True))
                | (Q(active=False) & Q(cleared_at__isnull=False)),
                name="risk_flag_cleared_iff_inactive",
            ),
            models.CheckConstraint(
                condition=Q(triage_status=TriageStatus.UNTRIAGED)
                | (Q(triaged_by__isnull=False) & Q(triaged_at__isnull=False)),
                name="risk_flag_triage_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=~Q(triage_status=TriageStatus.INTERVENTION_PLANNED)
                | (~Q(triage_plan="") & Q(triage_review_on__isnull=False)),
                name="risk_flag_intervention_has_plan_and_review",
            ),
            models.CheckConstraint(
                condition=~Q(triage_status=TriageStatus.FALSE_POSITIVE) | ~Q(triage_reason=""),
                name="risk_flag_false_positive_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["rule_code", "active"]),
            models.Index(fields=["active", "level"]),
            models.Index(fields=["officer", "active"]),
            # The flag list (page and API): active flags newest first, alone or by rule, level or triage
            # status; partial, so the top 50 is an index walk rather than a sort of every active flag.
            models.Index(fields=["-first_seen", "-id"], condition=Q(active=True), name="risk_flag_active_newest"),
            models.Index(
                fields=["rule_code", "-first_seen", "-id"], condition=Q(active=True), name="risk_flag_active_rule"
            ),
            models.Index(
                fields=["level", "-first_seen", "-id"], condition=Q(active=True), name="risk_flag_active_level"
            ),
            models.Index(
                fields=["triage_status", "-first_seen", "-id"], condition=Q(active=True), name="risk_flag_active_triage"
            ),
            # The rules' statistics (selectors.risk_rule_statistics): flags judged false positive, active or not, are
            # few, so a partial index keeps their count per rule off the table.
            models.Index(
                fields=["rule_code", "id"],
                condition=Q(triage_status=TriageStatus.FALSE_POSITIVE),
                name="risk_flag_false_positive_rule",
            ),
        ]

    def __str__(self):
        return f"{self.rule_code} ({self.level}) for {self.officer_id}"

    @property
    def quiet(self) -> bool:
        return self.triage_status == TriageStatus.FALSE_POSITIVE


class RiskFlagEventKind(models.TextChoices):
    RAISED = "raised", "Raised"
    CLEARED = "cleared", "Cleared: the rule no longer applies"
    REOPENED = "reopened", "Reopened: new records after a false-positive triage"
    TRIAGED = "triaged", "Triaged"


class RiskFlagEvent(models.Model):
    """Append-only history of a flag: when it appeared, cleared, was reopened or triaged."""

    flag = models.ForeignKey(RiskFlag, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=16, choices=RiskFlagEventKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(max_length=16, choices=FlagLevel.choices, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.flag_id} {self.kind} at {self.at}"


class OfficerRiskLevel(models.Model):
    """Each officer's combined level from the active flags that are not triaged false positive.
    No row means none."""

    officer = models.OneToOneField(Officer, on_delete=models.PROTECT, primary_key=True, related_name="risk_level")
    level = models.CharField(max_length=8, choices=RiskLevel.choices)
    score = models.PositiveSmallIntegerField()
    contributing_rules = models.JSONField(default=list)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(level__in=[v.value for v in RiskLevel]), name="risk_level_valid"),
        ]
        indexes = [models.Index(fields=["level"])]

    def __str__(self):
        return f"{self.officer_id}: {self.level}"
