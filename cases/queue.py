"""The one way to enqueue a Celery task: after the surrounding transaction commits, so a worker
never sees uncommitted rows (and nothing is enqueued for work that was rolled back)."""

from functools import partial

from django.db import transaction


def enqueue_on_commit(task, *args, **kwargs) -> None:
    transaction.on_commit(partial(task.apply_async, args=args, kwargs=kwargs))
