"""Every write the vetting domain knows."""

from .clearances import (
    appraisal_due_on,
    clearance_expiry_date,
    clearance_grant,
    clearance_notices_create,
    clearance_notices_send,
    clearance_status_on,
    clearances_expire,
    current_clearances,
    expiry_band,
    revetting_draw,
    revetting_sample,
)
from .pnd import pnd_check_record
from .reviews import (
    REVIEW_TRANSITIONS,
    circumstance_change_report,
    on_case_moved,
    on_conviction_recorded,
    on_onyx_risk_management_decided,
    on_report_linked_to_officer,
    vetting_review_move,
    vetting_review_open,
    vetting_review_open_by_hand,
)
from .withdrawal import (
    WITHDRAWAL_TRANSITIONS,
    appeal_due_on,
    representations_due_on,
    withdrawal_move,
    withdrawal_open,
)

__all__ = [
    "WITHDRAWAL_TRANSITIONS",
    "appeal_due_on",
    "representations_due_on",
    "withdrawal_move",
    "withdrawal_open",
    "REVIEW_TRANSITIONS",
    "appraisal_due_on",
    "circumstance_change_report",
    "clearance_expiry_date",
    "clearance_grant",
    "clearance_notices_create",
    "clearance_notices_send",
    "clearance_status_on",
    "clearances_expire",
    "current_clearances",
    "expiry_band",
    "on_case_moved",
    "on_conviction_recorded",
    "on_onyx_risk_management_decided",
    "on_report_linked_to_officer",
    "pnd_check_record",
    "revetting_draw",
    "revetting_sample",
    "vetting_review_move",
    "vetting_review_open",
    "vetting_review_open_by_hand",
]
