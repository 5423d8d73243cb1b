from celery import shared_task


@shared_task(name="cases.tasks.guardian_orphans_clean", acks_late=True)
def guardian_orphans_clean() -> int:
    """Remove object permissions whose object is gone, so a reused id never inherits them."""
    from guardian.utils import clean_orphan_obj_perms

    return clean_orphan_obj_perms()


@shared_task(name="cases.tasks.outbox_drain_task", acks_late=True, ignore_result=True)
def outbox_drain_task() -> int:
    """Publish the tasks whose publish failed when they were enqueued (the broker was down)."""
    from cases.queue import outbox_drain

    return outbox_drain()
