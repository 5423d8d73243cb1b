"""The triage queue's filters (cases/filters.py says how a list's FilterSet behaves)."""

import django_filters

from cases.filters import ListFilterSet

from .models import HotlineReport, HotlineStatus

OPEN, ALL = "open", "all"


class HotlineReportFilter(ListFilterSet):
    """By status, or every report not closed ("open", the queue's default), or all of them."""

    status = django_filters.ChoiceFilter(
        choices=[(OPEN, "All open"), (ALL, "All"), *HotlineStatus.choices],
        label="Status",
        method="filter_status",
        empty_label=None,
    )

    class Meta:
        model = HotlineReport
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and "status" not in data:
            data = data.copy()
            data["status"] = OPEN
        super().__init__(data, *args, **kwargs)

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.exclude(status=HotlineStatus.CLOSED)
        if value == ALL:
            return queryset
        return queryset.filter(status=value)
