"""The commissioner's figures: every number an aggregate query, never a Python loop over rows.

Lives in the project layer because it gathers from every app (cases, vetting, hotline)."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cases.calendar import months_before
from cases.models import (
    OPEN_CASE_STATUSES,
    Allegation,
    Case,
    Conviction,
    ConvictionReviewStatus,
    EmploymentStatus,
    Officer,
    OnyxDecision,
    OnyxReview,
    OnyxStatus,
    PanelAssignment,
    PanelVerdict,
)
from hotline.models import HotlineReport, HotlineStatus
from vetting.models import VettingReview, VettingReviewStatus

TREND_MONTHS = 24


def onyx_breakdown() -> dict:
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
    allegations = _monthly(Allegation.objects.all(), "received_on", since)
    decisions = _monthly(OnyxReview.objects.exclude(decision=""), "decided_at", since_dt)
    reports = _monthly(HotlineReport.objects.all(), "received_at", since_dt)
    return {
        "onyx": onyx_breakdown(),
        "restricted_duties": Officer.objects.filter(status=EmploymentStatus.RESTRICTED).count(),
        "suspended": Officer.objects.filter(status=EmploymentStatus.SUSPENDED).count(),
        "vetting_reviews_open": VettingReview.objects.exclude(status=VettingReviewStatus.DECIDED).count(),
        "hotline": hotline,
        "convictions_under_review": Conviction.objects.filter(
            review_status__in=[ConvictionReviewStatus.PENDING, ConvictionReviewStatus.UNDER_REVIEW]
        ).count(),
        "cases_over_12_months": Case.objects.filter(
            status__in=OPEN_CASE_STATUSES, came_to_notice_on__lte=today - dt.timedelta(days=365)
        ).count(),
        "trend": [
            {
                "month": m,
                "allegations": allegations.get(m, 0),
                "decisions": decisions.get(m, 0),
                "hotline": reports.get(m, 0),
            }
            for m in months
        ],
    }


def bar_chart(values: list[tuple[str, int]], *, width: int = 640, height: int = 180) -> dict:
    """Geometry for a server-rendered SVG bar chart (no JavaScript, no CDN)."""
    top = max((v for _, v in values), default=0) or 1
    slot = width / max(len(values), 1)
    bars = []
    for i, (label, value) in enumerate(values):
        h = round((height - 20) * value / top, 1)
        bars.append(
            {
                "x": round(i * slot + 2, 1),
                "y": round(height - 20 - h, 1),
                "w": round(max(slot - 4, 1), 1),
                "h": h,
                "label": label,
                "value": value,
            }
        )
    return {"width": width, "height": height, "bars": bars, "max": top}
