"""Reads for the withdrawal pages, filtered like every other vetting read (role, conflicts of interest)."""

from django.db.models import QuerySet

from cases.roles import user_roles
from cases.selectors import conflicted_officer_ids

from .models import VettingWithdrawal
from .selectors import VETTING_READERS, _first_by_public_id


def withdrawal_list(*, user) -> QuerySet[VettingWithdrawal]:
    if not user_roles(user) & VETTING_READERS:
        return VettingWithdrawal.objects.none()
    return VettingWithdrawal.objects.select_related("officer", "officer__command", "decision_maker").exclude(
        officer_id__in=conflicted_officer_ids(user)
    )


def access_withdrawal(*, user, public_id) -> VettingWithdrawal:
    """The withdrawal, or 404 alike for missing and forbidden."""
    return _first_by_public_id(withdrawal_list(user=user).select_related("review"), public_id)
