"""cases' own record kinds (see cases/records.py): a case, an officer, an Onyx review, an allegation."""

from functools import cache

from django.urls import get_script_prefix, get_urlconf, reverse

from . import selectors
from .records import RecordKind, record_kind_register


def record_kinds_register() -> None:

    def allegation_link(obj):
        # A flag's reasons link dozens of allegations: the allegation page's link is reversed once per
        # URLconf and script prefix and the allegation's id swapped in.
        page = _allegation_url(get_urlconf(), get_script_prefix()).replace(_NIL, str(obj.public_id))
        return (
            f"Allegation {obj.received_on:%d %b %Y} ({obj.get_category_display()})",
            page,
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
            link_fields=("public_id", "received_on", "category"),
        ),
    ):
        record_kind_register(kind)


_NIL = "00000000-0000-0000-0000-000000000000"


@cache
def _allegation_url(urlconf, prefix) -> str:
    return reverse("cases:allegation_detail", args=[_NIL], urlconf=urlconf)
