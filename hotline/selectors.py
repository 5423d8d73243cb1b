"""Every read the hotline's public pages need."""

import datetime as dt

from django.db.models import Case, Count, DateField, DurationField, F, Q, Value, When
from django.db.models.functions import ExtractIsoWeekDay, TruncDate, TruncMonth
from django.utils import timezone

from cases.calendar import working_days_after

from .models import HotlineReport, HotlineStatus

ACKNOWLEDGE_WITHIN_WORKING_DAYS = 2

# What a reporter is told about each status. Staff-side detail (which officer, which allegation,
# why it was closed) is never shown: the code opens the conversation, not the investigation.
PUBLIC_STATUS = {
    HotlineStatus.RECEIVED: (
        "Received",
        "We have your report. Our team will read it and acknowledge it within 2 working days.",
    ),
    HotlineStatus.ACKNOWLEDGED: ("Acknowledged", "Our team has read your report and is looking into it."),
    HotlineStatus.NEEDS_INFORMATION: (
        "We have a question for you",
        "Please read our message below and answer it. We cannot go further without your answer.",
    ),
    HotlineStatus.LINKED: ("Acknowledged", "Our team has read your report and is looking into it."),
    HotlineStatus.REFERRED: ("Passed to investigators", "Your report has been passed to investigators to act on."),
    HotlineStatus.CLOSED: ("Closed", "We have finished our work on your report. Thank you for telling us."),
}


def report_for_reporter(*, report_id: int) -> HotlineReport:
    """The one report a receipt session opened, with its messages (no staff names: only the sender side)."""
    return (
        HotlineReport.objects.only("id", "category", "what_happened", "status", "received_at")
        .prefetch_related("messages")
        .get(pk=report_id)
    )


def public_status(report: HotlineReport) -> tuple[str, str]:
    return PUBLIC_STATUS[HotlineStatus(report.status)]


# Calendar days from the day a report came in to the end of its 2-working-day target when no bank
# holiday intervenes, by the ISO weekday it came in on (1 Monday .. 7 Sunday): Thursday and Friday roll
# over a weekend; Saturday and Sunday wait for Monday.
_WEEKDAY_ALLOWANCE = {1: 2, 2: 2, 3: 2, 4: 4, 5: 4, 6: 3, 7: 2}
# How far back from a bank holiday a report's 2-working-day target can reach it (a Thursday report
# rolls over Good Friday, the weekend and Easter Monday).
_HOLIDAY_REACH_DAYS = 7
_TRANSPARENCY_YEARS_BACK = 12


def _acknowledgement_deadline(today: dt.date):
    """The acknowledgement target day as SQL: the weekday rule, with the few received days whose target a
    bank holiday moves written out (computed from the one calendar, cases.calendar), so the figures stay one
    aggregate query."""
    from cases.calendar import bank_holidays

    moved = {}
    for year in range(today.year - _TRANSPARENCY_YEARS_BACK, today.year + 2):
        for holiday in bank_holidays(year):
            for back in range(_HOLIDAY_REACH_DAYS + 1):
                day = holiday - dt.timedelta(days=back)
                target = working_days_after(day, ACKNOWLEDGE_WITHIN_WORKING_DAYS)
                if target != day + dt.timedelta(days=_WEEKDAY_ALLOWANCE[day.isoweekday()]):
                    moved[day] = target
    weekday_rule = F("received_day") + Case(
        *[When(received_weekday=day, then=Value(dt.timedelta(days=n))) for day, n in _WEEKDAY_ALLOWANCE.items()],
        output_field=DurationField(),
    )
    return Case(
        *[When(received_day=day, then=Value(target)) for day, target in sorted(moved.items())],
        default=weekday_rule,
        output_field=DateField(),
    )


def hotline_transparency_by_month() -> list[dict]:
    """Reports received, acknowledged within 2 working days and turned into allegations, by the
    month they came in (local time). One aggregate query; no row leaves the database."""
    return list(
        HotlineReport.objects.annotate(
            month=TruncMonth("received_at"),
            received_day=TruncDate("received_at"),
            acknowledged_day=TruncDate("acknowledged_at"),
            received_weekday=ExtractIsoWeekDay("received_at"),
        )
        .annotate(deadline=_acknowledgement_deadline(timezone.localdate()))
        .values("month")
        .annotate(
            received=Count("id"),
            acknowledged_in_time=Count("id", filter=Q(acknowledged_day__lte=F("deadline"))),
            allegations=Count("id", filter=Q(allegation__isnull=False)),
        )
        .order_by("-month")
    )


# --- the staff side ---------------------------------------------------------------------------------


def triage_queue(*, user):
    """Reports for the triage team, oldest unacknowledged first. A report linked to an officer the
    user must not see about (themselves, a declared conflict) is left out."""
    from cases.roles import has_role
    from cases.selectors import conflicted_officer_ids

    from .services import TRIAGE_ROLES

    if not has_role(user, *TRIAGE_ROLES):
        return HotlineReport.objects.none()
    return (
        HotlineReport.objects.select_related("officer")
        .exclude(officer_id__in=conflicted_officer_ids(user))
        .order_by(
            Case(When(status=HotlineStatus.RECEIVED, then=Value(0)), default=Value(1)),
            "received_at",
            "id",
        )
    )


def access_report(*, user, public_id):
    """The report, if this user may work on it; the same 404 for missing and forbidden."""
    from uuid import UUID

    from django.http import Http404

    try:
        key = UUID(str(public_id))
    except (TypeError, ValueError, AttributeError):
        raise Http404 from None
    report = triage_queue(user=user).filter(public_id=key).first()
    if report is None:
        raise Http404
    return report


def acknowledge_due(received_at):
    """When the 2-working-day acknowledgement target falls due for a report received at that time
    (working days exclude weekends and the bank holidays of England and Wales)."""
    from django.utils import timezone

    return working_days_after(timezone.localtime(received_at).date(), ACKNOWLEDGE_WITHIN_WORKING_DAYS)


def reports_awaiting_acknowledgement(*, user):
    """Reports received and not yet acknowledged, oldest first: the 2-working-day target runs from receipt."""
    return triage_queue(user=user).filter(status=HotlineStatus.RECEIVED).order_by("received_at", "id")


def with_reporter_waiting(qs):
    """Each report with `reporter_waiting`: its latest message is the reporter's, so a new message from
    them waits for the triage team's reply. One subquery in the list's query, not a query per row."""
    from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Subquery

    from .models import HotlineMessage, MessageSender

    latest_sender = (
        HotlineMessage.objects.filter(report=OuterRef("pk")).order_by("-sent_at", "-id").values("sender")[:1]
    )
    return qs.annotate(latest_sender=Subquery(latest_sender)).annotate(
        reporter_waiting=ExpressionWrapper(Q(latest_sender=MessageSender.REPORTER), output_field=BooleanField())
    )


def evidence_not_in_documents(report):
    """The report's old HotlineEvidence rows that migration 0003 could not copy into documents (bytes
    missing or unreadable): shown by name only, since nothing of them can be opened."""
    from cases.documents.models import CustodyEvent

    from .evidence import MIGRATED_FROM

    copied = {
        detail.get("hotline_evidence_id")
        for detail in CustodyEvent.objects.filter(
            action="upload", document__owner_kind="hotline_report", document__owner_id=report.pk
        ).values_list("detail", flat=True)
        if isinstance(detail, dict) and detail.get("migrated_from") == MIGRATED_FROM
    }
    return [e for e in report.evidence.all() if e.pk not in copied]
