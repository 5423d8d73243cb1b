"""Celery tasks: thin, idempotent wrappers that take ids (JSON) and call the services. A recompute
can run any number of times over the same data with the same result; retried with backoff when
the database is unavailable."""

from celery import shared_task
from django.db import OperationalError

from cases.queue import enqueue_on_commit

from . import engine, services

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
    return services.risk_recompute_officer(officer_id=int(officer_id)).as_json()


@shared_task(name="cases.risk.tasks.risk_recompute_all_task", **_RETRY)
def risk_recompute_all_task() -> dict:
    return services.risk_recompute_all().as_json()


@shared_task(name="cases.risk.tasks.risk_recompute_officers_task", **_RETRY)
def risk_recompute_officers_task(officer_ids: list[int]) -> dict:
    return services.risk_recompute_officers(officer_ids=[int(i) for i in officer_ids]).as_json()


def _officer_records_changed(sender, officer_ids, gathered=False, **kwargs):
    gathering = engine.officer_changes_gathering()
    if gathering is not None:
        gathering.update(officer_ids)
        return
    if gathered:
        enqueue_on_commit(risk_recompute_officers_task, sorted(officer_ids))
        return
    for officer_id in sorted(officer_ids):
        enqueue_on_commit(risk_recompute_officer_task, officer_id)


def _rules_changed(sender, **kwargs):
    enqueue_on_commit(risk_recompute_all_task)


def listen() -> None:
    """A recompute is enqueued (on commit, through the outbox) when watched records or rules change."""
    engine.officer_records_changed.connect(_officer_records_changed, dispatch_uid="risk.officer_records_changed")
    engine.rules_changed.connect(_rules_changed, dispatch_uid="risk.rules_changed")
