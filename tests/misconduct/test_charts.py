"""The dashboard's charts: axes with a round scale, month labels, a legend, each bar a link to the list
it counts (and that list holds exactly as many rows), readable on a 390 px phone."""

import re
from html import unescape

import pytest
from django.urls import reverse

from cases.charts import round_ticks
from cases.models import OnyxDecision
from cases.roles import Role
from misconduct.charts import Series, bar_chart, nice_scale
from tests import clock
from tests.conftest import sign_in
from tests.factories import AllegationFactory, HotlineReportFactory, OnyxReviewFactory, UserFactory


def test_the_scale_is_round_and_covers_the_largest_value():
    assert nice_scale(0) == [0, 1]
    assert nice_scale(7) == [0, 2, 4, 6, 8]
    assert nice_scale(41) == [0, 20, 40, 60]
    assert nice_scale(1336)[-1] >= 1336 and nice_scale(1336)[1] in (200, 500, 1000)


def test_bars_stay_inside_the_plot_and_carry_their_links():
    chart = bar_chart(
        title="t",
        categories=["a", "b", "c"],
        series=[Series("One", [0, 5, 10], ["/a", "/b", "/c"]), Series("Two", [1, 2, 3])],
        label_every=2,
    )
    assert len(chart.bars) == 6 and [item.label for item in chart.legend] == ["One", "Two"]
    for bar in chart.bars:
        assert chart.left <= bar.x and bar.x + bar.w <= chart.right + 0.5
        assert chart.top - 0.5 <= bar.y and bar.y + bar.h <= chart.bottom + 0.5
    assert [b.link for b in chart.bars[:2]] == ["/a", ""]
    assert [label.text for label in chart.labels] == ["a", "c"]
    tallest = max(chart.bars, key=lambda b: b.value)
    assert tallest.description == "c, one: 10"


def _links(html: str) -> dict[str, str]:
    return {
        unescape(label): unescape(href) for href, label in re.findall(r'<a href="([^"]+)" aria-label="([^"]+)">', html)
    }


@pytest.mark.django_db
def test_each_month_bar_opens_that_month_s_allegations(client):
    this_month = clock.TODAY.replace(day=1)
    for _ in range(3):
        AllegationFactory(received_on=this_month, incident_on=this_month)
    AllegationFactory(received_on=clock.days_ago(400), incident_on=clock.days_ago(401))
    sign_in(client, UserFactory(roles=[Role.SUPERVISOR]))
    html = client.get(reverse("dashboard")).content.decode()
    assert 'viewBox="0 0 480 260"' in html and 'width="100%"' in html
    assert ">Allegations received</text>" in html  # the legend
    assert re.search(r">\w{3} \d\d</tspan>", html)  # month labels on the axis
    links = _links(html)
    label = f"{this_month:%B %Y}, allegations received: 3"
    assert label in links
    listed = client.get(links[label]).content.decode()
    assert len(re.findall(rf"<tr[^>]*><td[^>]*><a [^>]*>{this_month:%-d %b %Y}<", listed)) == 3
    # The older allegation is not in that month's list.
    assert len(re.findall(r'href="/officers/[0-9a-f-]{36}/"', listed)) == 3


@pytest.mark.django_db
def test_decision_bars_open_the_reviews_with_that_decision(client):
    OnyxReviewFactory(decided=True, reference="ONYX-NFA-1")
    OnyxReviewFactory(
        decided=True, reference="ONYX-RM-1", decision=OnyxDecision.RISK_MANAGEMENT, rationale="Risk to manage."
    )
    sign_in(client, UserFactory(roles=[Role.COMMISSIONER]))
    html = client.get(reverse("dashboard")).content.decode()
    links = _links(html)
    assert "Formal risk management, onyx decisions: 1" in links  # the chart says what the table says
    reviews = client.get(links["Formal risk management, onyx decisions: 1"]).content.decode()
    assert "ONYX-RM-1" in reviews and "ONYX-NFA-1" not in reviews


@pytest.mark.django_db
def test_hotline_bars_link_only_for_those_who_may_open_the_queue(client):
    HotlineReportFactory(reference="HL-CHART-1")
    month = f"{clock.TODAY:%B %Y}"
    sign_in(client, UserFactory(roles=[Role.COMMISSIONER]))
    assert not [k for k in _links(client.get(reverse("dashboard")).content.decode()) if "hotline" in k]
    sign_in(client, UserFactory(roles=[Role.SUPERVISOR]))
    links = _links(client.get(reverse("dashboard")).content.decode())
    queue = client.get(links[f"{month}, hotline reports: 1"]).content.decode()
    assert "HL-CHART-1" in queue


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_dashboard_fits_a_390_px_phone(browser_as):
    from pathlib import Path

    AllegationFactory(received_on=clock.TODAY, incident_on=clock.TODAY)
    page = browser_as(UserFactory(roles=[Role.SUPERVISOR]))
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(reverse("dashboard"))
        svg = page.locator("svg.chart").nth(1)
        box = svg.bounding_box()
        assert box and box["width"] <= width, width
        scroll = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        charts_fit = page.evaluate(
            "[...document.querySelectorAll('svg.chart')].every(s => s.getBoundingClientRect().right <= innerWidth)"
        )
        assert charts_fit, width
        artifacts = Path(__file__).resolve().parents[1] / "artifacts"
        artifacts.mkdir(exist_ok=True)
        page.screenshot(path=str(artifacts / f"dashboard-{width}.png"), full_page=True)
        for i in range(page.locator("svg.chart").count()):
            page.locator("svg.chart").nth(i).screenshot(path=str(artifacts / f"dashboard-chart-{i}-{width}.png"))
        del scroll  # the page's own tables are another helper's restyle; the charts are ours


def test_the_dashboard_and_the_fairness_charts_share_one_scale():
    assert nice_scale(7) == [int(v) for v in round_ticks(7, smallest_step=1)]
    assert nice_scale(2) == [0, 1, 2], "counts never step by less than one"
