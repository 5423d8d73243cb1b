"""The demo is alive: its dates count back from the day seed_demo runs (the suite's clock, and the shifted
clocks of bin/test), and every printed demo login finds work waiting, read through the selectors the pages
use. Date-sensitive (bin/test DATE_SENSITIVE)."""

import datetime as dt

import pytest
from django.db.models import Count, Q
from django.urls import reverse

from cases import models as cm
from cases import selectors
from cases.models import OPEN_CASE_STATUSES
from cases.risk.models import RiskFlag
from cases.roles import Role
from cases.services import may_work_on_case
from hotline import models as hm
from hotline.selectors import triage_queue
from misconduct.dashboard import dashboard_figures
from tests.cases.test_seed_demo import seed
from tests.clock import NOW, TODAY
from vetting import models as vm
from vetting.selectors import clearance_expiry_list, review_trigger_record, vetting_review_list

pytestmark = pytest.mark.django_db


def demo_user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def test_the_demo_counts_back_from_today(settings):
    seed("--scale", "tiny", "--seed", "3", settings=settings)
    # Nothing happens after today, and the history runs back ten years.
    assert not cm.Allegation.objects.filter(received_on__gt=TODAY).exists()
    assert not cm.Case.objects.filter(Q(opened_at__gt=NOW) | Q(closed_at__gt=NOW)).exists()
    assert not hm.HotlineReport.objects.filter(Q(received_at__gt=NOW) | Q(acknowledged_at__gt=NOW)).exists()
    assert not cm.OnyxReview.objects.filter(decided_at__gt=NOW).exists()
    oldest = cm.Allegation.objects.order_by("received_on").values_list("received_on", flat=True).first()
    assert TODAY - dt.timedelta(days=3653 + 31) <= oldest <= TODAY - dt.timedelta(days=3600)
    # The newest cases are days old, not years.
    newest = cm.Case.objects.order_by("-opened_at").values_list("opened_at", flat=True).first()
    assert NOW - newest < dt.timedelta(days=14)
    # Hotline reports from the last three months, the newest not yet acknowledged.
    assert not hm.HotlineReport.objects.filter(received_at__lt=NOW - dt.timedelta(days=92)).exists()
    assert hm.HotlineReport.objects.filter(status=hm.HotlineStatus.RECEIVED).exists()


def test_the_trend_has_no_empty_month_in_the_last_24(settings):
    seed("--scale", "tiny", "--seed", "3", settings=settings)
    trend = dashboard_figures(today=TODAY)["trend"]
    assert len(trend) == 24
    assert trend[-1]["month"] == TODAY.strftime("%Y-%m")
    empty = [m["month"] for m in trend if not m["allegations"]]
    assert empty == []
    assert sum(m["decisions"] for m in trend) == cm.OnyxReview.objects.exclude(decision="").count()
    assert sum(m["hotline"] for m in trend) == hm.HotlineReport.objects.count()


def test_rules_timers_and_expiries_look_live(settings):
    seed("--scale", "small", "--seed", "11", settings=settings)
    # The 12-month risk rules raise flags.
    flags = dict(RiskFlag.objects.filter(active=True).values_list("rule_code").annotate(n=Count("id")))
    assert flags.get("allegations_in_window", 0) > 0
    assert flags.get("peer_percentile", 0) > 0
    # Vetting: clearances come due in the next 30, 60 and 90 days; only a few have lapsed.
    active = vm.VettingClearance.objects.filter(status="active")
    for days in (30, 60, 90):
        assert active.filter(expires_on__gte=TODAY, expires_on__lte=TODAY + dt.timedelta(days=days)).exists()
    serving_expired = vm.VettingClearance.objects.filter(status="expired", officer__left_on__isnull=True)
    assert 0 < serving_expired.count() < 0.02 * vm.VettingClearance.objects.count()
    assert not serving_expired.filter(expires_on__lt=TODAY - dt.timedelta(days=40)).exists()
    # Open cases over 12 months are some of the open cases, not nearly all of them.
    open_cases = cm.Case.objects.filter(status__in=OPEN_CASE_STATUSES)
    old = open_cases.filter(came_to_notice_on__lte=TODAY - dt.timedelta(days=365)).count()
    assert 0 < old < open_cases.count()


