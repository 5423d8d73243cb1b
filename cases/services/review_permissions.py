"""Who may do what on an Onyx review now, for the pages to ask before they offer a form. The services
in onyx.py refuse the same (they hold the row lock and check again)."""

from cases.roles import Role, has_role

from ..models import OnyxDecision, OnyxReview, OnyxStatus
from .onyx import ONYX_TRANSITIONS

# A decided reassess review opens a case from these states (onyx_review_case_open).
CASE_OPENING_STATUSES = (OnyxStatus.DECIDED, OnyxStatus.WITH_PANEL, OnyxStatus.CONCLUDED)


def may_decide_onyx_review(user, review: OnyxReview) -> bool:
    """The reviewer it is allocated to, while its state may move to decided (onyx_review_decide)."""
    return review.reviewer_id == user.pk and OnyxStatus.DECIDED in ONYX_TRANSITIONS[review.status]


def may_open_case_from_onyx_review(user, review: OnyxReview) -> bool:
    """DPS staff, on a decided reassess review (onyx_review_case_open)."""
    return (
        has_role(user, Role.INVESTIGATOR, Role.SUPERVISOR)
        and review.decision == OnyxDecision.REASSESS
        and review.status in CASE_OPENING_STATUSES
    )


def may_complete_onyx_actions(user, review: OnyxReview) -> bool:
    """The review's reviewer or a DPS supervisor (onyx_action_complete)."""
    return review.reviewer_id == user.pk or has_role(user, Role.SUPERVISOR)
