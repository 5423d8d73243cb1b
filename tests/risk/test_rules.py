"""Each rule on hand-built data: the boundaries of its window and thresholds, and the records
behind each reason."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cases import models as cm
from cases.risk.models import FlagLevel
from hotline import models as hm
from tests.factories import (
    AllegationFactory,
    CommandFactory,
    ConvictionFactory,
    HotlineReportFactory,
    OfficerFactory,
    OnyxReviewFactory,
    PNDCheckFactory,
    VettingClearanceFactory,
    VettingReviewFactory,
)
from tests.risk.conftest import AS_OF, TEN_YEARS_BEFORE, TWELVE_MONTHS_BEFORE, in_window, reason_ids
from vetting import models as vm

pytestmark = pytest.mark.django_db
FIRST_DAY_IN_WINDOW = TWELVE_MONTHS_BEFORE + dt.timedelta(days=1)


def allegations(officer, *days, **kwargs):
    return [AllegationFactory(subject=officer, received_on=d, incident_on=None, **kwargs) for d in days]


# N or more allegations in M months


def test_exactly_three_allegations_in_twelve_months_is_a_warning_with_those_records(evaluate):
    officer = OfficerFactory()
    made = allegations(officer, FIRST_DAY_IN_WINDOW, in_window(5), AS_OF)
    AllegationFactory(subject=officer, received_on=AS_OF + dt.timedelta(days=1), incident_on=None)  # after as_of

    hit = evaluate("allegations_in_window")[officer.id]

    assert hit.level == FlagLevel.WARNING
    assert reason_ids(hit) == sorted(a.id for a in made)


def test_an_allegation_one_day_outside_the_twelve_months_does_not_count(evaluate):
    officer = OfficerFactory()
    allegations(officer, TWELVE_MONTHS_BEFORE, in_window(5), AS_OF)

    assert officer.id not in evaluate("allegations_in_window")


def test_five_allegations_in_twelve_months_is_critical(evaluate):
    officer = OfficerFactory()
    allegations(officer, *(in_window(m) for m in range(1, 6)))

    assert evaluate("allegations_in_window")[officer.id].level == FlagLevel.CRITICAL
    assert evaluate("allegations_in_window", critical=6)[officer.id].level == FlagLevel.WARNING


def test_allegation_threshold_rule_restricted_to_one_officer_sees_only_that_officer(evaluate):
    flagged, other = OfficerFactory(), OfficerFactory()
    allegations(flagged, *(in_window(m) for m in range(1, 4)))
    allegations(other, *(in_window(m) for m in range(1, 4)))

    assert set(evaluate("allegations_in_window", officer_ids=[flagged.id])) == {flagged.id}


# Sexual offence or domestic abuse in 10 years


def test_domestic_abuse_allegation_just_inside_ten_years_is_critical(evaluate):
    officer = OfficerFactory()
    (inside,) = allegations(
        officer, TEN_YEARS_BEFORE + dt.timedelta(days=1), category=cm.AllegationCategory.DOMESTIC_ABUSE
    )
    allegations(officer, in_window(1), category=cm.AllegationCategory.DISHONESTY)

    hit = evaluate("sexual_or_domestic_abuse_allegation")[officer.id]

    assert hit.level == FlagLevel.CRITICAL
    assert reason_ids(hit) == [inside.id]


def test_sexual_offence_allegation_exactly_ten_years_ago_is_outside_the_window(evaluate):
    officer = OfficerFactory()
    allegations(officer, TEN_YEARS_BEFORE, category=cm.AllegationCategory.SEXUAL_OFFENCE)

    assert officer.id not in evaluate("sexual_or_domestic_abuse_allegation")


# Conviction


def test_serious_traffic_conviction_is_a_warning_and_dishonesty_is_critical(evaluate):
    driver, thief = OfficerFactory(), OfficerFactory()
    traffic = ConvictionFactory(officer=driver, category=cm.ConvictionCategory.SERIOUS_TRAFFIC)
    theft = ConvictionFactory(officer=thief, category=cm.ConvictionCategory.DISHONESTY)

    hits = evaluate("conviction")

    assert (hits[driver.id].level, reason_ids(hits[driver.id])) == (FlagLevel.WARNING, [traffic.id])
    assert (hits[thief.id].level, reason_ids(hits[thief.id])) == (FlagLevel.CRITICAL, [theft.id])


# Onyx risk management


def test_only_a_decided_risk_management_onyx_review_flags(evaluate):
    managed, cleared, queued = OfficerFactory(), OfficerFactory(), OfficerFactory()
    review = OnyxReviewFactory(subject=managed, decided=True, decision=cm.OnyxDecision.RISK_MANAGEMENT)
    OnyxReviewFactory(subject=cleared, decided=True, decision=cm.OnyxDecision.NO_FURTHER_ACTION)
    OnyxReviewFactory(subject=queued)

    hits = evaluate("onyx_risk_management")

    assert set(hits) == {managed.id}
    assert reason_ids(hits[managed.id]) == [review.id]


# Same category from different complainants


def test_same_category_from_two_complainants_flags_but_the_same_complainant_twice_does_not(evaluate):
    two, same = OfficerFactory(), OfficerFactory()
    made = allegations(two, in_window(1), category=cm.AllegationCategory.DISCRIMINATION, complainant_ref="A")
    made += allegations(two, in_window(2), category=cm.AllegationCategory.DISCRIMINATION, complainant_ref="B")
    allegations(two, in_window(3), category=cm.AllegationCategory.VIOLENCE, complainant_ref="C")
    allegations(same, in_window(1), in_window(2), category=cm.AllegationCategory.DISHONESTY,
                complainant_ref="A")  # fmt: skip

    hits = evaluate("repeat_category")

    assert set(hits) == {two.id}
    assert hits[two.id].level == FlagLevel.WARNING
    assert reason_ids(hits[two.id]) == sorted(a.id for a in made)


def test_unknown_complainants_are_told_apart_by_source_and_three_is_critical(evaluate):
    officer = OfficerFactory()
    for source in (cm.AllegationSource.HOTLINE, cm.AllegationSource.PND_CHECK, cm.AllegationSource.COLLEAGUE_REPORT):
        allegations(officer, in_window(1), category=cm.AllegationCategory.DRUGS, source=source)

    assert evaluate("repeat_category")[officer.id].level == FlagLevel.CRITICAL


# Peer percentile (CUME_DIST over the command)


def test_officer_alone_in_the_top_five_percent_of_their_command_is_flagged(evaluate):
    command, elsewhere = CommandFactory(), CommandFactory()
    peers = [OfficerFactory(command=command) for _ in range(20)]
    top = peers[0]
    made = allegations(top, in_window(1), in_window(2))
    allegations(peers[1], in_window(1))
    other = OfficerFactory(command=elsewhere)
    allegations(other, in_window(1), in_window(2))  # alone in a command of one: 100%

    hits = evaluate("peer_percentile")

    assert set(hits) == {top.id}
    assert hits[top.id].level == FlagLevel.WARNING  # 1 of 20 is 5%, not within the critical 1%
    assert reason_ids(hits[top.id]) == sorted(a.id for a in made)
    assert evaluate("peer_percentile", critical_percent=5)[top.id].level == FlagLevel.CRITICAL


def test_tied_officers_share_a_percentile_and_leave_the_top_five_percent(evaluate):
    command = CommandFactory()
    peers = [OfficerFactory(command=command) for _ in range(20)]
    for officer in peers[:2]:
        allegations(officer, in_window(1), in_window(2))

    assert evaluate("peer_percentile") == {}  # both at 2 of 20 = 10%


def test_peer_percentile_for_one_officer_ranks_them_against_their_whole_command(evaluate):
    command = CommandFactory()
    peers = [OfficerFactory(command=command) for _ in range(20)]
    allegations(peers[0], in_window(1), in_window(2))

    assert set(evaluate("peer_percentile", officer_ids=[peers[0].id])) == {peers[0].id}
    assert evaluate("peer_percentile", officer_ids=[peers[1].id]) == {}


def test_peer_percentile_by_rank_partitions_across_commands(evaluate):
    sergeants = [OfficerFactory(rank=cm.Rank.SERGEANT) for _ in range(20)]  # each in its own command
    allegations(sergeants[0], in_window(1), in_window(2))
    allegations(sergeants[1], in_window(1), in_window(2))

    assert evaluate("peer_percentile", partition="rank") == {}
    assert set(evaluate("peer_percentile", partition="rank", warning_percent=10)) == {s.id for s in sergeants[:2]}


# PND


def test_pnd_potential_misconduct_is_critical_association_warning_no_trace_nothing(evaluate):
    misconduct, association, clear, old = (OfficerFactory() for _ in range(4))
    hit = PNDCheckFactory(officer=misconduct, result=vm.PNDResult.POTENTIAL_MISCONDUCT)
    PNDCheckFactory(officer=association, result=vm.PNDResult.CRIMINAL_ASSOCIATION)
    PNDCheckFactory(officer=clear, result=vm.PNDResult.NO_TRACE)
    PNDCheckFactory(officer=old, result=vm.PNDResult.POTENTIAL_MISCONDUCT, checked_on=AS_OF - relativedelta(years=5))

    hits = evaluate("pnd_hit")

    assert set(hits) == {misconduct.id, association.id}
    assert hits[misconduct.id].level == FlagLevel.CRITICAL
    assert reason_ids(hits[misconduct.id]) == [hit.id]
    assert hits[association.id].level == FlagLevel.WARNING


# Vetting


def test_suspended_clearance_is_critical_and_expired_without_a_valid_one_is_a_warning(evaluate):
    suspended, expired, renewed = OfficerFactory(), OfficerFactory(), OfficerFactory()
    bad = VettingClearanceFactory(officer=suspended, status=vm.ClearanceStatus.SUSPENDED)
    lapsed = VettingClearanceFactory(
        officer=expired, granted_on=TEN_YEARS_BEFORE, expires_on=AS_OF - dt.timedelta(days=1)
    )
    VettingClearanceFactory(
        officer=renewed,
        status=vm.ClearanceStatus.EXPIRED,
        expires_on=AS_OF - relativedelta(years=7),
        granted_on=AS_OF - relativedelta(years=17),
    )
    VettingClearanceFactory(officer=renewed, granted_on=AS_OF - relativedelta(years=7), expires_on=AS_OF)

    hits = evaluate("vetting_adverse")

    assert set(hits) == {suspended.id, expired.id}
    assert (hits[suspended.id].level, reason_ids(hits[suspended.id])) == (FlagLevel.CRITICAL, [bad.id])
    assert (hits[expired.id].level, reason_ids(hits[expired.id])) == (FlagLevel.WARNING, [lapsed.id])


def test_only_the_latest_decided_vetting_review_counts(evaluate):
    withdrawn, reinstated = OfficerFactory(), OfficerFactory()
    decided = {"status": vm.VettingReviewStatus.DECIDED}
    review = VettingReviewFactory(
        officer=withdrawn, outcome=vm.VettingOutcome.WITHDRAWN, decided_at=timezone.now() - dt.timedelta(days=400),
        **decided,
    )  # fmt: skip
    VettingReviewFactory(
        officer=reinstated, outcome=vm.VettingOutcome.SUSPENDED, decided_at=timezone.now() - dt.timedelta(days=400),
        **decided,
    )  # fmt: skip
    VettingReviewFactory(
        officer=reinstated, outcome=vm.VettingOutcome.MAINTAINED, decided_at=timezone.now() - dt.timedelta(days=300),
        trigger=vm.ReviewTrigger.SELF_REPORT, **decided,
    )  # fmt: skip

    hits = evaluate("vetting_adverse")

    assert set(hits) == {withdrawn.id}
    assert reason_ids(hits[withdrawn.id]) == [review.id]


# Hotline


def _linked(officer, day, **kwargs):
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
    return HotlineReportFactory(officer=officer, linked_at=at, status=hm.HotlineStatus.LINKED, **kwargs)


def test_two_hotline_reports_linked_in_twelve_months_warn_and_one_linked_a_day_earlier_does_not_count(evaluate):
    flagged, outside = OfficerFactory(), OfficerFactory()
    made = [_linked(flagged, FIRST_DAY_IN_WINDOW), _linked(flagged, AS_OF)]
    _linked(outside, TWELVE_MONTHS_BEFORE)
    _linked(outside, AS_OF)

    hits = evaluate("hotline_reports")

    assert set(hits) == {flagged.id}
    assert hits[flagged.id].level == FlagLevel.WARNING
    assert reason_ids(hits[flagged.id]) == sorted(r.id for r in made)


def test_duplicate_hotline_reports_are_not_counted_twice(evaluate):
    officer = OfficerFactory()
    first = _linked(officer, in_window(6))
    _linked(officer, in_window(6, 2), duplicate_of=first)

    assert officer.id not in evaluate("hotline_reports")
