import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q

from cases.models import Allegation, Officer, PublicId


class HotlineCategory(models.TextChoices):
    """The hotline's categories, in the plain words a member of the public would use."""

    SELLING_INFORMATION = "selling_information", "Selling information or influence"
    PERSONAL_ADVANTAGE = "personal_advantage", "Using their position for personal advantage"
    SEXUAL_BOUNDARIES = "sexual_boundaries", "Crossing sexual boundaries"
    ABUSING_PARTNERS = "abusing_partners", "Abusing or controlling a partner"
    DISCRIMINATION = "discrimination", "Racist, homophobic or misogynistic behaviour"


class ReporterRelationship(models.TextChoices):
    VICTIM = "victim", "It happened to me"
    WITNESS = "witness", "I saw it happen"
    TOLD = "told", "Someone told me about it"
    COLLEAGUE = "colleague", "I work with the person"
    OTHER = "other", "Other"
    NOT_SAID = "not_said", "I'd rather not say"


class HotlineStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    NEEDS_INFORMATION = "needs_information", "We need more information"
    LINKED = "linked", "Linked to an officer"
    REFERRED = "referred", "Referred for investigation"
    CLOSED = "closed", "Closed"


class HotlineReport(PublicId):
    """A public report. Holds nothing about the reporter beyond what they chose to type;
    their contact details, if any, live apart in HotlineReporterContact."""

    reference = models.CharField(max_length=32, unique=True)
    # Only a slow, deterministically salted hash of the receipt code (GlobaLeaks' model): the
    # code is shown once and never stored; look-up is by this hash.
    receipt_hash = models.CharField(max_length=128, unique=True)
    category = models.CharField(max_length=32, choices=HotlineCategory.choices)
    what_happened = models.TextField(max_length=10000)
    when_happened = models.CharField(max_length=200, blank=True)
    where_happened = models.CharField(max_length=300, blank=True)
    officer_name_given = models.CharField(max_length=200, blank=True)
    collar_number_given = models.CharField(max_length=32, blank=True)
    vehicle_given = models.CharField(max_length=100, blank=True)
    officer_description = models.TextField(max_length=2000, blank=True)
    relationship = models.CharField(
        max_length=16, choices=ReporterRelationship.choices, default=ReporterRelationship.NOT_SAID
    )
    anonymous = models.BooleanField(default=True)
    status = models.CharField(max_length=32, choices=HotlineStatus.choices, default=HotlineStatus.RECEIVED)
    received_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.TextField(blank=True)
    officer = models.ForeignKey(
        Officer, null=True, blank=True, on_delete=models.PROTECT, related_name="hotline_reports"
    )
    linked_at = models.DateTimeField(null=True, blank=True)
    allegation = models.ForeignKey(
        Allegation, null=True, blank=True, on_delete=models.PROTECT, related_name="hotline_reports"
    )
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=[c.value for c in HotlineCategory]), name="hotline_category_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=HotlineStatus.LINKED) | Q(officer__isnull=False),
                name="hotline_linked_has_officer",
            ),
            models.CheckConstraint(
                condition=Q(officer__isnull=True) | Q(linked_at__isnull=False), name="hotline_link_dated"
            ),
            models.CheckConstraint(
                condition=~Q(status=HotlineStatus.CLOSED) | ~Q(closed_reason=""),
                name="hotline_closed_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(allegation__isnull=True) | Q(officer__isnull=False),
                name="hotline_allegation_needs_officer",
            ),
            models.CheckConstraint(
                condition=Q(duplicate_of__isnull=True) | ~Q(duplicate_of=models.F("id")),
                name="hotline_not_duplicate_of_itself",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "received_at"]),
            models.Index(fields=["officer", "linked_at"]),
        ]

    def __str__(self):
        return self.reference


class HotlineReporterContact(models.Model):
    """How to reach a reporter who chose not to be anonymous: kept apart from the report."""

    report = models.OneToOneField(HotlineReport, on_delete=models.CASCADE, related_name="contact")
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)

    def __str__(self):
        return f"Contact for {self.report_id}"


class MessageSender(models.TextChoices):
    REPORTER = "reporter", "Reporter"
    TRIAGE = "triage", "Hotline team"


class HotlineMessage(models.Model):
    """The two-way conversation between the reporter (by receipt) and the triage team."""

    report = models.ForeignKey(HotlineReport, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=16, choices=MessageSender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(max_length=5000)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(sender=MessageSender.REPORTER) & Q(author__isnull=True))
                | (Q(sender=MessageSender.TRIAGE) & Q(author__isnull=False)),
                name="hotline_message_author_matches_sender",
            ),
            models.CheckConstraint(condition=~Q(body=""), name="hotline_message_not_empty"),
        ]

    def __str__(self):
        return f"{self.sender} message on {self.report_id}"


class PrivateEvidenceStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT, outside the web root and with no URL at all: evidence
    is never reachable by a link. The root is read on each use, so it follows the settings."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def private_evidence_storage():
    return PrivateEvidenceStorage()


def evidence_path(instance, filename):
    # The reporter's file name is kept only as data; on disk the name is random and carries no extension.
    return f"hotline/{uuid.uuid4().hex}"


class EvidenceType(models.TextChoices):
    PDF = "application/pdf", "PDF document"
    JPEG = "image/jpeg", "JPEG picture"
    PNG = "image/png", "PNG picture"
    TEXT = "text/plain", "Text file"


class HotlineEvidence(models.Model):
    """A file a reporter attached before documents existed. Read-only now: nothing writes these rows
    (a reporter's files become documents on the report, cases/documents), and migration 0003 copied
    each into a document. Kept for the record, and to name any whose bytes could not be copied."""

    MAX_BYTES = 10 * 1024 * 1024

    report = models.ForeignKey(HotlineReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, storage=private_evidence_storage, max_length=200)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=32, choices=EvidenceType.choices)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=[c.value for c in EvidenceType]), name="hotline_evidence_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(size__gt=0) & Q(size__lte=10 * 1024 * 1024), name="hotline_evidence_size_limit"
            ),
        ]

    def __str__(self):
        return f"Evidence {self.pk} on {self.report_id}"


class HotlineEventKind(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    INFORMATION_REQUESTED = "information_requested", "Information requested"
    REPORTER_REPLIED = "reporter_replied", "Reporter replied"
    TRIAGE_REPLIED = "triage_replied", "Hotline team replied"
    LINKED = "linked", "Linked to an officer"
    ALLEGATION_CREATED = "allegation_created", "Allegation created"
    MERGED = "merged", "Merged as a duplicate"
    CLOSED = "closed", "Closed"


class HotlineReportEvent(models.Model):
    """One step in a report's life: who moved it, from which status to which."""

    report = models.ForeignKey(HotlineReport, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=HotlineEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(max_length=32, choices=HotlineStatus.choices, blank=True)
    to_status = models.CharField(max_length=32, choices=HotlineStatus.choices)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.kind} on {self.report_id}"


class HotlineLookupFailure(models.Model):
    """An audit row for each receipt look-up that matched nothing. Deliberately holds no address,
    no code and no session: only that it happened, and when."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"Failed receipt look-up at {self.at:%Y-%m-%d %H:%M:%S}"
