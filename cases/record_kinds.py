"""cases' own record kinds (see cases/records.py): a case, an officer, an Onyx review, an allegation."""

from django.urls import reverse

from . import selectors
from .records import RecordKind, record_kind_register


def record_kinds_register() -> None:

    def allegation_link(obj):
        return (
            f"Allegation {obj.received_on:%d %b %Y} ({obj.get_category_display()})",
            reverse("cases:allegation_detail", args=[obj.public_id]),
        )

    for kind in (
        RecordKind(
            "cases.case",
            lambda user: selectors.case_list(user=user),
            lambda obj: (obj.reference, reverse("cases:case_detail", args=[obj.public_id])),
            audit_type="case",
        ),
        RecordKind(
            "cases.officer",
            lambda user: selectors.officer_list(user=user),
            lambda obj: (str(obj), reverse("cases:officer_detail", args=[obj.public_id])),
            audit_type="officer",
        ),
        RecordKind(
            "cases.onyxreview",
            lambda user: selectors.onyx_review_list(user=user),
            lambda obj: (obj.reference, reverse("cases:review_detail", args=[obj.public_id])),
            audit_type="onyx_review",
        ),
        RecordKind(
            "cases.allegation",
            lambda user: selectors.allegation_list(user=user).select_related("subject"),
            allegation_link,
            # The allegation page and the API's allegation reads each write one access record.
            audit_type="allegation",
        ),
    ):
        record_kind_register(kind)
