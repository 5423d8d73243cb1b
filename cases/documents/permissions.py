"""Who may reach the document pages at all; which documents, the owner's selector decides (selectors.py)."""

from cases.roles import Role

# Everyone who opens a record that can carry documents. Oversight bodies read through the API only,
# so the document pages answer them 404 like any other staff page not theirs.
DOCUMENT_ROLES = (
    Role.INVESTIGATOR,
    Role.SUPERVISOR,
    Role.COMMISSIONER,
    Role.PANEL_REVIEWER,
    Role.HOTLINE_TRIAGE,
    Role.VETTING_OFFICER,
)
# Those who may add documents (each owner kind still says on which records: may_upload).
DOCUMENT_WRITERS = (Role.INVESTIGATOR, Role.SUPERVISOR, Role.HOTLINE_TRIAGE, Role.VETTING_OFFICER)
# The retention decisions: the appropriate authority's delegate.
RETENTION_DECIDERS = (Role.SUPERVISOR,)


def may_change_document(user, document) -> bool:
    """Add versions, redacted copies, disclosure marks: whoever may add documents to the owner."""
    kind = document.owner_kind_entry
    return document.destroyed_at is None and kind.may_upload(user, document.owner)
