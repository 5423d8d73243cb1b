from django.db import models
from django.db.models import F, Q

from .base import PublicId, Tracked
from .officers import Officer


class AllegationCategory(models.TextChoices):
    SEXUAL_OFFENCE = "sexual_offence", "Sexual offence"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    SEXUAL_MISCONDUCT = "sexual_misconduct", "Sexual misconduct / misogyny"
    DISCRIMINATION = "discrimination", "Racism and other discrimination"
    HOMOPHOBIA = "homophobia", "Homophobia"
    DISHONESTY = "dishonesty", "Dishonesty"
    VIOLENCE = "violence", "Violence / use of force"
    CORRUPT_ASSOCIATION = "corrupt_association", "Corrupt association"
    MISUSE_OF_DATA_OR_POWERS = "misuse_data_powers", "Misuse of data or police powers"
    ABUSE_OF_POSITION_SEXUAL = "abuse_position_sexual", "Abuse of position for a sexual purpose"
    DRUGS = "drugs", "Drugs"
    OTHER = "other", "Other"


# The categories the Onyx review programme and the 10-year risk rule look back over.
VIOLENCE_AGAINST_WOMEN_CATEGORIES = [AllegationCategory.SEXUAL_OFFENCE, AllegationCategory.DOMESTIC_ABUSE]


class AllegationSource(models.TextChoices):
    PUBLIC_COMPLAINT = "public_complaint", "Public complaint"
    COLLEAGUE_REPORT = "colleague_report", "Colleague report"
    HOTLINE = "hotline", "Hotline"
    PND_CHECK = "pnd_check", "PND check"
    CONVICTION = "conviction", "Conviction"
    SELF_REFERRAL = "self_referral", "Self-referral"


class AllegationStatus(models.TextChoices):
    OPEN = "open", "Open"
    UPHELD = "upheld", "Upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"
    NO_FURTHER_ACTION = "nfa", "No further action"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Allegation(PublicId, Tracked):
    """One allegation about one subject. Allegations about the same officer are linked through
    the subject, so they are never assessed in isolation."""

    subject = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="allegations")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="allegations")
    category = models.CharField(max_length=32, choices=AllegationCategory.choices)
    source = models.CharField(max_length=32, choices=AllegationSource.choices)
    # Who made it, as a pseudonymous reference: lets the risk engine tell repeat complainants
    # from independent ones without holding their identity here.
    complainant_ref = models.CharField(max_length=64, blank=True)
    received_on = models.DateField(help_text="The date the allegation came to notice.")
    incident_on = models.DateField(null=True, blank=True)
    narrative = models.TextField()
    # Mandatory IOPC referral whatever the category (Police Reform Act 2002 Sch 3 para 4(1)(a)).
    death_or_serious_injury = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=AllegationStatus.choices, default=AllegationStatus.OPEN)
    # The conviction the allegation arises from (conviction_refer): an indictable-only one makes it gross misconduct.
    conviction = models.ForeignKey(
        "cases.Conviction", null=True, blank=True, on_delete=models.PROTECT, related_name="allegations"
    )

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(incident_on__isnull=True) | Q(incident_on__lte=F("received_on")),
                name="allegation_incident_before_received",
            ),
            models.CheckConstraint(
                condition=Q(category__in=[c.value for c in AllegationCategory]),
                name="allegation_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(source__in=[c.value for c in AllegationSource]), name="allegation_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[c.value for c in AllegationStatus]), name="allegation_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(conviction__isnull=True) | Q(source=AllegationSource.CONVICTION),
                name="allegation_from_a_conviction_has_that_source",
            ),
        ]
        indexes = [
            models.Index(fields=["subject", "received_on"]),
            models.Index(fields=["category", "received_on"]),
            models.Index(fields=["received_on"]),
            # The allegation list newest first, alone or by status, category or source; each covers case_id,
            # so a deep page's ids and the need-to-know rule (no restricted case) come from the index.
            models.Index(fields=["-received_on", "-id"], name="allegation_newest", include=["case"]),
            models.Index(fields=["status", "-received_on", "-id"], name="allegation_status_newest", include=["case"]),
            models.Index(
                fields=["category", "-received_on", "-id"], name="allegation_category_newest", include=["case"]
            ),
            models.Index(fields=["source", "-received_on", "-id"], name="allegation_source_newest", include=["case"]),
        ]

    def __str__(self):
        return f"{self.get_category_display()} allegation about {self.subject_id} ({self.received_on})"
