import datetime as dt

from celery import shared_task
from django.db import OperationalError

from . import importer, monthly

_RETRY = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 6,
    "acks_late": True,
}


@shared_task(name="cases.fairness.tasks.import_run_task", acks_late=True, time_limit=1800)
def import_run_task(run_id: int) -> str:
    return importer.import_run_execute(run_id=int(run_id))


@shared_task(name="cases.fairness.tasks.allegation_months_refresh_task", **_RETRY)
def allegation_months_refresh_task(months: list[str]) -> int:
    """The summary rows of the months whose allegations, cases or subjects changed ("2026-03-01", ...)."""
    return monthly.allegation_months_refresh(months=[dt.date.fromisoformat(m) for m in months])


@shared_task(name="cases.fairness.tasks.allegation_months_refresh_all_task", **_RETRY)
def allegation_months_refresh_all_task() -> int:
    """The whole summary, nightly: covers bulk writes that send no signals."""
    return monthly.allegation_months_refresh()