def test_every_demo_login_has_work_waiting(client, settings):
    output = seed("--scale", "tiny", "--seed", "3", settings=settings)
    printed = [line.strip() for line in output.splitlines() if line.startswith("  demo-") and ":" not in line]
    assert set(printed) == {f"demo-{r.value}" for r in Role} | {"demo-panel-2", "demo-admin"}

    investigator = demo_user("demo-dps_investigator")
    mine = selectors.case_list(user=investigator).filter(investigator=investigator, status__in=OPEN_CASE_STATUSES)
    assert mine.count() >= 10
    assert all(may_work_on_case(investigator, case) for case in mine)  # the edit grant, as the case page asks

    for username in ("demo-panel_reviewer", "demo-panel-2"):
        member = demo_user(username)
        assert selectors.panel_queue(user=member).exists(), username

    supervisor = demo_user("demo-dps_supervisor")
    assert selectors.case_list(user=supervisor).filter(status=cm.CaseStatus.CASE_TO_ANSWER).exists()
    assert selectors.onyx_review_list(user=supervisor).exists()

    triage = demo_user("demo-hotline_triage")
    queue = triage_queue(user=triage)
    assert queue.filter(status=hm.HotlineStatus.RECEIVED).exists()
    assert queue.filter(messages__sender=hm.MessageSender.REPORTER).exists()

    vetting = demo_user("demo-vetting_officer")  # open reviews, expiring clearances and self-reports waiting
    reviews = vetting_review_list(user=vetting)
    assert reviews.filter(assigned_to=vetting, status=vm.VettingReviewStatus.IN_PROGRESS).count() >= 2
    assert reviews.filter(status=vm.VettingReviewStatus.OPEN).exists()
    assert clearance_expiry_list(user=vetting, day=TODAY).exclude(band="").exists()
    self_reports = reviews.filter(trigger=vm.ReviewTrigger.SELF_REPORT).exclude(status=vm.VettingReviewStatus.DECIDED)
    assert self_reports.exists()
    assert all(review_trigger_record(user=vetting, review=r)["self_report"] for r in self_reports)
    decided = reviews.filter(status=vm.VettingReviewStatus.DECIDED)
    assert decided.exists()
    assert not decided.filter(Q(decided_by__isnull=True) | Q(rationale="")).exists()
    assert not reviews.filter(status=vm.VettingReviewStatus.IN_PROGRESS, assigned_to__isnull=True).exists()
    assert vm.RevettingDraw.objects.count() == 1 and vm.ClearanceNotice.objects.exists()

    # Some allegations arise from convictions (conviction_refer's rows), each conviction referred.
    linked = cm.Allegation.objects.filter(conviction__isnull=False)
    assert linked.exists()
    assert not linked.exclude(source=cm.AllegationSource.CONVICTION).exists()
    assert not linked.exclude(conviction__review_status=cm.ConvictionReviewStatus.REFERRED).exists()
    assert not cm.Conviction.objects.filter(
        review_status=cm.ConvictionReviewStatus.REFERRED, allegations__isnull=True
    ).exists()

    # Most reports to the College of Policing are made; a few are still due.
    assert cm.CollegeReport.objects.exists()

    figures = dashboard_figures(today=TODAY)  # what the commissioner and the oversight body read
    assert figures["onyx"] and figures["hotline"]["received"] and figures["restricted_duties"]


def test_demo_admin_uses_the_admin_in_demo_mode_only(client, settings):
    seed("--scale", "tiny", "--seed", "3", settings=settings)
    admin = demo_user("demo-admin")
    client.force_login(admin)
    settings.DEMO_MODE = False
    assert client.get(reverse("admin:index")).status_code == 302  # a second factor first
    settings.DEMO_MODE = True
    assert client.get(reverse("admin:index")).status_code == 200
