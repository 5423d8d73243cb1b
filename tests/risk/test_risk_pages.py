"""The supervisors' risk pages: the list, one officer's flags with the records behind them, triage."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.risk import services
from cases.risk.models import RiskFlag, TriageStatus
from cases.roles import Role
from tests.conftest import sign_in
from tests.factories import AllegationFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor():
    return UserFactory(roles=[Role.SUPERVISOR])


def flagged_officer(**kwargs):
    officer = OfficerFactory(**kwargs)
    today = timezone.localdate()
    allegations = [
        AllegationFactory(
            subject=officer, category="domestic_abuse", received_on=today - dt.timedelta(days=30 * i), incident_on=None
        )
        for i in range(1, 4)
    ]
    services.risk_recompute_officer(officer_id=officer.pk)
    return officer, allegations


def test_the_list_shows_flags_and_says_a_flag_does_not_decide(client, supervisor):
    officer, _ = flagged_officer(staff_number="SRISK001")
    sign_in(client, supervisor)
    page = client.get(reverse("risk:risk_list")).content.decode()
    assert "SRISK001" in page
    assert "A flag informs a human decision; it never decides." in page
    assert RiskFlag.objects.filter(officer=officer, active=True).exists()


def test_a_flag_s_reasons_link_to_the_records_behind_it(client, supervisor):
    officer, allegations = flagged_officer()
    sign_in(client, supervisor)
    page = client.get(reverse("risk:officer_flags", args=[officer.public_id])).content.decode()
    for allegation in allegations:
        assert reverse("cases:allegation_detail", args=[allegation.public_id]) in page


def test_supervisor_triages_a_false_positive_with_who_and_when(client, supervisor):
    officer, _ = flagged_officer()
    flag = RiskFlag.objects.filter(officer=officer, active=True).first()
    sign_in(client, supervisor)
    client.post(reverse("risk:flag_triage", args=[flag.pk]), {"status": "false_positive", "reason": ""})
    flag.refresh_from_db()
    assert flag.triage_status == TriageStatus.UNTRIAGED  # refused: no reason given
    client.post(
        reverse("risk:flag_triage", args=[flag.pk]),
        {"status": "false_positive", "reason": "Same incident reported three times"},
    )
    flag.refresh_from_db()
    assert (flag.triage_status, flag.triaged_by) == (TriageStatus.FALSE_POSITIVE, supervisor)
    assert flag.triaged_at is not None


def test_flags_about_a_conflicted_officer_are_hidden(client, supervisor):
    officer, _ = flagged_officer(staff_number="SRISK002")
    other = UserFactory(roles=[Role.SUPERVISOR])
    case_services.conflict_declare(user=supervisor, officer=officer, reason="Same team", by=other)
    flag = RiskFlag.objects.filter(officer=officer).first()
    sign_in(client, supervisor)
    assert "SRISK002" not in client.get(reverse("risk:risk_list")).content.decode()
    assert client.get(reverse("risk:officer_flags", args=[officer.public_id])).status_code == 404
    assert client.post(reverse("risk:flag_triage", args=[flag.pk]), {"status": "acknowledged"}).status_code == 404


def test_investigators_and_panel_members_cannot_triage(client):
    officer, _ = flagged_officer()
    flag = RiskFlag.objects.filter(officer=officer).first()
    for role in (Role.INVESTIGATOR, Role.PANEL_REVIEWER, Role.COMMISSIONER):
        sign_in(client, UserFactory(roles=[role]))
        assert client.post(reverse("risk:flag_triage", args=[flag.pk]), {"status": "acknowledged"}).status_code == 404
    flag.refresh_from_db()
    assert flag.triage_status == TriageStatus.UNTRIAGED


def test_risk_list_query_count_is_fixed(client, supervisor, django_assert_max_num_queries):
    flagged_officer()
    sign_in(client, supervisor)
    client.get(reverse("risk:risk_list"))
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("risk:risk_list"))
    for _ in range(5):
        flagged_officer()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("risk:risk_list"))


def test_supervisor_tunes_a_rule_and_bad_parameters_are_refused(client, supervisor):
    from cases.risk.models import RiskRule

    sign_in(client, supervisor)
    url = reverse("risk:rule_update", args=["allegations_in_window"])
    client.post(url, {"parameters": '{"warning": "three"}', "enabled": "yes"})
    client.post(url, {"parameters": '{"colour": 3}', "enabled": "yes"})
    client.post(url, {"parameters": "[1, 2]", "enabled": "yes"})
    rule = RiskRule.objects.filter(code="allegations_in_window").first()
    assert rule is None or rule.parameters.get("warning") == 3
    response = client.post(url, {"parameters": '{"warning": 4}', "enabled": "yes"}, follow=True)
    assert b"Allegations in window updated" in response.content
    assert RiskRule.objects.get(code="allegations_in_window").parameters["warning"] == 4


def test_only_supervisors_tune_rules(client):
    sign_in(client, UserFactory(roles=[Role.COMMISSIONER]))
    url = reverse("risk:rule_update", args=["allegations_in_window"])
    assert client.post(url, {"parameters": '{"warning": 1}', "enabled": "yes"}).status_code == 404


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL planner and indexes")
def test_the_rules_statistics_count_false_positives_from_their_partial_index():
    from django.test.utils import CaptureQueriesContext

    from cases.risk.selectors import risk_rule_statistics

    flagged_officer()
    with CaptureQueriesContext(connection) as ctx:
        risk_rule_statistics()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plans = []
        for query in ctx.captured_queries:
            cursor.execute("EXPLAIN " + query["sql"])
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    assert any("risk_flag_false_positive_rule" in plan for plan in plans), plans
    assert not any("Seq Scan" in plan for plan in plans), plans
