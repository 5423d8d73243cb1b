"""Celery tasks: thin, idempotent wrappers that take ids (JSON) and call the services. A recompute
can run any number of times over the same data with the same result; retried with backoff when
the database is unavailable."""

from celery import shared_task
from django.db import OperationalError

_RETRY = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 6,
    "acks_late": True,
}


@shared_task(name="cases.risk.tasks.risk_recompute_officer_task", **_RETRY)
def risk_recompute_officer_task(officer_id: int) -> dict:
    from .services import risk_recompute_officer

    return risk_recompute_officer(officer_id=int(officer_id)).as_json()


@shared_task(name="cases.risk.tasks.risk_recompute_all_task", **_RETRY)
def risk_recompute_all_task() -> dict:
    from .services import risk_recompute_all

    return risk_recompute_all().as_json()
