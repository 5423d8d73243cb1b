"""The officer profile shows the newest of a long history; the rest is a page away and nothing is lost.

The profile shows the newest PROFILE_ENTRIES timeline entries and PROFILE_LIST_ROWS cases and
allegations; "Older entries" opens the timeline page by page, "All allegations" / "All cases" the
lists filtered by the officer's staff number. Query counts stay fixed at 10 and at 1,010 rows."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from cases.models import AccessRecord, Allegation, AllegationCategory, AllegationSource, ConflictOfInterest
from cases.timeline import MAX_PAGES, PAGE_ENTRIES, PROFILE_ENTRIES
from cases.views.officers import PROFILE_LIST_ROWS
from tests import clock
from tests.cases.test_officer_profile import factory_dates
from tests.factories import OfficerFactory, PNDCheckFactory

pytestmark = pytest.mark.django_db

TIMELINE_DATES = re.compile(r'<time datetime="(\d{4}-\d\d-\d\d)')


def _allegations(officer, n, *, first=None):
    """n allegations, one a day going back from `first` (bulk: a thousand through the factory is slow)."""
    first = first or clock.TODAY - dt.timedelta(days=1)
    Allegation.objects.bulk_create(
        Allegation(
            subject=officer,
            category=AllegationCategory.DISHONESTY,
            source=AllegationSource.PUBLIC_COMPLAINT,
            received_on=first - dt.timedelta(days=i),
            narrative=f"allegation {i}",
        )
        for i in range(n)
    )
    return [first - dt.timedelta(days=i) for i in range(n)]


def _timeline_dates(html):
    timeline = html[html.index('data-testid="officer-timeline"') :]
    return TIMELINE_DATES.findall(timeline)


def test_profile_shows_the_newest_entries_and_links_to_the_older_ones(client, signed_in_supervisor):
    officer = OfficerFactory()
    dates = _allegations(officer, PROFILE_ENTRIES + 5)
    page = client.get(reverse("cases:officer_detail", args=[officer.public_id])).content.decode()
    assert _timeline_dates(page) == [d.isoformat() for d in dates[:PROFILE_ENTRIES]]
    older = reverse("cases:officer_timeline", args=[officer.public_id]) + "?page=2"
    assert f'href="{older}"' in page and 'data-testid="timeline-older"' in page


def test_no_older_entries_link_when_the_profile_shows_the_whole_timeline(client, signed_in_supervisor):
    officer = OfficerFactory()
    _allegations(officer, PROFILE_ENTRIES)
    page = client.get(reverse("cases:officer_detail", args=[officer.public_id])).content.decode()
    assert len(_timeline_dates(page)) == PROFILE_ENTRIES
    assert 'data-testid="timeline-older"' not in page


def test_timeline_pages_together_hold_every_entry_once_newest_first_across_sources(client, signed_in_supervisor):
    officer = OfficerFactory()
    dates = _allegations(officer, PAGE_ENTRIES + 7)
    # PND checks fall between the allegations: the merge orders them across sources.
    checks = [clock.TODAY - dt.timedelta(days=d) for d in (3, 40, 55)]
    for on in checks:
        PNDCheckFactory(officer=officer, checked_on=on)
    url = reverse("cases:officer_timeline", args=[officer.public_id])
    first = client.get(url).content.decode()
    second = client.get(url + "?page=2").content.decode()
    assert 'rel="next"' in first and 'rel="next"' not in second and 'rel="prev"' in second
    shown = _timeline_dates(first) + _timeline_dates(second)
    expected = sorted([d.isoformat() for d in dates] + [c.isoformat() for c in checks], reverse=True)
    assert shown == expected
    assert len(_timeline_dates(first)) == PAGE_ENTRIES


@pytest.mark.parametrize("page", ["0", "x", "3", str(MAX_PAGES + 1)])
def test_a_timeline_page_past_the_end_or_not_a_number_is_404(client, signed_in_supervisor, page):
    officer = OfficerFactory()
    _allegations(officer, PAGE_ENTRIES + 1)  # two pages
    url = reverse("cases:officer_timeline", args=[officer.public_id])
    assert client.get(url + f"?page={page}").status_code == 404
    assert client.get(url + "?page=2").status_code == 200


def test_the_timeline_page_is_a_read_of_the_officer_record_and_refuses_the_conflicted(client, signed_in_supervisor):
    officer = OfficerFactory()
    url = reverse("cases:officer_timeline", args=[officer.public_id])
    assert client.get(url).status_code == 200
    record = AccessRecord.objects.get(user=signed_in_supervisor, view="cases:officer_timeline")
    assert (record.object_type, record.object_id) == ("officer", officer.id)
    ConflictOfInterest.objects.create(user=signed_in_supervisor, officer=officer, reason="Same team", declared_by=None)
    assert client.get(url).status_code == 404


def test_profile_lists_the_newest_allegations_and_links_to_all_of_them(client, signed_in_supervisor):
    officer = OfficerFactory()
    _allegations(officer, PROFILE_LIST_ROWS + 3)
    page = client.get(reverse("cases:officer_detail", args=[officer.public_id])).content.decode()
    listed = page[page.index(">Allegations</h2>") :]
    listed = listed[: listed.index("</ul>")]
    assert listed.count('<li id="allegation-') == PROFILE_LIST_ROWS
    link = f"{reverse('cases:allegation_list')}?q={officer.staff_number}"
    assert f'href="{link}"' in page
    all_of_them = client.get(link).content.decode()
    rows = list(Allegation.objects.filter(subject=officer).order_by("-received_on"))
    newest, oldest = rows[0], rows[-1]  # the oldest is not on the profile; the list has them all
    assert f'id="allegation-{oldest.public_id}"' not in page
    assert f"{oldest.received_on:%-d %b %Y}" in all_of_them and f"{newest.received_on:%-d %b %Y}" in all_of_them


def test_profile_has_no_all_allegations_link_when_it_lists_them_all(client, signed_in_supervisor):
    officer = OfficerFactory()
    _allegations(officer, PROFILE_LIST_ROWS)
    page = client.get(reverse("cases:officer_detail", args=[officer.public_id])).content.decode()
    assert 'data-testid="allegations-all"' not in page


@pytest.mark.parametrize("name", ["cases:officer_detail", "cases:officer_timeline"])
def test_profile_and_timeline_page_query_counts_are_the_same_at_10_and_1010_rows(
    client, signed_in_supervisor, django_assert_max_num_queries, name
):
    officer = OfficerFactory()
    url = reverse(name, args=[officer.public_id])
    _allegations(officer, 10)
    client.get(url)
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    _allegations(officer, 1000, first=clock.TODAY - dt.timedelta(days=20))
    PNDCheckFactory.create_batch(10, officer=officer, checked_on=factory_dates(10))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
    if name == "cases:officer_timeline":
        with django_assert_max_num_queries(len(small.captured_queries)):
            assert client.get(url + f"?page={MAX_PAGES}").status_code == 200
