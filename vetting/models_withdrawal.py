"""The withdrawal of an officer's vetting clearance under Part 3 of the Police (Vetting) Regulations 2025
(SI 2025/502): the withdrawal assessment, its notices, the officer's representations and police friend, the
decision, dismissal without notice and the appeal. The rules and their citations are in
vetting/services/withdrawal.py and docs/vetting-rules.md."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import Officer, PublicId, Tracked


class WithdrawalStatus(models.TextChoices):
    ASSESSMENT = "assessment", "Withdrawal assessment opened"
    NOTICE_SERVED = "notice_served", "Notice served: representations awaited"
    REPRESENTATIONS = "representations", "Representations received"
    CLEARANCE_KEPT = "clearance_kept", "Clearance not withdrawn"
    DISMISSED = "dismissed", "Clearance withdrawn: dismissed without notice"
    APPEALED = "appealed", "Appeal lodged"
    DISMISSAL_STANDS = "dismissal_stands", "Appeal dismissed: the dismissal stands"
    REINSTATED = "reinstated", "Appeal upheld: reinstated"


# The states in which the process runs (the officer is on restricted duties); an officer has one at a time.
RUNNING_STATUSES = [WithdrawalStatus.ASSESSMENT, WithdrawalStatus.NOTICE_SERVED, WithdrawalStatus.REPRESENTATIONS]
# The states in which the dismissal is in effect.
DISMISSED_STATUSES = [WithdrawalStatus.DISMISSED, WithdrawalStatus.APPEALED, WithdrawalStatus.DISMISSAL_STANDS]


class AppealBody(models.TextChoices):
    # PVR: a two-stage appeal, first to an appeal panel, then to a police appeals tribunal (⚠ read in the
    # Home Office's explanatory memorandum as summarised; the Part 4 text was not read).
    PANEL = "panel", "Vetting appeal panel"
    TRIBUNAL = "tribunal", "Police appeals tribunal"


class VettingWithdrawal(PublicId, Tracked):
    """One withdrawal process about one officer, opened by a review decided "withdrawn" or by a vetting officer."""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="vetting_withdrawals")
    review = models.OneToOneField(
        "vetting.VettingReview", null=True, blank=True, on_delete=models.PROTECT, related_name="withdrawal"
    )
    status = models.CharField(max_length=20, choices=WithdrawalStatus.choices, default=WithdrawalStatus.ASSESSMENT)
    grounds = models.TextField(help_text="The matter that indicates the officer may no longer be suitable.")
    # PVR reg 16(2): the person the vetting authority appoints to carry out the withdrawal assessment, who decides.
    decision_maker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # PVR reg 9: the police friend the officer chose (name and how to reach them).
    police_friend = models.CharField(max_length=200, blank=True)
    notice_served_on = models.DateField(null=True, blank=True)
    representations_due_on = models.DateField(null=True, blank=True)
    representations = models.TextField(blank=True)
    representations_received_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True)
    dismissed_on = models.DateField(null=True, blank=True)
    appeal_body = models.CharField(max_length=16, choices=AppealBody.choices, blank=True)
    appeal_due_on = models.DateField(null=True, blank=True)
    appeal_lodged_on = models.DateField(null=True, blank=True)
    appeal_grounds = models.TextField(blank=True)
    appeal_decided_on = models.DateField(null=True, blank=True)
    appeal_reasons = models.TextField(blank=True)
    # Whether this process put the officer on restricted duties (so its end takes them off again).
    restricted_duties = models.BooleanField(default=False)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in WithdrawalStatus]), name="withdrawal_status_valid"
            ),
            models.UniqueConstraint(
                fields=["officer"],
                condition=Q(status__in=[s.value for s in RUNNING_STATUSES]),
                name="withdrawal_one_running_per_officer",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[s.value for s in DISMISSED_STATUSES]) | Q(dismissed_on__isnull=False),
                name="withdrawal_dismissal_dated",
            ),
            models.CheckConstraint(
                condition=Q(status=WithdrawalStatus.ASSESSMENT) | Q(notice_served_on__isnull=False),
                name="withdrawal_notice_before_anything",
            ),
            models.CheckConstraint(condition=~Q(grounds=""), name="withdrawal_grounds_given"),
        ]
        indexes = [models.Index(fields=["status", "opened_at"])]

    def __str__(self):
        return f"Vetting withdrawal of {self.officer_id} ({self.status})"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES


class WithdrawalNoticeKind(models.TextChoices):
    ASSESSMENT = "assessment", "Notice of the withdrawal assessment"
    DECISION = "decision", "Notice of the decision"
    APPEAL_OUTCOME = "appeal_outcome", "Notice of the appeal's outcome"


class WithdrawalNotice(models.Model):
    """A written notice served on the officer: what it said, when, by whom."""

    withdrawal = models.ForeignKey(VettingWithdrawal, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=16, choices=WithdrawalNoticeKind.choices)
    served_on = models.DateField()
    served_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    content = models.TextField()

    class Meta:
        ordering = ["served_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in WithdrawalNoticeKind]), name="withdrawal_notice_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.served_on})"


class WithdrawalEvent(models.Model):
    """One step of a withdrawal process, by whom and when: its history."""

    withdrawal = models.ForeignKey(VettingWithdrawal, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    at = models.DateTimeField()
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.withdrawal_id}: {self.action} ({self.from_status or '-'} -> {self.to_status})"
