"""Every write the hotline knows: the public side (submit, look up by receipt, reply) and the triage
workflow. Each triage step is one function that locks the report, checks HOTLINE_TRANSITIONS, saves
the new state with update_fields and writes an event row, all in one transaction."""

import datetime as dt
import hashlib
import time

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cases import events
from cases.models import AllegationCategory, AllegationSource, Officer, ReferenceCounter
from cases.roles import Role, has_role
from cases.services import DomainError, allegation_record, investigator_conflicted

from . import ratelimits
from .evidence import evidence_type_sniff
from .models import (
    HotlineEventKind,
    HotlineEvidence,
    HotlineLookupFailure,
    HotlineMessage,
    HotlineReport,
    HotlineReporterContact,
    HotlineReportEvent,
    HotlineStatus,
    MessageSender,
)
from .receipts import receipt_for_token, receipt_generate, receipt_hash

S = HotlineStatus
HOTLINE_TRANSITIONS: dict[str, set[str]] = {
    S.RECEIVED: {S.ACKNOWLEDGED, S.CLOSED},
    S.ACKNOWLEDGED: {S.NEEDS_INFORMATION, S.LINKED, S.CLOSED},
    S.NEEDS_INFORMATION: {S.NEEDS_INFORMATION, S.ACKNOWLEDGED, S.LINKED, S.CLOSED},
    S.LINKED: {S.LINKED, S.NEEDS_INFORMATION, S.REFERRED, S.CLOSED},
    S.REFERRED: {S.CLOSED},
    S.CLOSED: set(),
}
TRIAGE_ROLES = (Role.HOTLINE_TRIAGE, Role.INVESTIGATOR, Role.SUPERVISOR)

# The allegation category a hotline category most often becomes; triage may choose another.
ALLEGATION_CATEGORY_FOR = {
    "selling_information": AllegationCategory.CORRUPT_ASSOCIATION,
    "personal_advantage": AllegationCategory.MISUSE_OF_DATA_OR_POWERS,
    "sexual_boundaries": AllegationCategory.ABUSE_OF_POSITION_SEXUAL,
    "abusing_partners": AllegationCategory.DOMESTIC_ABUSE,
    "discrimination": AllegationCategory.DISCRIMINATION,
}

REPORT_FIELDS = (
    "category",
    "what_happened",
    "when_happened",
    "where_happened",
    "officer_name_given",
    "collar_number_given",
    "vehicle_given",
    "officer_description",
    "relationship",
)
CONTACT_FIELDS = ("name", "email", "phone")


# --- the public side ------------------------------------------------------------------------------


# A resent form shows its receipt again only this soon after the first submission (a double click, a
# browser retry); later the same token opens nothing, so an old form left in a browser's history cannot.
RESUBMIT_WINDOW = dt.timedelta(minutes=10)


def report_submit(
    *, data: dict, anonymous: bool, contact: dict | None = None, files=(), token: str = ""
) -> tuple[HotlineReport, str]:
    """Store a public report and return it with its receipt code, which exists nowhere else.

    All or nothing: the report, the reporter's contact (only if they chose not to be anonymous) and
    every evidence file are stored in one transaction, and files already written are removed if it
    rolls back. Nothing about the request (address, browser) is stored."""
    kinds = []
    for upload in files:
        kind = evidence_type_sniff(upload)
        if kind is None or upload.size > HotlineEvidence.MAX_BYTES or upload.size == 0:
            raise DomainError("Attach only PDF, JPEG, PNG or text files of up to 10 MB each.")
        kinds.append(kind)
    receipt = receipt_for_token(token) or receipt_generate()
    hashed = receipt_hash(receipt)  # the slow part, outside the transaction and its locks
    earlier = _already_submitted(hashed)
    if earlier is not None:
        return earlier, receipt
    contact = {k: (contact or {}).get(k, "").strip() for k in CONTACT_FIELDS}
    saved = []
    try:
        with transaction.atomic():
            report = HotlineReport(
                receipt_hash=hashed,
                anonymous=anonymous,
                received_at=timezone.now(),
                **{f: data.get(f, "") for f in REPORT_FIELDS if data.get(f, "") != ""},
            )
            report.clean_fields(exclude=["reference"])
            report.reference = _reference_next(prefix=f"HL-{timezone.localdate():%Y}")
            report.save()
            if not anonymous and any(contact.values()):
                HotlineReporterContact.objects.create(report=report, **contact)
            for upload, kind in zip(files, kinds, strict=True):
                digest = hashlib.sha256()
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
                evidence = HotlineEvidence(
                    report=report,
                    original_name=(upload.name or "")[:200],
                    content_type=kind,
                    size=upload.size,
                    sha256=digest.hexdigest(),
                )
                evidence.file.save("evidence", upload, save=False)
                saved.append(evidence.file.name)
                evidence.save()
            HotlineReportEvent.objects.create(report=report, kind=HotlineEventKind.SUBMITTED, to_status=report.status)
    except IntegrityError:
        # The same form sent twice at once: the other request stored it first (unique receipt hash).
        for name in saved:
            HotlineEvidence.file.field.storage.delete(name)
        earlier = _already_submitted(hashed)
        if earlier is None:
            raise
        return earlier, receipt
    except Exception:
        for name in saved:
            HotlineEvidence.file.field.storage.delete(name)
        raise
    return report, receipt


