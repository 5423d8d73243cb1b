"""Imported datasets, kept apart from the force's own records.

A data source is a named dataset (another force's or city's published misconduct data). Its rows live
in the External* tables, never in Officer or Allegation, so nothing a case worker does can touch them
and no figure about the force can include them by accident. The force's own records are the built-in
source (FORCE_SOURCE), which has no DataSource row."""

import datetime as dt
import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

FORCE_SOURCE = "force"


class Finding(models.TextChoices):
    """The one vocabulary every source's findings are mapped to."""

    UPHELD = "upheld", "Upheld (substantiated)"
    NOT_UPHELD = "not_upheld", "Not upheld"
    UNKNOWN = "unknown", "Unknown"


class DataSource(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # What the mapping said this source holds: the stages it has data for and whether it has
    # outcome dates; a stage it lacks is shown as "not in this source", never as zero.
    stages = models.JSONField(default=list)
    has_outcome_dates = models.BooleanField(default=False)
    # The people in the source are only those with an allegation (true of most published data):
    # "allegations per 100 people" is then per 100 people who had one, and the page says so.
    subjects_only_with_allegations = models.BooleanField(default=True)
    mapping_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ImportStatus(models.TextChoices):
    PENDING = "pending", "Waiting to start"
    RUNNING = "running", "Importing"
    DONE = "done", "Finished"
    FAILED = "failed", "Failed"


class ImportRun(models.Model):
    """One import of one file into one source: its progress and what became of every line."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.ForeignKey(DataSource, on_delete=models.CASCADE, related_name="runs")
    file_name = models.CharField(max_length=255)
    mapping_name = models.CharField(max_length=200, blank=True)
    # The mapping as it was when the run started, and where an uploaded file waits for the task.
    mapping_toml = models.TextField(blank=True)
    upload_path = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    rows_already_present = models.PositiveIntegerField(default=0)
    rows_duplicate = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    rows_with_warnings = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # The issues file: one CSV line per rejected, duplicate or corrected input line.
    issues_csv = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ImportStatus.values), name="importrun_status_valid"),
        ]

    def __str__(self):
        return f"{self.file_name} -> {self.source_id} ({self.status})"


class ExternalSubject(models.Model):
    """A person complained about, as the source identifies them."""

    source = models.ForeignKey(DataSource, on_delete=models.CASCADE, related_name="subjects")
    key = models.CharField(max_length=64)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    rank = models.CharField(max_length=100, blank=True)
    command = models.CharField(max_length=100, blank=True)
    ethnicity = models.CharField(max_length=64, blank=True)
    sex = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "key"], name="externalsubject_natural_key")]
        indexes = [models.Index(fields=["source", "ethnicity"]), models.Index(fields=["source", "sex"])]

    def __str__(self):
        return f"{self.source_id}:{self.key}"


class ExternalComplaint(models.Model):
    source = models.ForeignKey(DataSource, on_delete=models.CASCADE, related_name="complaints")
    key = models.CharField(max_length=64)
    received_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "key"], name="externalcomplaint_natural_key")]

    def __str__(self):
        return f"{self.source_id}:{self.key}"


class ExternalAllegation(models.Model):
    """One allegation against one subject. `key` is the source's allegation id or, where it has none,
    a digest of the mapped line: the same line imported twice is the same row (re-import changes
    nothing), and exact duplicate lines in one file merge into one row."""

    source = models.ForeignKey(DataSource, on_delete=models.CASCADE, related_name="allegations")
    key = models.CharField(max_length=64)
    subject = models.ForeignKey(ExternalSubject, on_delete=models.CASCADE, related_name="allegations")
    complaint = models.ForeignKey(
        ExternalComplaint, null=True, blank=True, on_delete=models.CASCADE, related_name="allegations"
    )
    line = models.PositiveIntegerField(help_text="Line of the input file this row came from (first seen).")
    received_on = models.DateField(null=True, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    category = models.CharField(max_length=100, blank=True)
    origin = models.CharField(max_length=100, blank=True)
    text = models.CharField(max_length=500, blank=True)
    command = models.CharField(max_length=100, blank=True)
    rank = models.CharField(max_length=100, blank=True)
    subject_age = models.PositiveSmallIntegerField(null=True, blank=True)
    complainant_ethnicity = models.CharField(max_length=64, blank=True)
    complainant_sex = models.CharField(max_length=64, blank=True)
    complainant_age = models.PositiveSmallIntegerField(null=True, blank=True)
    finding = models.CharField(max_length=16, choices=Finding.choices, default=Finding.UNKNOWN)
    disposition = models.CharField(max_length=200, blank=True)
    # The stages of the funnel; null where the source does not say.
    in_case = models.BooleanField(null=True)
    gross_misconduct = models.BooleanField(null=True)
    case_to_answer = models.BooleanField(null=True)
    dismissal = models.BooleanField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="externalallegation_natural_key"),
            models.CheckConstraint(condition=Q(finding__in=Finding.values), name="externalallegation_finding_valid"),
        ]
        indexes = [
            models.Index(fields=["source", "received_on"]),
            models.Index(fields=["source", "category"]),
            models.Index(fields=["source", "command"]),
        ]

    def __str__(self):
        return f"{self.source_id}:{self.key}"


# The first of the month that marks every month stale: the summary has never been built (or was emptied),
# so the figures read the allegations themselves until a full refresh.
EVERY_MONTH = dt.date(1, 1, 1)


class OutcomeDaysField(ArrayField):
    """integer[] on PostgreSQL, where the summary is built; a plain column elsewhere, never filled."""

    def db_type(self, connection):
        return super().db_type(connection) if connection.vendor == "postgresql" else "text"


class AllegationMonth(models.Model):
    """The force's allegations counted by the month they were received, the subject's ethnicity and sex and
    the category: what the monitoring page and the dashboard add up, maintained by
    `monthly.allegation_months_refresh` so that a long period reads some thousands of rows instead of every
    allegation. Medians do not add up, so each row also keeps the days from receipt to the case's outcome of
    its allegations that have one, and the page takes the median over those (the same PERCENTILE_CONT as
    over the allegations). Built on PostgreSQL only; on another database the figures read the allegations."""

    month = models.DateField()
    subject_ethnicity = models.CharField(max_length=16)
    subject_sex = models.CharField(max_length=16)
    category = models.CharField(max_length=32)
    allegations = models.PositiveIntegerField()
    n_case = models.PositiveIntegerField()
    n_gross_misconduct = models.PositiveIntegerField()
    n_case_to_answer = models.PositiveIntegerField()
    n_upheld = models.PositiveIntegerField()
    n_dismissal = models.PositiveIntegerField()
    outcome_days = OutcomeDaysField(models.IntegerField(), default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "subject_ethnicity", "subject_sex", "category"], name="allegationmonth_key"
            ),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.subject_ethnicity}/{self.subject_sex} {self.category}: {self.allegations}"


class AllegationMonthStale(models.Model):
    """A month whose allegations changed since its summary rows were written, marked in the same
    transaction as the change: the figures read that month from the allegations until the refresh task
    has rewritten it, so a page never shows a summary older than the records, even with the broker down.
    EVERY_MONTH marks them all.

    Append-only between refreshes: each change inserts its own mark (no unique month, no upsert), so a
    writer never waits on, or deadlocks with, another writer or a refresh over the same month. A refresh
    deletes the marks committed before it reads the allegations (their changes are in what it reads); a
    mark committed later is not yet visible to that delete and stays, so its month stays stale."""

    month = models.DateField(db_index=True)

    def __str__(self):
        return f"{self.month:%Y-%m} stale"
