"""The commissioner's figures: every number an aggregate query, never a Python loop over rows.

Lives in the project layer because it gathers from every app (cases, vetting, hotline)."""

import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cases.calendar import months_before
from cases.fairness.selectors import allegations_received_by_month
from cases.models import (
    OPEN_CASE_STATUSES,
    Case,
    Conviction,
    ConvictionReviewStatus,
    EmploymentStatus,
    Officer,
    OnyxDecision,
    OnyxReview,
)
from cases.selectors_convictions import CONVICTION_GROUPS
from cases.statistics import onyx_breakdown
from hotline.models import HotlineReport, HotlineStatus
from vetting.models import (
    ClearanceStatus,
    PNDCheck,
    PNDResult,
    VettingClearance,
    VettingOutcome,
    VettingReview,
    VettingReviewStatus,
)

TREND_MONTHS = 24


def vetting_figures() -> dict:
    """Convictions, PND screening, vetting reviews and clearances: one aggregate query each, whatever the
    number of rows."""
    convictions = Conviction.objects.aggregate(
        total=Count("id"),
        serving=Count("id", filter=Q(while_serving=True)),
        joining=Count("id", filter=Q(while_serving=False)),
        under_review=Count(
            "id", filter=Q(review_status__in=[ConvictionReviewStatus.PENDING, ConvictionReviewStatus.UNDER_REVIEW])
        ),
        **{group: Count("id", filter=Q(category__in=cats)) for group, (_, cats) in CONVICTION_GROUPS.items()},
    )
    pnd = PNDCheck.objects.aggregate(
        checks=Count("id"),
        people=Count("officer", distinct=True),
        **{r.value: Count("id", filter=Q(result=r.value)) for r in PNDResult},
    )
    reviews = VettingReview.objects.aggregate(
        open=Count("id", filter=Q(status=VettingReviewStatus.OPEN)),
        in_progress=Count("id", filter=Q(status=VettingReviewStatus.IN_PROGRESS)),
        decided=Count("id", filter=Q(status=VettingReviewStatus.DECIDED)),
        **{o.value: Count("id", filter=Q(outcome=o.value)) for o in VettingOutcome},
    )
    clearances = VettingClearance.objects.aggregate(
        **{s.value: Count("id", filter=Q(status=s.value)) for s in ClearanceStatus}
    )
    return {"convictions": convictions, "pnd": pnd, "reviews": reviews, "clearances": clearances}


