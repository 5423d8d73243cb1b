"""API clients: a machine that reads (or writes) through the REST API with a token.

Each client is bound to one role and to one user account whose selectors apply, so a token for a
staff role sees exactly what that person sees in the browser (need-to-know, conflicts, panel
assignment), and no more than the one role: a supervisor's integration bound to the investigator role
is an investigator. An oversight client gets an account of its own that holds only the oversight role.
The token itself is a django-rest-knox AuthToken: shown once, stored only as a SHA-512 digest, with an
expiry."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.roles import Role

from .base import PublicId, Tracked


class ApiClient(Tracked, PublicId):
    name = models.CharField(max_length=120, unique=True)
    role = models.CharField(max_length=32, choices=Role.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_clients")
    # The current token (knox.AuthToken, keyed by its digest); rotating replaces it, revoking deletes it.
    token = models.OneToOneField(
        "knox.AuthToken", null=True, blank=True, on_delete=models.SET_NULL, related_name="api_client"
    )
    token_expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=[r.value for r in Role]), name="api_client_role_valid"),
            # A revoked client holds no token.
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(token__isnull=True), name="api_client_revoked_has_no_token"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.token_id is not None
