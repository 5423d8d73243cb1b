from celery import shared_task

from . import services


@shared_task(name="cases.fairness.tasks.import_run_task", acks_late=True, time_limit=1800)
def import_run_task(run_id: int) -> str:
    return services.import_run_execute(run_id=int(run_id))
