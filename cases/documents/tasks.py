"""Periodic document jobs (beat schedule in misconduct/settings.py). Both are idempotent: a re-run
adds one more verification event per version / marks nothing already marked."""

from celery import shared_task


@shared_task(name="cases.documents.tasks.documents_verify_all_task", acks_late=True, time_limit=6 * 3600)
def documents_verify_all_task() -> list[int]:
    from .integrity import documents_verify_all

    return documents_verify_all()


@shared_task(name="cases.documents.tasks.documents_retention_review_task", acks_late=True, time_limit=3600)
def documents_retention_review_task() -> list[int]:
    from .retention import documents_retention_review

    return documents_retention_review()
