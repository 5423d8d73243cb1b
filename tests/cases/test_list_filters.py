"""Every list's filters are its FilterSet's (cases/filters.py and each app's filters.py): a valid filter
narrows the list, on the page and in the API list for the same records; a value a filter does not accept
is an error shown on the page (400, the list empty) and a 400 with the field's errors in the API; a
parameter no filter knows is refused the same way; and a filtered list still hides what its reader may
not see (a conflicted officer, a need-to-know case), because the FilterSet only narrows the selector's
queryset."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import AllegationSource, OnyxStatus
from cases.risk.models import RiskFlag
from cases.roles import Role
from tests import clock
from tests.conftest import sign_in
from tests.factories import (
    AllegationFactory,
    CaseFactory,
    HotlineReportFactory,
    OfficerFactory,
    OnyxReviewFactory,
    UserFactory,
    VettingReviewFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor():
    return UserFactory(username="filter-supervisor", roles=[Role.SUPERVISOR])


def conflicted_officer(user, **kwargs):
    officer = OfficerFactory(**kwargs)
    declarer = UserFactory(username="filter-declarer", roles=[Role.SUPERVISOR])
    services.conflict_declare(user=user, officer=officer, reason="same team", by=declarer)
    return officer


def body_of(response):
    return b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content


# --- each list: its page (and export, API list), a filter it accepts, a value it refuses, and records
# that match, that do not, and that the reader may never see however they filter --------------------


def cases_world(user):
    CaseFactory(reference="DPS-F-MATCH", came_to_notice_on=clock.days_ago(400))
    CaseFactory(reference="DPS-F-OTHER", came_to_notice_on=clock.days_ago(10))
    CaseFactory(reference="DPS-F-HIDDEN", came_to_notice_on=clock.days_ago(400), subject=conflicted_officer(user))
    CaseFactory(reference="DPS-F-SECRET", came_to_notice_on=clock.days_ago(400), restricted=True)
    return b"DPS-F-MATCH", b"DPS-F-OTHER", [b"DPS-F-HIDDEN", b"DPS-F-SECRET"]


def allegations_world(user):
    hotline = AllegationSource.HOTLINE
    AllegationFactory(source=hotline, subject=OfficerFactory(staff_number="SFMATCH1"))
    AllegationFactory(source=AllegationSource.PUBLIC_COMPLAINT, subject=OfficerFactory(staff_number="SFOTHER1"))
    AllegationFactory(source=hotline, subject=conflicted_officer(user, staff_number="SFHIDDEN1"))
    secret = CaseFactory(restricted=True, subject=OfficerFactory(staff_number="SFSECRET1"))
    AllegationFactory(source=hotline, subject=secret.subject, case=secret)
    return b"SFMATCH1", b"SFOTHER1", [b"SFHIDDEN1", b"SFSECRET1"]


def officers_world(user):
    OfficerFactory(staff_number="SFMATCH1", status="restricted")
    OfficerFactory(staff_number="SFOTHER1")
    conflicted_officer(user, staff_number="SFHIDDEN1", status="restricted")
    return b"SFMATCH1", b"SFOTHER1", [b"SFHIDDEN1"]


def reviews_world(user):
    OnyxReviewFactory(reference="ONYX-F-MATCH", decided=True)
    OnyxReviewFactory(reference="ONYX-F-OTHER")
    OnyxReviewFactory(reference="ONYX-F-HIDDEN", decided=True, subject=conflicted_officer(user))
    return b"ONYX-F-MATCH", b"ONYX-F-OTHER", [b"ONYX-F-HIDDEN"]


def _flag(officer, level):
    now = timezone.now()
    RiskFlag.objects.create(
        officer=officer, rule_code="filters", level=level, reasons=[], first_seen=now, last_seen=now
    )


def risk_world(user):
    _flag(OfficerFactory(staff_number="SFMATCH1"), "critical")
    _flag(OfficerFactory(staff_number="SFOTHER1"), "warning")
    _flag(conflicted_officer(user, staff_number="SFHIDDEN1"), "critical")
    return b"SFMATCH1", b"SFOTHER1", [b"SFHIDDEN1"]


def vetting_world(user):
    VettingReviewFactory(status="in_progress", officer=OfficerFactory(staff_number="SFMATCH1"))
    VettingReviewFactory(officer=OfficerFactory(staff_number="SFOTHER1"))
    VettingReviewFactory(status="in_progress", officer=conflicted_officer(user, staff_number="SFHIDDEN1"))
    return b"SFMATCH1", b"SFOTHER1", [b"SFHIDDEN1"]


def triage_world(user):
    linked = {"status": "linked", "linked_at": timezone.now() - timedelta(hours=1)}
    HotlineReportFactory(reference="HL-F-MATCH", officer=OfficerFactory(), **linked)
    HotlineReportFactory(reference="HL-F-OTHER")
    HotlineReportFactory(reference="HL-F-HIDDEN", officer=conflicted_officer(user), **linked)
    return b"HL-F-MATCH", b"HL-F-OTHER", [b"HL-F-HIDDEN"]


@dataclass
class Listing:
    page: str
    world: object
    valid: dict
    invalid: dict
    api: str | None = None
    export: str | None = None

    def __str__(self):
        return self.page


LISTINGS = [
    Listing("cases:case_list", cases_world, {"older_than_days": "300"}, {"older_than_days": "soon"}, "v1:case-list",
            "cases:case_export"),
    Listing("cases:allegation_list", allegations_world, {"source": "hotline"}, {"received_from": "yesterday"},
            export="cases:allegation_export"),
    Listing("cases:officer_list", officers_world, {"status": "restricted"}, {"status": "on_holiday"},
            "v1:officer-list"),
    Listing("cases:review_list", reviews_world, {"status": OnyxStatus.DECIDED}, {"status": "pondering"},
            "v1:review-list"),
    Listing("risk:risk_list", risk_world, {"level": "critical"}, {"triage": "ignored"}),
    Listing("vetting:review_list", vetting_world, {"status": "in_progress"}, {"status": "shelved"}),
    Listing("triage:queue", triage_world, {"status": "linked"}, {"status": "lost"}),
]  # fmt: skip


def urls_of(listing):
    return [reverse(name) for name in (listing.page, listing.export, listing.api) if name]


@pytest.mark.parametrize("listing", LISTINGS, ids=str)
def test_a_valid_filter_narrows_the_list_and_still_hides_what_the_reader_may_not_see(client, supervisor, listing):
    match, other, hidden = listing.world(supervisor)
    sign_in(client, supervisor)
    for url in urls_of(listing):
        unfiltered = body_of(client.get(url))
        assert match in unfiltered and other in unfiltered, url  # both there before filtering
        response = client.get(url, listing.valid)
        assert response.status_code == 200, url
        body = body_of(response)
        assert match in body, url
        assert other not in body, url
        assert not [m for m in hidden if m in body], url


@pytest.mark.parametrize("listing", LISTINGS, ids=str)
def test_an_invalid_filter_value_is_an_error_on_the_page_and_lists_nothing(client, supervisor, listing):
    match, other, _ = listing.world(supervisor)
    sign_in(client, supervisor)
    response = client.get(reverse(listing.page), listing.invalid)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem with the filters" in page
    (name,) = listing.invalid
    assert f'href="#{name}"' in page  # the error links to the filter it is about
    assert match.decode() not in page and other.decode() not in page


@pytest.mark.parametrize("listing", LISTINGS, ids=str)
def test_an_unknown_parameter_is_an_error_on_the_page(client, supervisor, listing):
    listing.world(supervisor)
    sign_in(client, supervisor)
    response = client.get(reverse(listing.page), {"colour": "blue"})
    assert response.status_code == 400
    assert "Unknown filter: colour" in response.content.decode()
    assert client.get(reverse(listing.page), {"page": "1"}).status_code == 200  # paging is not a filter


@pytest.mark.parametrize("listing", [x for x in LISTINGS if x.export], ids=str)
def test_an_export_with_a_refused_filter_starts_no_download(client, supervisor, listing):
    sign_in(client, supervisor)
    response = client.get(reverse(listing.export), listing.invalid)
    assert response.status_code == 400
    assert not getattr(response, "streaming", False)
    assert "The filters were refused" in response.content.decode()


@pytest.mark.parametrize("listing", [x for x in LISTINGS if x.api], ids=str)
def test_the_api_answers_400_with_the_field_errors_for_an_invalid_value(client, supervisor, listing):
    listing.world(supervisor)
    sign_in(client, supervisor)
    response = client.get(reverse(listing.api), listing.invalid)
    assert response.status_code == 400
    (name,) = listing.invalid
    assert name in response.json() and response.json()[name]


@pytest.mark.parametrize("listing", [x for x in LISTINGS if x.api], ids=str)
def test_the_api_refuses_a_parameter_no_filter_knows(client, supervisor, listing):
    sign_in(client, supervisor)
    response = client.get(reverse(listing.api), {"colour": "blue"})
    assert response.status_code == 400
    assert "Unknown filter: colour" in " ".join(response.json()["__all__"])
    assert client.get(reverse(listing.api), {"page": "1"}).status_code == 200


def test_oversight_filters_the_api_case_list_by_nothing_that_identifies_a_person(client):
    oversight = UserFactory(roles=[Role.OVERSIGHT])
    CaseFactory(reference="DPS-F-OLD", came_to_notice_on=clock.days_ago(400), subject__last_name="Findable")
    CaseFactory(reference="DPS-F-NEW", came_to_notice_on=clock.days_ago(10))
    sign_in(client, oversight)
    url = reverse("v1:case-list")
    narrowed = client.get(url, {"older_than_days": "300"})
    assert narrowed.status_code == 200
    assert [c["reference"] for c in narrowed.json()["results"]] == ["DPS-F-OLD"]
    for identifying in ({"q": "Findable"}, {"command": "C001"}, {"investigator": "someone"}):
        response = client.get(url, identifying)
        assert response.status_code == 400, identifying
        assert b"DPS-F-OLD" not in response.content


def test_the_mine_filter_lists_the_reviews_allocated_to_the_reader(client):
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    OnyxReviewFactory(reference="ONYX-F-MINE", status=OnyxStatus.ALLOCATED, reviewer=investigator)
    OnyxReviewFactory(reference="ONYX-F-THEIRS", decided=True)
    sign_in(client, investigator)
    for url in (reverse("cases:review_list"), reverse("v1:review-list")):
        body = client.get(url, {"mine": "1"}).content
        assert b"ONYX-F-MINE" in body and b"ONYX-F-THEIRS" not in body, url


def test_the_triage_queue_shows_open_reports_unless_asked_for_all(client, supervisor):
    HotlineReportFactory(reference="HL-F-OPEN")
    HotlineReportFactory(reference="HL-F-CLOSED", status="closed", closed_reason="Dealt with.")
    sign_in(client, supervisor)
    default = client.get(reverse("triage:queue")).content
    assert b"HL-F-OPEN" in default and b"HL-F-CLOSED" not in default
    every = client.get(reverse("triage:queue"), {"status": "all"}).content
    assert b"HL-F-OPEN" in every and b"HL-F-CLOSED" in every


def test_the_access_audit_names_its_reader_through_its_filter_and_refuses_what_it_does_not_know(client, supervisor):
    sign_in(client, supervisor)
    url = reverse("cases:audit_reader")
    assert client.get(url, {"user": "filter-supervisor"}).status_code == 200
    refused = client.get(url, {"user": "filter-supervisor", "colour": "blue"})
    assert refused.status_code == 400
    assert "Unknown filter: colour" in refused.content.decode()
