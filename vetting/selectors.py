"""Reads for the vetting pages, filtered by role and conflicts of interest like every other read."""

from django.db.models import QuerySet

from cases.roles import Role, user_roles
from cases.selectors import conflicted_officer_ids

from .models import VettingReview

VETTING_READERS = {Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER}


def vetting_review_list(*, user) -> QuerySet[VettingReview]:
    if not user_roles(user) & VETTING_READERS:
        return VettingReview.objects.none()
    return VettingReview.objects.select_related("officer", "officer__command", "clearance").exclude(
        officer_id__in=conflicted_officer_ids(user)
    )
