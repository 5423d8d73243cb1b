"""Retention: how long a document is kept, by its type and the outcome of its case
(settings.DOCUMENTS_RETENTION_YEARS). A monthly task marks what has fallen due for review; a DPS
supervisor confirms each deletion: the bytes go, the rows and the chain of custody stay.

FORCE POLICY, NOT REGULATION. The periods are the force's records-management policy, set in configuration; the
defaults in settings are placeholders. No regulation read sets them: the Police (Conduct) Regulations 2020 give
reg 12 to a "Record of disciplinary proceedings" (its title seen in the regulations' contents, vlex.co.uk copy of
SI 2020/4; ⚠ its text was not read, so whether it sets a period is not known).
What governs retention, for a force's lawyer to check before the defaults are used:
- data protection law: the UK GDPR art 5(1)(e) and Data Protection Act 2018 (storage limitation; for processing
  for law enforcement purposes, DPA 2018 Part 3) ⚠ the articles not read here;
- the Code of Practice on the Management of Police Information (2005) and the College of Policing APP
  "Information management: retention, review and disposal" (app.college.police.uk/app-content/information-
  management/management-of-police-information/retention-review-and-disposal-of-police-information/): records
  "must be regularly reviewed to ensure that they remain necessary for a policing purpose", and every review that
  decides to retain is recorded (read: the page's opening and its key points);
- the NPCC "Minimum standards schedule for the Retention and Disposal of Police Records" (2020, version 4;
  Knowledge Hub; the 2016 edition's contents at docslib.org/doc/307608): its retention tables (ten of them,
  "People" among them) are where a national minimum would be found ⚠ their rows were not read.
Until a force sets them from those, the periods are not a legal answer; no paragraph number is given for them."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cases.calendar import today
from cases.errors import DomainError
from cases.permissions import is_supervisor

from .models import CustodyAction, Document
from .owners import document_owner_kind
from .services import custody_record

logger = logging.getLogger(__name__)


def retention_years(*, document_type: str, outcome: str) -> int:
    table = settings.DOCUMENTS_RETENTION_YEARS
    by_outcome = table.get(document_type) or table.get("*") or {}
    return by_outcome.get(outcome or "*", by_outcome.get("*", 6))


def retention_due_on(document: Document, owner):
    """The date a document falls due for review: its case's outcome date (or the upload, with no
    decided case) plus the period for its type and that outcome."""
    from cases.calendar import months_after

    kind = document_owner_kind(document.owner_kind)
    case = kind.case_of(owner) if kind else None
    outcome = getattr(case, "outcome", "") if case is not None else ""
    start = getattr(case, "outcome_on", None) if case is not None else None
    if start is None:
        if case is not None:
            return None  # a case still open: its documents are kept until it ends
        start = timezone.localdate(document.created_at)
    years = retention_years(document_type=document.document_type, outcome=outcome)
    return months_after(start, 12 * years)


def documents_retention_review(*, on=None) -> list[int]:
    """Mark every live document whose period has run out (idempotent); the ids newly marked."""
    on = on or today()
    marked = []
    for document in Document.objects.filter(destroyed_at__isnull=True, retention_due_on__isnull=True).iterator():
        owner = _owner_row(document)
        due = retention_due_on(document, owner) if owner is not None else None
        if due is not None and due <= on:
            Document.objects.filter(pk=document.pk, retention_due_on__isnull=True).update(retention_due_on=due)
            marked.append(document.pk)
    if marked:
        logger.info("Retention review: %d document(s) due for a supervisor's decision", len(marked))
    return marked


def _owner_row(document):
    kind = document_owner_kind(document.owner_kind)
    if kind is None:
        return None
    return kind.model.objects.filter(pk=document.owner_id).first()


def document_destroy(*, document_id: int, by) -> Document:
    """A DPS supervisor confirms the deletion of a document due under the retention schedule."""
    if not is_supervisor(by):
        raise DomainError("Only a DPS supervisor can confirm a deletion.")
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.destroyed_at is not None:
            return document
        if document.retention_due_on is None or document.retention_due_on > today():
            raise DomainError("This document is not due for deletion under the retention schedule.")
        now = timezone.now()
        for version in document.versions.filter(purged_at__isnull=True):
            name = version.file.name
            custody_record(
                document=document, version=version, action=CustodyAction.DELETE, actor=by,
                hash_before=version.sha256, hash_after="", retention_due_on=document.retention_due_on.isoformat(),
            )
            version.purged_at = now
            version.file.name = ""
            version.save(update_fields=["purged_at", "file"])
            transaction.on_commit(lambda n=name, s=version.file.storage: s.delete(n))
        document.destroyed_at = now
        document.destroyed_by = by
        document.save(update_fields=["destroyed_at", "destroyed_by", "updated_at"])
    return document
