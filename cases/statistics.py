"""The aggregate figures the dashboard and the API's statistics share: each an aggregate query over
the force's records (fairness/datasets.py's force dataset, so "time to outcome" is counted the way
the monitoring figures count it), never a row that names anyone.

Like the monitoring figures these cover every record, conflicted or restricted ones included: a
measure of the process that left cases out would not measure it."""

import datetime as dt

from django.db import connection
from django.db.models import Avg, Count, Exists, Max, Min, OuterRef, Q
from django.db.models.functions import TruncMonth

from .fairness.datasets import Scope, dataset_for
from .fairness.selectors import Median
from .models import (
    OPEN_CASE_STATUSES,
    Case,
    OnyxDecision,
    OnyxReview,
    OnyxStatus,
    PanelAssignment,
    PanelVerdict,
)
from .selectors import timeliness_report_due_q


def onyx_breakdown() -> dict:
    """Onyx reviews by decision and by where the panel's check stands (the dashboard's figures)."""
    verdict_given = PanelAssignment.objects.filter(review=OuterRef("pk")).exclude(verdict="")
    disagreed = PanelAssignment.objects.filter(review=OuterRef("pk"), verdict=PanelVerdict.DISAGREE)
    figures = OnyxReview.objects.aggregate(
        total=Count("id"),
        decided=Count("id", filter=~Q(decision="")),
        nfa=Count("id", filter=Q(decision=OnyxDecision.NO_FURTHER_ACTION)),
        reassess=Count("id", filter=Q(decision=OnyxDecision.REASSESS)),
        risk_management=Count("id", filter=Q(decision=OnyxDecision.RISK_MANAGEMENT)),
        panel_checked=Count("id", filter=Q(Exists(verdict_given))),
        agreed=Count("id", filter=Q(status=OnyxStatus.CONCLUDED)),
        disagreed=Count("id", filter=Q(Exists(disagreed))),
        with_panel=Count("id", filter=Q(status=OnyxStatus.WITH_PANEL)),
        returned=Count("id", filter=Q(status=OnyxStatus.RETURNED)),
    )
    figures["outstanding"] = figures["total"] - figures["agreed"]
    return figures


def _allegations(scope: Scope):
    return dataset_for(scope).allegations.order_by()


def outcomes_by_category(*, scope: Scope) -> list[dict]:
    """Allegations received in the scope, by category and by the outcome of their case ("" while
    there is none: not yet a case, or no outcome yet)."""
    rows = (
        _allegations(scope)
        .values("category", "case__finding", "case__outcome")
        .annotate(allegations=Count("id"))
        .order_by("category", "case__finding", "case__outcome")
    )
    return [
        {
            "category": r["category"],
            "finding": r["case__finding"] or "",
            "outcome": r["case__outcome"] or "",
            "allegations": r["allegations"],
        }
        for r in rows
    ]


def outcomes_by_month(*, scope: Scope) -> list[dict]:
    """Allegations whose case reached an outcome, by the month of the outcome and the outcome."""
    rows = (
        _allegations(scope)
        .filter(case__outcome_on__isnull=False)
        .annotate(month=TruncMonth("case__outcome_on"))
        .values("month", "case__outcome")
        .annotate(allegations=Count("id"))
        .order_by("month", "case__outcome")
    )
    return [
        {"month": r["month"].strftime("%Y-%m"), "outcome": r["case__outcome"] or "", "allegations": r["allegations"]}
        for r in rows
    ]


def time_to_outcome(*, scope: Scope) -> list[dict]:
    """Days from an allegation's receipt to its case's outcome (the monitoring figures' measure), by
    category: how many, the median (PostgreSQL), mean, shortest and longest."""
    ds = dataset_for(scope)
    qs = ds.allegations.order_by().annotate(days=ds.days).filter(days__isnull=False)
    figures = {
        "allegations": Count("id"),
        "mean_days": Avg("days"),
        "shortest_days": Min("days"),
        "longest_days": Max("days"),
    }
    if connection.vendor == "postgresql":
        figures["median_days"] = Median("days")
    rows = qs.values("category").annotate(**figures).order_by("category")
    return [{"median_days": None, **r} for r in rows]


def reg19_overdue(*, today: dt.date) -> dict:
    """Open cases whose regulation 19 report to the local policing body is due and not made (12 months
    after the matter came to notice, then every 6 months: Police (Conduct) Regulations 2020 reg 19(1)-(2),
    the same test as selectors.cases_due_timeliness_report), in all and by command."""
    qs = Case.objects.filter(status__in=OPEN_CASE_STATUSES).filter(timeliness_report_due_q(today)).order_by()
    by_command = qs.values("subject__command__code", "subject__command__name").annotate(cases=Count("id"))
    return {
        "as_of": today,
        "cases": qs.count(),
        "by_command": [
            {
                "command": r["subject__command__code"] or "",
                "name": r["subject__command__name"] or "",
                "cases": r["cases"],
            }
            for r in by_command.order_by("subject__command__code")
        ],
    }
