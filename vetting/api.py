"""Vetting reviews in the API, for the roles that read them in the browser (selectors.VETTING_READERS),
through the same selectors and filters. The project's urls (misconduct/urls.py) put `urlpatterns` into
API version 1, so cases never names this app."""

import django_filters
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers

from cases.api.fast_read import FastReadMixin
from cases.api.permissions import StaffApiMixin
from cases.api.reads import RecordedListMixin, latest
from cases.api.serializers import OfficerStaffSerializer
from cases.api.views import FILTERS_REFUSED, FORBIDDEN, NOT_FOUND, PAGE_NOT_FOUND, UNAUTHENTICATED
from cases.services import access_record_write

from . import selectors
from .filters import VettingReviewFilter
from .models import VettingReview


class VettingReviewApiFilter(VettingReviewFilter):
    """The review list page's filters, and an order."""

    ordering = django_filters.OrderingFilter(
        fields=(("opened_at", "opened_at"), ("decided_at", "decided_at")),
        label="Order by (opened_at, decided_at; '-' for newest first, the default)",
    )

    class Meta(VettingReviewFilter.Meta):
        pass


class VettingReviewSerializer(FastReadMixin, serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    officer = OfficerStaffSerializer(read_only=True)
    assigned_to = serializers.CharField(source="assigned_to.username", default=None, allow_null=True, read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", default=None, allow_null=True, read_only=True)

    class Meta:
        model = VettingReview
        fields = [
            "id",
            "officer",
            "trigger",
            "status",
            "outcome",
            "conditions",
            "reason",
            "rationale",
            "assigned_to",
            "decided_by",
            "opened_at",
            "decided_at",
        ]


class VettingReviewReads(StaffApiMixin):
    access_roles = tuple(sorted(selectors.VETTING_READERS))
    serializer_class = VettingReviewSerializer
    filterset_class = VettingReviewApiFilter
    access_object_type = "vetting_review"
    queryset = VettingReview.objects.none()  # for the schema generator only

    def get_queryset(self):
        return selectors.vetting_review_list(user=self.request.user).select_related("decided_by")

    def access_label(self, review) -> str:
        return f"{review.officer.staff_number} {review.get_trigger_display()}"


@extend_schema_view(
    get=extend_schema(
        responses={
            200: VettingReviewSerializer(many=True),
            400: FILTERS_REFUSED,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: PAGE_NOT_FOUND,
        }
    )
)
class VettingReviewList(VettingReviewReads, RecordedListMixin, generics.ListAPIView):
    """Vetting reviews, newest first, less those about anyone the reader is conflicted on."""


@extend_schema_view(
    get=extend_schema(responses={200: VettingReviewSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND})
)
class VettingReviewDetail(VettingReviewReads, generics.RetrieveAPIView):
    """One vetting review: 404 alike for one that does not exist and one you may not see."""

    def get_object(self):
        review = selectors.access_vetting_review(user=self.request.user, public_id=self.kwargs["vetting_review_id"])
        access_record_write(
            request=self.request, obj=review, object_type="vetting_review", label=self.access_label(review)
        )
        self.last_modified = latest(review, review.officer, review.officer.command)
        return review


urlpatterns = [
    path("vetting-reviews/", VettingReviewList.as_view(), name="vetting-review-list"),
    path("vetting-reviews/<uuid:vetting_review_id>/", VettingReviewDetail.as_view(), name="vetting-review-detail"),
]
