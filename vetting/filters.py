"""FilterSets for the vetting lists (cases/filters.py says how a list's FilterSet behaves): the view hands
them the selector's queryset, already filtered by what the user may see, so a filter can only narrow it."""

import django_filters

from cases.filters import ListFilterSet
from cases.models import Command

from .models import (
    RUNNING_STATUSES,
    ClearanceLevel,
    NoticeThreshold,
    PNDCheck,
    PNDResult,
    ReviewTrigger,
    VettingReview,
    VettingReviewStatus,
    VettingWithdrawal,
    WithdrawalStatus,
)


class VettingReviewFilter(ListFilterSet):
    status = django_filters.ChoiceFilter(choices=VettingReviewStatus.choices, label="Status")
    trigger = django_filters.ChoiceFilter(choices=ReviewTrigger.choices, label="Trigger")

    class Meta:
        model = VettingReview
        fields = []


BAND_CHOICES = [
    (NoticeThreshold.EXPIRED.value, "Expired"),
    (NoticeThreshold.DUE_30.value, "Due within 30 days"),
    (NoticeThreshold.DUE_60.value, "Due in 31 to 60 days"),
    (NoticeThreshold.DUE_90.value, "Due in 61 to 90 days"),
]


class ClearanceExpiryFilter(ListFilterSet):
    """The expiry page: by band (the selector annotates `band`), command and level."""

    band = django_filters.ChoiceFilter(label="Expiry", choices=BAND_CHOICES, empty_label="Any")
    command = django_filters.ModelChoiceFilter(
        label="Command", field_name="officer__command", queryset=Command.objects.order_by("name"), empty_label="Any"
    )
    level = django_filters.ChoiceFilter(label="Level", choices=ClearanceLevel.choices, empty_label="Any")


class WithdrawalFilter(ListFilterSet):
    """The withdrawals list: by status, or only those still running (the default page shows all)."""

    status = django_filters.ChoiceFilter(choices=WithdrawalStatus.choices, label="Status")
    running = django_filters.BooleanFilter(method="filter_running", label="Running only")

    class Meta:
        model = VettingWithdrawal
        fields = []

    def filter_running(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(status__in=RUNNING_STATUSES) if value else queryset.exclude(status__in=RUNNING_STATUSES)


class PNDHitFilter(ListFilterSet):
    """The hits on the PND summary page: by result, and by whether their review has been decided."""

    result = django_filters.ChoiceFilter(
        label="Result",
        empty_label="Any hit",
        choices=[(r.value, r.label) for r in PNDResult if r != PNDResult.NO_TRACE],
    )
    review = django_filters.ChoiceFilter(
        label="Review", empty_label="Any", choices=VettingReviewStatus.choices, field_name="review_status"
    )

    class Meta:
        model = PNDCheck
        fields = []
