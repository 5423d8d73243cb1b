"""Staff lists sort by their column headers. The case register sorts on the server through its
FilterSet's `sort`, so a header link orders every page, not only the one in view, and works without
JavaScript; the other lists are MOJ sortable tables (the current page, with JavaScript)."""

import re

import pytest
from django.urls import reverse

from cases.roles import Role
from cases.views.base import PAGE_SIZE
from tests.conftest import sign_in
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def references(page) -> list[str]:
    return re.findall(r">(DPS-S-\d+)</a>", page.content.decode())


def header(page, label) -> str:
    return re.search(rf'<th [^>]*aria-sort="[a-z]+"><a [^>]*>{label}</a></th>', page.content.decode()).group(0)


def test_a_column_header_sorts_the_whole_case_register_not_only_its_first_page(client):
    for n in range(PAGE_SIZE + 5):
        CaseFactory(reference=f"DPS-S-{n:03d}")
    sign_in(client, UserFactory(roles=[Role.SUPERVISOR]))
    url = reverse("cases:case_list")

    first = client.get(url, {"sort": "reference_desc"})

    assert references(first)[:2] == [f"DPS-S-{PAGE_SIZE + 4:03d}", f"DPS-S-{PAGE_SIZE + 3:03d}"]
    assert 'aria-sort="descending"' in header(first, "Reference")
    # The header now offers the other way round; the page links keep the order.
    assert "sort=reference&amp;" in header(first, "Reference") or header(first, "Reference").endswith(
        'sort=reference">Reference</a></th>'
    )
    second = client.get(url, {"sort": "reference_desc", "page": 2})
    assert references(second) == [f"DPS-S-{n:03d}" for n in range(4, -1, -1)]


def test_the_case_registers_headers_keep_its_filters_and_say_how_it_is_sorted(client):
    CaseFactory(reference="DPS-S-001")
    sign_in(client, UserFactory(roles=[Role.SUPERVISOR]))

    page = client.get(reverse("cases:case_list"), {"status": "open", "page": "1"})

    assert 'aria-sort="descending"' in header(page, "Opened")  # newest first when nothing is chosen
    assert 'aria-sort="none"' in header(page, "Reference")
    reference = header(page, "Reference")
    assert "status=open" in reference and "sort=reference" in reference and "page=" not in reference


@pytest.mark.parametrize("name", ["cases:officer_list", "cases:allegation_list", "cases:review_list"])
def test_the_other_staff_lists_are_moj_sortable_tables(client, name):
    sign_in(client, UserFactory(roles=[Role.SUPERVISOR]))

    page = client.get(reverse(name)).content.decode()

    assert 'data-module="moj-sortable-table"' in page
    assert 'scope="col" aria-sort="none"' in page
