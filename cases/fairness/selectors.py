"""The monitoring figures for a period and scope, by subject ethnicity and by sex, on the force's
records or an imported source (datasets.py). A fixed number of GROUP BY queries whatever the size of
the data: people by group, allegations and their stages by group, the median days to outcome by
group (once per dimension: medians do not add up), and the figures by category.

The figures are aggregates over everyone in scope, conflicted or restricted records included: a
measure of the whole process that left some cases out would not measure it. No row that names a
person is ever shown; small groups are marked, never dropped."""

import datetime as dt
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.db.models import Aggregate, Count, Exists, F, FloatField, IntegerField, OuterRef, Q, Sum, Value, When
from django.db.models import Case as DbCase
from django.db.models.functions import TruncMonth

from cases.models import Allegation

from . import monthly, stats
from .datasets import FUNNEL, STAGE_LABELS, STAGES, UNKNOWN_GROUPS, Dataset, Scope, dataset_for
from .models import FORCE_SOURCE

DIMENSIONS = ("ethnicity", "sex")


class Median(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass
class Group:
    key: str
    label: str
    people: int = 0
    people_with_allegation: int = 0
    allegations: int = 0
    stages: dict = field(default_factory=dict)  # stage -> count, or None: not in this source
    median_days: float | None = None
    small: bool = False
    rates: dict = field(default_factory=dict)  # "involved", "allegations", and each stage -> stats.Rate
    ratios: dict = field(default_factory=dict)  # same keys -> stats.Ratio against the reference group
    funnel: list = field(default_factory=list)  # (label, count, share of allegations)
    is_reference: bool = False


@dataclass
class Figures:
    scope: Scope
    dataset: str
    notes: list
    stages_present: list
    has_outcome_dates: bool
    by: dict  # dimension -> list[Group]
    reference: dict  # dimension -> Group | None
    categories: list  # dicts: key, label, allegations, upheld (Rate), case_to_answer (Rate or None)
    total: Group
    summary: list  # sentences for a commissioner
    people_are_complained_about: bool = False  # the source lists only people with an allegation


class Grouping(Aggregate):
    """GROUPING(a, b, c): which of a query's grouping sets a row belongs to (a bit set per absent column)."""

    function = "GROUPING"
    output_field = IntegerField()


def _stage_counts(ds: Dataset) -> dict:
    counts = {"allegations": Count("id"), "involved": Count(ds.subject_field, distinct=True, filter=ds.involved)}
    for stage, q in ds.stages.items():
        if q is not None:
            counts[f"n_{stage}"] = Count("id", filter=q)
    return counts


def _medians(ds: Dataset, dimension: str) -> dict:
    if ds.days is None:
        return {}
    qs = ds.allegations.order_by().annotate(days=ds.days).filter(days__isnull=False)
    group_field = ds.allegation_groups[dimension]
    if connection.vendor == "postgresql":
        rows = qs.values(group_field).annotate(median=Median("days"))
        return {r[group_field]: r["median"] for r in rows}
    values = defaultdict(list)
    for key, days in qs.values_list(group_field, "days"):
        values[key].append(days)
    return {k: float(statistics.median(v)) for k, v in values.items()}


def _rates(group: Group, stages_present: list, small_below: int) -> None:
    n = group.allegations
    group.rates["involved"] = stats.proportion(
        min(group.people_with_allegation, group.people), group.people, small_below=small_below
    )
    group.rates["allegations"] = stats.poisson_rate(group.allegations, group.people, small_below=small_below)
    for stage in STAGES:
        count = group.stages.get(stage)
        group.rates[stage] = (
            None if stage not in stages_present else stats.proportion(count or 0, n, small_below=small_below)
        )
    group.small = group.people < small_below or n < small_below
    base = n or 1
    group.funnel = [("Allegations", n, 1.0 if n else None)] + [
        (STAGE_LABELS[s], group.stages[s], (group.stages[s] / base) if n else None)
        for s in FUNNEL
        if s in stages_present
    ]


def _choose_reference(groups: list[Group], wanted: str) -> Group | None:
    by_key = {g.key: g for g in groups}
    if wanted in by_key:
        return by_key[wanted]
    candidates = [g for g in groups if g.key not in UNKNOWN_GROUPS and g.people]
    return max(candidates, key=lambda g: (g.people, g.allegations), default=None)


def _separate_passes(ds: Dataset, group_fields: list) -> tuple[list, dict, list]:
    """The allegation figures in three kinds of query: by ethnicity and sex, a median per dimension
    (medians do not add up), and by category. Any database."""
    allegation_rows = list(ds.allegations.order_by().values(*group_fields).annotate(**_stage_counts(ds)))
    medians = {d: _medians(ds, d) for d in DIMENSIONS}
    category_counts = {"n": Count("id")}
    for stage in ("upheld", "case_to_answer"):
        if ds.stages.get(stage) is not None:
            category_counts[f"n_{stage}"] = Count("id", filter=ds.stages[stage])
    category_rows = list(
        ds.allegations.order_by().values(ds.category_field).annotate(**category_counts).order_by(ds.category_field)
    )
    return allegation_rows, medians, category_rows


def _one_pass(ds: Dataset, group_fields: list) -> tuple[list, dict, list]:
    """The same figures as `_separate_passes` from one scan of the allegations (PostgreSQL's
    GROUPING SETS): each join of the allegations to people and cases is paid once, not four times."""
    fields = [*group_fields, ds.category_field]
    counts = _stage_counts(ds)
    if ds.days is not None:
        counts["median"] = Median(ds.days)
    qs = ds.allegations.order_by().values(*fields).annotate(**counts, grouping=Grouping(*[F(f) for f in fields]))
    sql, params = qs.query.sql_with_params()
    plain = "GROUP BY " + ", ".join(str(i + 1) for i in range(len(fields)))
    if not sql.endswith(plain):  # the compiler changed how it groups: keep the figures right, if slower
        return _separate_passes(ds, group_fields)
    # Bits of GROUPING(ethnicity, sex, category): 1 = category absent, 2 = sex absent, 4 = ethnicity absent.
    sets = "GROUP BY GROUPING SETS ((1, 2), (1), (2), (3))"
    with connection.cursor() as cursor:
        cursor.execute(sql[: -len(plain)] + sets, params)
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    by_set = defaultdict(list)
    for r in rows:
        by_set[r["grouping"]].append(r)
    extra = {ds.category_field, "grouping", "median"}
    allegation_rows = [{k: v for k, v in r.items() if k not in extra} for r in by_set[0b001]]
    medians = {
        "ethnicity": {r[group_fields[0]]: r.get("median") for r in by_set[0b011] if r.get("median") is not None},
        "sex": {r[group_fields[1]]: r.get("median") for r in by_set[0b101] if r.get("median") is not None},
    }
    category_rows = sorted(
        (
            {ds.category_field: r[ds.category_field], "n": r["allegations"]}
            | {f"n_{s}": r[f"n_{s}"] for s in ("upheld", "case_to_answer") if f"n_{s}" in r}
            for r in by_set[0b110]
        ),
        key=lambda r: (r[ds.category_field] is None, r[ds.category_field] or ""),
    )
    return allegation_rows, medians, category_rows


def _full_months(scope: Scope) -> tuple[dt.date, dt.date] | None:
    """The first and last month wholly inside the scope's period (open ends reach any month), or None."""
    first = dt.date.min if scope.date_from is None else monthly.month_of(scope.date_from)
    if scope.date_from is not None and scope.date_from.day != 1:
        first += relativedelta(months=1)
    last = dt.date(9999, 12, 1) if scope.date_to is None else monthly.month_of(scope.date_to)
    if scope.date_to is not None and (scope.date_to + dt.timedelta(days=1)).day != 1:
        last -= relativedelta(months=1)
    return (first, last) if first <= last else None


def _percentile_cont_median(histogram: list[tuple[int, int]]) -> float:
    """PERCENTILE_CONT(0.5) of the values a (value, count) histogram holds, in PostgreSQL's arithmetic:
    first + (second - first) * (rank - floor(rank)), rank = 0.5 * (n - 1)."""
    total = sum(n for _, n in histogram)
    rank = 0.5 * (total - 1)
    below, above = math.floor(rank), math.ceil(rank)
    seen, low, high = 0, None, None
    for value, n in sorted(histogram):
        if low is None and seen + n > below:
            low = value
        if seen + n > above:
            high = value
            break
        seen += n
    return float(low) + (float(high) - float(low)) * (rank - below)


def _summary_pass(ds: Dataset, scope: Scope, group_fields: list) -> tuple[list, dict, list]:
    """The figures of `_one_pass` from the monthly summary for the months wholly inside the period that have
    not changed since their rows were written, and from the allegations for the rest (the part-months at
    either end, and months marked stale): one statement, whatever the length of the period. The medians come
    from a histogram of the days to outcome (the summary's and the other allegations'): a hash aggregate, where
    PERCENTILE_CONT would sort every day twice."""
    full = _full_months(scope)
    direct = ds.allegations
    summaries = None
    if full is not None:
        first, last = full
        last_day = last + relativedelta(day=31)  # the last day of that month
        direct = direct.filter(
            Q(received_on__lt=first) | Q(received_on__gt=last_day) | Q(monthly.stale_days(first, last))
        )
        summaries = monthly.unchanged_months(first, last).order_by()
        if scope.category:
            summaries = summaries.filter(category=scope.category)
    flags = {f"f_{s}": DbCase(When(q, then=Value(1)), default=Value(0)) for s, q in ds.stages.items()}
    direct = (
        direct.order_by()
        .annotate(g_e=F("subject__ethnicity"), g_s=F("subject__sex"), g_c=F("category"), g_d=ds.days, **flags)
        .values_list("g_e", "g_s", "g_c", "g_d", *flags)
    )
    direct_sql, params = direct.query.sql_with_params()
    params = list(params)
    names = ", ".join(COUNT_NAMES)
    counts_sql = f"SELECT g_e, g_s, g_c, 1, {', '.join(flags)} FROM direct"  # noqa: S608 - built from ORM queries
    days_sql = "SELECT g_e, g_s, g_d FROM direct WHERE g_d IS NOT NULL"
    if summaries is not None:
        counted, p1 = summaries.values_list(
            "subject_ethnicity", "subject_sex", "category", *COUNT_NAMES
        ).query.sql_with_params()
        days, p2 = summaries.values_list("subject_ethnicity", "subject_sex", "outcome_days").query.sql_with_params()
        counts_sql = f"SELECT * FROM ({counted}) summary UNION ALL {counts_sql}"  # noqa: S608 - built from ORM queries
        days_sql = f"SELECT e, s, unnest(d) FROM ({days}) AS summary(e, s, d) UNION ALL {days_sql}"  # noqa: S608 - built from ORM queries
        params += [*p1, *p2]
    sums = ", ".join(f"SUM({c})::int" for c in COUNT_NAMES)
    nulls = ", ".join("NULL::int" for _ in COUNT_NAMES[1:])
    sql = (
        f"WITH direct AS MATERIALIZED ({direct_sql}) "  # noqa: S608 - built from ORM queries
        f"SELECT 0, e, s, c, {sums}, GROUPING(e, s, c), NULL::int "
        f"FROM ({counts_sql}) AS counts(e, s, c, {names}) GROUP BY GROUPING SETS ((e, s), (c)) "
        f"UNION ALL SELECT 1, e, s, NULL, COUNT(*)::int, {nulls}, GROUPING(e, s), d "
        f"FROM ({days_sql}) AS days(e, s, d) GROUP BY GROUPING SETS ((e, d), (s, d))"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    allegation_rows, category_rows = [], []
    histograms = {"ethnicity": defaultdict(list), "sex": defaultdict(list)}
    for kind, e, s, c, *rest in rows:
        counts, grouping, days = dict(zip(COUNT_NAMES, rest[:-2], strict=True)), rest[-2], rest[-1]
        if kind == 1:
            # Bits of GROUPING(ethnicity, sex): 1 = sex absent, 2 = ethnicity absent.
            if grouping == 0b01:
                histograms["ethnicity"][e].append((days, counts["allegations"]))
            else:
                histograms["sex"][s].append((days, counts["allegations"]))
        elif grouping == 0b001:  # by ethnicity and sex (category absent)
            allegation_rows.append({group_fields[0]: e, group_fields[1]: s} | counts)
        else:  # by category
            category_rows.append(
                {ds.category_field: c, "n": counts["allegations"]}
                | {"n_upheld": counts["n_upheld"], "n_case_to_answer": counts["n_case_to_answer"]}
            )
    medians = {d: {key: _percentile_cont_median(h) for key, h in by.items()} for d, by in histograms.items()}
    category_rows.sort(key=lambda r: (r[ds.category_field] is None, r[ds.category_field] or ""))
    return allegation_rows, medians, category_rows


# The summary's counts, named as `_stage_counts` names them.
COUNT_NAMES = ("allegations", "n_case", "n_gross_misconduct", "n_case_to_answer", "n_upheld", "n_dismissal")


def _reads_summary(scope: Scope) -> bool:
    """The summary keeps no command and no allegation source: a scope narrowed by either reads the
    allegations (a narrower set)."""
    return scope.source == FORCE_SOURCE and not scope.command and not scope.origin and monthly.summary_in_use()


def monitoring_figures(*, scope: Scope) -> Figures:
    ds = dataset_for(scope)
    stages_present = [s for s in STAGES if ds.stages.get(s) is not None]
    fields = list(ds.people_groups.values())
    group_fields = [ds.allegation_groups[d] for d in DIMENSIONS]
    if _reads_summary(scope):
        # People with an allegation do not add up over months: counted on the people, each with an EXISTS over
        # its own allegations in scope (the subject index). An IN over the subjects of a long period would not
        # fit a hash in work_mem and be re-run for every person.
        involved = Exists(ds.allegations.filter(subject=OuterRef("pk")))
        people_rows = list(
            ds.people.order_by().values(*fields).annotate(n=Count("id"), involved=Count("id", filter=involved))
        )
        allegation_rows, medians, category_rows = _summary_pass(ds, scope, group_fields)
        involved_by = {(r[fields[0]], r[fields[1]]): r["involved"] for r in people_rows}
        for r in allegation_rows:
            r["involved"] = involved_by.pop((r[group_fields[0]], r[group_fields[1]]), 0)
    else:
        people_rows = list(ds.people.order_by().values(*fields).annotate(n=Count("id")))
        passes = _one_pass if connection.vendor == "postgresql" else _separate_passes
        allegation_rows, medians, category_rows = passes(ds, group_fields)

    by, reference = {}, {}
    total = Group(key="all", label="Everyone", stages=dict.fromkeys(stages_present, 0))
    total.people = sum(r["n"] for r in people_rows)
    for r in allegation_rows:
        total.allegations += r["allegations"]
        total.people_with_allegation += r["involved"]
        for s in stages_present:
            total.stages[s] += r[f"n_{s}"]
    _rates(total, stages_present, scope.small_below)
    for d in DIMENSIONS:
        labels = ds.labels[d]
        groups: dict[str, Group] = {}

        def group(key, labels=labels, groups=groups):
            key = key or "Unknown"
            if key not in groups:
                groups[key] = Group(key=key, label=labels.get(key, key), stages=dict.fromkeys(stages_present, 0))
            return groups[key]

        for r in people_rows:
            group(r[ds.people_groups[d]]).people += r["n"]
        for r in allegation_rows:
            g = group(r[ds.allegation_groups[d]])
            g.allegations += r["allegations"]
            g.people_with_allegation += r["involved"]
            for s in stages_present:
                g.stages[s] += r[f"n_{s}"]
        for key, median in medians[d].items():
            group(key).median_days = median
        for g in groups.values():
            _rates(g, stages_present, scope.small_below)
        ordered = sorted(groups.values(), key=lambda g: (g.key in UNKNOWN_GROUPS, -g.people, g.label))
        ref = _choose_reference(ordered, scope.reference.get(d, ""))
        for g in ordered:
            g.is_reference = g is ref
            if ref is not None:
                g.ratios = {k: stats.ratio_for(rate, ref.rates[k]) for k, rate in g.rates.items() if rate is not None}
        by[d], reference[d] = ordered, ref

    categories = []
    for r in category_rows:
        key = r[ds.category_field]
        n = r["n"]
        categories.append(
            {
                "key": key,
                "label": ds.category_labels.get(key, key or "Unknown"),
                "allegations": n,
                "upheld": stats.proportion(r["n_upheld"], n, small_below=scope.small_below)
                if "n_upheld" in r
                else None,
                "case_to_answer": (
                    stats.proportion(r["n_case_to_answer"], n, small_below=scope.small_below)
                    if "n_case_to_answer" in r
                    else None
                ),
            }
        )
    figures = Figures(
        scope=scope,
        dataset=ds.name,
        notes=ds.notes,
        stages_present=stages_present,
        has_outcome_dates=ds.days is not None,
        by=by,
        reference=reference,
        categories=categories,
        total=total,
        summary=[],
        people_are_complained_about=ds.people_are_complained_about,
    )
    figures.summary = summary_sentences(figures)
    return figures


def summary_sentences(figures: Figures) -> list[str]:
    """What the ethnicity figures say, in words, for each group against the reference group."""
    ref = figures.reference.get("ethnicity")
    if ref is None:
        return ["There are no people in this scope to compare."]
    sentences = []
    for g in figures.by["ethnicity"]:
        if g is ref or g.key in UNKNOWN_GROUPS or not g.ratios:
            continue
        if g.small:
            sentences.append(f"{g.label}: only {g.people} people and {g.allegations} allegations, too few to say much.")
        if not figures.people_are_complained_about:
            sentences.append(
                g.ratios["involved"].words(
                    f"{g.label} officers and staff", ref.label, "to have an allegation made against them"
                )
            )
        if "upheld" in g.ratios:
            sentences.append(ratio_words_outcome(g, ref, "upheld"))
    return sentences


def ratio_words_outcome(group: Group, ref: Group, stage: str) -> str:
    return group.ratios[stage].words(
        f"Allegations about {group.label} people",
        ref.label,
        f"to reach {STAGE_LABELS[stage].lower()}" if stage != "upheld" else "to be upheld",
    )


def allegations_received_by_month(*, since: dt.date) -> dict[str, int]:
    """The force's allegations received in each month from the month of `since` on ("2026-03" -> count), from
    the summary for the months unchanged since it was written and from the allegations for the rest."""
    first = monthly.month_of(since)
    last = dt.date(9999, 12, 1)
    counts = defaultdict(int)
    if not monthly.summary_in_use():
        rows = (
            Allegation.objects.filter(received_on__gte=first)
            .annotate(month=TruncMonth("received_on"))
            .values_list("month")
            .annotate(n=Count("id"))
        )
    else:
        summary = monthly.unchanged_months(first, last).values_list("month").annotate(n=Sum("allegations"))
        direct = (
            Allegation.objects.filter(received_on__gte=first)
            .filter(monthly.stale_days(first, last))
            .annotate(month=TruncMonth("received_on"))
            .values_list("month")
            .annotate(n=Count("id"))
            .order_by()
        )
        rows = summary.order_by().union(direct, all=True)
    for month, n in rows:
        counts[month.strftime("%Y-%m")] += n
    return dict(counts)
