"""The one-officer path and the whole-force path run the same rule functions and must agree."""

import datetime as dt
import random

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cases import models as cm
from cases.risk.models import OfficerRiskLevel, RiskFlag, RiskFlagEvent, RiskRule
from cases.risk.services import risk_recompute_all, risk_recompute_officer
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
)
from tests.risk.conftest import AS_OF
from vetting import models as vm

pytestmark = pytest.mark.django_db

OFFICERS = 6
officer_index = st.integers(min_value=0, max_value=OFFICERS - 1)
days_back = st.integers(min_value=0, max_value=4000)

data_sets = st.fixed_dictionaries(
    {
        "commands": st.lists(st.integers(0, 1), min_size=OFFICERS, max_size=OFFICERS),
        "ranks": st.lists(st.sampled_from([cm.Rank.CONSTABLE, cm.Rank.SERGEANT]), min_size=OFFICERS, max_size=OFFICERS),
        "allegations": st.lists(
            st.tuples(
                officer_index,
                st.one_of(st.integers(0, 800), days_back),
                st.sampled_from(["dishonesty", "violence", "domestic_abuse"]),
                st.sampled_from(["", "A", "B", "C"]),
                st.sampled_from(["public_complaint", "hotline"]),
            ),
            max_size=25,
        ),
        "convictions": st.lists(st.tuples(officer_index, st.sampled_from(["serious_traffic", "violence"])), max_size=3),
        "pnd": st.lists(
            st.tuples(officer_index, st.sampled_from(list(vm.PNDResult.values)), st.integers(0, 3000)),
            max_size=4,
            unique_by=lambda t: (t[0], t[2]),
        ),
        "clearances": st.lists(
            st.tuples(officer_index, st.sampled_from(["active", "expired", "suspended", "withdrawn"]), days_back),
            max_size=5,
        ),
        "hotline": st.lists(st.tuples(officer_index, st.integers(0, 500)), max_size=8),
        "onyx": st.lists(st.tuples(officer_index, st.sampled_from(["nfa", "reassess", "risk_management"])), max_size=3),
        "peer_partition": st.sampled_from(["command", "rank"]),
    }
)


def _build(data):
    commands = [CommandFactory(), CommandFactory()]
    officers = [
        OfficerFactory(command=commands[c], rank=r) for c, r in zip(data["commands"], data["ranks"], strict=True)
    ]
    for i, back, category, ref, source in data["allegations"]:
        AllegationFactory(
            subject=officers[i],
            received_on=AS_OF - dt.timedelta(days=back),
            incident_on=None,
            category=category,
            complainant_ref=ref,
            source=source,
        )
    for i, category in data["convictions"]:
        ConvictionFactory(officer=officers[i], category=category)
    for i, result, back in data["pnd"]:
        PNDCheckFactory(officer=officers[i], result=result, checked_on=AS_OF - dt.timedelta(days=back))
    for i, status, back in data["clearances"]:
        expires = AS_OF + dt.timedelta(days=2000 - back)
        VettingClearanceFactory(
            officer=officers[i], status=status, granted_on=expires - dt.timedelta(days=3650), expires_on=expires
        )
    for i, back in data["hotline"]:
        HotlineReportFactory(
            officer=officers[i],
            status=hm.HotlineStatus.LINKED,
            linked_at=timezone.make_aware(dt.datetime.combine(AS_OF - dt.timedelta(days=back), dt.time(10))),
        )
    for i, decision in data["onyx"]:
        OnyxReviewFactory(subject=officers[i], decided=True, decision=decision)
    return officers


def _snapshot():
    flags = {
        (f.officer_id, f.rule_code): (f.level, f.reasons, f.digest, f.active)
        for f in RiskFlag.objects.filter(active=True)
    }
    levels = {r.officer_id: (r.level, r.score, r.contributing_rules) for r in OfficerRiskLevel.objects.all()}
    return flags, levels


def _forget_flags():
    RiskFlagEvent.objects.all().delete()
    RiskFlag.objects.all().delete()
    OfficerRiskLevel.objects.all().delete()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=data_sets)
def test_one_officer_recomputes_agree_with_the_full_recompute(db, data):
    with transaction.atomic():
        # Small peer groups: a wider top band so the peer rule takes part.
        RiskRule.objects.filter(code="peer_percentile").update(
            parameters={
                "warning_percent": 40,
                "critical_percent": 20,
                "min_allegations": 1,
                "partition": data["peer_partition"],
            }
        )
        officers = _build(data)

        risk_recompute_all(as_of=AS_OF)
        full = _snapshot()
        event(f"rules flagging: {len({code for _, code in full[0]})}")
        _forget_flags()
        for officer in officers:
            risk_recompute_officer(officer_id=officer.id, as_of=AS_OF)
        one_by_one = _snapshot()

        assert one_by_one == full
        transaction.set_rollback(True)


def _as_stored(hits):
    return {officer_id: (hit.level, hit.reasons_json()) for officer_id, hit in hits.items()}


WIDE = {"warning_percent": 20, "critical_percent": 5, "min_allegations": 1}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_each_officers_peer_place_counted_alone_is_their_place_in_the_ranked_command(evaluate, seed, monkeypatch):
    """The one-officer path counts an officer's peers only until they are too many for the top band; the whole
    force ranks each command with CUME_DIST. For every officer of two commands with skewed random counts (ties,
    leavers, officers with nothing), with the top band as set, wide and narrow, both give the same flag or none."""
    from cases.risk import rules

    rng = random.Random(seed)
    commands = [CommandFactory(), CommandFactory()]
    officers = []
    for i in range(70):
        left = rng.random() < 0.1
        officers.append(
            OfficerFactory(
                command=commands[i % 2],
                status=cm.EmploymentStatus.RESIGNED if left else cm.EmploymentStatus.SERVING,
                left_on=AS_OF - dt.timedelta(days=30) if left else None,
            )
        )
    made = [
        AllegationFactory.build(subject=o, received_on=AS_OF - dt.timedelta(days=rng.randrange(500)), incident_on=None)
        for o in officers
        for _ in range(min(12, int(rng.paretovariate(1.2)) - 1))
    ]
    cm.Allegation.objects.bulk_create(made)
    some = [o.id for o in officers[:30]]
    for band in ({}, WIDE, {"warning_percent": 1}):
        ranked = _as_stored(evaluate("peer_percentile", **band))
        if band is WIDE:
            assert len(ranked) >= 3  # the wide band flags some, so the comparison below compares flags
        for officer in officers:
            alone = _as_stored(evaluate("peer_percentile", officer_ids=[officer.id], **band))
            assert alone == {k: v for k, v in ranked.items() if k == officer.id}, (band, officer.id)
        # A bulk import's 30 officers, ranked with their commands (over PEERS_COUNTED_UP_TO), or counted.
        expected = {k: v for k, v in ranked.items() if k in some}
        assert _as_stored(evaluate("peer_percentile", officer_ids=some, **band)) == expected
        monkeypatch.setattr(rules, "PEERS_COUNTED_UP_TO", len(some))
        assert _as_stored(evaluate("peer_percentile", officer_ids=some, **band)) == expected
        monkeypatch.undo()
