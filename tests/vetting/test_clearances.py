"""Clearances: expiry from the renewal table, the expiry bands, notices once per clearance per threshold
(and none lost while the mail server is down), annual appraisal reminders, randomised re-vetting."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail

from cases.services import DomainError
from tests.clock import TODAY, days_ago, days_ahead
from tests.factories import OfficerFactory, VettingClearanceFactory
from vetting import services, tasks
from vetting.models import (
    ClearanceNotice,
    ClearanceStatus,
    NoticeThreshold,
    RenewalPeriod,
    RevettingDraw,
    ReviewTrigger,
    VettingClearance,
    VettingReview,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("granted_on", "level", "expires_on"),
    [
        (dt.date(2020, 3, 1), "rv", dt.date(2030, 3, 1)),
        (dt.date(2020, 3, 1), "mv", dt.date(2027, 3, 1)),
        (dt.date(2020, 2, 29), "dv", dt.date(2027, 2, 28)),  # no 29 February: the day before
    ],
)
def test_expiry_is_the_grant_plus_the_renewal_tables_years(granted_on, level, expires_on):
    assert services.clearance_expiry_date(level=level, granted_on=granted_on) == expires_on


def test_a_grant_takes_its_expiry_from_the_table_as_it_stands():
    RenewalPeriod.objects.filter(level="rv").update(years=5)
    clearance = services.clearance_grant(officer=OfficerFactory(), level="rv", granted_on=days_ago(10), by=None)
    assert clearance.status == ClearanceStatus.ACTIVE
    assert clearance.expires_on == services.clearance_expiry_date(level="rv", granted_on=days_ago(10))
    assert (clearance.expires_on - days_ago(10)).days in (1826, 1827)  # five years, leap days included


def test_a_level_with_no_renewal_period_cannot_be_granted():
    RenewalPeriod.objects.filter(level="rv").delete()
    with pytest.raises(DomainError, match="No renewal period"):
        services.clearance_grant(officer=OfficerFactory(), level="rv", granted_on=days_ago(1), by=None)


def test_a_clearance_cannot_be_granted_in_the_future():
    with pytest.raises(DomainError, match="future"):
        services.clearance_grant(officer=OfficerFactory(), level="rv", granted_on=days_ahead(1), by=None)


@pytest.mark.parametrize(
    ("expires_in", "band"),
    [
        (-400, NoticeThreshold.EXPIRED),
        (-1, NoticeThreshold.EXPIRED),
        (0, NoticeThreshold.DUE_30),  # expires today: still valid today
        (1, NoticeThreshold.DUE_30),
        (30, NoticeThreshold.DUE_30),  # due in exactly 30 days
        (31, NoticeThreshold.DUE_60),
        (60, NoticeThreshold.DUE_60),
        (61, NoticeThreshold.DUE_90),
        (90, NoticeThreshold.DUE_90),
        (91, ""),
    ],
)
def test_expiry_band_boundaries(expires_in, band):
    assert services.expiry_band(days_ahead(expires_in), TODAY) == band


@pytest.mark.parametrize(
    ("expires_in", "status"),
    [(-1, ClearanceStatus.EXPIRED), (0, ClearanceStatus.ACTIVE), (1, ClearanceStatus.ACTIVE)],
)
def test_status_on_a_day_and_the_daily_expiry(expires_in, status):
    clearance = VettingClearanceFactory(granted_on=days_ago(3000), expires_on=days_ahead(expires_in))
    assert services.clearance_status_on(clearance, TODAY) == status
    services.clearances_expire(day=TODAY)
    clearance.refresh_from_db()
    assert clearance.status == status


def test_a_renewal_supersedes_the_earlier_grant_of_the_same_level():
    old = VettingClearanceFactory(level="rv", granted_on=days_ago(3640), expires_on=days_ahead(10))
    new = services.clearance_grant(officer=old.officer, level="rv", granted_on=days_ago(1), by=None)
    assert list(services.current_clearances().filter(officer=old.officer)) == [new]
    services.clearance_notices_create(day=TODAY)
    assert not ClearanceNotice.objects.filter(clearance=old).exists()


def test_notices_are_written_once_per_clearance_per_threshold_however_often_the_task_runs(
    django_capture_on_commit_callbacks,
):
    due = VettingClearanceFactory(expires_on=days_ahead(30))
    today_ = VettingClearanceFactory(expires_on=TODAY)
    far = VettingClearanceFactory(expires_on=days_ahead(91))
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.clearance_expiry_daily.apply(kwargs={"day": TODAY.isoformat()}).get()
    assert sorted(ClearanceNotice.objects.values_list("clearance_id", "threshold")) == sorted(
        [(due.pk, NoticeThreshold.DUE_30), (today_.pk, NoticeThreshold.DUE_30)]
    )
    assert len(mail.outbox) == 2
    assert not ClearanceNotice.objects.filter(clearance=far).exists()
    assert all(n.sent_at for n in ClearanceNotice.objects.all())


def test_each_threshold_gets_its_own_notice_as_the_expiry_nears(django_capture_on_commit_callbacks):
    clearance = VettingClearanceFactory(expires_on=days_ahead(75))
    for day in (TODAY, TODAY + dt.timedelta(days=20), TODAY + dt.timedelta(days=50), TODAY + dt.timedelta(days=76)):
        for _ in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                tasks.clearance_expiry_daily.apply(kwargs={"day": day.isoformat()}).get()
    thresholds = list(
        ClearanceNotice.objects.filter(clearance=clearance).order_by("id").values_list("threshold", flat=True)
    )
    assert thresholds == [
        NoticeThreshold.DUE_90,
        NoticeThreshold.DUE_60,
        NoticeThreshold.DUE_30,
        NoticeThreshold.EXPIRED,
    ]
    assert len(mail.outbox) == 4


def test_no_notice_is_lost_while_the_mail_server_is_down(settings, django_capture_on_commit_callbacks):
    VettingClearanceFactory(expires_on=days_ahead(10))
    VettingClearanceFactory(expires_on=days_ahead(40))
    settings.EMAIL_BACKEND = "tests.vetting.failing_mail.DownBackend"
    with django_capture_on_commit_callbacks(execute=True):
        tasks.clearance_expiry_daily.apply(kwargs={"day": TODAY.isoformat()})
    assert ClearanceNotice.objects.filter(sent_at__isnull=True).count() == 2
    assert ClearanceNotice.objects.filter(last_error="ConnectionRefusedError").count() == 1  # stopped at the first
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    tasks.clearance_notices_send_task.apply().get()
    tasks.clearance_notices_send_task.apply().get()
    assert ClearanceNotice.objects.filter(sent_at__isnull=True).count() == 0
    assert len(mail.outbox) == 2


def test_left_people_and_suspended_clearances_get_no_expiry_notice():
    VettingClearanceFactory(expires_on=days_ahead(10), officer=OfficerFactory(status="retired", left_on=days_ago(5)))
    VettingClearanceFactory(expires_on=days_ahead(10), status=ClearanceStatus.SUSPENDED)
    assert services.clearance_notices_create(day=TODAY) == []


@pytest.mark.parametrize(
    ("granted_days_ago", "reminded"),
    [(365 * 3 - 29, True), (365 * 3 - 31, False)],
)
def test_annual_appraisal_reminder_where_the_level_has_one(granted_days_ago, reminded):
    granted = TODAY - dt.timedelta(days=granted_days_ago)
    dv = VettingClearanceFactory(level="dv", granted_on=granted, expires_on=granted + dt.timedelta(days=7 * 365))
    rv = VettingClearanceFactory(level="rv", granted_on=granted, expires_on=granted + dt.timedelta(days=3650))
    services.clearance_notices_create(day=TODAY)
    services.clearance_notices_create(day=TODAY)
    appraisals = ClearanceNotice.objects.filter(threshold=NoticeThreshold.APPRAISAL)
    assert list(appraisals.values_list("clearance_id", flat=True)) == ([dv.pk] if reminded else [])
    assert not appraisals.filter(clearance=rv).exists()


def test_appraisal_due_is_the_next_anniversary_of_the_grant():
    assert services.appraisal_due_on(dt.date(2020, 2, 29), dt.date(2026, 3, 1)) == dt.date(2027, 2, 28)
    assert services.appraisal_due_on(dt.date(2020, 6, 1), dt.date(2026, 6, 1)) == dt.date(2026, 6, 1)
    assert services.appraisal_due_on(dt.date(2020, 6, 1), dt.date(2026, 6, 2)) == dt.date(2027, 6, 1)


def test_revetting_draw_is_reproducible_from_its_recorded_seed_and_once_a_month():
    for _ in range(40):
        VettingClearanceFactory()
    VettingClearanceFactory(expires_on=days_ago(1))  # expired: not in the population
    draw = services.revetting_draw(period=TODAY, percent=Decimal("10"), seed=12345)
    assert draw.population == 40 and len(draw.clearance_ids) == 4
    population = sorted(VettingClearance.objects.filter(expires_on__gte=TODAY).values_list("id", flat=True))
    assert services.revetting_sample(population=population, percent=draw.percent, seed=draw.seed) == draw.clearance_ids
    again = tasks.revetting_draw_monthly.apply(kwargs={"day": TODAY.replace(day=28).isoformat()}).get()
    assert again == draw.pk and RevettingDraw.objects.count() == 1
    reviews = VettingReview.objects.filter(trigger=ReviewTrigger.RANDOM_REVETTING)
    assert sorted(reviews.values_list("clearance_id", flat=True)) == draw.clearance_ids


def test_revetting_percent_comes_from_settings(settings):
    settings.VETTING_REVETTING_PERCENT = "50"
    for _ in range(6):
        VettingClearanceFactory()
    draw = services.revetting_draw(period=TODAY)
    assert len(draw.clearance_ids) == 3 and draw.percent == Decimal("50") and draw.seed
