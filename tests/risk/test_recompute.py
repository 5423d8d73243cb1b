"""The recompute services: flags keep their history, false positives stay quiet until new records,
the combined level, the triage rules, and a statement count that does not grow with the force."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import models as cm
from cases.risk.models import (
    FlagLevel,
    OfficerRiskLevel,
    RiskFlagEvent,
    RiskLevel,
    RiskRule,
    TriageStatus,
)
from cases.risk.services import (
    RiskTriageError,
    combined_level,
    risk_flag_triage,
    risk_recompute_all,
    risk_recompute_officer,
    risk_rule_update,
)
from cases.roles import Role
from hotline import models as hm
from tests.factories import (
    AllegationFactory,
    CommandFactory,
    ConvictionFactory,
    HotlineReportFactory,
    OfficerFactory,
    OnyxReviewFactory,
    PNDCheckFactory,
    UserFactory,
    VettingClearanceFactory,
)
from tests.risk.conftest import AS_OF, in_window
from vetting import models as vm

pytestmark = pytest.mark.django_db


def three_allegations(officer, months=(1, 2, 3)):
    return [AllegationFactory(subject=officer, received_on=in_window(m), incident_on=None) for m in months]


@pytest.fixture
def supervisor():
    return UserFactory(roles=[Role.SUPERVISOR])


def test_a_flag_that_stops_applying_is_kept_inactive_with_cleared_at_and_its_history(flags):
    officer = OfficerFactory()
    made = three_allegations(officer)
    risk_recompute_all(as_of=AS_OF)
    raised = flags(officer)["allegations_in_window"]
    assert raised.active and raised.cleared_at is None

    made[0].received_on = AS_OF - relativedelta(years=3)
    made[0].save()
    risk_recompute_all(as_of=AS_OF)

    cleared = flags(officer)["allegations_in_window"]
    assert cleared.id == raised.id
    assert not cleared.active and cleared.cleared_at is not None
    assert cleared.first_seen == raised.first_seen
    assert list(RiskFlagEvent.objects.filter(flag=cleared).values_list("kind", flat=True)) == ["raised", "cleared"]
    assert not OfficerRiskLevel.objects.filter(officer=officer).exists()


def test_recompute_keeps_first_seen_and_moves_last_seen_and_the_level(flags):
    officer = OfficerFactory()
    three_allegations(officer)
    risk_recompute_all(as_of=AS_OF)
    before = flags(officer)["allegations_in_window"]

    three_allegations(officer, months=(4, 5))
    risk_recompute_officer(officer_id=officer.id, as_of=AS_OF)

    after = flags(officer)["allegations_in_window"]
    assert after.first_seen == before.first_seen
    assert after.last_seen > before.last_seen
    assert (before.level, after.level) == (FlagLevel.WARNING, FlagLevel.CRITICAL)
    assert RiskFlagEvent.objects.filter(flag=after, kind="raised").count() == 1


def test_one_officer_recompute_leaves_other_officers_flags_alone(flags):
    first, second = OfficerFactory(), OfficerFactory()
    three_allegations(first)
    three_allegations(second)
    risk_recompute_all(as_of=AS_OF)
    cm.Allegation.objects.filter(subject=second).update(received_on=AS_OF - relativedelta(years=7))

    risk_recompute_officer(officer_id=first.id, as_of=AS_OF)

    assert flags(second)["allegations_in_window"].active  # not recomputed: still as it was


def test_false_positive_stays_quiet_until_a_new_record_arrives_for_that_rule(flags, supervisor):
    officer = OfficerFactory()
    three_allegations(officer)
    risk_recompute_all(as_of=AS_OF)
    flag = flags(officer)["allegations_in_window"]

    risk_flag_triage(flag_id=flag.id, actor=supervisor, status=TriageStatus.FALSE_POSITIVE, reason="One incident.")
    risk_recompute_all(as_of=AS_OF)
    quiet = flags(officer)["allegations_in_window"]
    assert quiet.triage_status == TriageStatus.FALSE_POSITIVE and quiet.active
    assert not OfficerRiskLevel.objects.filter(officer=officer).exists()

    # A conviction is another rule's record: this flag stays quiet.
    ConvictionFactory(officer=officer)
    risk_recompute_officer(officer_id=officer.id, as_of=AS_OF)
    assert flags(officer)["allegations_in_window"].triage_status == TriageStatus.FALSE_POSITIVE

    AllegationFactory(subject=officer, received_on=in_window(6), incident_on=None)
    risk_recompute_officer(officer_id=officer.id, as_of=AS_OF)

    reopened = flags(officer)["allegations_in_window"]
    assert reopened.triage_status == TriageStatus.UNTRIAGED
    assert reopened.triaged_by is None and reopened.false_positive_record_keys == []
    assert RiskFlagEvent.objects.filter(flag=reopened, kind="reopened").count() == 1
    assert "allegations_in_window" in OfficerRiskLevel.objects.get(officer=officer).contributing_rules


def test_intervention_needs_a_plan_and_a_review_date_and_records_who_and_when(flags, supervisor):
    officer = OfficerFactory()
    ConvictionFactory(officer=officer)
    risk_recompute_all(as_of=AS_OF)
    flag = flags(officer)["conviction"]

    with pytest.raises(RiskTriageError):
        risk_flag_triage(flag_id=flag.id, actor=supervisor, status=TriageStatus.INTERVENTION_PLANNED, plan="Talk")
    risk_flag_triage(
        flag_id=flag.id,
        actor=supervisor,
        status=TriageStatus.INTERVENTION_PLANNED,
        plan="Supervision plan",
        review_on=AS_OF + dt.timedelta(days=39),
    )

    flag.refresh_from_db()
    assert (flag.triage_status, flag.triaged_by, flag.triage_review_on) == (
        TriageStatus.INTERVENTION_PLANNED,
        supervisor,
        AS_OF + dt.timedelta(days=39),
    )
    assert flag.triaged_at is not None
    assert RiskFlagEvent.objects.get(flag=flag, kind="triaged").actor == supervisor


def test_false_positive_needs_a_reason_and_a_cleared_flag_cannot_be_triaged(flags, supervisor):
    officer = OfficerFactory()
    conviction = ConvictionFactory(officer=officer)
    risk_recompute_all(as_of=AS_OF)
    flag = flags(officer)["conviction"]
    with pytest.raises(RiskTriageError):
        risk_flag_triage(flag_id=flag.id, actor=supervisor, status=TriageStatus.FALSE_POSITIVE, reason=" ")

    conviction.delete()
    risk_recompute_all(as_of=AS_OF)
    with pytest.raises(RiskTriageError):
        risk_flag_triage(flag_id=flag.id, actor=supervisor, status=TriageStatus.ACKNOWLEDGED)


def test_critical_flag_of_a_high_severity_rule_makes_the_officer_high_risk():
    officer = OfficerFactory()
    ConvictionFactory(officer=officer, category=cm.ConvictionCategory.VIOLENCE)
    three_allegations(officer)
    risk_recompute_all(as_of=AS_OF)

    level = OfficerRiskLevel.objects.get(officer=officer)
    assert level.level == RiskLevel.HIGH
    assert level.contributing_rules == ["allegations_in_window", "conviction"]


@pytest.mark.parametrize(
    ("flags_", "expected"),
    [
        ([], RiskLevel.NONE),
        ([("peer_percentile", "warning")], RiskLevel.LOW),
        ([("allegations_in_window", "critical")], RiskLevel.MEDIUM),
        ([("conviction", "warning")], RiskLevel.MEDIUM),
        ([("conviction", "warning"), ("allegations_in_window", "warning")], RiskLevel.HIGH),
        ([("conviction", "critical")], RiskLevel.HIGH),
    ],
)
def test_combined_level_scores_severity_plus_one_for_critical(flags_, expected):
    severities = {"peer_percentile": "low", "allegations_in_window": "medium", "conviction": "high"}
    assert combined_level(flags_, severities)[0] == expected


def test_disabling_a_rule_clears_its_flags_and_parameters_changes_apply(flags, supervisor):
    officer = OfficerFactory()
    three_allegations(officer)
    risk_recompute_all(as_of=AS_OF)

    risk_rule_update(code="allegations_in_window", actor=supervisor, parameters={"warning": 4})
    risk_recompute_all(as_of=AS_OF)
    assert not flags(officer)["allegations_in_window"].active

    risk_rule_update(code="allegations_in_window", actor=supervisor, parameters={"warning": 3})
    risk_recompute_all(as_of=AS_OF)
    assert flags(officer)["allegations_in_window"].active
    risk_rule_update(code="allegations_in_window", actor=supervisor, enabled=False)
    risk_recompute_all(as_of=AS_OF)
    assert not flags(officer)["allegations_in_window"].active


def test_rule_parameters_are_checked_and_their_history_is_audited(supervisor):
    from auditlog.models import LogEntry

    with pytest.raises(ValueError, match="no parameter"):
        risk_rule_update(code="allegations_in_window", actor=supervisor, parameters={"weeks": 3})
    with pytest.raises(ValueError, match="must be a int"):
        risk_rule_update(code="allegations_in_window", actor=supervisor, parameters={"warning": "3"})
    risk_rule_update(code="allegations_in_window", actor=supervisor, parameters={"warning": 4})

    rule = RiskRule.objects.get(code="allegations_in_window")
    assert rule.parameters["warning"] == 4
    assert any("parameters" in entry.changes_dict for entry in LogEntry.objects.get_for_object(rule))


def _force(size):
    """`size` officers in one command, each with records for every rule."""
    command = CommandFactory()
    for _ in range(size):
        officer = OfficerFactory(command=command)
        for month, ref in ((1, "A"), (2, "B"), (3, "C")):
            AllegationFactory(subject=officer, received_on=in_window(month), incident_on=None, complainant_ref=ref)
        AllegationFactory(
            subject=officer,
            received_on=AS_OF - relativedelta(years=7),
            incident_on=None,
            category=cm.AllegationCategory.DOMESTIC_ABUSE,
        )
        ConvictionFactory(officer=officer)
        PNDCheckFactory(officer=officer, result=vm.PNDResult.CRIMINAL_ASSOCIATION)
        VettingClearanceFactory(officer=officer, status=vm.ClearanceStatus.SUSPENDED)
        OnyxReviewFactory(subject=officer, decided=True, decision=cm.OnyxDecision.RISK_MANAGEMENT)
        for day in (1, 2):
            HotlineReportFactory(
                officer=officer,
                status=hm.HotlineStatus.LINKED,
                linked_at=dt.datetime.combine(in_window(6, day), dt.time(12), tzinfo=dt.UTC),
            )
    # Peers with no allegations, so the top 5% exists in each command.
    for _ in range(size * 20):
        OfficerFactory(command=command)


def _statements(size):
    _force(size)
    with CaptureQueriesContext(connection) as first:
        risk_recompute_all(as_of=AS_OF)
    cm.Allegation.objects.filter(received_on=in_window(3)).delete()  # some flags now clear
    with CaptureQueriesContext(connection) as second:
        risk_recompute_all(as_of=AS_OF)
    return len(first.captured_queries), len(second.captured_queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement batching differs on SQLite")
def test_full_recompute_statement_count_does_not_grow_with_officers():
    from cases.risk.models import RiskFlag

    small = _statements(5)
    assert len(set(RiskFlag.objects.values_list("rule_code", flat=True))) == 9  # every rule raised flags
    RiskFlagEvent.objects.all().delete()
    RiskFlag.objects.all().delete()
    OfficerRiskLevel.objects.all().delete()
    cm.Allegation.objects.all().delete()

    assert _statements(50) == small


def test_a_flag_raised_again_after_clearing_starts_a_new_episode_untriaged(flags, supervisor):
    officer = OfficerFactory()
    conviction = ConvictionFactory(officer=officer)
    risk_recompute_all(as_of=AS_OF)
    first = flags(officer)["conviction"]
    risk_flag_triage(flag_id=first.id, actor=supervisor, status=TriageStatus.ACKNOWLEDGED)
    conviction.delete()
    risk_recompute_all(as_of=AS_OF)

    ConvictionFactory(officer=officer)
    risk_recompute_officer(officer_id=officer.id, as_of=AS_OF)

    again = flags(officer)["conviction"]
    assert again.id == first.id and again.active and again.cleared_at is None
    assert again.first_seen > first.first_seen
    assert again.triage_status == TriageStatus.UNTRIAGED and again.triaged_by is None
    kinds = list(RiskFlagEvent.objects.filter(flag=again).values_list("kind", flat=True))
    assert kinds == ["raised", "triaged", "cleared", "raised"]


def test_a_recompute_that_finds_nothing_new_rewrites_no_flag_or_level_but_stamps_last_seen():
    from cases.risk.models import RiskFlag

    _force(3)
    risk_recompute_all(as_of=AS_OF)
    fields = ("id", "level", "reasons", "digest", "first_seen", "active", "triage_status")
    flags_before = {f["id"]: f for f in RiskFlag.objects.values(*fields, "last_seen")}
    levels_before = set(OfficerRiskLevel.objects.values_list("officer_id", "level", "score", "computed_at"))
    assert len({f["reasons"][0]["model"] for f in flags_before.values()}) > 3 and levels_before

    risk_recompute_all(as_of=AS_OF)

    flags_after = {f["id"]: f for f in RiskFlag.objects.values(*fields, "last_seen")}
    assert {i: {k: f[k] for k in fields} for i, f in flags_after.items()} == {
        i: {k: f[k] for k in fields} for i, f in flags_before.items()
    }
    assert all(flags_after[i]["last_seen"] > f["last_seen"] for i, f in flags_before.items())
    # computed_at unchanged: the stored rules compared equal to the ones found (compared as JSON text).
    assert set(OfficerRiskLevel.objects.values_list("officer_id", "level", "score", "computed_at")) == levels_before
    assert RiskFlagEvent.objects.count() == len(flags_before)


def test_a_flag_digest_is_the_sha1_of_its_sorted_compact_json_as_stored_before():
    import hashlib
    import json

    from cases.risk.engine import Hit, Reason

    reasons = (Reason("Zoë: 3 in 36 months", "cases.allegation", (9, 2, 40)), Reason("b", "x.y", ()))
    hit = Hit(FlagLevel.CRITICAL, reasons)
    text = json.dumps([hit.level, hit.reasons_json()], sort_keys=True, separators=(",", ":"))
    assert '"ids":[2,9,40]' in text
    assert hit.digest() == hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()
