"""Every response the application renders carries a Content-Security-Policy that allows nothing
inline, and nothing it renders may be stored by a browser or proxy (`Cache-Control: no-store`):
staff pages, API responses and CSV exports, walked from the URL resolver; the public hotline pages
carry the policy too. The pages themselves hold no inline script, style attribute or event handler,
so the policy breaks nothing, which a real browser confirms."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from cases.policy import PUBLIC, STAFF
from cases.roles import Role
from tests.conftest import sign_in
from tests.factories import CaseFactory, UserFactory
from tests.misconduct.test_permission_matrix import ENDPOINTS, role_allowed, url_for, world  # noqa: F401

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
ROLE_ORDER = [Role.SUPERVISOR, Role.COMMISSIONER, Role.INVESTIGATOR, Role.HOTLINE_TRIAGE, Role.PANEL_REVIEWER]
ROLE_ORDER += [r for r in Role.values if r not in ROLE_ORDER]
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.I)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+=", re.I)


def directives(response):
    header = response.get("Content-Security-Policy", "")
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_strict_csp(response, where):
    policy = directives(response)
    assert policy, f"{where}: no Content-Security-Policy"
    for name in ("script-src", "style-src"):
        sources = policy.get(name) or policy.get("default-src")
        assert sources, f"{where}: CSP says nothing about {name}"
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, f"{where}: {name} {sources}"
    assert policy.get("object-src") == ["'none'"], where
    assert policy.get("frame-ancestors") == ["'none'"], where


def assert_no_store(response, where):
    assert "no-store" in response.get("Cache-Control", ""), f"{where}: Cache-Control {response.get('Cache-Control')}"


def assert_nothing_inline(body: str, where):
    for pattern in (INLINE_SCRIPT, INLINE_STYLE, INLINE_HANDLER):
        found = pattern.search(body)
        assert not found, f"{where}: inline {found.group(0)!r}"


def fetch(client, url):
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response


def text_of(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


@pytest.mark.django_db
def test_every_staff_page_api_response_and_export_is_no_store_with_a_strict_csp(world):  # noqa: F811
    clients, checked = {}, set()
    for endpoint in ENDPOINTS:
        if endpoint.policy != STAFF:
            continue
        role = next(r for r in ROLE_ORDER if role_allowed(endpoint, r))
        if role not in clients:
            clients[role] = sign_in(Client(), world["users"][role])
        # The allowed record and a refused one: a 404 must not be cached either.
        for objects in (world["allowed"], world["forbidden"]) if endpoint.kwargs else (world["allowed"],):
            url = url_for(endpoint, objects)
            response = fetch(clients[role], url)
            assert_no_store(response, url)
            assert_strict_csp(response, url)
            if "html" in response.get("Content-Type", ""):
                assert_nothing_inline(text_of(response), url)
            checked.add(endpoint.name)
    assert {"cases:case_list", "cases:case_export", "v1:case-list", "v1:case-detail", "dashboard"} <= checked


@pytest.mark.django_db
def test_public_pages_carry_the_same_policy(client, world):  # noqa: F811
    checked = []
    for endpoint in ENDPOINTS:
        if endpoint.policy != PUBLIC:
            continue
        url = url_for(endpoint, world["allowed"])
        response = fetch(client, url)
        assert_strict_csp(response, url)
        assert_no_store(response, url)
        if "html" in response.get("Content-Type", ""):
            assert_nothing_inline(text_of(response), url)
        checked.append(endpoint.name)
    assert {"hotline:start", "hotline:report", "hotline:lookup", "login"} <= set(checked)


@pytest.mark.django_db
def test_error_pages_carry_the_policy_too(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_strict_csp(response, "404")
    assert_no_store(response, "404")


def test_no_template_holds_inline_script_style_or_handlers():
    for template in sorted(TEMPLATES.rglob("*.html")):
        assert_nothing_inline(template.read_text(), str(template.relative_to(TEMPLATES)))


def test_static_files_keep_their_cache_lifetimes(settings):
    # WhiteNoise answers for /static/ before the no-store middleware sees the response.
    order = settings.MIDDLEWARE
    assert order.index("whitenoise.middleware.WhiteNoiseMiddleware") < order.index(
        "misconduct.middleware.NoStoreMiddleware"
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_work_in_a_browser_with_the_policy_on_and_report_no_violation(browser_as, live_server):
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    case = CaseFactory()
    page = browser_as(supervisor)
    violations, messages = [], []
    page.on("console", lambda m: messages.append(m.text))
    page.expose_function("cspViolation", lambda text: violations.append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => window.cspViolation(e.violatedDirective + ' ' + e.blockedURI));"
    )
    for url in (
        reverse("home"),
        reverse("cases:case_list"),
        reverse("cases:case_summary", kwargs={"case_id": case.public_id}),
        reverse("dashboard"),
        reverse("hotline:start"),
        reverse("hotline:report"),
    ):
        response = page.goto(url)
        assert response.ok, url
        assert response.headers.get("content-security-policy"), url
    # The Print button, moved from onclick= to a static script, still runs under the policy.
    page.goto(reverse("cases:case_summary", kwargs={"case_id": case.public_id}))
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printed === true")
    csp_messages = [m for m in messages if "Content Security Policy" in m or "Content-Security-Policy" in m]
    assert not violations and not csp_messages, violations + csp_messages
