"""The two kinds of dataset the monitoring figures read, behind one shape: the force's own records
(Officer, Allegation, Case) and an imported source (ExternalSubject, ExternalAllegation). Each says
which rows are the people and the allegations in a scope, and which expression is each group and
each stage of the funnel, so the figures (selectors.py) are the same GROUP BY queries on either."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F, Func, IntegerField, Q, QuerySet

from cases.models import (
    Allegation,
    AllegationCategory,
    AllegationSource,
    AllegationStatus,
    Ethnicity,
    Officer,
    Outcome,
    Severity,
    Sex,
)
from cases.models import Finding as CaseFinding

from .models import FORCE_SOURCE, DataSource, ExternalAllegation, ExternalSubject, Finding

STAGES = ("case", "gross_misconduct", "case_to_answer", "upheld", "dismissal")
STAGE_LABELS = {
    "case": "Became a case",
    "gross_misconduct": "Assessed as gross misconduct",
    "case_to_answer": "Case to answer",
    "upheld": "Upheld",
    "dismissal": "Dismissal",
}
FUNNEL = ("case", "case_to_answer", "upheld", "dismissal")
UNKNOWN_GROUPS = {"not_stated", "unknown", "", "Unknown", "Not stated"}


class DaysBetween(Func):
    """end - start in whole days, on PostgreSQL (date - date is an integer) and SQLite."""

    output_field = IntegerField()
    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


@dataclass(frozen=True)
class Scope:
    source: str = FORCE_SOURCE
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    command: str = ""
    origin: str = ""
    category: str = ""
    small_below: int = 10
    reference: dict = field(default_factory=dict)  # dimension -> group key


@dataclass
class Dataset:
    name: str
    people: QuerySet
    allegations: QuerySet
    people_groups: dict  # dimension -> field on people
    allegation_groups: dict  # dimension -> field on allegations
    stages: dict  # stage -> Q on allegations, or None where the source has no such stage
    involved: Q  # which allegations' subjects count as "people with an allegation" (in the workforce)
    subject_field: str
    category_field: str
    days: Func | None
    labels: dict  # dimension -> {key: label}
    category_labels: dict
    notes: list
    people_are_complained_about: bool = False


def force_stages() -> dict:
    """Each stage of the funnel as a condition on an allegation of the force (the page's direct figures
    and the monthly summary's refresh both count with these)."""
    return {
        "case": Q(case__isnull=False),
        "gross_misconduct": Q(case__severity=Severity.GROSS_MISCONDUCT),
        "case_to_answer": Q(case__finding=CaseFinding.CASE_TO_ANSWER),
        "upheld": Q(status=AllegationStatus.UPHELD),
        "dismissal": Q(case__outcome__in=[Outcome.DISMISSAL, Outcome.DISMISSAL_WITH_NOTICE]),
    }


def force_days() -> Func:
    """Days from an allegation's receipt to its case's outcome (null without one)."""
    return DaysBetween(F("case__outcome_on"), F("received_on"))


def _force(scope: Scope) -> Dataset:
    people = Officer.objects.all()
    allegations = Allegation.objects.all()
    involved = Q()
    if scope.date_to:
        people = people.filter(joined_on__lte=scope.date_to)
        allegations = allegations.filter(received_on__lte=scope.date_to)
        involved &= Q(subject__joined_on__lte=scope.date_to)
    if scope.date_from:
        people = people.filter(Q(left_on__isnull=True) | Q(left_on__gte=scope.date_from))
        allegations = allegations.filter(received_on__gte=scope.date_from)
        involved &= Q(subject__left_on__isnull=True) | Q(subject__left_on__gte=scope.date_from)
    if scope.command:
        people = people.filter(command__code__iexact=scope.command)
        allegations = allegations.filter(subject__command__code__iexact=scope.command)
    if scope.origin:
        allegations = allegations.filter(source=scope.origin)
    if scope.category:
        allegations = allegations.filter(category=scope.category)
    return Dataset(
        name="The force's own records",
        people=people,
        allegations=allegations,
        people_groups={"ethnicity": "ethnicity", "sex": "sex"},
        allegation_groups={"ethnicity": "subject__ethnicity", "sex": "subject__sex"},
        stages=force_stages(),
        involved=involved,
        subject_field="subject_id",
        category_field="category",
        days=force_days(),
        labels={"ethnicity": dict(Ethnicity.choices), "sex": dict(Sex.choices)},
        category_labels=dict(AllegationCategory.choices),
        notes=["The workforce of a group is everyone of that group serving at any time in the period."],
    )


def _external(scope: Scope, source: DataSource) -> Dataset:
    people = ExternalSubject.objects.filter(source=source)
    allegations = ExternalAllegation.objects.filter(source=source)
    if scope.date_from:
        allegations = allegations.filter(received_on__gte=scope.date_from)
    if scope.date_to:
        allegations = allegations.filter(received_on__lte=scope.date_to)
    if scope.command:
        people = people.filter(command__iexact=scope.command)
        allegations = allegations.filter(subject__command__iexact=scope.command)
    if scope.origin:
        allegations = allegations.filter(origin=scope.origin)
    if scope.category:
        allegations = allegations.filter(category=scope.category)
    present = set(source.stages)
    stage_q = {
        "case": Q(in_case=True),
        "gross_misconduct": Q(gross_misconduct=True),
        "case_to_answer": Q(case_to_answer=True),
        "upheld": Q(finding=Finding.UPHELD),
        "dismissal": Q(dismissal=True),
    }
    notes = ["The workforce of a group is the distinct people of that group in the source."]
    if source.subjects_only_with_allegations:
        notes.append(
            "This source lists only people who had an allegation, so every group's 'people with an allegation' "
            "is close to 100% and 'allegations per 100 people' is per 100 people complained about, not per 100 "
            "in the force. Compare outcomes (upheld, case to answer) between groups rather than rates."
        )
    return Dataset(
        name=source.name,
        people=people,
        allegations=allegations,
        people_groups={"ethnicity": "ethnicity", "sex": "sex"},
        allegation_groups={"ethnicity": "subject__ethnicity", "sex": "subject__sex"},
        stages={s: (q if s in present else None) for s, q in stage_q.items()},
        involved=Q(),
        subject_field="subject_id",
        category_field="category",
        days=DaysBetween(F("outcome_on"), F("received_on")) if source.has_outcome_dates else None,
        labels={"ethnicity": {}, "sex": {}},
        category_labels={},
        notes=notes,
        people_are_complained_about=source.subjects_only_with_allegations,
    )


def dataset_for(scope: Scope) -> Dataset:
    """The dataset a scope names; DataSource.DoesNotExist for an unknown source (the view's 404)."""
    if scope.source == FORCE_SOURCE:
        return _force(scope)
    return _external(scope, DataSource.objects.get(slug=scope.source))


def origin_choices(scope_source: str) -> list[tuple[str, str]]:
    if scope_source == FORCE_SOURCE:
        return list(AllegationSource.choices)
    values = (
        ExternalAllegation.objects.filter(source__slug=scope_source)
        .order_by()
        .values_list("origin", flat=True)
        .distinct()
    )
    return [(v, v) for v in sorted(values) if v]
