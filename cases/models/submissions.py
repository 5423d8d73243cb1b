from django.conf import settings
from django.db import models


class FormSubmission(models.Model):
    """A one-time token handed out with a create form (record an allegation, start a review
    programme, open a case). The first POST carrying it claims this row in the same transaction as
    the create; a repeat of that POST (a double click, a resent form) finds the row and gets the
    first result back instead of making a second one. The unique token makes two racing POSTs
    wait for each other."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=32)
    result_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"{self.purpose} by {self.user_id}"
