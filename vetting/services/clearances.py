"""Clearances: grant and renewal from the renewal table, expiry, notices to the vetting team, the annual
appraisal, and the monthly randomised re-vetting draw. The rules, with their sources, are in
docs/vetting-rules.md."""

import datetime as dt
import logging
import random
import secrets
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from cases.models import Officer
from cases.services import DomainError

from ..models import (
    ClearanceLevel,
    ClearanceNotice,
    ClearanceStatus,
    NoticeThreshold,
    RenewalPeriod,
    RevettingDraw,
    ReviewTrigger,
    VettingClearance,
)

logger = logging.getLogger(__name__)

# Notice thresholds, nearest first: a clearance is in the first band its days-to-expiry fit. A clearance
# that expires today is still valid today (the risk rule counts expires_on >= today as valid) and is
# "due within 30 days"; from tomorrow it is expired. ⚠ The bands are the brief's (90/60/30), not a rule
# found in the APP text.
EXPIRY_BANDS = [(NoticeThreshold.DUE_30, 30), (NoticeThreshold.DUE_60, 60), (NoticeThreshold.DUE_90, 90)]
APPRAISAL_NOTICE_DAYS = 30
NOTICE_BATCH = 200


def clearance_expiry_date(*, level: str, granted_on: dt.date) -> dt.date:
    """The renewal date of a clearance granted on `granted_on`: the renewal table's years for the level
    (configuration, vetting.RenewalPeriod). APP Vetting: RV, MV, NPPV, SC and DV are time limited and
    renewed after a set period (⚠ the periods themselves are configuration, seeded with the values in
    docs/vetting-rules.md and not verified against the APP's own table)."""
    period = RenewalPeriod.objects.filter(level=level).first()
    if period is None:
        raise DomainError(f"No renewal period is configured for {ClearanceLevel(level).label}.", field="level")
    return granted_on + relativedelta(years=period.years)


def clearance_grant(*, officer: Officer, level: str, granted_on: dt.date, by) -> VettingClearance:
    """Grant (or renew) a clearance: its expiry comes from the renewal table. A renewal is a new row; the
    earlier clearance of the same level stays as history and is no longer current."""
    if level not in ClearanceLevel.values:
        raise DomainError("Choose the clearance level from the list.", field="level")
    if granted_on > timezone.localdate():
        raise DomainError("A clearance cannot be granted in the future.", field="granted_on")
    expires_on = clearance_expiry_date(level=level, granted_on=granted_on)
    return VettingClearance.objects.create(
        officer=officer,
        level=level,
        status=ClearanceStatus.ACTIVE,
        granted_on=granted_on,
        expires_on=expires_on,
        created_by=by,
        updated_by=by,
    )


def current_clearances(qs=None):
    """Clearances not superseded by a later grant of the same level to the same person."""
    qs = VettingClearance.objects.all() if qs is None else qs
    later = VettingClearance.objects.filter(
        officer_id=OuterRef("officer_id"), level=OuterRef("level"), granted_on__gt=OuterRef("granted_on")
    )
    return qs.filter(~Exists(later))


def clearance_status_on(clearance: VettingClearance, day: dt.date) -> str:
    """What the clearance is on `day`: an active one past its expiry date is expired."""
    if clearance.status == ClearanceStatus.ACTIVE and clearance.expires_on and clearance.expires_on < day:
        return ClearanceStatus.EXPIRED
    return clearance.status


def expiry_band(expires_on: dt.date | None, day: dt.date) -> str:
    """The notice threshold a clearance expiring on `expires_on` is in on `day`, or "" if none."""
    if expires_on is None:
        return ""
    left = (expires_on - day).days
    if left < 0:
        return NoticeThreshold.EXPIRED
    for threshold, days in EXPIRY_BANDS:
        if left <= days:
            return threshold
    return ""


def clearances_expire(*, day: dt.date) -> int:
    """Mark active clearances past their expiry date expired (APP Vetting 3.4.2, as amended for the 2025
    Regulations: clearances are terminated when they expire). Set-based: one UPDATE."""
    return VettingClearance.objects.filter(status=ClearanceStatus.ACTIVE, expires_on__lt=day).update(
        status=ClearanceStatus.EXPIRED, updated_at=timezone.now()
    )


def clearance_notices_create(*, day: dt.date) -> list[int]:
    """Write the notices due on `day`, once per clearance per threshold: the unique constraint and
    bulk_create(ignore_conflicts) make a second run (or a parallel one) write nothing. Returns the ids of
    the notices still to send."""
    now = timezone.now()
    live = current_clearances().filter(
        status__in=[ClearanceStatus.ACTIVE, ClearanceStatus.EXPIRED], officer__left_on__isnull=True
    )
    rows = []
    window = live.filter(expires_on__lte=day + dt.timedelta(days=EXPIRY_BANDS[-1][1]))
    # An expired notice only for clearances that expired in the last 90 days: older ones were told long ago.
    window = window.filter(expires_on__gte=day - dt.timedelta(days=90))
    for clearance_id, expires_on in window.values_list("id", "expires_on").order_by():
        threshold = expiry_band(expires_on, day)
        if threshold:
            rows.append(
                ClearanceNotice(clearance_id=clearance_id, threshold=threshold, due_on=expires_on, created_at=now)
            )
    rows += _appraisal_notices(live, day, now)
    ClearanceNotice.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return list(ClearanceNotice.objects.filter(sent_at__isnull=True).order_by("id").values_list("id", flat=True))


def appraisal_due_on(granted_on: dt.date, day: dt.date) -> dt.date:
    """The next anniversary of the grant on or after `day` (29 February falls back to 28 February)."""
    years = max(day.year - granted_on.year, 1)
    due = granted_on + relativedelta(years=years)
    while due < day:
        years += 1
        due = granted_on + relativedelta(years=years)
    return due


