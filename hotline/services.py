"""Every write the hotline knows: the public side (submit, look up by receipt, reply) here, the triage
workflow in triage.py (re-exported here)."""

import datetime as dt
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.documents.services import documents_receive, stored_files_remove
from cases.references import reference_next
from cases.services import DomainError

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
from .triage import (  # noqa: F401 - the triage workflow, imported from here by views and tests
    ALLEGATION_CATEGORY_FOR,
    HOTLINE_ACTIONS,
    HOTLINE_TRANSITIONS,
    TRIAGE_ROLES,
    _message,
    _transition,
    report_acknowledge,
    report_allegation_create,
    report_close,
    report_duplicate_merge,
    report_information_request,
    report_officer_link,
    report_triage_reply,
)

S = HotlineStatus

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
            report.reference = reference_next(prefix=f"HL-{timezone.localdate():%Y}")
            report.save()
            if not anonymous and any(contact.values()):
                HotlineReporterContact.objects.create(report=report, **contact)
            # The reporter's files become documents on the report (cases/documents): the triage team
            # opens them through the one download view; pictures lose their metadata (EXIF) on the way,
            # so a file cannot name its sender.
            documents_receive(
                owner_kind="hotline_report",
                owner=report,
                files=files,
                obtained_from="The reporter, through the public hotline",
                stored_names=saved,
            )
            HotlineReportEvent.objects.create(report=report, kind=HotlineEventKind.SUBMITTED, to_status=report.status)
    except IntegrityError:
        # The same form sent twice at once: the other request stored it first (unique receipt hash).
        stored_files_remove(saved)
        earlier = _already_submitted(hashed)
        if earlier is None:
            raise
        return earlier, receipt
    except Exception:
        stored_files_remove(saved)
        raise
    return report, receipt


def _already_submitted(hashed: str) -> HotlineReport | None:
    earlier = HotlineReport.objects.filter(receipt_hash=hashed).only("id", "received_at").first()
    if earlier is None:
        return None
    if timezone.now() - earlier.received_at > RESUBMIT_WINDOW:
        raise DomainError("This form was already sent. Use the receipt code you were given to see your report.")
    return earlier


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
    sent = []

    def check(report):
        if report.status == S.CLOSED:
            raise DomainError("This report is closed, so it cannot take new messages.")

    def apply(report):
        sent.append(_message(report, MessageSender.REPORTER, None, body))
        return []

    _transition(report_id, "reporter_reply", by=None, check=check, apply=apply)
    return sent[0]
