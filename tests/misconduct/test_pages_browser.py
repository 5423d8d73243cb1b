"""Every page in a real browser, as each role and as the public: axe-core finds no WCAG 2.2 AA violation,
nothing scrolls sideways at 390 px, the Content-Security-Policy blocks nothing; the public report journey
with an error whose summary link takes the reader to the field; screenshots for a human to look at.

axe-core is vendored in tests/vendor/axe-core (MPL-2.0) and served to the page from a same-origin URL the
test intercepts, so the page's own Content-Security-Policy stays on while it runs."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from cases import services
from cases.models import AllegationCategory
from cases.risk.services import risk_recompute_all
from cases.roles import Role
from tests import clock
from tests.factories import (
    AllegationFactory,
    CaseFactory,
    ConvictionFactory,
    HotlineReportFactory,
    OfficerFactory,
    OnyxReviewFactory,
    UserFactory,
    VettingClearanceFactory,
    VettingReviewFactory,
)
from vetting.models import ClearanceLevel, ClearanceStatus, VettingReview

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
AXE_URL = "/__tests__/axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
# Not pages: downloads, the JSON API, the admin (Django's own look), signing out.
NOT_PAGES = re.compile(r"^/(api/|admin/|accounts/logout)|\.csv$|/export")
ID_SEGMENT = re.compile(r"/(?:[0-9a-f]{8}-[0-9a-f-]{27}|\d+|[A-Z]+-\d{4}-\d+|ONYX-\d+)(?=/)")


def _kind(url):
    """A page's kind: its path with ids blanked and its query's names (not values): one of each is visited."""
    parts = urlsplit(url)
    query = "&".join(sorted(p.split("=")[0] for p in parts.query.split("&") if p and not p.startswith("page=")))
    return ID_SEGMENT.sub("/<id>", parts.path) + ("?" + query if query else "")


def _prepare(page, viewport):
    page.set_viewport_size(viewport)
    page.context.route(f"**{AXE_URL}", lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def _check_page(page):
    """axe-core's WCAG 2.2 AA violations and any sideways scroll, as readable strings."""
    found = []
    # From the top: the Exit this page button stays in view as the page scrolls and would cover
    # whatever is under it (axe then finds that target too small).
    page.evaluate("window.scrollTo(0, 0)")
    page.add_script_tag(url=AXE_URL)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA)
    for v in result["violations"]:
        targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
        found.append(f"{page.url}: axe {v['id']} ({v['help']}) at {targets}")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        found.append(f"{page.url}: scrolls sideways by {overflow}px at {page.viewport_size['width']}px")
    return found


def _crawl(page, start, *, limit=40):
    """Follow same-site links breadth first from start, one page of each kind; check each page."""
    problems = _prepare(page, PHONE)
    seen, queue, found = set(), [start], []
    while queue and len(seen) < limit:
        url = queue.pop(0)
        kind = _kind(url)
        if kind in seen:
            continue
        seen.add(kind)
        response = page.goto(url)
        assert response is not None and response.status < 400, f"{url} answered {response and response.status}"
        found.extend(_check_page(page))
        for href in page.eval_on_selector_all(
            # The charts' SVG links too: their .href is an SVGAnimatedString, so resolve the attribute.
            "a[href]",
            "els => els.map(a => new URL(a.getAttribute('href'), document.baseURI).href)",
        ):
            parts = urlsplit(href)
            if parts.netloc != urlsplit(page.url).netloc or parts.fragment and not parts.path:
                continue
            path = parts.path + ("?" + parts.query if parts.query else "")
            if not NOT_PAGES.search(parts.path) and _kind(path) not in seen:
                queue.append(path)
    found.extend(f"console: {p}" for p in problems)
    return seen, found


