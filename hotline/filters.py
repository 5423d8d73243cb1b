"""The triage queue's filters (cases/filters.py says how a list's FilterSet behaves)."""

import django_filters

from cases.filters import ListFilterSet, MomentOnOrAfterDayFilter, MomentOnOrBeforeDayFilter

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

    received_from = MomentOnOrAfterDayFilter(label="Received from", field_name="received_at")
    received_to = MomentOnOrBeforeDayFilter(label="Received to", field_name="received_at")
    # The queue annotates `reporter_waiting` (selectors.with_reporter_waiting): the reporter wrote last.
    reporter_waiting = django_filters.ChoiceFilter(
        choices=[("1", "Only reports with a new message from the reporter")],
        label="New message from the reporter",
        method="filter_reporter_waiting",
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

    def filter_reporter_waiting(self, queryset, name, value):
        return queryset.filter(reporter_waiting=True)