def _monthly(qs, field: str, since) -> dict[str, int]:
    rows = (
        qs.filter(**{f"{field}__gte": since})
        .annotate(month=TruncMonth(field))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    return {row["month"].strftime("%Y-%m"): row["n"] for row in rows}


def dashboard_figures(*, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    since = months_before(today.replace(day=1), TREND_MONTHS - 1)  # the first of the oldest month shown
    since_dt = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    hotline = HotlineReport.objects.aggregate(
        received=Count("id"),
        actioned=Count("id", filter=~Q(status=HotlineStatus.RECEIVED)),
        linked=Count("id", filter=Q(officer__isnull=False)),
    )
    months = []
    cursor = since
    while cursor <= today:
        months.append(cursor.strftime("%Y-%m"))
        cursor = dt.date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)
    allegations = allegations_received_by_month(since=since)  # the fairness app's monthly summary
    decisions = _monthly(OnyxReview.objects.exclude(decision=""), "decided_at", since_dt)
    reports = _monthly(HotlineReport.objects.all(), "received_at", since_dt)
    return {
        "onyx": onyx_breakdown(),
        "restricted_duties": Officer.objects.filter(status=EmploymentStatus.RESTRICTED).count(),
        "suspended": Officer.objects.filter(status=EmploymentStatus.SUSPENDED).count(),
        "vetting_reviews_open": VettingReview.objects.exclude(status=VettingReviewStatus.DECIDED).count(),
        "hotline": hotline,
        "vetting": vetting_figures(),
        "convictions_under_review": Conviction.objects.filter(
            review_status__in=[ConvictionReviewStatus.PENDING, ConvictionReviewStatus.UNDER_REVIEW]
        ).count(),
        "cases_over_12_months": Case.objects.filter(
            status__in=OPEN_CASE_STATUSES, came_to_notice_on__lte=today - dt.timedelta(days=365)
        ).count(),
        "trend": [
            {
                "month": m,
                "month_label": dt.date.fromisoformat(f"{m}-01").strftime("%B %Y"),
                "allegations": allegations.get(m, 0),
                "decisions": decisions.get(m, 0),
                "hotline": reports.get(m, 0),
            }
            for m in months
        ],
    }


def _month_bounds(month: str) -> tuple[str, str]:
    """ "2025-03" -> ("2025-03-01", "2025-03-31"): the list filters take a first and a last day."""
    import calendar

    year, number = (int(part) for part in month.split("-"))
    return f"{month}-01", f"{month}-{calendar.monthrange(year, number)[1]:02d}"


def _month_link(url: str, month: str, prefix: str, **extra) -> str:
    from urllib.parse import urlencode

    first, last = _month_bounds(month)
    return f"{url}?{urlencode({**extra, f'{prefix}_from': first, f'{prefix}_to': last})}"


def dashboard_charts(figures: dict, *, user) -> dict:
    """The dashboard's charts, each bar a link to the list it counts (where this user may open that list)."""
    from django.urls import reverse

    from cases.nav import view_admits

    from .charts import Series, bar_chart

    onyx = figures["onyx"]
    reviews = reverse("cases:review_list")
    decisions = [
        (OnyxDecision.NO_FURTHER_ACTION, onyx["nfa"]),
        (OnyxDecision.REASSESS, onyx["reassess"]),
        (OnyxDecision.RISK_MANAGEMENT, onyx["risk_management"]),
    ]
    decision_chart = bar_chart(
        title="Onyx decisions by type",
        categories=[d.label for d, _ in decisions],
        series=[
            Series(
                "Onyx decisions",
                [n for _, n in decisions],
                [f"{reviews}?decision={d.value}" for d, _ in decisions],
            )
        ],
        width=420,
    )
    months = [row["month"] for row in figures["trend"]]
    short = [dt.date.fromisoformat(f"{m}-01").strftime("%b %y") for m in months]
    long = [dt.date.fromisoformat(f"{m}-01").strftime("%B %Y") for m in months]
    allegations = reverse("cases:allegation_list")
    allegation_chart = bar_chart(
        title=f"Allegations received by month, last {len(months)} months",
        categories=short,
        category_descriptions=long,
        series=[
            Series(
                "Allegations received",
                [row["allegations"] for row in figures["trend"]],
                [_month_link(allegations, m, "received") for m in months],
            )
        ],
        label_every=6,
    )
    # The triage queue is for the hotline team, investigators and supervisors, not the commissioner: a bar
    # links to it only for a reader its view admits.
    may_open_triage = view_admits(user, "triage:queue")
    triage = reverse("triage:queue")
    activity_chart = bar_chart(
        title=f"Onyx decisions and hotline reports by month, last {len(months)} months",
        categories=short,
        category_descriptions=long,
        series=[
            Series(
                "Onyx decisions",
                [row["decisions"] for row in figures["trend"]],
                [_month_link(reviews, m, "decided") for m in months],
            ),
            Series(
                "Hotline reports",
                [row["hotline"] for row in figures["trend"]],
                [_month_link(triage, m, "received", status="all") if may_open_triage else "" for m in months],
            ),
        ],
        label_every=6,
    )
    return {
        "decision_chart": decision_chart,
        "allegation_chart": allegation_chart,
        "activity_chart": activity_chart,
        "hotline_bars_linked": may_open_triage,
    }