@pytest.fixture
def people(db):
    """One of each role, and a little of everything for them to look at: a case under investigation, an
    officer with risk flags, an Onyx review with the panel, a vetting review, a hotline report."""
    users = {
        role: UserFactory(username=role.value, first_name=role.label.split()[0], last_name="Tester", roles=[role])
        for role in Role
    }
    officer = OfficerFactory(first_name="Carl", last_name="Subject", staff_number="S9000001")
    AllegationFactory(subject=officer, category=AllegationCategory.DOMESTIC_ABUSE)
    AllegationFactory(subject=officer, category=AllegationCategory.SEXUAL_MISCONDUCT)
    ConvictionFactory(officer=officer)
    VettingClearanceFactory(officer=officer, level=ClearanceLevel.MV, status=ClearanceStatus.ACTIVE)
    VettingReviewFactory(officer=officer)
    case = CaseFactory(subject=officer, investigator=users[Role.INVESTIGATOR])
    AllegationFactory(subject=officer, case=case, category=AllegationCategory.DISHONESTY)
    review = OnyxReviewFactory(subject=officer)
    services.onyx_reviews_allocate(review_ids=[review.id], reviewer=users[Role.INVESTIGATOR], by=users[Role.SUPERVISOR])
    HotlineReportFactory(officer_name_given="PC Subject")
    risk_recompute_all()
    return users, officer, case


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_every_page_a_role_reaches_passes_axe_and_fits_a_phone(browser_as, people, role):
    users, _, _ = people
    page = browser_as(users[role])
    visited, problems = _crawl(page, "/")
    assert len(visited) > 1 or role == Role.OVERSIGHT, f"{role}: the home page leads nowhere"
    assert problems == [], "\n".join(problems)


def test_every_public_hotline_page_passes_axe_and_fits_a_phone(browser_as, people):
    page = browser_as()
    visited, problems = _crawl(page, "/hotline/")
    assert {"/hotline/", "/hotline/report/"} <= visited
    assert problems == [], "\n".join(problems)


def test_the_public_report_with_a_mistake_shows_a_summary_whose_links_reach_the_fields(browser_as, db):
    page = browser_as()
    problems = _prepare(page, PHONE)
    page.goto("/hotline/")
    page.get_by_role("button", name="Make a report").or_(page.get_by_role("link", name="Make a report")).click()
    page.get_by_label("What happened?").fill("An officer took cash to drop a parking fine outside the market.")
    page.get_by_role("button", name="Continue").click()

    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    assert page.get_by_label("What happened?").input_value().startswith("An officer took cash")
    summary.get_by_role("link", name=re.compile("What is it about")).click()
    expect(page.locator("#id_category_0")).to_be_focused()
    summary.get_by_role("link", name=re.compile("Do you want to stay anonymous")).click()
    expect(page.locator("#id_anonymous_0")).to_be_focused()
    # The field's error is part of its accessible description, with its hint.
    assert page.locator("#id_what_happened").get_attribute("aria-describedby") == "id_what_happened_helptext"
    assert "id_category_error" in page.locator("#field-category fieldset").get_attribute("aria-describedby")
    assert _check_page(page) == []

    page.get_by_label("Using their position for personal advantage").check()
    page.get_by_label("Yes, keep me anonymous", exact=False).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your answers before sending your report")).to_be_visible()
    assert not page.title().startswith("Error")
    assert _check_page(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "public-check-answers-390.png"), full_page=True)
    page.get_by_role("button", name="Change what happened?").click()
    expect(page.get_by_label("What happened?")).to_be_focused()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send report").click()
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text("Your report has been sent")
    assert not page.title().startswith("Error")
    # The form with mistakes answers 400 on purpose; the browser notes that, and nothing else.
    assert [p for p in problems if "status of 400" not in p] == []

    # The way out goes to a neutral site, not to another hotline page.
    assert page.get_by_role("button", name="Emergency Exit this page").get_attribute("href") == (
        "https://www.bbc.co.uk/weather"
    )


