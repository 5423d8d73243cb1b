"""The engine gathers rules from the apps above it without importing them, and wires the watches."""

import pytest
from django.db.models.signals import post_save

from cases.risk import engine
from cases.risk.selectors import risk_rule_statistics
from cases.risk.services import risk_flag_triage, risk_recompute_all
from cases.roles import Role
from tests.factories import ConvictionFactory, OfficerFactory, UserFactory
from tests.risk.conftest import AS_OF

ISSUE_RULES = {
    "allegations_in_window",
    "sexual_or_domestic_abuse_allegation",
    "conviction",
    "pnd_hit",
    "vetting_adverse",
    "hotline_reports",
    "onyx_risk_management",
    "repeat_category",
    "peer_percentile",
}


def test_every_rule_of_the_issue_is_registered_with_a_description_and_defaults():
    rules = engine.registered_rules()
    assert set(rules) == ISSUE_RULES
    assert all(rule.description and rule.watches for rule in rules.values())


def test_vetting_and_hotline_rules_come_from_their_own_risk_rules_modules():
    rules = engine.registered_rules()
    assert rules["pnd_hit"].evaluate.__module__ == "vetting.risk_rules"
    assert rules["vetting_adverse"].evaluate.__module__ == "vetting.risk_rules"
    assert rules["hotline_reports"].evaluate.__module__ == "hotline.risk_rules"


@pytest.mark.parametrize(
    "label",
    [
        "cases.Allegation",
        "cases.Conviction",
        "cases.OnyxReview",
        "vetting.PNDCheck",
        "vetting.VettingClearance",
        "vetting.VettingReview",
        "hotline.HotlineReport",
    ],
)
def test_each_watched_model_has_a_post_save_receiver(label):
    from django.apps import apps

    assert post_save.has_listeners(apps.get_model(label))
    receivers = [r for r in post_save.receivers if str(r[0][0]).startswith(f"risk.watch.save.{label}")]
    assert receivers


@pytest.mark.django_db
def test_rule_statistics_count_active_flags_and_false_positives():
    first, second = OfficerFactory(), OfficerFactory()
    ConvictionFactory(officer=first)
    ConvictionFactory(officer=second)
    risk_recompute_all(as_of=AS_OF)
    from cases.risk.models import RiskFlag

    flag = RiskFlag.objects.get(officer=first, rule_code="conviction")
    supervisor = UserFactory(roles=[Role.SUPERVISOR])  # only a supervisor triages (the service checks)
    risk_flag_triage(flag_id=flag.id, actor=supervisor, status="false_positive", reason="Spent, disclosed.")

    assert risk_rule_statistics()["conviction"] == {"active": 2, "false_positive": 1}
