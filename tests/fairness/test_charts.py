"""The monitoring page's interval charts: each group's dot and interval on one scale, the reference
group's line, "no data" kept as a row, and the demo force's note in words."""

import re

import pytest
from django.urls import reverse

from cases.charts import round_ticks
from cases.fairness.charts import interval_chart, monitoring_charts
from cases.fairness.datasets import Scope
from cases.fairness.selectors import monitoring_figures
from cases.fairness.stats import poisson_rate
from cases.fairness.views import demo_built_with
from cases.roles import Role
from tests.conftest import sign_in
from tests.factories import UserFactory

from .test_monitoring import PERIOD, force  # noqa: F401  (the fixture)


class _Group:
    def __init__(self, label, rate, *, reference=False, small=False):
        self.label, self.rates, self.is_reference, self.small = label, {"allegations": rate}, reference, small


def test_ticks_are_round_and_reach_the_top():
    assert round_ticks(37.0) == [0.0, 10.0, 20.0, 30.0, 40.0]
    assert round_ticks(0.7) == [0.0, 0.2, 0.4, 0.6, 0.8]
    assert round_ticks(0) == [0.0, 1.0]


def test_a_group_dot_and_interval_sit_on_the_scale_and_the_reference_has_its_line():
    white = poisson_rate(40, 100)  # 40 per 100 people, interval about 28.6 to 54.5
    black = poisson_rate(0, 0)  # nobody: no data
    chart = interval_chart(
        title="t", groups=[_Group("White", white, reference=True), _Group("Black", black)], key="allegations",
        unit="per 100", axis_label="Allegations per 100 people", width=480,
    )
    top = round_ticks(white.high)[-1]
    span = chart.right - chart.left
    row = chart.rows[0]
    assert row.x == pytest.approx(chart.left + span * 40 / top, abs=0.1)
    assert row.x_low == pytest.approx(chart.left + span * white.low / top, abs=0.1)
    assert row.x_high == pytest.approx(chart.left + span * white.high / top, abs=0.1)
    assert chart.reference_x == row.x and row.label == "White (reference)"
    assert "95% interval" in row.description
    assert chart.rows[1].x is None and chart.rows[1].value_text == "no data"
    assert chart.ticks[-1].x == pytest.approx(chart.right)


def test_the_force_figures_give_one_chart_per_dimension(force):  # noqa: F811
    figures = monitoring_figures(scope=Scope(**PERIOD, small_below=5))
    charts = dict(monitoring_charts(figures))
    assert set(charts) == {"ethnicity", "sex"}
    labels = [r.label for r in charts["ethnicity"].rows]
    assert labels[0] == "White (reference)" and "Black" in labels
    black = next(r for r in charts["ethnicity"].rows if r.label == "Black")
    assert black.value_text == "40.0"  # 4 allegations about 10 black officers


@pytest.mark.django_db
def test_the_page_draws_the_charts_above_their_tables_and_says_what_the_demo_was_built_with(
    client, force, settings  # noqa: F811
):
    sign_in(client, UserFactory(roles=[Role.COMMISSIONER]))
    settings.DEMO_MODE = False
    page = client.get(reverse("fairness:monitoring"), {"date_from": PERIOD["date_from"]}).content.decode()
    assert page.index('id="chart-ethnicity"') < page.index('data-dimension="ethnicity"')
    assert re.search(r'aria-label="Black: 40\.0 allegations per 100 people \(95% interval', page)
    assert "data-demo-note" not in page
    settings.DEMO_MODE = True
    page = client.get(reverse("fairness:monitoring"), {"date_from": PERIOD["date_from"]}).content.decode()
    assert "data-demo-note" in page and "Black officers and staff 81% more" in page


def test_the_demo_note_reads_its_figures_from_the_demo_shape():
    from cases.demo.shape import ALLEGATION_RATE_BY_ETHNICITY
    from cases.models import Ethnicity

    note = demo_built_with()
    asian = (ALLEGATION_RATE_BY_ETHNICITY[Ethnicity.ASIAN] / ALLEGATION_RATE_BY_ETHNICITY[Ethnicity.WHITE] - 1) * 100
    assert f"Asian officers and staff {asian:.0f}% more" in note and "Casey, 2023" in note


@pytest.mark.django_db
def test_each_group_links_to_the_allegations_behind_its_figure_for_a_reader_the_list_admits(
    client, force  # noqa: F811
):
    from urllib.parse import parse_qs, urlsplit

    from cases.nav import view_admits

    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    sign_in(client, supervisor)
    page = client.get(reverse("fairness:monitoring"), {"date_from": PERIOD["date_from"], "date_to": PERIOD["date_to"]})
    links = re.findall(r'<a href="([^"]+)" aria-label="Black: [^"]*open these allegations"', page.content.decode())
    assert links, "the Black group's dot links to its allegations"
    query = parse_qs(urlsplit(links[0].replace("&amp;", "&")).query)
    assert query["subject_ethnicity"] == ["black"] and query["received_from"] == [str(PERIOD["date_from"])]
    listed = client.get(links[0].replace("&amp;", "&"))
    assert listed.status_code == 200
    assert [a.subject.ethnicity for a in listed.context["page"]] == ["black"] * 4

    commissioner = UserFactory(roles=[Role.COMMISSIONER])
    sign_in(client, commissioner)
    page = client.get(reverse("fairness:monitoring"), {"date_from": PERIOD["date_from"]}).content.decode()
    assert ("open these allegations" in page) == view_admits(commissioner, "cases:allegation_list")
