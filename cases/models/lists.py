from django.conf import settings
from django.db import models
from django.db.models import F, Q

from .casework import Case
from .officers import Officer


class CollegeReportKind(models.TextChoices):
    """The reports a force makes to the College of Policing about the barred and advisory lists (Police Act 1996
    Part 4A; the Police Barred List and Police Advisory List Regulations 2017, SI 2017/1135)."""

    BARRED = "barred", "Barred list report (Police Act 1996 s 88A(1))"
    BARRED_FURTHER = "barred_further", "Further report: dismissal no longer in effect (s 88F)"
    ADVISORY = "advisory", "Advisory list report (s 88I(1))"
    ADVISORY_FURTHER = "advisory_further", "Further report: proceedings ended without dismissal (s 88L(2))"


class CollegeReport(models.Model):
    """A report made to the College of Policing, once per case and kind: who made it and when. What is due is
    read from the cases themselves (cases/services/lists.py college_reports_due)."""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="college_reports")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="college_reports")
    kind = models.CharField(max_length=16, choices=CollegeReportKind.choices)
    # The date the report's clock runs from: the dismissal, or the relevant event for the advisory list.
    event_on = models.DateField()
    due_on = models.DateField(null=True, blank=True, help_text="Last day to report; empty where the period is not set.")
    reported_on = models.DateField()
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="college_report_once_per_case_and_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in CollegeReportKind]), name="college_report_kind_valid"
            ),
            models.CheckConstraint(condition=Q(reported_on__gte=F("event_on")), name="college_report_after_event"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.officer_id} ({self.reported_on})"
