"""The staff menu in a real browser, for the readers with the most sections (supervisor, commissioner):
its headings fit two rows on a 1366 px screen; a heading opens on a click, and from the keyboard (Tab to
it, Enter), and its links go where they say; Escape closes it; on a 390 px phone the "Menu" button folds
it and nothing scrolls sideways, folded or open; at tablet widths an open heading stays on the screen.
A screenshot of each for a human to look at."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from cases.roles import Role
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def _rows(page):
    """How many rows the menu's top-level items sit on, and the menu's height against one item's."""
    return page.evaluate(
        """() => {
            const items = [...document.querySelectorAll('#app-navigation > li')];
            const tops = new Set(items.map(li => Math.round(li.getBoundingClientRect().top)));
            const menu = document.querySelector('nav[aria-label="Main"]').getBoundingClientRect().height;
            const item = Math.max(...items.map(li => li.getBoundingClientRect().height));
            return {rows: tops.size, menu, item, count: items.length};
        }"""
    )


def _sideways(page):
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.COMMISSIONER], ids=lambda r: r.value)
def test_the_fullest_menu_fits_two_rows_at_1366_px(browser_as, role):
    page = browser_as(UserFactory(roles=[role]))
    page.set_viewport_size(DESKTOP)
    page.goto("/")
    measured = _rows(page)
    assert measured["count"] >= 4, measured  # Home and the headings: the sections are inside them
    assert measured["rows"] <= 2, measured
    assert measured["menu"] <= 2 * measured["item"] + 2, measured
    # An open heading drops over the page: the menu does not grow.
    page.get_by_role("navigation", name="Main").get_by_text("Officers and vetting").click()
    assert _rows(page)["menu"] == measured["menu"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"menu-{role.value}-1366.png"))


def test_a_heading_opens_on_a_click_and_its_link_navigates(browser_as):
    page = browser_as(UserFactory(roles=[Role.SUPERVISOR]))
    page.set_viewport_size(DESKTOP)
    page.goto("/")
    menu = page.get_by_role("navigation", name="Main")
    officers = menu.get_by_role("link", name="Officers", exact=True)
    expect(officers).to_be_hidden()
    menu.get_by_text("Officers and vetting").click()
    expect(officers).to_be_visible()
    expect(menu.get_by_role("link", name="Vetting reviews")).to_be_visible()
    expect(menu.get_by_role("link", name="Cases", exact=True)).to_be_hidden()  # other headings stay shut
    officers.click()
    page.wait_for_url("**/officers/")
    # On the officers' page its heading is marked and the link says it is this page, once the heading opens.
    group = page.locator('[data-nav-group="people"]')
    expect(group).to_have_class("govuk-service-navigation__item app-nav-group govuk-service-navigation__item--active")
    group.locator("summary").click()
    expect(group.get_by_role("link", name="Officers", exact=True)).to_have_attribute("aria-current", "page")
    expect(page.locator('nav[aria-label="Main"] [aria-current]')).to_have_count(1)


def test_a_heading_opens_from_the_keyboard_and_escape_closes_it(browser_as):
    page = browser_as(UserFactory(roles=[Role.SUPERVISOR]))
    page.set_viewport_size(DESKTOP)
    page.goto("/")
    page.get_by_role("link", name="Home").focus()
    page.keyboard.press("Tab")
    summary = page.locator('[data-nav-group="cases"] summary')
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    my_work = page.get_by_role("navigation", name="Main").get_by_role("link", name="My work")
    expect(my_work).to_be_visible()
    page.keyboard.press("Tab")
    expect(my_work).to_be_focused()
    page.keyboard.press("Escape")
    expect(my_work).to_be_hidden()
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/work/")


def test_on_a_phone_the_menu_button_folds_the_menu_and_nothing_scrolls_sideways(browser_as):
    page = browser_as(UserFactory(roles=[Role.SUPERVISOR]))
    page.set_viewport_size(PHONE)
    page.goto("/")
    toggle = page.get_by_role("button", name="Menu")
    summary = page.locator('[data-nav-group="people"] summary')
    expect(toggle).to_be_visible()
    expect(summary).to_be_hidden()
    assert _sideways(page) == 0
    toggle.click()
    expect(summary).to_be_visible()
    for key in ("cases", "people", "reports", "oversight"):
        page.locator(f'[data-nav-group="{key}"] summary').click()
        assert _sideways(page) == 0, key
    expect(page.get_by_role("link", name="Access audit")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "menu-dps_supervisor-390.png"), full_page=True)
    page.get_by_role("link", name="Access audit").click()
    page.wait_for_url("**/audit/")
    assert _sideways(page) == 0


@pytest.mark.parametrize("width", [641, 800, 1024, 1200])
def test_at_tablet_widths_an_open_heading_stays_on_the_screen(browser_as, width):
    page = browser_as(UserFactory(roles=[Role.SUPERVISOR]))
    page.set_viewport_size({"width": width, "height": 768})
    page.goto("/")
    for key in ("cases", "people", "reports", "oversight"):
        page.locator(f'[data-nav-group="{key}"] summary').click()
        box = page.locator(f'[data-nav-group="{key}"] .app-nav-group__list').bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (key, box)
        assert _sideways(page) == 0, key
