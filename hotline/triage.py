"""The hotline's triage workflow. Every step goes through `_transition`: it locks the report, checks the
step against HOTLINE_ACTIONS and the move against HOTLINE_TRANSITIONS, saves the new state with
update_fields and writes an event row, all in one transaction."""

from django.db import transaction
from django.utils import timezone

from cases import events
from cases.models import AllegationCategory, AllegationSource, Officer
from cases.roles import Role, has_role
from cases.services import DomainError, allegation_record, investigator_conflicted

from .models import HotlineEventKind, HotlineMessage, HotlineReport, HotlineReportEvent, HotlineStatus, MessageSender

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


def _check_staff(by) -> None:
    if not has_role(by, *TRIAGE_ROLES):
        raise DomainError("Only the hotline triage team and DPS staff work on hotline reports.")


# What each step does: the event it writes and where it moves the report (None: it stays; a dict: only
# from those states, else it stays). Each move is also checked against HOTLINE_TRANSITIONS.
HOTLINE_ACTIONS: dict[str, tuple[str, str | dict[str, str] | None]] = {
    "reporter_reply": (HotlineEventKind.REPORTER_REPLIED, {S.NEEDS_INFORMATION: S.ACKNOWLEDGED}),
    "acknowledge": (HotlineEventKind.ACKNOWLEDGED, S.ACKNOWLEDGED),
    "request_information": (HotlineEventKind.INFORMATION_REQUESTED, S.NEEDS_INFORMATION),
    "triage_reply": (HotlineEventKind.TRIAGE_REPLIED, None),
    "link_officer": (HotlineEventKind.LINKED, S.LINKED),
    "create_allegation": (HotlineEventKind.ALLEGATION_CREATED, S.REFERRED),
    "merge": (HotlineEventKind.MERGED, S.CLOSED),
    "close": (HotlineEventKind.CLOSED, S.CLOSED),
}


def _move(report: HotlineReport, to_status: str) -> None:
    if to_status not in HOTLINE_TRANSITIONS[report.status]:
        raise DomainError(
            f"Report {report.reference} is {S(report.status).label.lower()}: "
            f"it cannot move to {S(to_status).label.lower()}."
        )
    report.status = to_status


def _transition(report_id: int, action: str, *, by, check=None, apply=None, note="") -> HotlineReport:
    """The one way a hotline report moves: lock the row, run the step's own refusals (`check`), check the
    move against the tables, apply the step (`apply` returns the fields it changed), save with
    update_fields and write the event row, in one transaction. `note` is the event's note, or a function of
    the report."""
    kind, target = HOTLINE_ACTIONS[action]
    with transaction.atomic():
        report = HotlineReport.objects.select_for_update().get(pk=report_id)
        if check:
            check(report)
        from_status = report.status
        to_status = target.get(from_status) if isinstance(target, dict) else target
        if to_status:
            _move(report, to_status)
        fields = set(apply(report) if apply else ())
        if to_status:
            fields.add("status")
        if by is not None:
            report.updated_by = by
            fields.add("updated_by")
        if fields:
            report.save(update_fields=[*sorted(fields), "updated_at"])
        HotlineReportEvent.objects.create(
            report=report,
            kind=kind,
            actor=by,
            from_status=from_status,
            to_status=report.status,
            note=note(report) if callable(note) else note,
        )
    return report


def _message(report, sender, author, body) -> HotlineMessage:
    message = HotlineMessage(report=report, sender=sender, author=author, body=body)
    message.clean_fields()
    message.save()
    return message


def report_acknowledge(*, report: HotlineReport, by) -> HotlineReport:
    """Received -> acknowledged, once: the time is what the 2-working-day target is measured by,
    so it is never overwritten (a reporter's answer also leads back to acknowledged)."""
    _check_staff(by)

    def check(report):
        if report.acknowledged_at is not None:
            raise DomainError(f"Report {report.reference} was already acknowledged.")

    def apply(report):
        report.acknowledged_at = timezone.now()
        return ["acknowledged_at"]

    return _transition(report.pk, "acknowledge", by=by, check=check, apply=apply)


