"""Every write the cases domain knows, by workflow. Object permissions are granted and revoked only here."""

from .access import (
    DomainError,
    access_record_write,
    case_access_grant,
    case_access_revoke,
    case_assign,
    conflict_declare,
    investigator_conflicted,
    reference_next,
)
from .onyx import (
    ONYX_TRANSITIONS,
    onyx_batch_create,
    onyx_review_decide,
    onyx_reviews_allocate,
    panel_reviews_assign,
    panel_verdict_record,
)

__all__ = [
    "DomainError",
    "access_record_write",
    "case_access_grant",
    "case_access_revoke",
    "case_assign",
    "conflict_declare",
    "investigator_conflicted",
    "reference_next",
    "ONYX_TRANSITIONS",
    "onyx_batch_create",
    "onyx_review_decide",
    "onyx_reviews_allocate",
    "panel_reviews_assign",
    "panel_verdict_record",
]
