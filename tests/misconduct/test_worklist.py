"""The staff home page is a worklist: per role, what waits for this user, with counts and links to the
filtered list behind each; every section read through a selector already filtered by the user, and a
fixed number of queries however much work there is."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import SuspensionKind
from cases.risk.models import RiskFlag
from cases.roles import Role
from tests import clock
from tests.conftest import sign_in
from tests.factories import CaseFactory, HotlineReportFactory, OfficerFactory, OnyxReviewFactory, UserFactory

pytestmark = pytest.mark.django_db

GROUNDS = {
    "redeployment_considered": True,
    "redeployment_rejected_reason": "No post away from the complainant's borough.",
    "ground_investigation_prejudiced": True,
    "investigation_prejudiced_reason": "Access to the witnesses' records.",
}


def counts(response) -> dict[str, int]:
    html = response.content.decode()
    return {k: int(v) for k, v in re.findall(r'data-worklist-count="(\w+)">(\d+)<', html)}


@pytest.fixture
def supervisor():
    return UserFactory(username="wl-supervisor", roles=[Role.SUPERVISOR])


@pytest.fixture
def investigator():
    return UserFactory(username="wl-investigator", roles=[Role.INVESTIGATOR])


def make_work(n, *, supervisor, investigator, panel_member):
    """n of every kind of work; one more of each about an officer everyone is conflicted on."""
    grantor = UserFactory(username="wl-grantor", roles=[Role.SUPERVISOR])
    hidden = OfficerFactory(last_name="Conflictedperson", staff_number="SHIDDEN01")
    now = timezone.now()
    for i in range(n + 1):
        subject = hidden if i == n else OfficerFactory()
        # Open cases assigned to the investigator, came to notice over 12 months ago: reg 19 due.
        case = CaseFactory(subject=subject, came_to_notice_on=clock.days_ago(400 + i))
        if subject != hidden:
            services.case_assign(case=case, investigator=investigator, by=grantor)
        else:
            case.investigator = investigator
            case.save(update_fields=["investigator"])
        services.suspension_start(
            officer=subject, kind=SuspensionKind.SUSPENSION, by=grantor, started_on=clock.days_ago(30), **GROUNDS
        )
        RiskFlag.objects.create(
            officer=subject, rule_code="conviction", level="warning", reasons=[], first_seen=now, last_seen=now
        )
        if subject == hidden:
            HotlineReportFactory(officer=hidden, linked_at=now, status="received")
        else:
            HotlineReportFactory()
        review = OnyxReviewFactory(subject=subject, decided=True)
        if subject != hidden:
            services.panel_reviews_assign(review_ids=[review.id], panel_members=[panel_member], by=grantor)
    for user in (supervisor, investigator, panel_member):
        services.conflict_declare(user=user, officer=hidden, reason="test", by=grantor)
    return hidden


def test_each_role_finds_its_own_work_counted_and_linked(client, supervisor, investigator):
    panel_member = UserFactory(username="wl-panel", roles=[Role.PANEL_REVIEWER])
    triage = UserFactory(username="wl-triage", roles=[Role.HOTLINE_TRIAGE])
    commissioner = UserFactory(username="wl-commissioner", roles=[Role.COMMISSIONER])
    make_work(3, supervisor=supervisor, investigator=investigator, panel_member=panel_member)

    sign_in(client, investigator)
    page = client.get(reverse("home"))
    assert page.status_code == 200
    assert counts(page) == {"my_cases": 3, "hotline": 3, "timeliness": 3, "my_onyx_reviews": 0}
    assert b"Conflictedperson" not in page.content and b"SHIDDEN01" not in page.content
    assert reverse("cases:my_work").encode() in page.content
    assert f"{reverse('triage:queue')}?status=received".encode() in page.content
    assert b"Regulation 19 report due" in page.content and b"Overdue" in page.content

    sign_in(client, supervisor)
    page = client.get(reverse("home"))
    # The supervisor is assigned no case; the reg 19 list, suspensions and flags are force-wide.
    assert counts(page) == {
        "my_cases": 0,
        "hotline": 3,
        "timeliness": 3,
        "suspensions": 3,
        "my_onyx_reviews": 0,
        "flags": 3,
    }
    assert f"{reverse('risk:risk_list')}?triage=untriaged".encode() in page.content
    assert b"Conflictedperson" not in page.content

    sign_in(client, panel_member)
    page = client.get(reverse("home"))
    assert counts(page) == {"panel_reviews": 3}

    sign_in(client, triage)
    assert counts(client.get(reverse("home"))) == {"hotline": 4}  # no conflict declared for them

    sign_in(client, commissioner)
    assert counts(client.get(reverse("home"))) == {"timeliness": 4}  # the commissioner has no conflict


def test_the_linked_lists_hold_what_the_counts_say(client, supervisor, investigator):
    panel_member = UserFactory(username="wl-panel", roles=[Role.PANEL_REVIEWER])
    make_work(2, supervisor=supervisor, investigator=investigator, panel_member=panel_member)
    sign_in(client, supervisor)
    home = counts(client.get(reverse("home")))
    flags = client.get(reverse("risk:risk_list"), {"triage": "untriaged"}).content.decode()
    assert flags.count('href="/risk/officers/') == home["flags"] == 2
    queue = client.get(reverse("triage:queue"), {"status": "received"}).content.decode()
    assert len(re.findall(r'href="/triage/[0-9a-f-]{36}/"', queue)) == home["hotline"] == 2
    due = client.get(reverse("cases:timeliness")).content.decode()
    assert len(re.findall(r'href="/cases/[0-9a-f-]{36}/"', due)) == home["timeliness"] == 2


def test_the_oversight_home_links_to_the_api_root_and_its_docs(client):
    sign_in(client, UserFactory(roles=[Role.OVERSIGHT]))
    page = client.get(reverse("home"))
    assert reverse("api-root").encode() in page.content
    assert reverse("api-docs").encode() in page.content


@pytest.mark.parametrize(
    "role",
    [Role.INVESTIGATOR, Role.SUPERVISOR, Role.PANEL_REVIEWER, Role.HOTLINE_TRIAGE, Role.COMMISSIONER, Role.OVERSIGHT],
)
def test_the_worklist_costs_the_same_queries_however_much_work_waits(
    client, supervisor, investigator, role, django_assert_max_num_queries
):
    panel_member = UserFactory(username="wl-panel", roles=[Role.PANEL_REVIEWER])
    users = {
        Role.INVESTIGATOR: investigator,
        Role.SUPERVISOR: supervisor,
        Role.PANEL_REVIEWER: panel_member,
        Role.HOTLINE_TRIAGE: UserFactory(username="wl-triage", roles=[Role.HOTLINE_TRIAGE]),
        Role.COMMISSIONER: UserFactory(username="wl-commissioner", roles=[Role.COMMISSIONER]),
        Role.OVERSIGHT: UserFactory(username="wl-oversight", roles=[Role.OVERSIGHT]),
    }
    make_work(12, supervisor=supervisor, investigator=investigator, panel_member=panel_member)
    sign_in(client, users[role])
    client.get(reverse("home"))  # warm the per-process caches (content types, rule registry)
    # Session, user, roles, second factor, then a count and one page of rows per section (6 at most).
    with django_assert_max_num_queries(25):
        assert client.get(reverse("home")).status_code == 200
