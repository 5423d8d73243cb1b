from rest_framework import generics

from misconduct.api import StaffApiMixin
from misconduct.roles import Role, user_roles

from .. import selectors, services
from . import serializers

STAFF_CASE_ROLES = (Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.OVERSIGHT)
REVIEW_ROLES = (Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.OVERSIGHT, Role.PANEL_REVIEWER)
OFFICER_ROLES = (Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER)
DPS_STAFF = {Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.PANEL_REVIEWER}


def _is_oversight_only(user) -> bool:
    """Oversight bodies get the minimised serializers unless they also hold a DPS role."""
    roles = user_roles(user)
    return Role.OVERSIGHT in roles and not roles & DPS_STAFF


class CaseReads(StaffApiMixin):
    access_roles = STAFF_CASE_ROLES

    def get_queryset(self):
        return selectors.case_list(user=self.request.user)

    def get_serializer_class(self):
        if _is_oversight_only(self.request.user):
            return serializers.CaseOversightSerializer
        return serializers.CaseStaffSerializer


class CaseList(CaseReads, generics.ListAPIView):
    pass


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


class OfficerList(OfficerReads, generics.ListAPIView):
    pass


class OfficerDetail(OfficerReads, generics.RetrieveAPIView):
    def get_object(self):
        officer = selectors.access_officer(user=self.request.user, public_id=self.kwargs["officer_id"])
        services.access_record_write(
            request=self.request, obj=officer, object_type="officer", label=officer.staff_number
        )
        return officer


class ReviewReads(StaffApiMixin):
    access_roles = REVIEW_ROLES

    def get_queryset(self):
        return selectors.onyx_review_list(user=self.request.user)

    def get_serializer_class(self):
        if _is_oversight_only(self.request.user):
            return serializers.OnyxReviewOversightSerializer
        return serializers.OnyxReviewStaffSerializer


class ReviewList(ReviewReads, generics.ListAPIView):
    pass


class ReviewDetail(ReviewReads, generics.RetrieveAPIView):
    def get_object(self):
        review = selectors.access_onyx_review(user=self.request.user, public_id=self.kwargs["review_id"])
        services.access_record_write(
            request=self.request, obj=review, object_type="onyx_review", label=review.reference
        )
        return review
