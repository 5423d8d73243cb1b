"""The monthly summary of the force's allegations (models.AllegationMonth): the one grouped query that both
its refresh and the page's reading of changed or partial months run, and the marks that say which months
changed since their rows were written.

A change marks its months stale in its own transaction (an upsert that holds the mark's row lock until
commit, so a refresh running meanwhile waits for it and then reads the change) and enqueues the refresh of
those months on commit. Until the task has run, the figures read those months from the allegations: no
page shows figures older than the records, broker up or down. Bulk writes that send no signals (the demo
seed, a raw import) are covered by the full refresh (`manage.py fairness_summary_refresh`, nightly in
beat)."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import BooleanField, Count, Exists, F, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncMonth

from cases.models import Allegation, Case, Officer
from cases.queue import enqueue_on_commit

from .datasets import force_days, force_stages
from .models import EVERY_MONTH, AllegationMonth, AllegationMonthStale

# The columns of the summary, in the order the refresh inserts them, each with its alias in the grouped query.
KEY_COLUMNS = {
    "month": "g_month",
    "subject_ethnicity": "g_ethnicity",
    "subject_sex": "g_sex",
    "category": "g_category",
}
COUNT_COLUMNS = {
    "allegations": None,
    "n_case": "case",
    "n_gross_misconduct": "gross_misconduct",
    "n_case_to_answer": "case_to_answer",
    "n_upheld": "upheld",
    "n_dismissal": "dismissal",
}

# What each model's change can move in the summary: a row is re-marked only when one of these changed.
WATCHED = {
    Allegation: ("received_on", "subject_id", "case_id", "category", "status"),
    Case: ("severity", "finding", "outcome", "outcome_on"),
    Officer: ("ethnicity", "sex"),
}


def summary_in_use() -> bool:
    """The summary is built and read on PostgreSQL; elsewhere the figures read the allegations."""
    return connection.vendor == "postgresql"


def allegations_grouped(allegations: QuerySet) -> QuerySet:
    """`allegations` counted by the summary's key, with the page's own stage conditions (datasets.py), and
    the days to outcome of those that have one (column `outcome_days`)."""
    stages = force_stages()
    counts = {
        column: Count("id", filter=stages[stage]) if stage else Count("id") for column, stage in COUNT_COLUMNS.items()
    }
    days = force_days()
    return (
        allegations.order_by()
        .annotate(
            g_month=TruncMonth("received_on"),
            g_ethnicity=F("subject__ethnicity"),
            g_sex=F("subject__sex"),
            g_category=F("category"),
        )
        .values(*KEY_COLUMNS.values())
        .annotate(
            **counts,
            outcome_days=ArrayAgg(days, filter=Q(case__outcome_on__isnull=False), order_by=days, default=Value([])),
        )
    )


def stale_days(first: dt.date, last: dt.date) -> RawSQL:
    """A condition on an allegation: received on a day of a month from `first` to `last` (firsts of months)
    marked stale, any day of them while the summary is unbuilt. An array of days, so that the received_on
    index serves each month (an IN over a subquery would scan the period)."""
    stale, allegations = AllegationMonthStale._meta.db_table, Allegation._meta.db_table
    last_day = last + relativedelta(day=31)
    return RawSQL(  # noqa: S611 - table names from the models, values as parameters
        f'"{allegations}"."received_on" = ANY(ARRAY('  # noqa: S608 - table names from the models
        f"SELECT d::date FROM {stale} s, LATERAL generate_series("
        f"CASE WHEN s.month = %s THEN GREATEST(%s, (SELECT min(received_on) FROM {allegations})) ELSE s.month END, "
        f"CASE WHEN s.month = %s THEN LEAST(%s, (SELECT max(received_on) FROM {allegations})) "
        "ELSE (s.month + interval '1 month' - interval '1 day')::date END, interval '1 day') d "
        "WHERE s.month = %s OR s.month BETWEEN %s AND %s))",
        [EVERY_MONTH, first, EVERY_MONTH, last_day, EVERY_MONTH, first, last],
        output_field=BooleanField(),
    )


def unchanged_months(first: dt.date, last: dt.date) -> QuerySet:
    """The summary rows of the months from `first` to `last` not marked stale (none while it is unbuilt)."""
    return (
        AllegationMonth.objects.filter(month__gte=first, month__lte=last)
        .exclude(month__in=AllegationMonthStale.objects.values("month"))
        .exclude(Exists(AllegationMonthStale.objects.filter(month=EVERY_MONTH)))
    )


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_mark_stale(months) -> list[dt.date]:
    """Mark `months` (firsts of months) stale in this transaction and enqueue their refresh on commit."""
    months = sorted({month_of(m) for m in months if m is not None})
    if not months or not summary_in_use():
        return []
    table = AllegationMonthStale._meta.db_table
    with connection.cursor() as cursor:
        # DO UPDATE, not DO NOTHING: the mark's row stays locked until this transaction commits, so a refresh
        # that is deleting it waits and then reads this change (sorted, so two writers lock in one order).
        cursor.execute(
            f"INSERT INTO {table} (month) SELECT unnest(%s::date[]) ORDER BY 1 "
            "ON CONFLICT (month) DO UPDATE SET month = EXCLUDED.month",
            [months],
        )
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
            f"WHERE {column} = %s ORDER BY 1 ON CONFLICT (month) DO UPDATE SET month = EXCLUDED.month RETURNING month",
            [value],
        )
        months = [row[0] for row in cursor.fetchall()]
    if months:
        _enqueue(months)


def _enqueue(months: list[dt.date]) -> None:
    from .tasks import allegation_months_refresh_task

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


__all__ = ["AllegationMonth", "allegations_grouped", "months_mark_stale", "months_mark_stale_where"]
