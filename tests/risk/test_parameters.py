"""A rule's parameters are checked against the limits the rule declares next to its defaults, not only
their type: a value the rule cannot run with is refused with an error by the field, the stored
parameters stay as they were, and saving an allegation afterwards still works."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases.models import Allegation
from cases.risk import engine
from cases.risk.models import RiskRule
from cases.risk.services import RiskRuleParameterError, risk_recompute_officer, risk_rule_update, rule_settings
from cases.roles import Role
from tests.conftest import sign_in
from tests.factories import OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db

BAD_VALUES = [
    ("allegations_in_window", "months", 100000),
    ("allegations_in_window", "months", 0),
    ("allegations_in_window", "months", 1.5),
    ("allegations_in_window", "warning", 9),  # above its critical (5)
    ("sexual_or_domestic_abuse_allegation", "level", "purple"),
    ("sexual_or_domestic_abuse_allegation", "categories", ["shoplifting"]),
    ("sexual_or_domestic_abuse_allegation", "categories", []),
    ("sexual_or_domestic_abuse_allegation", "years", 100000),
    ("onyx_risk_management", "level", "amber"),
    ("conviction", "critical_categories", ["jaywalking"]),
    ("peer_percentile", "partition", "shoe_size"),
    ("peer_percentile", "warning_percent", 250),
    ("repeat_category", "months", -3),
    ("hotline_reports", "months", 100000),
    ("pnd_hit", "years", 100000),
]


@pytest.fixture
def supervisor():
    return UserFactory(roles=[Role.SUPERVISOR])


def stored(code):
    return RiskRule.objects.get(code=code).parameters


@pytest.fixture(autouse=True)
def tuned_rows(supervisor):
    """Every rule has a stored row with its defaults, as after deployment."""
    for code in engine.registered_rules():
        risk_rule_update(code=code, actor=supervisor, parameters={}, enabled=True)


def record_allegation(client, officer):
    url = reverse("cases:allegation_new", args=[officer.public_id])
    data = {
        "category": "dishonesty",
        "source": "public_complaint",
        "received_on": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
        "narrative": "Took cash.",
    }
    return client.post(url, data)


@pytest.mark.parametrize(("code", "key", "value"), BAD_VALUES)
def test_the_service_refuses_a_parameter_outside_the_rules_limits_and_keeps_the_old_ones(supervisor, code, key, value):
    before = stored(code)
    with pytest.raises(RiskRuleParameterError) as refusal:
        risk_rule_update(code=code, actor=supervisor, parameters={key: value}, enabled=True)
    assert key in refusal.value.errors
    assert stored(code) == before
    assert dict(rule_settings_by_code()[code]) == engine.registered_rules()[code].defaults


def rule_settings_by_code():
    return {rule.code: params for rule, params, _ in rule_settings()}


@pytest.mark.parametrize(("code", "key", "value"), BAD_VALUES)
def test_the_page_refuses_a_bad_parameter_by_its_field_and_an_allegation_still_saves(
    client, supervisor, django_capture_on_commit_callbacks, code, key, value
):
    before = stored(code)
    sign_in(client, supervisor)
    typed = json.dumps({key: value})

    response = client.post(reverse("risk:rule_update", args=[code]), {"parameters": typed, "enabled": "yes"})

    assert response.status_code == 400
    page = response.content.decode()
    rule = next(r for r in response.context["rules"] if r["code"] == code)
    assert rule["errors"] and key in rule["errors"][0]
    assert f'id="params-{code}-error"' in page and 'aria-invalid="true"' in page
    assert "Nothing was changed" in page
    assert escape(typed) in page  # what was typed stays in the field to correct
    assert stored(code) == before
    with django_capture_on_commit_callbacks(execute=True):  # the officer's recompute runs, as after commit
        saved = record_allegation(client, OfficerFactory())
    assert saved.status_code == 302
    assert Allegation.objects.count() == 1


def test_a_parameter_within_its_limits_is_stored(supervisor):
    risk_rule_update(code="allegations_in_window", actor=supervisor, parameters={"months": 24, "critical": 6})
    assert stored("allegations_in_window") == {"months": 24, "warning": 3, "critical": 6}


def test_the_rules_list_shows_each_rules_stored_parameters_for_editing(client, supervisor):
    risk_rule_update(code="allegations_in_window", actor=supervisor, parameters={"months": 24})
    sign_in(client, supervisor)
    page = client.get(reverse("risk:risk_list")).content.decode()
    assert "&quot;months&quot;: 24" in page


def test_a_stored_row_outside_the_limits_does_not_break_a_recompute(supervisor):
    # Written before the limits existed (or from the shell): the rule runs with its default instead.
    RiskRule.objects.filter(code="allegations_in_window").update(parameters={"months": 100000, "warning": 3})
    officer = OfficerFactory()
    risk_recompute_officer(officer_id=officer.pk)
    assert rule_settings_by_code()["allegations_in_window"]["months"] == 12


def test_every_rule_declares_a_limit_for_each_parameter_and_its_defaults_keep_within_them():
    for rule in engine.registered_rules().values():
        assert set(rule.limits) == set(rule.defaults), rule.code
        assert rule.parameter_errors(rule.defaults) == {}, rule.code
