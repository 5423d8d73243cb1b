"""The one way to enqueue a Celery task: after the surrounding transaction commits, so a worker never
sees uncommitted rows (and nothing is enqueued for work that was rolled back), and through an outbox,
so a broker outage neither holds up the request nor loses the task.

With no broker configured (development, the demo, most tests) tasks run in-process after commit.
With a broker, `enqueue_on_commit` writes an `OutboxTask` row in the caller's transaction; on commit
it tries one fast publish (short connect and socket timeouts, no retries: see the Celery block of
misconduct/settings.py) and marks the row dispatched. A publish that fails is only logged; the row
waits for `outbox_drain`, which beat runs every minute (`cases.tasks.outbox_drain_task`) and
`manage.py outbox_drain` runs by hand. The row id is the Celery task_id, and `OutboxAwareTask` (the
base of every task of the app) skips an id that already completed, so a re-published row runs once.

Why not django-celery-outbox (0.4.3 on PyPI, maintained, Django 5.2 listed): its CI covers Celery
5.3-5.6, not the 5.7 we run; it pulls in structlog, sentry-sdk and datadog as hard dependencies; it
replaces the Celery app class and needs its own long-running relay process (another container);
and it publishes only from that relay, so every task waits for the next poll even when the broker is
up. What we need is a table, a publish on commit, a drain, and a skip on redelivery: this module.
"""

import logging
import uuid
from datetime import timedelta
from functools import partial

import kombu.pools
from celery import Task, current_app
from django.db import DatabaseError, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

DRAIN_BATCH = 100
# A publish gives up after this long connecting, and again after this long waiting for the broker's
# reply (a broker that accepts connections but does not answer): a request never waits longer. The
# worker's own connections keep the longer timeouts of misconduct/settings.py (they must outlast a
# BRPOP).
PUBLISH_TIMEOUT_SECONDS = 0.3
# Rows are kept this long after dispatch, for the redelivery check, then deleted by the drain.
KEEP_DISPATCHED = timedelta(days=7)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Run `task(*args, **kwargs)` once the surrounding transaction commits; args must be JSON."""
    app = getattr(task, "app", None) or current_app
    if app.conf.task_always_eager:
        transaction.on_commit(partial(task.apply_async, args=args, kwargs=kwargs))
        return
    from cases.models import OutboxTask

    row = OutboxTask.objects.create(task_name=task.name, args=list(args), kwargs=kwargs)

    # robust: the change is committed by then, so a failure here is logged, never the request's 500;
    # the row is still there for the drain.
    # (A function, not a partial: Django logs a robust callback's failure by its __qualname__.)
    def publish_on_commit():
        outbox_publish(outbox_id=row.id)

    transaction.on_commit(publish_on_commit, robust=True)


def outbox_publish(*, outbox_id: uuid.UUID) -> bool:
    """Publish one waiting row unless another process holds it; True if it is now dispatched."""
    from cases.models import OutboxTask

    with transaction.atomic():
        row = OutboxTask.objects.select_for_update(skip_locked=True).filter(id=outbox_id).first()
        if row is None or row.dispatched_at is not None:
            return row is not None
        return _publish(row)


def outbox_drain(*, batch: int = DRAIN_BATCH) -> int:
    """Publish every waiting row, oldest first, each claimed with a row lock that skips rows another
    drain or request holds; stop at the first publish that fails (the broker is still down). Returns
    the number of rows dispatched."""
    from cases.models import OutboxTask

    dispatched = 0
    while True:
        with transaction.atomic():
            rows = list(
                OutboxTask.objects.select_for_update(skip_locked=True)
                .filter(dispatched_at__isnull=True)
                .order_by("created_at")[:batch]
            )
            for row in rows:
                if not _publish(row):
                    return dispatched
                dispatched += 1
        if len(rows) < batch:
            break
    OutboxTask.objects.filter(dispatched_at__lt=timezone.now() - KEEP_DISPATCHED).delete()
    return dispatched


def _publish(row) -> bool:
    """One attempt, no retry; the caller holds the row lock. Never raises for a broker failure."""
    app = current_app
    options = {"task_id": str(row.id), "retry": False, "ignore_result": True}
    row.attempts += 1
    try:
        with _publish_producer(app) as producer:
            task = app.tasks.get(row.task_name)
            if task is not None:
                task.apply_async(args=row.args, kwargs=row.kwargs, producer=producer, **options)
            else:
                app.send_task(row.task_name, args=row.args, kwargs=row.kwargs, producer=producer, **options)
    except Exception as exc:  # any broker failure: the row waits for the drain
        row.last_error = type(exc).__name__[:200]
        row.save(update_fields=["attempts", "last_error"])
        logger.warning(
            "outbox: publishing %s %s failed (%s); the drain will retry", row.task_name, row.id, row.last_error
        )
        return False
    row.dispatched_at = timezone.now()
    row.last_error = ""
    row.save(update_fields=["attempts", "last_error", "dispatched_at"])
    return True


def _publish_producer(app):
    """A producer from a per-process pool whose connections have the short publish timeouts."""
    connection = app.connection_for_write(
        connect_timeout=PUBLISH_TIMEOUT_SECONDS,
        transport_options={
            "socket_connect_timeout": PUBLISH_TIMEOUT_SECONDS,
            "socket_timeout": PUBLISH_TIMEOUT_SECONDS,
        },
    )
    return kombu.pools.producers[connection].acquire(block=True, timeout=PUBLISH_TIMEOUT_SECONDS)


class OutboxAwareTask(Task):
    """Base of every task of the app (misconduct/celery.py): a task whose id is an outbox row that
    already completed is skipped, so a row published twice runs once. A retry keeps its id and runs,
    because the row completes only when the task returns."""

    def __call__(self, *args, **kwargs):
        outbox_id = None if self.request.is_eager else _as_uuid(self.request.id)
        if outbox_id is not None and _outbox_completed(outbox_id):
            logger.warning("outbox: %s %s already ran; this delivery is skipped", self.name, outbox_id)
            return None
        result = super().__call__(*args, **kwargs)
        if outbox_id is not None:
            _outbox_complete(outbox_id)
        return result


# The database may be down when a task starts or ends. Then the task runs anyway (its own database
# work fails and is retried with backoff, cases/risk/tasks.py), and a row that could not be marked
# completed is at worst run again on redelivery: tasks are idempotent.
def _outbox_completed(outbox_id: uuid.UUID) -> bool:
    from cases.models import OutboxTask

    try:
        return OutboxTask.objects.filter(id=outbox_id, completed_at__isnull=False).exists()
    except DatabaseError:
        logger.warning("outbox: could not check whether %s already ran", outbox_id, exc_info=True)
        return False


def _outbox_complete(outbox_id: uuid.UUID) -> None:
    from cases.models import OutboxTask

    try:
        OutboxTask.objects.filter(id=outbox_id, completed_at__isnull=True).update(completed_at=timezone.now())
    except DatabaseError:
        logger.warning("outbox: could not mark %s completed", outbox_id, exc_info=True)


def _as_uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