def _already_submitted(hashed: str) -> HotlineReport | None:
    earlier = HotlineReport.objects.filter(receipt_hash=hashed).only("id", "received_at").first()
    if earlier is None:
        return None
    if timezone.now() - earlier.received_at > RESUBMIT_WINDOW:
        raise DomainError("This form was already sent. Use the receipt code you were given to see your report.")
    return earlier


def _reference_next(*, prefix: str) -> str:
    """The next hotline reference, e.g. HL-2026-000124, from the shared ReferenceCounter in one
    upsert statement (cases' reference_next takes four): the counter row stays locked until the
    submission commits, so every statement inside that window costs every concurrent reporter."""
    table = connection.ops.quote_name(ReferenceCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (prefix, last_number) VALUES (%s, 1) "  # noqa: S608 - table name from the model
            f"ON CONFLICT (prefix) DO UPDATE SET last_number = {table}.last_number + 1 RETURNING last_number",
            [prefix],
        )
        (number,) = cursor.fetchone()
    return f"{prefix}-{number:06d}"


def _failures_key(kind: str, bucket: str) -> str:
    return f"hotline:lookup-failures:{kind}:{bucket}"


def _retry_key(kind: str, bucket: str) -> str:
    return f"hotline:lookup-retry-at:{kind}:{bucket}"


def receipt_lookup_retry_after(*, buckets: dict[str, str]) -> float:
    """Seconds before these buckets may try a code again (0 when they may now).

    The back-off after a failed look-up is served by refusing (429 with Retry-After) until it has
    passed, never by sleeping: a sleeping request holds a worker the whole time, so a few guessers
    would stall the site for everyone. During the back-off every code is refused alike, right or
    wrong, so a guess made then learns nothing."""
    now = time.time()
    waits = [0.0]
    for kind, bucket in buckets.items():
        if bucket:
            retry_at = ratelimits.value_get(_retry_key(kind, bucket))
            waits.append((retry_at or 0) - now)
    return max(waits)


def receipt_lookup(*, code: str, buckets: dict[str, str]) -> int | None:
    """The id of the report a receipt code opens, or None.

    Every code costs one hash and one indexed query, whether it is well formed or not, so a wrong
    code answers like any other wrong code. Each miss writes an audit row (holding nothing but the
    time) and starts a back-off for the session and the address bucket, doubling with each miss
    (see receipt_lookup_retry_after); the buckets are opaque keys that live only in the cache."""
    hashed = receipt_hash(code)
    report_id = HotlineReport.objects.filter(receipt_hash=hashed).values_list("id", flat=True).first()
    if report_id is not None:
        return report_id
    HotlineLookupFailure.objects.create()
    failures = {}
    for kind, bucket in buckets.items():
        if bucket:
            failures[kind] = ratelimits.counter_incr(_failures_key(kind, bucket), timeout=3600)
    delay = lookup_delay(failures=max(failures.values(), default=0))
    if delay > 0:
        retry_at = time.time() + delay
        for kind in failures:
            ratelimits.value_set(_retry_key(kind, buckets[kind]), retry_at, timeout=int(delay) + 60)
    return None


