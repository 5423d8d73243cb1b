"""The monthly summary of the force's allegations (models.AllegationMonth): its refresh (the one write, kept
here rather than in services.py so that the refresh task imports no module that imports tasks), the grouped
query it runs, and the pieces the figures read it with (which months it holds unchanged, which days to read
from the allegations instead). Which months changed is stale.py's."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection, transaction
from django.db.models import BooleanField, Count, Exists, F, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncMonth

from cases.models import Allegation

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


# One refresh at a time (a full one and a month's would otherwise both insert the month's rows).
SUMMARY_LOCK = 0x6661697200000001


def allegation_months_refresh(*, months: list[dt.date] | None = None) -> int:
    """Rewrite the monthly summary (models.AllegationMonth) for `months`, or all of it, from the allegations
    in one INSERT ... SELECT ... GROUP BY, and clear those months' stale marks; the number of rows written.
    Idempotent: a second run over the same records writes the same rows. The marks are cleared before the
    rows are read, so a change committed during the refresh is either read or keeps its mark."""
    if not summary_in_use():
        return 0
    summary, stale = AllegationMonth._meta.db_table, AllegationMonthStale._meta.db_table
    allegations = Allegation.objects.all()
    if months is not None:
        months = sorted({month_of(m) for m in months} - {EVERY_MONTH})
        if not months:
            return 0
        ranges = Q()
        for m in months:
            ranges |= Q(received_on__gte=m, received_on__lt=m + relativedelta(months=1))
        allegations = allegations.filter(ranges)
    select, params = allegations_grouped(allegations).query.sql_with_params()
    columns = [*KEY_COLUMNS, *COUNT_COLUMNS, "outcome_days"]
    aliases = [*KEY_COLUMNS.values(), *COUNT_COLUMNS, "outcome_days"]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SUMMARY_LOCK])
        if months is None:
            cursor.execute(f"DELETE FROM {stale}")  # noqa: S608 - table names from the models, values as parameters
            cursor.execute(f"DELETE FROM {summary}")  # noqa: S608 - table names from the models, values as parameters
        else:
            cursor.execute(f"DELETE FROM {stale} WHERE month = ANY(%s)", [months])  # noqa: S608 - table names from the models, values as parameters
            cursor.execute(f"DELETE FROM {summary} WHERE month = ANY(%s)", [months])  # noqa: S608 - table names from the models, values as parameters
        cursor.execute(
            f"INSERT INTO {summary} ({', '.join(columns)}) SELECT {', '.join(aliases)} FROM ({select}) grouped",  # noqa: S608 - table names from the models, values as parameters
            params,
        )
        return cursor.rowcount


def allegation_months_refresh_stale() -> int:
    """Rewrite every month marked stale (all of them if the summary was never built)."""
    marked = set(AllegationMonthStale.objects.values_list("month", flat=True))
    if EVERY_MONTH in marked:
        return allegation_months_refresh()
    return allegation_months_refresh(months=sorted(marked)) if marked else 0
