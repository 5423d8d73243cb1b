from django.conf import settings
from django.db import models

from .officers import Officer


class ConflictOfInterest(models.Model):
    """A declared conflict: this user must not see anything whose subject is this officer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts")
    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(max_length=200)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "officer"], name="conflict_once_per_pair")]

    def __str__(self):
        return f"{self.user_id} conflicted on {self.officer_id}"


class AccessRecord(models.Model):
    """One staff read of a record's detail: who, what, when, from where. Append-only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_records")
    at = models.DateTimeField(auto_now_add=True)
    object_type = models.CharField(max_length=32)
    object_id = models.BigIntegerField()
    object_label = models.CharField(max_length=200, blank=True)
    view = models.CharField(max_length=100)
    path = models.CharField(max_length=500)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"]),
            models.Index(fields=["user", "at"]),
        ]

    def __str__(self):
        return f"{self.user_id} read {self.object_type} {self.object_id} at {self.at:%Y-%m-%d %H:%M}"