def _vetting_pages(users, officer):
    """The vetting officer's own pages, the search results and fairness monitoring, each with something on it."""
    OfficerFactory(user=users[Role.VETTING_OFFICER], first_name="Vera", last_name="Vetter")  # may self-report
    VettingClearanceFactory(officer=officer, level=ClearanceLevel.RV, expires_on=clock.days_ahead(20))
    review = VettingReview.objects.get(officer=officer)
    return [
        (Role.VETTING_OFFICER, f"/vetting/reviews/{review.public_id}/", "vetting-review"),
        (Role.VETTING_OFFICER, "/vetting/clearances/expiring/", "clearance-expiry"),
        (Role.VETTING_OFFICER, f"/vetting/officers/{officer.public_id}/clearances/", "officer-clearances"),
        (Role.VETTING_OFFICER, "/vetting/reviews/new/", "vetting-review-open"),
        (Role.VETTING_OFFICER, "/vetting/my-circumstances/", "self-report"),
        (Role.VETTING_OFFICER, "/search/?q=Subject", "search-vetting"),
        (Role.SUPERVISOR, "/search/?q=Subject", "search"),
        (Role.SUPERVISOR, "/fairness/", "fairness-monitoring"),
    ]


def test_the_vetting_search_and_fairness_pages_pass_axe_and_fit_a_phone(browser_as, people):
    """Named, so that they are checked however the crawl's breadth-first walk and its page limit fall;
    the vetting officer's crawl from the home page runs too (the parametrised test above)."""
    users, officer, _ = people
    pages = {role: browser_as(users[role]) for role in (Role.VETTING_OFFICER, Role.SUPERVISOR)}
    consoles = {role: _prepare(page, PHONE) for role, page in pages.items()}
    ARTIFACTS.mkdir(exist_ok=True)
    found = []
    for role, url, name in _vetting_pages(users, officer):
        page = pages[role]
        response = page.goto(url)
        assert response is not None and response.status == 200, f"{role}: {url} answered {response and response.status}"
        found.extend(_check_page(page))
        page.screenshot(path=str(ARTIFACTS / f"{name}-390.png"), full_page=True)
    assert "Send to the vetting unit" in pages[Role.VETTING_OFFICER].goto("/vetting/my-circumstances/").text()
    found.extend(f"console: {p}" for c in consoles.values() for p in c)
    assert found == [], "\n".join(found)


def test_the_vetting_forms_with_a_mistake_show_a_summary_that_passes_axe(browser_as, people):
    users, officer, _ = people
    OfficerFactory(user=users[Role.VETTING_OFFICER], first_name="Vera", last_name="Vetter")
    page = browser_as(users[Role.VETTING_OFFICER])
    problems = _prepare(page, PHONE)
    found = []
    for url, button in (
        ("/vetting/my-circumstances/", "Send to the vetting unit"),
        ("/vetting/reviews/new/", "Open the review"),
    ):
        page.goto(url)
        page.get_by_role("button", name=button).click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        found.extend(_check_page(page))
    assert found == [], "\n".join(found)
    assert [p for p in problems if "status of 400" not in p] == []


def test_screenshots_of_the_main_pages_at_desktop_and_phone_widths(browser_as, people):
    """Saved under tests/artifacts/ for a human to look at (CI keeps them)."""
    users, officer, case = people
    ARTIFACTS.mkdir(exist_ok=True)
    public = browser_as()
    staff = browser_as(users[Role.SUPERVISOR])
    shots = [
        (public, "/hotline/report/", "public-form"),
        (staff, f"/cases/{case.public_id}/", "case"),
        (staff, f"/officers/{officer.public_id}/", "officer"),
        (staff, "/dashboard/", "dashboard"),
        (staff, "/", "staff-home"),
    ]
    for page, url, name in shots:
        for label, viewport in (("1366", DESKTOP), ("390", PHONE)):
            page.set_viewport_size(viewport)
            assert page.goto(url).status == 200, url
            page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
    assert len(list(ARTIFACTS.glob("*.png"))) >= 10