def _appraisal_notices(live, day, now):
    """Annual appraisal reminders where the level carries one (RenewalPeriod.annual_appraisal; APP Vetting,
    the annual integrity and vetting review, Appendix B ⚠ the appendix itself was not read): one notice a
    year per clearance, APPRAISAL_NOTICE_DAYS before the anniversary of the grant."""
    levels = list(RenewalPeriod.objects.filter(annual_appraisal=True).values_list("level", flat=True))
    if not levels:
        return []
    rows = []
    active = live.filter(status=ClearanceStatus.ACTIVE, level__in=levels, expires_on__gte=day)
    for clearance_id, granted_on in active.values_list("id", "granted_on").order_by():
        due = appraisal_due_on(granted_on, day)
        if (due - day).days <= APPRAISAL_NOTICE_DAYS:
            rows.append(
                ClearanceNotice(
                    clearance_id=clearance_id, threshold=NoticeThreshold.APPRAISAL, due_on=due, created_at=now
                )
            )
    return rows


def clearance_notices_send(*, notice_ids: list[int] | None = None) -> int:
    """Send unsent notices by mail to the vetting team, each claimed with a row lock that skips rows
    another sender holds, and marked sent only when the mail went. A failed send is recorded and the notice
    waits for the next run: an outage loses nothing and a notice is never sent twice by two senders."""
    sent = 0
    pending = ClearanceNotice.objects.filter(sent_at__isnull=True)
    if notice_ids is not None:
        pending = pending.filter(id__in=notice_ids)
    ids = list(pending.order_by("id").values_list("id", flat=True))
    for start in range(0, len(ids), NOTICE_BATCH):
        with transaction.atomic():
            batch = list(
                ClearanceNotice.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("clearance__officer")
                .filter(id__in=ids[start : start + NOTICE_BATCH], sent_at__isnull=True)
            )
            for notice in batch:
                if not _send(notice):
                    return sent
                sent += 1
    return sent


def _send(notice: ClearanceNotice) -> bool:
    c = notice.clearance
    subject = f"Vetting: {notice.get_threshold_display().lower()}: {c.officer.staff_number} ({c.get_level_display()})"
    body = (
        f"{c.officer.full_name} ({c.officer.staff_number}) holds {c.get_level_display()}, "
        f"granted {c.granted_on:%d %b %Y}, expires {c.expires_on:%d %b %Y}.\n"
        f"{notice.get_threshold_display()} (date: {notice.due_on:%d %b %Y})."
    )
    notice.attempts += 1
    try:
        send_mail(subject, body, None, [settings.VETTING_TEAM_EMAIL], fail_silently=False)
    except Exception as exc:  # any mail failure: the notice stays unsent for the next run
        notice.last_error = type(exc).__name__[:200]
        notice.save(update_fields=["attempts", "last_error"])
        logger.warning("vetting notice %s not sent (%s); the next run retries", notice.pk, notice.last_error)
        return False
    notice.sent_at, notice.last_error = timezone.now(), ""
    notice.save(update_fields=["attempts", "last_error", "sent_at"])
    return True


def revetting_draw(
    *, period: dt.date, percent: Decimal | None = None, seed: int | None = None, by=None
) -> RevettingDraw:
    """Draw the month's random sample of current, active clearances for early review (APP Vetting 2024:
    mandatory randomised re-vetting; ⚠ the sample size is not set by the text we read: it is configuration,
    settings.VETTING_REVETTING_PERCENT). One draw a month: drawing again returns the month's draw. The
    seed and the sorted population are recorded, so `revetting_sample` repeats the draw exactly."""
    from .reviews import vetting_review_open

    period = period.replace(day=1)
    existing = RevettingDraw.objects.filter(period=period).first()
    if existing:
        return existing
    percent = Decimal(str(percent if percent is not None else settings.VETTING_REVETTING_PERCENT))
    seed = secrets.randbits(62) if seed is None else seed
    day = timezone.localdate()
    population = list(
        current_clearances()
        .filter(status=ClearanceStatus.ACTIVE, expires_on__gte=day, officer__left_on__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    chosen = revetting_sample(population=population, percent=percent, seed=seed)
    with transaction.atomic():
        draw, created = RevettingDraw.objects.get_or_create(
            period=period,
            defaults={
                "seed": seed,
                "percent": percent,
                "population": len(population),
                "clearance_ids": chosen,
                "drawn_at": timezone.now(),
                "drawn_by": by,
            },
        )
        if created:
            officers = dict(VettingClearance.objects.filter(id__in=chosen).values_list("id", "officer_id"))
            for clearance_id in chosen:
                vetting_review_open(
                    officer_id=officers[clearance_id],
                    trigger=ReviewTrigger.RANDOM_REVETTING,
                    trigger_ref=f"draw:{draw.pk}:{clearance_id}",
                    clearance_id=clearance_id,
                    reason=f"Randomised re-vetting, {period:%B %Y} (seed {seed})",
                    by=by,
                )
    return draw


def revetting_sample(*, population: list[int], percent: Decimal, seed: int) -> list[int]:
    """The same population, percent and seed always give the same sample (at least one if any)."""
    if not population:
        return []
    size = max(1, round(len(population) * Decimal(percent) / 100))
    return sorted(random.Random(seed).sample(sorted(population), min(size, len(population))))


__all__ = [
    "appraisal_due_on",
    "clearance_expiry_date",
    "clearance_grant",
    "clearance_notices_create",
    "clearance_notices_send",
    "clearance_status_on",
    "clearances_expire",
    "current_clearances",
    "expiry_band",
    "revetting_draw",
    "revetting_sample",
]
