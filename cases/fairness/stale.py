"""Which months of the summary (models.AllegationMonth) changed since their rows were written.

A change marks its months stale in its own transaction (a row of its own, committed with the change: a
refresh running meanwhile cannot see it, so cannot clear it, until the change is visible too) and
enqueues the refresh of those months on commit. Until the task has run, the figures read those months
from the allegations: no page shows figures older than the records, broker up or down. Bulk writes that
send no signals (the demo seed, a raw import) are covered by the full refresh
(`manage.py fairness_summary_refresh`, nightly in beat)."""

import datetime as dt

from django.db import connection

from cases.models import Allegation, Case, Officer
from cases.queue import enqueue_on_commit

from .models import AllegationMonthStale
from .monthly import month_of, summary_in_use
from .tasks import allegation_months_refresh_task

# What each model's change can move in the summary: a row is re-marked only when one of these changed.
WATCHED = {
    Allegation: ("received_on", "subject_id", "case_id", "category", "status"),
    Case: ("severity", "finding", "outcome", "outcome_on"),
    Officer: ("ethnicity", "sex"),
}


def months_mark_stale(months) -> list[dt.date]:
    """Mark `months` (firsts of months) stale in this transaction and enqueue their refresh on commit."""
    months = sorted({month_of(m) for m in months if m is not None})
    if not months or not summary_in_use():
        return []
    table = AllegationMonthStale._meta.db_table
    with connection.cursor() as cursor:
        # A mark of its own, even if the month is already marked: a refresh deleting the marks it can see
        # cannot delete this one before it commits, and no row is shared, so nothing waits on a lock.
        cursor.execute(f"INSERT INTO {table} (month) SELECT unnest(%s::date[])", [months])  # noqa: S608 - table name from the model
    _enqueue(months)
    return months


def months_mark_stale_where(column: str, value: int) -> None:
    """Mark stale every month holding an allegation whose `column` (case_id, subject_id) is `value`."""
    if not summary_in_use():
        return
    table = AllegationMonthStale._meta.db_table
    allegations = Allegation._meta.db_table
    assert column in ("case_id", "subject_id")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (month) SELECT DISTINCT date_trunc('month', received_on)::date FROM {allegations} "  # noqa: S608 - table names from the models, values as parameters
            f"WHERE {column} = %s RETURNING month",
            [value],
        )
        months = [row[0] for row in cursor.fetchall()]
    if months:
        _enqueue(months)


def _enqueue(months: list[dt.date]) -> None:
    enqueue_on_commit(allegation_months_refresh_task, [m.isoformat() for m in months])


# Receivers (connected in FairnessConfig.ready): the watched values as loaded, compared on save.


def _loaded(sender, instance, **kwargs):
    instance._fairness_loaded = {f: instance.__dict__.get(f, _UNLOADED) for f in WATCHED[sender]}


_UNLOADED = object()


def _changed(sender, instance) -> bool:
    loaded = getattr(instance, "_fairness_loaded", None)
    if loaded is None:
        return True
    return any(instance.__dict__.get(f, _UNLOADED) != old for f, old in loaded.items())


def _saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    changed = created or _changed(sender, instance)
    before = getattr(instance, "_fairness_loaded", {})
    _loaded(sender, instance)  # the next save compares with what this one wrote
    if not changed:
        return
    if sender is Allegation:
        old = before.get("received_on")
        months_mark_stale([instance.received_on, old if isinstance(old, dt.date) else None])
    elif created:
        return  # a new case or officer has no allegation yet
    elif sender is Case:
        months_mark_stale_where("case_id", instance.pk)
    else:
        months_mark_stale_where("subject_id", instance.pk)


def _deleted(sender, instance, **kwargs):
    months_mark_stale([instance.__dict__.get("received_on")])


def listen() -> None:
    from django.db.models.signals import post_delete, post_init, post_save

    for model in WATCHED:
        post_init.connect(_loaded, sender=model, dispatch_uid=f"fairness.monthly.init.{model.__name__}")
        post_save.connect(_saved, sender=model, dispatch_uid=f"fairness.monthly.save.{model.__name__}")
    post_delete.connect(_deleted, sender=Allegation, dispatch_uid="fairness.monthly.delete.Allegation")
