from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper

from .base import PublicId, Tracked


class Command(Tracked):
    """A unit of the force: a borough command, a specialist command, a department."""

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PersonKind(models.TextChoices):
    OFFICER = "officer", "Police officer"
    STAFF = "staff", "Police staff"


class Rank(models.TextChoices):
    CONSTABLE = "pc", "Police Constable"
    SERGEANT = "ps", "Police Sergeant"
    INSPECTOR = "insp", "Inspector"
    CHIEF_INSPECTOR = "ci", "Chief Inspector"
    SUPERINTENDENT = "supt", "Superintendent"
    CHIEF_SUPERINTENDENT = "csupt", "Chief Superintendent"
    COMMANDER = "cmdr", "Commander"
    DEPUTY_ASSISTANT_COMMISSIONER = "dac", "Deputy Assistant Commissioner"
    ASSISTANT_COMMISSIONER = "ac", "Assistant Commissioner"
    STAFF_BAND_E = "band_e", "Staff Band E"
    STAFF_BAND_D = "band_d", "Staff Band D"
    STAFF_BAND_C = "band_c", "Staff Band C"
    STAFF_BAND_B = "band_b", "Staff Band B"
    STAFF_BAND_A = "band_a", "Staff Band A"


OFFICER_RANKS = [r for r in Rank if not r.value.startswith("band_")]
STAFF_GRADES = [r for r in Rank if r.value.startswith("band_")]


class EmploymentStatus(models.TextChoices):
    SERVING = "serving", "Serving"
    RESTRICTED = "restricted", "Restricted duties"
    SUSPENDED = "suspended", "Suspended"
    DISMISSED = "dismissed", "Dismissed"
    RESIGNED = "resigned", "Resigned"
    RETIRED = "retired", "Retired"


LEFT_STATUSES = [EmploymentStatus.DISMISSED, EmploymentStatus.RESIGNED, EmploymentStatus.RETIRED]


class Ethnicity(models.TextChoices):
    """The ONS five-group classification, as used in workforce disproportionality reporting."""

    WHITE = "white", "White"
    BLACK = "black", "Black"
    ASIAN = "asian", "Asian"
    MIXED = "mixed", "Mixed"
    OTHER = "other", "Other ethnic group"
    NOT_STATED = "not_stated", "Not stated"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NOT_STATED = "not_stated", "Not stated"


class Officer(PublicId, Tracked):
    """An officer or member of staff: the subject of allegations, cases and reviews."""

    staff_number = models.CharField(max_length=16, unique=True)
    kind = models.CharField(max_length=16, choices=PersonKind.choices, default=PersonKind.OFFICER)
    collar_number = models.CharField(max_length=16, blank=True, null=True, db_index=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, db_index=True)
    rank = models.CharField(max_length=16, choices=Rank.choices)
    command = models.ForeignKey(Command, on_delete=models.PROTECT, related_name="officers")
    status = models.CharField(
        max_length=16, choices=EmploymentStatus.choices, default=EmploymentStatus.SERVING, db_index=True
    )
    ethnicity = models.CharField(max_length=16, choices=Ethnicity.choices, default=Ethnicity.NOT_STATED)
    sex = models.CharField(max_length=16, choices=Sex.choices, default=Sex.NOT_STATED)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    # A member of DPS staff is also a member of the force: this links the login to the person,
    # so that nobody is ever shown their own case (conflict of interest).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="officer"
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=PersonKind.OFFICER) | Q(collar_number__isnull=True),
                name="officer_collar_number_only_for_officers",
            ),
            models.CheckConstraint(
                condition=Q(kind=PersonKind.OFFICER, rank__in=[r.value for r in OFFICER_RANKS])
                | Q(kind=PersonKind.STAFF, rank__in=[r.value for r in STAFF_GRADES]),
                name="officer_rank_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="officer_left_after_joining",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[s.value for s in LEFT_STATUSES]) | Q(left_on__isnull=False),
                name="officer_leaver_has_left_date",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in EmploymentStatus]), name="officer_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(ethnicity__in=[s.value for s in Ethnicity]), name="officer_ethnicity_valid"
            ),
            models.CheckConstraint(condition=Q(sex__in=[s.value for s in Sex]), name="officer_sex_valid"),
        ]
        indexes = [
            models.Index(fields=["command", "status"]),
            models.Index(fields=["last_name", "first_name"], name="officer_by_name"),
            models.Index(Upper("collar_number"), name="officer_collar_upper"),
            models.Index(Upper("staff_number"), name="officer_staff_number_upper"),
            # Who is still serving (no leaving date), each side read from its own small index: the PND summary's
            # workforce is counted from the index alone, and the few who have left (1,500 of 50,000 at Met scale)
            # are the anti-join of the PND "checked" count and the clearance expiry list, instead of a hash of every
            # officer row (issue 18).
            models.Index(fields=["id"], condition=Q(left_on__isnull=True), name="officer_serving_ids"),
            models.Index(fields=["id"], condition=Q(left_on__isnull=False), name="officer_left_ids"),
        ]

    def __str__(self):
        return f"{self.get_rank_display()} {self.first_name} {self.last_name} ({self.staff_number})"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"


class OfficerEventKind(models.TextChoices):
    STATUS_CHANGED = "status_changed", "Employment status changed"
    COMMAND_CHANGED = "command_changed", "Posted to another command"
    COLLAR_NUMBER_CHANGED = "collar_changed", "Collar number changed"
    COLLEGE_REPORTED = "college_reported", "Reported to the College of Policing"
    CONVICTION_REFERRED = "conviction_referred", "Conviction referred for misconduct"


class OfficerEvent(models.Model):
    """Append-only history of an officer's status, posting and collar number."""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=32, choices=OfficerEventKind.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_value = models.CharField(max_length=200, blank=True)
    to_value = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.officer_id} {self.kind}: {self.from_value} -> {self.to_value}"
