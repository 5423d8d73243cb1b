"""The list rows built in Python (cases/rows.py, issue 18) print exactly what the template loops they
replaced printed: each is checked against the old template markup, with the awkward values (markup in
a name, no investigator, no severity, no case, a value outside the choices, times either side of
midnight and of a clock change), and the API's FastReadMixin against DRF's own to_representation."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse
from rest_framework import serializers

from cases.api import fast_read
from cases.api.serializers import CaseOversightSerializer, CaseStaffSerializer
from cases.models import Allegation, Case, CaseStatus, Conviction, ConvictionKind, PolicyAction, Severity
from cases.risk.models import OfficerRiskLevel, RiskFlag
from cases.rows import UrlPattern, day_month, day_month_year, day_month_year_time, esc, esc_value, label, labels, unix
from cases.templatetags.govuk_filters import select_options
from cases.templatetags.list_rows import allegation_rows, case_rows, conviction_rows, risk_flag_rows
from hotline.models import HotlineReport, HotlineStatus
from hotline.selectors import with_reporter_waiting
from hotline.templatetags.hotline_rows import triage_rows
from tests.factories import (
    AllegationFactory,
    CaseFactory,
    CommandFactory,
    ConvictionFactory,
    HotlineReportFactory,
    OfficerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

UTC = dt.UTC
MOMENTS = [
    dt.datetime(2026, 3, 28, 23, 30, tzinfo=UTC),  # GMT: still the 28th in London
    dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
    dt.datetime(2026, 6, 30, 23, 30, tzinfo=UTC),  # BST: already 1 July in London
    dt.datetime(2026, 10, 25, 0, 59, tzinfo=UTC),
    dt.datetime(2026, 12, 31, 23, 59, tzinfo=UTC),
]
DAYS = [dt.date(2026, 1, 1), dt.date(2026, 3, 29), dt.date(2026, 9, 9), dt.date(2026, 10, 25)]


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize("value", [*MOMENTS, *DAYS, None])
def test_the_date_helpers_print_what_the_date_filter_prints(value):
    assert day_month_year(value) == render('{{ v|date:"j M Y" }}', v=value)
    assert day_month(value) == render('{{ v|date:"j M" }}', v=value)
    assert unix(value) == render("{{ v|date:'U' }}", v=value)
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        assert day_month_year_time(value) == render('{{ v|date:"j M Y H:i" }}', v=value)


@pytest.mark.parametrize("value", ['<b>O\'Neil & "Co"</b>', "plain", None, 7])
def test_escaping_is_autoescaping(value):
    assert esc_value(value) == render("{{ v }}", v=value)
    if isinstance(value, str):
        assert esc(value) == render("{{ v }}", v=value)


def test_a_label_is_what_get_display_gives_even_outside_the_choices():
    statuses = labels(Case, "status")
    for value in [CaseStatus.INVESTIGATION, "not-a-status", None]:
        assert label(statuses, value) == Case(status=value).get_status_display()


def test_a_url_pattern_is_reverse_for_each_id():
    case = CaseFactory()
    assert UrlPattern("cases:case_detail")(case.public_id) == reverse("cases:case_detail", args=[case.public_id])


def test_select_options_print_the_loop_they_replaced():
    loop = (
        '{% for value, label in choices %}<option value="{{ value }}" {% if value == selected %}selected{% endif %}>'
        "{{ label }}</option>{% endfor %}"
    )
    choices = [*Severity.choices, ("a<b", 'say "x" & y')]
    for selected in [Severity.MISCONDUCT, "gross_misconduct", "a<b", "", None]:
        assert select_options(choices, selected) == render(loop, choices=choices, selected=selected)


OLD_CASE_LOOP = """{% for case in page %}
    <tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" href="{% url 'cases:case_detail' case.public_id %}">{{ case.reference }}</a>{% if case.restricted %} <span class="govuk-tag govuk-tag--grey">Need to know</span>{% endif %}</td>
      <td class="govuk-table__cell">{{ case.subject.full_name }} ({{ case.subject.staff_number }})</td>
      <td class="govuk-table__cell">{{ case.get_status_display }}</td><td class="govuk-table__cell">{{ case.get_severity_display|default:"—" }}</td>
      <td class="govuk-table__cell">{{ case.investigator.get_full_name|default:"Unassigned" }}</td><td class="govuk-table__cell">{{ case.opened_at|date:"j M Y" }}</td></tr>
  {% endfor %}"""  # noqa: E501 - the template's lines as they were

OLD_ALLEGATION_LOOP = """{% for a in page %}<tr class="govuk-table__row"><td class="govuk-table__cell" data-sort-value="{{ a.received_on|date:'U' }}"><a class="govuk-link" href="{% url 'cases:allegation_detail' a.public_id %}">{{ a.received_on|date:"j M Y" }}<span class="govuk-visually-hidden"> allegation</span></a></td><td class="govuk-table__cell"><a class="govuk-link" href="{% url 'cases:officer_detail' a.subject.public_id %}">{{ a.subject.full_name }}</a> ({{ a.subject.staff_number }})</td><td class="govuk-table__cell">{{ a.get_category_display }}</td><td class="govuk-table__cell">{{ a.get_source_display }}</td><td class="govuk-table__cell">{{ a.get_status_display }}</td><td class="govuk-table__cell">{% if a.case %}<a class="govuk-link" href="{% url 'cases:case_detail' a.case.public_id %}">{{ a.case.reference }}</a>{% else %}—{% endif %}</td></tr>
{% endfor %}"""  # noqa: E501


def test_case_rows_print_the_old_loop_body():
    subject = OfficerFactory(first_name="<script>", last_name="O'Neil & Sons")
    CaseFactory(subject=subject, restricted=True, severity="", investigator=None, opened_at=MOMENTS[2])
    CaseFactory(severity=Severity.GROSS_MISCONDUCT, investigator=UserFactory(first_name="Ann", last_name="<i>"))
    CaseFactory(investigator=UserFactory(first_name="", last_name=""), opened_at=MOMENTS[0])
    page = list(Case.objects.select_related("subject", "investigator").order_by("id"))

    assert case_rows(page) == render(OLD_CASE_LOOP, page=page)


def test_allegation_rows_print_the_old_loop_body():
    AllegationFactory(subject=OfficerFactory(last_name="<b>"), case=None, received_on=DAYS[1])
    AllegationFactory(case=CaseFactory(reference="DPS-<&>"))
    page = list(Allegation.objects.select_related("subject", "case").order_by("id"))

    assert allegation_rows(page) == render(OLD_ALLEGATION_LOOP, page=page)


@pytest.mark.parametrize("serializer_class", [CaseStaffSerializer, CaseOversightSerializer])
def test_fast_read_serializers_give_what_drf_gives(serializer_class, monkeypatch, rf):
    CaseFactory(investigator=None, severity="")
    CaseFactory(investigator=UserFactory(), opened_at=MOMENTS[0], closed_at=MOMENTS[1], status=CaseStatus.CLOSED)
    rows = list(Case.objects.select_related("subject", "subject__command", "investigator").order_by("id"))
    request = rf.get("/")
    request.user = UserFactory()
    fast = serializer_class(rows, many=True, context={"request": request}).data

    monkeypatch.setattr(fast_read.FastReadMixin, "to_representation", serializers.Serializer.to_representation)
    drf = serializer_class(rows, many=True, context={"request": request}).data

    assert fast == drf
    assert fast[0]["subject"]  # nested, read through the mixin too


# templates/hotline/triage_queue.html's loop as it was.
OLD_TRIAGE_LOOP = """{% for row in rows %}{% with r=row.report %}
    <tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" href="{% url 'triage:report' r.public_id %}">{{ r.reference }}</a>{% if r.reporter_waiting %} <strong class="govuk-tag govuk-tag--blue new-message" data-reporter-waiting>New message from the reporter</strong>{% endif %}</td><td class="govuk-table__cell">{{ r.received_at|date:"j M Y H:i" }}</td>
      <td class="govuk-table__cell">{{ r.get_category_display }}</td><td class="govuk-table__cell">{{ r.get_status_display }}</td>
      <td class="govuk-table__cell">{% if r.acknowledged_at %}Done {{ r.acknowledged_at|date:"j M" }}{% else %}{{ row.due|date:"j M Y" }}{% if row.overdue %} <span class="govuk-tag govuk-tag--red">Overdue</span>{% endif %}{% endif %}</td>
      <td class="govuk-table__cell">{% if r.officer %}{{ r.officer.full_name }} ({{ r.officer.staff_number }}){% else %}—{% endif %}</td></tr>
  {% endwith %}{% endfor %}"""  # noqa: E501


def test_triage_rows_print_the_old_loop_body():
    HotlineReportFactory(reference="HL-<b>&'", received_at=MOMENTS[2], officer=None)
    HotlineReportFactory(
        received_at=MOMENTS[0], acknowledged_at=MOMENTS[3], status=HotlineStatus.ACKNOWLEDGED,
        officer=OfficerFactory(first_name="<script>", last_name="O'Neil & Sons"),
        linked_at=MOMENTS[3],
    )  # fmt: skip
    HotlineReportFactory(received_at=MOMENTS[4])
    reports = list(with_reporter_waiting(HotlineReport.objects.select_related("officer")).order_by("id"))
    reports[2].reporter_waiting, reports[2].category = True, "not-a-category"  # outside the choices
    rows = [{"report": report, "due": DAYS[n % len(DAYS)], "overdue": n % 2 == 0} for n, report in enumerate(reports)]

    assert triage_rows(rows) == render(OLD_TRIAGE_LOOP, rows=rows)
    assert "HL-&lt;b&gt;&amp;&#x27;" in triage_rows(rows)


OLD_CONVICTION_LOOP = """{% for c in page %}<tr class="govuk-table__row"><td class="govuk-table__cell">{% if may_open_officer %}<a class="govuk-link" href="{% url 'cases:officer_detail' c.officer.public_id %}">{{ c.officer.full_name }}</a>{% else %}{{ c.officer.full_name }}{% endif %}</td><td class="govuk-table__cell">{{ c.officer.staff_number }}</td><td class="govuk-table__cell">{{ c.get_category_display }}{% if c.as_minor %} <strong class="govuk-tag govuk-tag--grey">Under 18</strong>{% endif %}</td><td class="govuk-table__cell">{{ c.get_kind_display }}</td><td class="govuk-table__cell">{{ c.convicted_on|date:"j M Y" }}</td><td class="govuk-table__cell">{{ c.disposal|default:"—" }}</td><td class="govuk-table__cell">{% if c.while_serving %}While serving{% else %}Before joining{% endif %}</td><td class="govuk-table__cell">{{ c.get_review_status_display }}</td><td class="govuk-table__cell" data-policy="{{ c.policy_action }}">{{ c.get_policy_action_display|default:"No rule matched" }}</td></tr>
  {% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("may_open_officer", [True, False])
def test_conviction_rows_print_the_old_loop_body(may_open_officer):
    ConvictionFactory(officer=OfficerFactory(first_name="<b>", last_name="O'Neil & Sons"), disposal="", as_minor=True)
    ConvictionFactory(
        disposal='Fine <£100> & "costs"', while_serving=True, kind=ConvictionKind.CAUTION,
        policy_action=PolicyAction.REVIEW, convicted_on=DAYS[1],
    )  # fmt: skip
    page = list(Conviction.objects.select_related("officer").order_by("id"))

    rows = conviction_rows(page, may_open_officer)
    assert rows == render(OLD_CONVICTION_LOOP, page=page, may_open_officer=may_open_officer)
    assert "&lt;b&gt; O&#x27;Neil &amp; Sons" in rows and "&lt;£100&gt; &amp; &quot;costs&quot;" in rows


OLD_RISK_FLAG_LOOP = """{% for f in page %}
  <tr class="govuk-table__row"><td class="govuk-table__cell" data-sort-value="{{ f.first_seen|date:'U' }}">{{ f.first_seen|date:"j M Y" }}</td><td class="govuk-table__cell"><a class="govuk-link" href="{% url 'risk:officer_flags' f.officer.public_id %}">{{ f.officer.full_name }}</a> ({{ f.officer.staff_number }})</td>
    <td class="govuk-table__cell">{{ f.officer.command.code }}</td><td class="govuk-table__cell">{{ f.rule_label }}</td><td class="govuk-table__cell"><strong class="govuk-tag {% if f.level == 'critical' %}govuk-tag--red{% else %}govuk-tag--orange{% endif %}">{{ f.get_level_display }}</strong></td>
    <td class="govuk-table__cell">{{ f.officer.risk_level.get_level_display|default:"—" }}</td><td class="govuk-table__cell">{{ f.get_triage_status_display }}</td></tr>
  {% endfor %}"""  # noqa: E501


def test_risk_flag_rows_print_the_old_loop_body():
    marked = OfficerFactory(first_name="<i>", last_name="O'Neil & Sons", command=CommandFactory(code="C<&>"))
    OfficerRiskLevel.objects.create(officer=marked, level="high", score=9, computed_at=MOMENTS[0])
    for n, (officer, level) in enumerate([(marked, "critical"), (OfficerFactory(), "warning")]):
        RiskFlag.objects.create(
            officer=officer, rule_code=f"r{n}", level=level, reasons=[], first_seen=MOMENTS[n], last_seen=MOMENTS[n]
        )
    page = list(RiskFlag.objects.select_related("officer", "officer__command", "officer__risk_level").order_by("id"))
    for flag, rule_label in zip(page, ["Rule <one> & 'two'", "plain"], strict=True):
        flag.rule_label = rule_label

    rows = risk_flag_rows(page)
    assert rows == render(OLD_RISK_FLAG_LOOP, page=page)
    assert "Rule &lt;one&gt; &amp; &#x27;two&#x27;" in rows and "C&lt;&amp;&gt;" in rows and "—" in rows
