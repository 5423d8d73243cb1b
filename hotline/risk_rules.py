"""The hotline's risk rule, registered with the engine in cases.risk (autodiscovered)."""

import datetime as dt

from django.utils import timezone

from cases.risk.engine import Hit, Reason, Watch, Whole, group_pairs, months_before, register, restrict, threshold_level
from cases.risk.models import RuleSeverity

from .models import HotlineReport


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@register(
    code="hotline_reports",
    description="K or more hotline reports linked to the officer in the last M months (duplicates not "
    "counted); Warning at K, Critical at a higher K.",
    severity=RuleSeverity.MEDIUM,
    defaults={"months": 12, "warning": 2, "critical": 4},
    limits={"months": Whole(1, 120), "warning": Whole(1, 1000), "critical": Whole(1, 1000)},
    ordered=[("warning", "critical")],
    watches=[Watch("hotline.HotlineReport", lambda row: row.officer_id)],
)
def hotline_reports(*, params, as_of, officer_ids):
    start = months_before(as_of, params["months"])
    # Linked after the start day, up to the end of as_of (local time): the same window as the other rules.
    window = HotlineReport.objects.filter(
        officer__isnull=False,
        duplicate_of__isnull=True,
        linked_at__gte=_day_start(start + dt.timedelta(days=1)),
        linked_at__lt=_day_start(as_of + dt.timedelta(days=1)),
    ).order_by()
    window = restrict(window, officer_ids, "officer_id")
    hits = {}
    for officer_id, ids in group_pairs(window.values_list("officer_id", "id")).items():
        level = threshold_level(len(ids), warning=params["warning"], critical=params["critical"])
        if level:
            text = f"{len(ids)} hotline reports linked in the last {params['months']} months"
            hits[officer_id] = Hit(level, (Reason(text, "hotline.hotlinereport", tuple(ids)),))
    return hits
