from celery import shared_task


@shared_task(name="cases.tasks.guardian_orphans_clean", acks_late=True)
def guardian_orphans_clean() -> int:
    """Remove object permissions whose object is gone, so a reused id never inherits them."""
    from guardian.utils import clean_orphan_obj_perms

    return clean_orphan_obj_perms()
