"""The kinds of record a document can belong to. cases registers its own (case, allegation, Onyx
review) from DocumentsConfig.ready; an app above registers its kinds from its own AppConfig.ready,
so cases never names a model of the floors above.

Each kind answers with the same selectors as the record's own page: `readable(user)` is the rows this
user may open (need-to-know, conflicts, panel assignment), so a document is reachable exactly when its
owner is, and 404 alike otherwise."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class DocumentOwnerKind:
    slug: str  # in URLs and Document.owner_kind: "case", "allegation", ...
    model: type  # the owner's model (for the system's own reads: retention, the integrity report)
    readable: Callable[..., QuerySet]  # readable(user) -> the owner rows this user may open
    may_upload: Callable[..., bool]  # may_upload(user, owner) -> may add documents and versions
    link: Callable[[object], tuple[str, str]]  # link(owner) -> (text, url)
    # The case whose outcome sets the retention period (None: retention by type only).
    case_of: Callable[[object], object] = lambda owner: None
    label: str = ""  # what the record is called in lists ("Case", "Onyx review"); from the slug if empty

    def __post_init__(self):
        if not self.label:
            object.__setattr__(self, "label", self.slug.replace("_", " ").capitalize())


_kinds: dict[str, DocumentOwnerKind] = {}


def document_owner_register(kind: DocumentOwnerKind) -> None:
    _kinds[kind.slug] = kind


def document_owner_kind(slug: str) -> DocumentOwnerKind | None:
    return _kinds.get(slug)


def document_owner_kinds() -> list[DocumentOwnerKind]:
    return list(_kinds.values())


def case_owner_kinds_register() -> None:
    """The ground floor's own owners."""
    from django.urls import reverse

    from cases import selectors
    from cases.models import Allegation, Case, OnyxReview
    from cases.roles import Role, has_role
    from cases.services.access import may_work_on_case

    def allegation_may_upload(user, allegation):
        if allegation.case_id is not None:
            return may_work_on_case(user, allegation.case)
        return has_role(user, Role.INVESTIGATOR, Role.SUPERVISOR)

    def allegation_link(obj):
        return (f"Allegation {obj.received_on:%d %b %Y}", reverse("cases:allegation_detail", args=[obj.public_id]))

    for kind in (
        DocumentOwnerKind(
            "case",
            Case,
            lambda user: selectors.case_list(user=user),
            may_work_on_case,
            lambda obj: (obj.reference, reverse("cases:case_detail", args=[obj.public_id])),
            case_of=lambda obj: obj,
        ),
        DocumentOwnerKind(
            "allegation",
            Allegation,
            lambda user: selectors.allegation_list(user=user).select_related("subject", "case"),
            allegation_may_upload,
            allegation_link,
            case_of=lambda obj: obj.case,
        ),
        DocumentOwnerKind(
            "onyx_review",
            OnyxReview,
            lambda user: selectors.onyx_review_list(user=user),
            lambda user, review: has_role(user, Role.INVESTIGATOR, Role.SUPERVISOR),
            lambda obj: (obj.reference, reverse("cases:review_detail", args=[obj.public_id])),
        ),
    ):
        document_owner_register(kind)