def report_information_request(*, report: HotlineReport, question: str, by) -> HotlineReport:
    """Ask the reporter a question: the report waits on them (needs information) until they answer."""
    _check_staff(by)
    question = question.strip()
    if not question:
        raise DomainError("Write the question for the reporter.")

    def apply(report):
        _message(report, MessageSender.TRIAGE, by, question)
        return []

    return _transition(report.pk, "request_information", by=by, apply=apply)


def report_triage_reply(*, report: HotlineReport, body: str, by) -> HotlineMessage:
    """Write to the reporter without changing the report's status; not once it is closed."""
    _check_staff(by)
    body = body.strip()
    if not body:
        raise DomainError("Write the message for the reporter.")
    sent = []

    def check(report):
        if report.status == S.CLOSED:
            raise DomainError(f"Report {report.reference} is closed: it takes no more messages.")

    def apply(report):
        sent.append(_message(report, MessageSender.TRIAGE, by, body))
        return []

    _transition(report.pk, "triage_reply", by=by, check=check, apply=apply)
    return sent[0]


def report_officer_link(*, report: HotlineReport, officer: Officer, by) -> HotlineReport:
    """Name the officer the report is about. A report already turned into an allegation keeps its officer."""
    _check_staff(by)
    if investigator_conflicted(user=by, officer_id=officer.pk):
        raise DomainError("You are conflicted on this officer.")

    def check(report):
        if report.allegation_id:
            raise DomainError(f"Report {report.reference} already has an allegation: its officer cannot change.")

    def apply(report):
        report.officer, report.linked_at = officer, timezone.now()
        # Vetting reviews a person a report is linked to (cases.events: hotline and vetting never name each other).
        events.publish_on_commit(
            events.report_linked_to_officer, report_id=report.pk, officer_id=officer.pk, actor_id=by.pk
        )
        return ["officer", "linked_at"]

    return _transition(report.pk, "link_officer", by=by, check=check, apply=apply, note=f"officer {officer.pk}")


def report_allegation_create(*, report: HotlineReport, by, category: str = "", narrative: str = "") -> HotlineReport:
    """Turn a linked report into an allegation (source: hotline) about its officer; the report is
    then referred. The allegation is dated the day the report came in."""
    _check_staff(by)

    def apply(report):
        report.allegation = allegation_record(
            subject=report.officer,
            category=category or ALLEGATION_CATEGORY_FOR[report.category],
            source=AllegationSource.HOTLINE,
            received_on=timezone.localdate(report.received_at),
            narrative=narrative or report.what_happened,
            complainant_ref=f"hotline:{report.reference}",
            by=by,
        )
        return ["allegation"]

    return _transition(
        report.pk, "create_allegation", by=by, apply=apply, note=lambda r: f"allegation {r.allegation_id}"
    )


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
        original = locked[original.pk]
        if original.duplicate_of_id:
            raise DomainError(f"Report {original.reference} is itself a duplicate: merge into the first report.")

        def apply(report):
            report.duplicate_of, report.closed_reason = original, f"Duplicate of {original.reference}."
            HotlineReport.objects.filter(duplicate_of=report).update(duplicate_of=original)
            return ["duplicate_of", "closed_reason"]

        return _transition(report.pk, "merge", by=by, apply=apply, note=original.reference)


def report_close(*, report: HotlineReport, reason: str, by) -> HotlineReport:
    """Close a report, always with a reason."""
    _check_staff(by)
    reason = reason.strip()
    if not reason:
        raise DomainError("Give the reason for closing the report.")

    def apply(report):
        report.closed_reason = reason
        return ["closed_reason"]

    return _transition(report.pk, "close", by=by, apply=apply, note=reason)
