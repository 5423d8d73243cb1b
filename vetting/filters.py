"""The vetting review list's filters (cases/filters.py says how a list's FilterSet behaves)."""

import django_filters

from cases.filters import ListFilterSet

from .models import VettingReview, VettingReviewStatus


class VettingReviewFilter(ListFilterSet):
    status = django_filters.ChoiceFilter(choices=VettingReviewStatus.choices, label="Status")

    class Meta:
        model = VettingReview
        fields = []
