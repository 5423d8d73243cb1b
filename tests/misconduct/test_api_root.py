"""/api/v1/ lists the endpoints its caller may use and links the schema and a human docs page; the docs
page (Swagger UI from drf-spectacular-sidecar, no CDN) needs the same access as the schema and runs
under the Content-Security-Policy with no inline script or style."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from cases.roles import Role
from tests.conftest import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_api_root_lists_only_the_endpoints_the_oversight_body_may_use(client):
    sign_in(client, UserFactory(roles=[Role.OVERSIGHT]))
    response = client.get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    statistics = {"onyx", "outcomes_by_category", "outcomes_by_month", "time_to_outcome", "reg19_overdue", "hotline"}
    # Officers, vetting, the hotline's reports and risk flags are not for oversight readers; the figures
    # are, the disproportionality figures included.
    figures = {f"statistics_{s}" for s in statistics} | {"fairness_figures"}
    assert set(body["endpoints"]) == {"allegation", "case", "review"} | figures
    assert body["endpoints"]["case"].endswith(reverse("v1:case-list"))
    assert body["schema"].endswith(reverse("api-schema")) and body["docs"].endswith(reverse("api-docs"))


def test_the_api_root_lists_officers_for_dps_staff(client):
    sign_in(client, UserFactory(roles=[Role.INVESTIGATOR]))
    endpoints = set(client.get("/api/v1/").json()["endpoints"])
    assert endpoints == {"allegation", "case", "officer", "review", "vetting_review", "hotline_report"}


def test_the_api_root_lists_the_figures_risk_flags_and_fairness_for_supervisors(client):
    sign_in(client, UserFactory(roles=[Role.SUPERVISOR]))
    endpoints = set(client.get("/api/v1/").json()["endpoints"])
    assert {"risk_flag", "fairness_figures", "statistics_onyx", "statistics_hotline"} <= endpoints


def test_the_api_root_and_docs_refuse_the_anonymous_and_the_roleless(client):
    for url in ("/api/v1/", reverse("api-docs")):
        assert client.get(url).status_code == 401  # no credentials: the token scheme asks for them
    sign_in(client, UserFactory(username="no-role"))
    for url in ("/api/v1/", reverse("api-docs"), reverse("api-schema")):
        assert client.get(url).status_code == 403, url


def test_the_docs_page_is_served_from_our_static_files_with_its_script_apart(client):
    sign_in(client, UserFactory(roles=[Role.OVERSIGHT]))
    page = client.get(reverse("api-docs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "<style" not in html
    assert "script-src 'self'" in page["Content-Security-Policy"]
    script = client.get(reverse("api-docs"), {"script": ""})
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert reverse("api-schema") in script.content.decode()
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert "'unsafe-inline'" not in page["Content-Security-Policy"]


def test_only_the_docs_page_allows_data_images(client):
    sign_in(client, UserFactory(roles=[Role.OVERSIGHT]))
    assert "img-src 'self' data:" in client.get(reverse("api-docs"))["Content-Security-Policy"]
    assert "data:" not in client.get(reverse("home"))["Content-Security-Policy"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_docs_render_in_a_browser_under_the_policy(browser_as):
    page = browser_as(UserFactory(roles=[Role.OVERSIGHT]))
    violations = []
    page.expose_function("cspViolation", lambda text: violations.append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => window.cspViolation(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.goto(reverse("home"))
    page.get_by_role("link", name="API documentation").click()
    page.locator(".swagger-ui .info .title").wait_for()
    assert "DPS Misconduct Tracker API" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".opblock-summary-path", has_text="/api/v1/cases/").first.wait_for()
    assert not violations, violations
