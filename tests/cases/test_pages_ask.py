"""Templates ask, they do not decide. The menu comes from one registry (cases/nav.py) each app registers
its sections with, and shows a section to whoever its page's declared policy admits, so the menu and the
page never disagree; a page's context says what the reader may do there (may_audit, may_report, ...),
from the functions the services and selectors use; and no template tests a role name."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from cases import services
from cases.models import CaseStatus, OnyxStatus
from cases.nav import nav_sections
from cases.roles import Role
from tests import clock
from tests.conftest import sign_in
from tests.factories import CaseFactory, OfficerFactory, OnyxReviewFactory, UserFactory

pytestmark = pytest.mark.django_db
NAV = re.compile(r'<nav [^>]*aria-label="Main">(.*?)</nav>', re.S)
# The current page's item wraps its label in GOV.UK's <strong> fallback for aria-current.
LINK = re.compile(r'<a [^>]*href="([^"]+)"[^>]*>(?:<strong[^>]*>)?([^<]+)(?:</strong>)?</a>')


def menu(client):
    page = client.get(reverse("home")).content.decode()
    return LINK.findall(NAV.search(page).group(1))


def test_every_app_registers_its_own_sections():
    keys = {s.key for s in nav_sections()}
    # cases and its risk engine, vetting, the hotline, the project's home and dashboard
    assert {"cases", "officers", "reviews", "risk", "vetting", "triage", "home", "dashboard"} <= keys


@pytest.mark.parametrize("role", Role.values)
def test_the_menu_offers_exactly_the_pages_the_reader_may_open(client, role):
    user = UserFactory(roles=[role])
    sign_in(client, user)
    offered = {url for url, _ in menu(client)}
    assert reverse("home") in offered
    for section in nav_sections():
        url = reverse(section.url_name)
        status = client.get(url).status_code
        if url in offered:
            assert status == 200, f"{role} is offered {url}, which answers {status}"
        else:
            assert status == 404, f"{role} may open {url} ({status}) but the menu does not offer it"


def test_the_reviews_section_says_whose_reviews_a_panel_member_sees(client):
    sign_in(client, UserFactory(roles=[Role.PANEL_REVIEWER]))
    assert "My panel reviews" in [label for _, label in menu(client)]
    page = client.get(reverse("cases:review_list")).content.decode()
    assert "Reviews assigned to you" in page and "Only reviews allocated to me" not in page
    sign_in(client, UserFactory(roles=[Role.SUPERVISOR]))
    assert "Onyx reviews" in [label for _, label in menu(client)]
    page = client.get(reverse("cases:review_list")).content.decode()
    assert "Reviews assigned to you" not in page and "Only reviews allocated to me" in page


def test_the_commissioner_reads_the_regulation_19_list_and_caseworkers_record_reports(client):
    CaseFactory(status=CaseStatus.INVESTIGATION, came_to_notice_on=clock.years_ago(2))
    sign_in(client, UserFactory(roles=[Role.COMMISSIONER]))
    assert 'name="note"' not in client.get(reverse("cases:timeliness")).content.decode()
    sign_in(client, UserFactory(roles=[Role.INVESTIGATOR]))
    assert 'name="note"' in client.get(reverse("cases:timeliness")).content.decode()


def test_audit_and_risk_links_follow_who_may_read_them(client):
    officer = OfficerFactory()
    audit = reverse("cases:audit_officer", args=[officer.public_id])
    risk = reverse("risk:officer_flags", args=[officer.public_id])
    for role, shown in [(Role.SUPERVISOR, True), (Role.COMMISSIONER, True), (Role.INVESTIGATOR, False)]:
        sign_in(client, UserFactory(roles=[role]))
        page = client.get(reverse("cases:officer_detail", args=[officer.public_id])).content.decode()
        assert (audit in page, risk in page) == (shown, shown), role
        assert client.get(audit).status_code == (200 if shown else 404), role


def test_only_the_allocated_reviewer_is_offered_the_decision(client):
    reviewer = UserFactory(roles=[Role.INVESTIGATOR])
    colleague = UserFactory(roles=[Role.INVESTIGATOR])
    review = OnyxReviewFactory(status=OnyxStatus.ALLOCATED, reviewer=reviewer)
    url = reverse("cases:review_detail", args=[review.public_id])
    assert services.may_decide_onyx_review(reviewer, review) and not services.may_decide_onyx_review(colleague, review)
    sign_in(client, reviewer)
    assert reverse("cases:review_decide", args=[review.public_id]) in client.get(url).content.decode()
    sign_in(client, colleague)
    assert reverse("cases:review_decide", args=[review.public_id]) not in client.get(url).content.decode()


def test_no_template_tests_a_role_name():
    codes = "|".join(map(re.escape, Role.values))
    role_literal = re.compile(rf"""["']({codes})["']|user_roles""")
    offenders = []
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if "{%" in line and role_literal.search(line):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}")
    assert offenders == []
