from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import generics

from cases.api.permissions import StaffApiMixin

from .. import filters, selectors, services
from ..models import OnyxReview
from ..permissions import CASE_READERS, OFFICER_API_ROLES, REVIEW_API_ROLES, is_oversight_only
from . import filters as api_filters
from . import serializers
from .onyx import OnyxReviewOversightSerializer, OnyxReviewStaffSerializer, with_panel, with_panel_of
from .reads import RecordedListMixin, latest


def _is_oversight_only(user) -> bool:
    return user is not None and is_oversight_only(user)


# --- schema: what each endpoint may answer. The serializer depends on who asks (staff or oversight),
# so the schema lists both shapes instead of whichever one the schema's own reader would get.
UNAUTHENTICATED = OpenApiResponse(
    serializers.ApiErrorSerializer,
    description="No credentials, or a token that is wrong, expired, rotated out or revoked.",
)
FORBIDDEN = OpenApiResponse(
    serializers.ApiErrorSerializer,
    description="Signed in without a second factor, or holding no role that may use this endpoint.",
)
NOT_FOUND = OpenApiResponse(
    serializers.ApiErrorSerializer,
    description="No such record, or one you may not see: the same answer for both, so ids cannot be probed.",
)
PAGE_NOT_FOUND = OpenApiResponse(serializers.ApiErrorSerializer, description="No such page of results.")
FILTERS_REFUSED = OpenApiResponse(
    description="A filter value the list does not accept, or a parameter no filter knows: the errors by "
    "parameter (`__all__` for an unknown one), each a list of messages.",
)


def _by_audience(name, staff, oversight, many=False):
    return PolymorphicProxySerializer(
        component_name=name, serializers=[staff, oversight], resource_type_field_name=None, many=many
    )


def _list_schema(serializer):
    responses = {200: serializer, 400: FILTERS_REFUSED, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: PAGE_NOT_FOUND}
    return extend_schema_view(get=extend_schema(responses=responses))


def _detail_schema(serializer):
    return extend_schema_view(
        get=extend_schema(responses={200: serializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND})
    )


CASE_SCHEMA = (serializers.CaseStaffSerializer, serializers.CaseOversightSerializer)
REVIEW_SCHEMA = (OnyxReviewStaffSerializer, OnyxReviewOversightSerializer)


class CaseReads(StaffApiMixin):
    access_roles = tuple(sorted(CASE_READERS))
    access_object_type = "case"

    @property
    def filterset_class(self):
        # The same filters as the case register's page; oversight bodies, who see no names, filter by
        # nothing that identifies a person either.
        if _is_oversight_only(getattr(self.request, "user", None)):
            return filters.CaseOversightFilter
        return filters.CaseFilter

    def get_queryset(self):
        return selectors.case_list(user=self.request.user)

    def get_serializer_class(self):
        if _is_oversight_only(self.request.user):
            return serializers.CaseOversightSerializer
        return serializers.CaseStaffSerializer


@_list_schema(_by_audience("Case", *CASE_SCHEMA, many=True))
class CaseList(CaseReads, RecordedListMixin, generics.ListAPIView):
    pass


@_detail_schema(_by_audience("Case", *CASE_SCHEMA))
class CaseDetail(CaseReads, generics.RetrieveAPIView):
    def get_object(self):
        case = selectors.access_case(user=self.request.user, public_id=self.kwargs["case_id"])
        services.access_record_write(request=self.request, obj=case, object_type="case", label=case.reference)
        self.last_modified = latest(case, case.subject, case.subject.command)
        return case


class OfficerReads(StaffApiMixin):
    access_roles = OFFICER_API_ROLES
    serializer_class = serializers.OfficerStaffSerializer
    filterset_class = api_filters.OfficerApiFilter
    access_object_type = "officer"

    def access_label(self, officer) -> str:
        return officer.staff_number

    def get_queryset(self):
        return selectors.officer_list(user=self.request.user)


@_list_schema(serializers.OfficerStaffSerializer(many=True))
class OfficerList(OfficerReads, RecordedListMixin, generics.ListAPIView):
    pass


@_detail_schema(serializers.OfficerStaffSerializer)
class OfficerDetail(OfficerReads, generics.RetrieveAPIView):
    def get_object(self):
        officer = selectors.access_officer(user=self.request.user, public_id=self.kwargs["officer_id"])
        services.access_record_write(
            request=self.request, obj=officer, object_type="officer", label=officer.staff_number
        )
        self.last_modified = officer.updated_at
        return officer


class ReviewReads(StaffApiMixin):
    access_roles = REVIEW_API_ROLES
    filterset_class = api_filters.OnyxReviewApiFilter
    queryset = OnyxReview.objects.none()  # for the schema generator only; get_queryset filters by user
    access_object_type = "onyx_review"

    def get_queryset(self):
        return with_panel(selectors.onyx_review_list(user=self.request.user))

    def get_serializer_class(self):
        if _is_oversight_only(self.request.user):
            return OnyxReviewOversightSerializer
        return OnyxReviewStaffSerializer


@_list_schema(_by_audience("OnyxReview", *REVIEW_SCHEMA, many=True))
class ReviewList(ReviewReads, RecordedListMixin, generics.ListAPIView):
    pass


@_detail_schema(_by_audience("OnyxReview", *REVIEW_SCHEMA))
class ReviewDetail(ReviewReads, generics.RetrieveAPIView):
    def get_object(self):
        review = selectors.access_onyx_review(user=self.request.user, public_id=self.kwargs["review_id"])
        with_panel_of(review)
        services.access_record_write(
            request=self.request, obj=review, object_type="onyx_review", label=review.reference
        )
        self.last_modified = latest(review, review.subject, *review.panel_assignments.all())
        return review
