from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import generics

from cases.api.permissions import StaffApiMixin
from cases.roles import Role, user_roles

from .. import selectors, services
from ..models import OnyxReview
from . import serializers

STAFF_CASE_ROLES = (Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.OVERSIGHT)
REVIEW_ROLES = (Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.OVERSIGHT, Role.PANEL_REVIEWER)
OFFICER_ROLES = (Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER)
DPS_STAFF = {Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.PANEL_REVIEWER}


def _is_oversight_only(user) -> bool:
    """Oversight bodies get the minimised serializers unless they also hold a DPS role."""
    roles = user_roles(user)
    return Role.OVERSIGHT in roles and not roles & DPS_STAFF


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


def _by_audience(name, staff, oversight, many=False):
    return PolymorphicProxySerializer(
        component_name=name, serializers=[staff, oversight], resource_type_field_name=None, many=many
    )


def _list_schema(serializer):
    return extend_schema_view(
        get=extend_schema(responses={200: serializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: PAGE_NOT_FOUND})
    )


def _detail_schema(serializer):
    return extend_schema_view(
        get=extend_schema(responses={200: serializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND})
    )


CASE_SCHEMA = (serializers.CaseStaffSerializer, serializers.CaseOversightSerializer)
REVIEW_SCHEMA = (serializers.OnyxReviewStaffSerializer, serializers.OnyxReviewOversightSerializer)


class CaseReads(StaffApiMixin):
    access_roles = STAFF_CASE_ROLES

    def get_queryset(self):
        return selectors.case_list(user=self.request.user)

    def get_serializer_class(self):
        if _is_oversight_only(self.request.user):
            return serializers.CaseOversightSerializer
        return serializers.CaseStaffSerializer


@_list_schema(_by_audience("Case", *CASE_SCHEMA, many=True))
class CaseList(CaseReads, generics.ListAPIView):
    pass


@_detail_schema(_by_audience("Case", *CASE_SCHEMA))
class CaseDetail(CaseReads, generics.RetrieveAPIView):
    def get_object(self):
        case = selectors.access_case(user=self.request.user, public_id=self.kwargs["case_id"])
        services.access_record_write(request=self.request, obj=case, object_type="case", label=case.reference)
        return case


class OfficerReads(StaffApiMixin):
    access_roles = OFFICER_ROLES
    serializer_class = serializers.OfficerStaffSerializer

    def get_queryset(self):
        return selectors.officer_list(user=self.request.user)


@_list_schema(serializers.OfficerStaffSerializer(many=True))
class OfficerList(OfficerReads, generics.ListAPIView):
    pass


@_detail_schema(serializers.OfficerStaffSerializer)
class OfficerDetail(OfficerReads, generics.RetrieveAPIView):
    def get_object(self):
        officer = selectors.access_officer(user=self.request.user, public_id=self.kwargs["officer_id"])
        services.access_record_write(
            request=self.request, obj=officer, object_type="officer", label=officer.staff_number
        )
        return officer


class ReviewReads(StaffApiMixin):
    access_roles = REVIEW_ROLES
    queryset = OnyxReview.objects.none()  # for the schema generator only; get_queryset filters by user

    def get_queryset(self):
        return selectors.onyx_review_list(user=self.request.user)

    def get_serializer_class(self):
        if _is_oversight_only(self.request.user):
            return serializers.OnyxReviewOversightSerializer
        return serializers.OnyxReviewStaffSerializer


@_list_schema(_by_audience("OnyxReview", *REVIEW_SCHEMA, many=True))
class ReviewList(ReviewReads, generics.ListAPIView):
    pass


@_detail_schema(_by_audience("OnyxReview", *REVIEW_SCHEMA))
class ReviewDetail(ReviewReads, generics.RetrieveAPIView):
    def get_object(self):
        review = selectors.access_onyx_review(user=self.request.user, public_id=self.kwargs["review_id"])
        services.access_record_write(
            request=self.request, obj=review, object_type="onyx_review", label=review.reference
        )
        return review
