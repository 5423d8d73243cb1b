import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboxTask(models.Model):
    """One Celery task enqueued through `cases.queue`, written in the same transaction as the change
    that asked for it, so it is neither lost when the broker is down nor sent for rolled-back work.

    The id is the Celery task_id: a row published twice (the publish reached the broker but marking
    it dispatched did not reach the database) is run once, because the worker skips an id whose
    `completed_at` is set (`cases.queue.OutboxAwareTask`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # The exception class of the last failed publish only: a message could name the broker host.
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(dispatched_at__isnull=True), name="outbox_task_undispatched"
            ),
        ]

    def __str__(self):
        state = "dispatched" if self.dispatched_at else "waiting"
        return f"{self.task_name} {self.id} ({state})"
