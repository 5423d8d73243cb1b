"""Staff search: officers by part of a name (accent- and case-insensitive), staff or collar number, and
the search box in every staff page's header, which shows only what the user may open."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.roles import Role
from cases.search import officer_search, search_everything
from cases.selectors import officer_list
from tests.conftest import sign_in
from tests.factories import CaseFactory, HotlineReportFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="unaccent and pg_trgm are PostgreSQL's")


@pytest.fixture
def investigator():
    return UserFactory(username="search-investigator", roles=[Role.INVESTIGATOR])


@on_postgres
def test_zoe_finds_zoe_with_its_diaeresis_whatever_the_case(investigator):
    zoe = OfficerFactory(first_name="Zoë", last_name="Brontë")
    OfficerFactory(first_name="Zachary", last_name="Smith")
    for q in ("Zoe", "zoe", "ZOË", "bronte", "zoe bront", "oë"):
        assert list(officer_search(officer_list(user=investigator), q)) == [zoe], q


@on_postgres
def test_the_officer_search_indexes_exist_for_the_planner():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'cases_officer'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"officer_first_name_trgm", "officer_last_name_trgm", "officer_collar_number_trgm"} <= names


@on_postgres
def test_the_planner_can_answer_a_name_search_from_the_trigram_indexes():
    qs = officer_search(OfficerFactory._meta.model.objects.all(), "zoe").only("id").order_by()
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        # A test table is too small to prefer an index; with plain scans off, only a bitmap scan of the
        # trigram indexes can answer '%...%'.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "officer_first_name_trgm" in plan and "officer_last_name_trgm" in plan, plan


def test_part_of_a_collar_or_staff_number_finds_the_officer(investigator):
    officer = OfficerFactory(collar_number="4821AB", staff_number="S7654321")
    OfficerFactory(collar_number="1111CD", staff_number="S1111111")
    for q in ("4821", "821a", "4821ab", "S76543", "654"):
        assert list(officer_search(officer_list(user=investigator), q)) == [officer], q


def test_the_officer_list_page_searches_by_part_of_a_collar_number(client, investigator):
    OfficerFactory(collar_number="4821AB", last_name="Partialcollar")
    sign_in(client, investigator)
    page = client.get(reverse("cases:officer_list"), {"q": "482"})
    assert b"Partialcollar" in page.content


def test_a_percent_sign_is_a_character_not_a_wildcard(investigator):
    OfficerFactory(last_name="Smith")
    assert not officer_search(officer_list(user=investigator), "%").exists()


def test_search_never_shows_what_the_user_may_not_open(client, investigator):
    supervisor = UserFactory(username="search-supervisor", roles=[Role.SUPERVISOR])
    visible = OfficerFactory(last_name="Searchable", collar_number="7001AB")
    conflicted = OfficerFactory(last_name="Searchhidden", collar_number="7002AB")
    services.conflict_declare(user=investigator, officer=conflicted, reason="same team", by=supervisor)
    CaseFactory(subject=visible, reference="DPS-2026-SEARCH1")
    CaseFactory(subject=conflicted, reference="DPS-2026-SEARCH2")
    CaseFactory(reference="DPS-2026-SEARCH3", restricted=True)  # need-to-know, no grant
    HotlineReportFactory(reference="HL-SEARCH-1")
    HotlineReportFactory(reference="HL-SEARCH-2", officer=conflicted, linked_at=timezone.now(), status="linked")

    sign_in(client, investigator)
    html = client.get(reverse("search"), {"q": "search"}).content.decode()
    assert "Searchable" in html and "DPS-2026-SEARCH1" in html and "HL-SEARCH-1" in html
    for hidden in ("Searchhidden", "DPS-2026-SEARCH2", "DPS-2026-SEARCH3", "HL-SEARCH-2", "7002AB"):
        assert hidden not in html, hidden

    # A panel member browses no officers, cases or hotline reports: nothing at all.
    assert search_everything(user=UserFactory(roles=[Role.PANEL_REVIEWER]), q="search") == []
    # The hotline triage team finds officers and reports, not cases.
    kinds = {g.kind for g in search_everything(user=UserFactory(roles=[Role.HOTLINE_TRIAGE]), q="search")}
    assert kinds == {"Officers and staff", "Hotline reports"}
    # The commissioner sees need-to-know cases.
    commissioner = UserFactory(roles=[Role.COMMISSIONER])
    texts = [h.text for g in search_everything(user=commissioner, q="SEARCH3") for h in g.hits]
    assert any("DPS-2026-SEARCH3" in t for t in texts)


def test_every_staff_page_has_the_search_box(client, investigator):
    sign_in(client, investigator)
    page = client.get(reverse("cases:case_list"))
    assert f'action="{reverse("search")}"'.encode() in page.content
    assert b'id="site-search-q"' in page.content


def test_the_search_page_costs_a_fixed_number_of_queries(client, investigator, django_assert_max_num_queries):
    for i in range(30):
        officer = OfficerFactory(last_name=f"Budget{i}")
        CaseFactory(subject=officer, reference=f"DPS-BUDGET-{i:03d}")
        HotlineReportFactory(reference=f"HL-BUDGET-{i:03d}")
    sign_in(client, investigator)
    client.get(reverse("search"), {"q": "budget"})
    # Session, user, roles, second factor, conflicts and grants, then one query per kind of result.
    with django_assert_max_num_queries(16):
        page = client.get(reverse("search"), {"q": "budget"})
    assert page.status_code == 200 and b"DPS-BUDGET-" in page.content and b"HL-BUDGET-" in page.content
