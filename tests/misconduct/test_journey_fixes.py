"""Pages that left their users guessing: the IOPC check's result on the case page, the triage queue's
mark on reports with a new reporter message, and the rule-tuning page's parameter boxes."""

import json
import re

import pytest
from django.urls import reverse

from cases import services
from cases.models import AllegationCategory
from cases.risk import engine
from cases.roles import Role
from hotline import services as hotline_services
from tests.conftest import sign_in
from tests.factories import AllegationFactory, CaseFactory, HotlineReportFactory, UserFactory

pytestmark = pytest.mark.django_db


def _iopc_fact(response) -> str:
    html = response.content.decode()
    return re.search(r'data-testid="case-iopc">(.*?)</dd>', html, re.S).group(1)


def test_the_case_page_shows_the_iopc_check_result_once_the_check_is_made(client):
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    case = CaseFactory()
    AllegationFactory(subject=case.subject, case=case, category=AllegationCategory.DISHONESTY)
    services.case_assign(case=case, investigator=investigator, by=supervisor)
    sign_in(client, investigator)
    url = reverse("cases:case_detail", args=[case.public_id])
    assert "Not yet checked" in _iopc_fact(client.get(url))
    response = client.post(reverse("cases:case_act", args=[case.public_id]), {"action": "start_referral_check"})
    assert response.status_code in (200, 302)
    fact = _iopc_fact(client.get(url))
    assert "Checked" in fact and "No allegation in this case falls in a mandatory referral category" in fact


def test_the_iopc_check_shows_the_mandatory_grounds(client):
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    case = CaseFactory()
    AllegationFactory(subject=case.subject, case=case, category=AllegationCategory.SEXUAL_OFFENCE)
    services.case_assign(case=case, investigator=investigator, by=supervisor)
    services.case_transition(case=case, action="start_referral_check", by=investigator)
    sign_in(client, investigator)
    fact = _iopc_fact(client.get(reverse("cases:case_detail", args=[case.public_id])))
    assert "Checked" in fact and "Referral is mandatory" in fact


def test_the_triage_queue_marks_reports_with_a_new_reporter_message(client, django_assert_max_num_queries):
    triage = UserFactory(roles=[Role.HOTLINE_TRIAGE])
    waiting = HotlineReportFactory(reference="HL-WAITING")
    answered = HotlineReportFactory(reference="HL-ANSWERED")
    quiet = HotlineReportFactory(reference="HL-QUIET")
    hotline_services.report_acknowledge(report=waiting, by=triage)
    hotline_services.report_acknowledge(report=answered, by=triage)
    hotline_services.reporter_reply(report_id=waiting.pk, body="One more thing I remembered.")
    hotline_services.reporter_reply(report_id=answered.pk, body="Is there news?")
    answered.refresh_from_db()
    hotline_services.report_triage_reply(report=answered, body="We are looking into it.", by=triage)
    for _ in range(10):
        HotlineReportFactory()
    sign_in(client, triage)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("triage:queue")).content.decode()
    rows = {ref: row for row in html.split("<tr") for ref in re.findall(r"HL-[A-Z]+", row)}
    assert "data-reporter-waiting" in rows["HL-WAITING"]
    assert "data-reporter-waiting" not in rows["HL-ANSWERED"] and "data-reporter-waiting" not in rows["HL-QUIET"]
    only = client.get(reverse("triage:queue"), {"status": "all", "reporter_waiting": "1"}).content.decode()
    assert "HL-WAITING" in only and "HL-ANSWERED" not in only and quiet.reference not in only


def test_the_rule_tuning_boxes_show_each_rule_s_parameters(client):
    sign_in(client, UserFactory(roles=[Role.SUPERVISOR]))
    html = client.get(reverse("risk:risk_list")).content.decode()
    rules = engine.registered_rules()
    assert rules
    assert any(rule.defaults for rule in rules.values())
    for code, rule in rules.items():
        if not rule.defaults:
            # Nothing to type: no empty box, a sentence saying so (the on/off switch stays).
            assert f'data-no-parameters="{code}"' in html and f'id="params-{code}"' not in html, code
            continue
        box = re.search(rf'<textarea[^>]* id="params-{re.escape(code)}"[^>]*>(.*?)</textarea>', html, re.S)
        assert box, code
        shown = json.loads(box.group(1).replace("&quot;", '"'))
        assert shown == rule.defaults, code
