"""The menu's headings (cases/nav.py): every section sits under one; a reader sees only the headings with a
section they may open, a heading with one such section as its plain link, the rest as disclosures; the
heading of the page's own section is marked, and the link to the page itself says so."""

import re

import pytest
from django.urls import reverse

from cases import nav
from cases.nav import GROUP_MORE, NavGroup, NavSection, nav_groups, nav_items, nav_menu, nav_sections
from cases.roles import Role
from tests.conftest import sign_in
from tests.factories import OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav [^>]*aria-label="Main">(.*?)</nav>', re.S)
DISCLOSURE = re.compile(
    r"<details[^>]*>\s*<summary[^>]*>(?:<strong[^>]*>)?([^<]+)(?:</strong>)?</summary>(.*?)</details>", re.S
)
HREF = re.compile(r'href="([^"]+)"')

CASES = ["my_work", "cases", "allegations", "reviews", "triage"]
VETTING = ["vetting", "vetting_expiry", "vetting_withdrawals"]
# Each role's menu, heading by heading, written out: what the role may open, and nothing else.
EXPECTED = {
    Role.INVESTIGATOR: {
        "Home": ["home"],
        "Cases": CASES,
        "Officers and vetting": ["officers", "convictions", *VETTING, "circumstance_change"],
        "Reports": ["timeliness", "barred_list"],
    },
    Role.SUPERVISOR: {
        "Home": ["home"],
        "Cases": CASES,
        "Officers and vetting": ["officers", "convictions", "risk", *VETTING, "circumstance_change"],
        "Reports": ["dashboard", "timeliness", "barred_list", "fairness"],
        "Oversight": ["conflicts", "audit", "documents_retention", "documents_integrity"],
    },
    Role.PANEL_REVIEWER: {"Home": ["home"], "Cases": ["reviews"], "Officers and vetting": ["circumstance_change"]},
    Role.COMMISSIONER: {
        "Home": ["home"],
        "Cases": ["cases", "allegations", "reviews"],
        "Officers and vetting": ["officers", "convictions", "risk", *VETTING, "circumstance_change"],
        "Reports": ["dashboard", "timeliness", "barred_list", "fairness"],
        "Oversight": ["audit"],
    },
    Role.OVERSIGHT: {"Home": ["home"], "Officers and vetting": ["circumstance_change"]},
    Role.HOTLINE_TRIAGE: {
        "Home": ["home"],
        "Cases": ["triage"],
        "Officers and vetting": ["officers", "circumstance_change"],
    },
    Role.VETTING_OFFICER: {
        "Home": ["home"],
        "Officers and vetting": ["convictions", *VETTING, "vetting_pnd", "circumstance_change"],
    },
}


def _menu(user, path=""):
    return nav_menu(items=nav_items(user), path=path)


def _rendered(client, url):
    """The menu as the page shows it: the disclosures' headings with their links, and the plain links."""
    html = NAV.search(client.get(url).content.decode()).group(1)
    headings = {label.strip(): HREF.findall(body) for label, body in DISCLOSURE.findall(html)}
    plain = HREF.findall(DISCLOSURE.sub("", html))
    return html, headings, plain


def test_every_registered_section_sits_under_a_registered_heading():
    groups = {g.key for g in nav_groups()}
    assert [s.key for s in nav_sections() if s.group not in groups or s.group == GROUP_MORE] == []
    assert len([g for g in nav_groups() if g.key not in ("home", GROUP_MORE)]) == 4


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_a_role_sees_only_the_headings_with_sections_it_may_open(role):
    menu = _menu(UserFactory(roles=[role]))
    assert {g["label"]: [i["key"] for i in g["items"]] for g in menu} == EXPECTED[role]
    assert [g["label"] for g in menu] == list(EXPECTED[role])  # in the headings' order


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_the_page_shows_a_disclosure_per_heading_and_a_plain_link_for_a_lone_section(client, role):
    sign_in(client, UserFactory(roles=[role]))
    _, headings, plain = _rendered(client, reverse("home"))
    urls = {item["key"]: item["url"] for item in nav_items(UserFactory(roles=[role]))}
    assert headings == {label: [urls[key] for key in keys] for label, keys in EXPECTED[role].items() if len(keys) > 1}
    assert plain == [urls[keys[0]] for keys in EXPECTED[role].values() if len(keys) == 1]


def test_a_section_registered_without_a_heading_still_shows_under_more(monkeypatch):
    monkeypatch.setattr(nav, "_sections", dict(nav._sections))
    monkeypatch.setattr(nav, "_groups", dict(nav._groups))
    nav.nav_section_register(NavSection("later", "A later page", "cases:officer_list", 500))
    nav.nav_section_register(NavSection("elsewhere", "Another", "cases:case_list", 501, group="not_registered"))
    menu = _menu(UserFactory(roles=[Role.SUPERVISOR]))
    assert (menu[-1]["label"], [i["key"] for i in menu[-1]["items"]]) == ("More", ["later", "elsewhere"])
    assert _menu(UserFactory(roles=[Role.HOTLINE_TRIAGE]))[-1]["items"] == [
        {
            "key": "later",
            "label": "A later page",
            "url": reverse("cases:officer_list"),
            "group": "more",
            "current": False,
        }
    ]
    nav.nav_group_register(NavGroup("more", "Everything else", 1000))
    assert _menu(UserFactory(roles=[Role.SUPERVISOR]))[-1]["label"] == "Everything else"


def test_the_heading_of_the_page_s_own_section_is_marked_and_the_page_s_link_is_current(client):
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    officer = OfficerFactory()
    detail = reverse("cases:officer_detail", args=[officer.public_id])
    current = {g["label"]: g["current"] for g in _menu(supervisor, detail)}
    assert current == {
        "Home": False,
        "Cases": False,
        "Officers and vetting": True,
        "Reports": False,
        "Oversight": False,
    }
    on_list = _menu(supervisor, reverse("cases:officer_list"))
    assert [i["key"] for g in on_list for i in g["items"] if i["current"]] == ["officers"]
    # The longest section address wins: regulation 19 reports live under /cases/ but are a report.
    assert [g["label"] for g in _menu(supervisor, reverse("cases:timeliness")) if g["current"]] == ["Reports"]
    # Home's "/" marks the home page only, not every page under it.
    assert [g["label"] for g in _menu(supervisor, "/search/") if g["current"]] == []
    assert [g["label"] for g in _menu(supervisor, "/") if g["current"]] == ["Home"]

    sign_in(client, supervisor)
    html, _, _ = _rendered(client, detail)
    assert "aria-current" not in html  # a heading is marked, but no link is this page
    assert re.search(r'<li class="[^"]*--active"[^>]*data-nav-group="people"', html)
    html, _, _ = _rendered(client, reverse("cases:officer_list"))
    assert re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', html) == ["Officers"]


def test_a_lone_section_s_plain_link_is_marked_on_its_pages(client):
    sign_in(client, UserFactory(roles=[Role.PANEL_REVIEWER]))
    html, headings, _ = _rendered(client, reverse("cases:review_list"))
    assert headings == {}
    assert re.findall(r'<li class="[^"]*--active"><a [^>]*aria-current="page"><strong[^>]*>([^<]+)', html) == [
        "My panel reviews"
    ]