def lookup_delay(*, failures: int) -> float:
    """Seconds of back-off after a failed look-up: doubling with each miss, up to the cap."""
    if failures <= 0:
        return 0.0
    base, cap = settings.HOTLINE_LOOKUP_DELAY_BASE, settings.HOTLINE_LOOKUP_DELAY_CAP
    return min(cap, base * 2 ** min(failures - 1, 20))


def reporter_reply(*, report_id: int, body: str) -> HotlineMessage:
    """The reporter answers through their receipt session. Answering a question puts the report
    back in the triage team's hands (needs information -> acknowledged). A closed report takes no
    more messages."""
    body = body.strip()
    if not body:
        raise DomainError("Write your message before sending it.")
    with transaction.atomic():
        report = HotlineReport.objects.select_for_update().get(pk=report_id)
        if report.status == S.CLOSED:
            raise DomainError("This report is closed, so it cannot take new messages.")
        message = HotlineMessage(report=report, sender=MessageSender.REPORTER, body=body)
        message.clean_fields()
        message.save()
        from_status = report.status
        if report.status == S.NEEDS_INFORMATION:
            _move(report, S.ACKNOWLEDGED)
            report.save(update_fields=["status", "updated_at"])
        _event(report, HotlineEventKind.REPORTER_REPLIED, None, from_status)
    return message


# --- triage ---------------------------------------------------------------------------------------


def _check_staff(by) -> None:
    if not has_role(by, *TRIAGE_ROLES):
        raise DomainError("Only the hotline triage team and DPS staff work on hotline reports.")


def _move(report: HotlineReport, to_status: str) -> None:
    if to_status not in HOTLINE_TRANSITIONS[report.status]:
        raise DomainError(
            f"Report {report.reference} is {S(report.status).label.lower()}: "
            f"it cannot move to {S(to_status).label.lower()}."
        )
    report.status = to_status


def _event(report, kind, by, from_status, note=""):
    HotlineReportEvent.objects.create(
        report=report, kind=kind, actor=by, from_status=from_status, to_status=report.status, note=note
    )


def _locked(report_id: int) -> HotlineReport:
    return HotlineReport.objects.select_for_update().get(pk=report_id)


def report_acknowledge(*, report: HotlineReport, by) -> HotlineReport:
    """Received -> acknowledged, once: the time is what the 2-working-day target is measured by,
    so it is never overwritten (a reporter's answer also leads back to acknowledged)."""
    _check_staff(by)
    with transaction.atomic():
        report = _locked(report.pk)
        if report.acknowledged_at is not None:
            raise DomainError(f"Report {report.reference} was already acknowledged.")
        from_status = report.status
        _move(report, S.ACKNOWLEDGED)
        report.acknowledged_at, report.updated_by = timezone.now(), by
        report.save(update_fields=["status", "acknowledged_at", "updated_by", "updated_at"])
        _event(report, HotlineEventKind.ACKNOWLEDGED, by, from_status)
    return report


def report_information_request(*, report: HotlineReport, question: str, by) -> HotlineReport:
    """Ask the reporter a question: the report waits on them (needs information) until they answer."""
    _check_staff(by)
    question = question.strip()
    if not question:
        raise DomainError("Write the question for the reporter.")
    with transaction.atomic():
        report = _locked(report.pk)
        from_status = report.status
        _move(report, S.NEEDS_INFORMATION)
        report.updated_by = by
        report.save(update_fields=["status", "updated_by", "updated_at"])
        message = HotlineMessage(report=report, sender=MessageSender.TRIAGE, author=by, body=question)
        message.clean_fields()
        message.save()
        _event(report, HotlineEventKind.INFORMATION_REQUESTED, by, from_status)
    return report


def report_triage_reply(*, report: HotlineReport, body: str, by) -> HotlineMessage:
    """Write to the reporter without changing the report's status; not once it is closed."""
    _check_staff(by)
    body = body.strip()
    if not body:
        raise DomainError("Write the message for the reporter.")
    with transaction.atomic():
        report = _locked(report.pk)
        if report.status == S.CLOSED:
            raise DomainError(f"Report {report.reference} is closed: it takes no more messages.")
        message = HotlineMessage(report=report, sender=MessageSender.TRIAGE, author=by, body=body)
        message.clean_fields()
        message.save()
        report.updated_by = by
        report.save(update_fields=["updated_by", "updated_at"])
        _event(report, HotlineEventKind.TRIAGE_REPLIED, by, report.status)
    return message


