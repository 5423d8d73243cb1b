from celery import shared_task

from . import importer


@shared_task(name="cases.fairness.tasks.import_run_task", acks_late=True, time_limit=1800)
def import_run_task(run_id: int) -> str:
    return importer.import_run_execute(run_id=int(run_id))
