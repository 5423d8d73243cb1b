"""Vetting's part of the staff worklist: the vetting officer's reviews, reviews nobody has taken yet,
and clearances expired or due within 30 days (Vetting APP: renewal before expiry; see docs/vetting-rules.md)."""

from django.urls import reverse
from django.utils.formats import date_format

from cases.roles import Role, has_role
from cases.worklist import WorklistRow, section_from, worklist_source

from . import selectors, selectors_withdrawal
from .models import RUNNING_STATUSES, NoticeThreshold, VettingReviewStatus


def _review_row(review):
    return WorklistRow(
        f"{review.officer.full_name}: {review.get_trigger_display()}",
        reverse("vetting:review_detail", args=[review.public_id]),
        f"Opened {date_format(review.opened_at, 'j M Y')}",
    )


@worklist_source
def _vetting_work(*, user, today):
    if not has_role(user, Role.VETTING_OFFICER):
        return []
    reviews = selectors.vetting_review_list(user=user).select_related("officer")
    reviews_url = reverse("vetting:review_list")
    expiring = selectors.clearance_expiry_list(user=user, day=today).filter(
        band__in=[NoticeThreshold.EXPIRED, NoticeThreshold.DUE_30]
    )

    def withdrawal_row(withdrawal):
        due = withdrawal.representations_due_on
        return WorklistRow(
            f"{withdrawal.officer.full_name}: {withdrawal.get_status_display()}",
            reverse("vetting:withdrawal_detail", args=[withdrawal.public_id]),
            f"Representations by {date_format(due, 'j M Y')}"
            if due and not withdrawal.representations_received_on
            else f"Opened {date_format(withdrawal.opened_at, 'j M Y')}",
        )

    withdrawals = selectors_withdrawal.withdrawal_list(user=user).filter(status__in=RUNNING_STATUSES)

    def clearance_row(clearance):
        return WorklistRow(
            f"{clearance.officer.full_name}: {clearance.get_level_display()}",
            reverse("vetting:officer_clearances", args=[clearance.officer.public_id]),
            f"Expires {date_format(clearance.expires_on, 'j M Y')}",
            overdue=clearance.expires_on < today,
        )

    return [
        section_from(
            reviews.filter(assigned_to=user, status=VettingReviewStatus.IN_PROGRESS),
            key="vetting_mine",
            title="Vetting reviews assigned to you",
            url=f"{reviews_url}?status={VettingReviewStatus.IN_PROGRESS}",
            link_text="All vetting reviews under review",
            row=_review_row,
            order=12,
        ),
        section_from(
            reviews.filter(status=VettingReviewStatus.OPEN),
            key="vetting_open",
            title="Vetting reviews waiting for a vetting officer",
            url=f"{reviews_url}?status={VettingReviewStatus.OPEN}",
            link_text="All open vetting reviews",
            row=_review_row,
            order=13,
        ),
        section_from(
            withdrawals,
            key="vetting_withdrawals",
            title="Vetting withdrawals running",
            url=f"{reverse('vetting:withdrawal_list')}?running=true",
            link_text="All running vetting withdrawals",
            row=withdrawal_row,
            order=15,
        ),
        section_from(
            expiring.select_related("officer"),
            key="vetting_expiring",
            title="Clearances expired or expiring within 30 days",
            url=f"{reverse('vetting:clearance_expiry')}?band={NoticeThreshold.DUE_30}",
            link_text="Clearances due within 30 days",
            row=clearance_row,
            order=14,
        ),
    ]