def report_officer_link(*, report: HotlineReport, officer: Officer, by) -> HotlineReport:
    """Name the officer the report is about. A report already turned into an allegation keeps its officer."""
    _check_staff(by)
    if investigator_conflicted(user=by, officer_id=officer.pk):
        raise DomainError("You are conflicted on this officer.")
    with transaction.atomic():
        report = _locked(report.pk)
        if report.allegation_id:
            raise DomainError(f"Report {report.reference} already has an allegation: its officer cannot change.")
        from_status = report.status
        _move(report, S.LINKED)
        report.officer, report.linked_at, report.updated_by = officer, timezone.now(), by
        report.save(update_fields=["status", "officer", "linked_at", "updated_by", "updated_at"])
        _event(report, HotlineEventKind.LINKED, by, from_status, note=f"officer {officer.pk}")
        events.publish_on_commit(
            events.report_linked_to_officer, report_id=report.pk, officer_id=officer.pk, actor_id=by.pk
        )
    return report


def report_allegation_create(*, report: HotlineReport, by, category: str = "", narrative: str = "") -> HotlineReport:
    """Turn a linked report into an allegation (source: hotline) about its officer; the report is
    then referred. The allegation is dated the day the report came in."""
    _check_staff(by)
    with transaction.atomic():
        report = _locked(report.pk)
        from_status = report.status
        _move(report, S.REFERRED)
        allegation = allegation_record(
            subject=report.officer,
            category=category or ALLEGATION_CATEGORY_FOR[report.category],
            source=AllegationSource.HOTLINE,
            received_on=timezone.localdate(report.received_at),
            narrative=narrative or report.what_happened,
            complainant_ref=f"hotline:{report.reference}",
            by=by,
        )
        report.allegation, report.updated_by = allegation, by
        report.save(update_fields=["status", "allegation", "updated_by", "updated_at"])
        _event(report, HotlineEventKind.ALLEGATION_CREATED, by, from_status, note=f"allegation {allegation.pk}")
    return report


def report_duplicate_merge(*, report: HotlineReport, original: HotlineReport, by) -> HotlineReport:
    """Close a report as a duplicate of another. It points at the first report of its chain, never
    at itself or at a report already merged away."""
    _check_staff(by)
    if original.pk == report.pk:
        raise DomainError("A report cannot be a duplicate of itself.")
    with transaction.atomic():
        # Lock both in id order so two merges running the other way round cannot deadlock.
        locked = {
            r.pk: r
            for r in HotlineReport.objects.select_for_update().filter(pk__in=[report.pk, original.pk]).order_by("pk")
        }
        report, original = locked[report.pk], locked[original.pk]
        if original.duplicate_of_id:
            raise DomainError(f"Report {original.reference} is itself a duplicate: merge into the first report.")
        from_status = report.status
        _move(report, S.CLOSED)
        report.duplicate_of, report.updated_by = original, by
        report.closed_reason = f"Duplicate of {original.reference}."
        report.save(update_fields=["status", "duplicate_of", "closed_reason", "updated_by", "updated_at"])
        HotlineReport.objects.filter(duplicate_of=report).update(duplicate_of=original)
        _event(report, HotlineEventKind.MERGED, by, from_status, note=original.reference)
    return report


def report_close(*, report: HotlineReport, reason: str, by) -> HotlineReport:
    """Close a report, always with a reason."""
    _check_staff(by)
    reason = reason.strip()
    if not reason:
        raise DomainError("Give the reason for closing the report.")
    with transaction.atomic():
        report = _locked(report.pk)
        from_status = report.status
        _move(report, S.CLOSED)
        report.closed_reason, report.updated_by = reason, by
        report.save(update_fields=["status", "closed_reason", "updated_by", "updated_at"])
        _event(report, HotlineEventKind.CLOSED, by, from_status, note=reason)
    return report
