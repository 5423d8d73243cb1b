"""The project app's own tables: the one-time codes that let a staff account enrol its second factor.

The app also receives post_migrate (roles sync) through its AppConfig."""

from django.conf import settings
from django.db import models


class EnrolmentCode(models.Model):
    """A one-time code an administrator hands to a person, out of band, so that they (and not whoever
    first learns their password) may enrol an authenticator app. Only a hash of the code is kept; a
    code opens enrolment once, before it expires."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("issued_at")), name="enrolment_code_expires_after_issue"
            ),
        ]

    def __str__(self):
        state = "used" if self.used_at else "unused"
        return f"Enrolment code for {self.user} ({state}, issued {self.issued_at:%Y-%m-%d %H:%M})"
