"""API clients and their tokens: created, rotated and revoked by an administrator only; the token is
shown once and kept only as a digest; it expires; a revoked, rotated-out or expired token gets 401;
a token carries its client's one role and its user's need-to-know and conflicts, so it never sees more
than that person in the browser."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from knox.models import AuthToken

from cases import services
from cases.models import ApiClient
from cases.roles import Role
from cases.services.access import DomainError
from cases.services.api_clients import api_client_create, api_client_revoke, api_client_rotate
from tests.factories import CaseFactory, OfficerFactory, OnyxReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return UserFactory(is_superuser=True, is_staff=True)


def _get(client, url, token):
    return client.get(url, HTTP_AUTHORIZATION=f"Token {token}")


def _references(response):
    return {row["reference"] for row in response.json()["results"]}


def test_an_oversight_client_reads_the_cases_list_with_its_token(client, admin):
    case = CaseFactory()
    api_client, token = api_client_create(name="PCC office", role=Role.OVERSIGHT, by=admin)

    response = _get(client, reverse("v1:case-list"), token)

    assert response.status_code == 200
    assert _references(response) == {case.reference}
    assert api_client.user.username == "api-pcc-office"


def test_the_token_is_kept_only_as_a_digest(admin):
    api_client, token = api_client_create(name="PCC office", role=Role.OVERSIGHT, by=admin)
    row = AuthToken.objects.get(pk=api_client.token_id)

    assert token not in (row.digest, row.token_key)
    assert row.token_key == token[: len(row.token_key)]
    assert not ApiClient.objects.filter(name__contains=token).exists()


def test_only_an_administrator_manages_clients():
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    with pytest.raises(DomainError):
        api_client_create(name="Mine", role=Role.OVERSIGHT, by=supervisor)


def test_a_staff_client_acts_as_a_user_who_holds_its_role(admin):
    commissioner = UserFactory(roles=[Role.COMMISSIONER])
    with pytest.raises(DomainError) as refused:
        api_client_create(name="Sync", role=Role.INVESTIGATOR, user=commissioner, by=admin)
    assert refused.value.field == "user"
    with pytest.raises(DomainError):
        api_client_create(name="Sync", role=Role.INVESTIGATOR, by=admin)


def test_no_header_and_a_wrong_token_get_401(client, admin):
    api_client_create(name="PCC office", role=Role.OVERSIGHT, by=admin)

    assert client.get(reverse("v1:case-list")).status_code in (401, 403)
    assert _get(client, reverse("v1:case-list"), "not-a-token").status_code == 401


def test_a_revoked_token_gets_401(client, admin):
    api_client, token = api_client_create(name="PCC office", role=Role.OVERSIGHT, by=admin)
    api_client_revoke(client_id=api_client.pk, by=admin)

    assert _get(client, reverse("v1:case-list"), token).status_code == 401
    with pytest.raises(DomainError):
        api_client_rotate(client_id=api_client.pk, by=admin)


def test_rotating_stops_the_old_token_and_starts_the_new_one(client, admin):
    api_client, old = api_client_create(name="PCC office", role=Role.OVERSIGHT, by=admin)
    _, new = api_client_rotate(client_id=api_client.pk, by=admin)

    assert _get(client, reverse("v1:case-list"), old).status_code == 401
    assert _get(client, reverse("v1:case-list"), new).status_code == 200


def test_an_expired_token_gets_401(client, admin, settings, _clock):
    settings.API_TOKEN_TTL_DAYS = 30
    _, token = api_client_create(name="PCC office", role=Role.OVERSIGHT, by=admin)

    _clock.shift(dt.timedelta(days=29, hours=23))
    assert _get(client, reverse("v1:case-list"), token).status_code == 200
    _clock.shift(dt.timedelta(hours=2))
    assert _get(client, reverse("v1:case-list"), token).status_code == 401


def test_every_use_records_when_the_client_was_last_used(client, admin, _clock):
    api_client, token = api_client_create(name="PCC office", role=Role.OVERSIGHT, by=admin)
    assert api_client.last_used_at is None

    _get(client, reverse("v1:case-list"), token)
    first = ApiClient.objects.get(pk=api_client.pk).last_used_at
    _clock.shift(dt.timedelta(minutes=5))
    _get(client, reverse("v1:case-list"), token)

    assert first is not None
    assert ApiClient.objects.get(pk=api_client.pk).last_used_at - first >= dt.timedelta(minutes=5)


def test_a_token_needs_no_second_factor_but_a_session_still_does(client, admin):
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    _, token = api_client_create(name="Sync", role=Role.INVESTIGATOR, user=investigator, by=admin)

    client.force_login(investigator)  # signed in, no second factor
    assert client.get(reverse("v1:case-list")).status_code == 403
    client.logout()
    assert _get(client, reverse("v1:case-list"), token).status_code == 200


def test_a_panel_reviewers_token_sees_only_the_reviews_assigned_to_them(client, admin):
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    reviewer = UserFactory(roles=[Role.PANEL_REVIEWER])
    mine, other = OnyxReviewFactory(decided=True), OnyxReviewFactory(decided=True)
    services.panel_reviews_assign(review_ids=[mine.id], panel_members=[reviewer], by=supervisor)
    _, token = api_client_create(name="Panel sync", role=Role.PANEL_REVIEWER, user=reviewer, by=admin)

    listed = _get(client, reverse("v1:review-list"), token)

    assert listed.status_code == 200
    assert _references(listed) == {mine.reference}
    assert _get(client, reverse("v1:review-detail", args=[other.public_id]), token).status_code == 404


def test_a_conflicted_users_token_never_sees_the_case_about_themselves(client, admin):
    investigator = UserFactory(roles=[Role.INVESTIGATOR, Role.SUPERVISOR])
    own = CaseFactory(subject=OfficerFactory(user=investigator))
    visible = CaseFactory()
    _, token = api_client_create(name="Sync", role=Role.SUPERVISOR, user=investigator, by=admin)

    assert own.reference not in _references(_get(client, reverse("v1:case-list"), token))
    assert visible.reference in _references(_get(client, reverse("v1:case-list"), token))
    assert _get(client, reverse("v1:case-detail", args=[own.public_id]), token).status_code == 404


def test_a_token_carries_only_its_clients_role(client, admin):
    supervisor = UserFactory(roles=[Role.SUPERVISOR, Role.INVESTIGATOR])
    _, token = api_client_create(name="Narrow", role=Role.INVESTIGATOR, user=supervisor, by=admin)
    request_user = _get(client, reverse("v1:case-list"), token).wsgi_request.user

    assert request_user._role_codes == frozenset({Role.INVESTIGATOR})


def test_a_client_whose_user_lost_the_role_gets_401(client, admin):
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    _, token = api_client_create(name="Sync", role=Role.INVESTIGATOR, user=investigator, by=admin)
    investigator.groups.clear()

    assert _get(client, reverse("v1:case-list"), token).status_code == 401


def test_the_command_prints_the_token_once_and_lists_clients(admin, client):
    out = io.StringIO()
    call_command(
        "api_client", "create", "--name", "HMICFRS", "--role", Role.OVERSIGHT, "--by", admin.username, stdout=out
    )
    token = out.getvalue().split("keep it secret): ")[1].split()[0]
    listing = io.StringIO()
    call_command("api_client", "list", stdout=listing)

    assert _get(client, reverse("v1:case-list"), token).status_code == 200
    assert "HMICFRS" in listing.getvalue()
    assert token not in listing.getvalue()


def test_an_oversight_reader_sees_subjects_only_under_a_stable_pseudonym(client, admin):
    officer = OfficerFactory(first_name="Marguerite", last_name="Oyelaran-Fitch")
    CaseFactory(subject=officer)
    CaseFactory(subject=officer)
    first_client, first = api_client_create(name="PCC office", role=Role.OVERSIGHT, by=admin)
    _, second = api_client_create(name="Inspectorate", role=Role.OVERSIGHT, by=admin)

    body = _get(client, reverse("v1:case-list"), first)
    again = _get(client, reverse("v1:case-list"), first)
    other = _get(client, reverse("v1:case-list"), second)

    pseudonyms = {row["subject"]["pseudonym"] for row in body.json()["results"]}
    assert len(pseudonyms) == 1  # the same officer twice: one pseudonym, so repeat subjects can be studied
    assert pseudonyms == {row["subject"]["pseudonym"] for row in again.json()["results"]}
    assert pseudonyms.isdisjoint({row["subject"]["pseudonym"] for row in other.json()["results"]})
    text = body.content.decode()
    for personal in (officer.first_name, officer.last_name, officer.staff_number, str(officer.public_id)):
        assert personal not in text
    assert body.json()["results"][0]["subject"]["length_of_service"]


def test_rotating_the_pseudonym_key_gives_new_pseudonyms(client, admin, settings):
    CaseFactory()
    _, token = api_client_create(name="PCC office", role=Role.OVERSIGHT, by=admin)
    before = _get(client, reverse("v1:case-list"), token).json()["results"][0]["subject"]["pseudonym"]
    settings.OVERSIGHT_PSEUDONYM_KEY = "a-new-key-for-a-new-agreement"

    after = _get(client, reverse("v1:case-list"), token).json()["results"][0]["subject"]["pseudonym"]

    assert before != after


@pytest.mark.parametrize(
    ("joined", "band"),
    [
        (dt.date(2024, 11, 24), "under 2 years"),
        (dt.date(2024, 11, 22), "2 to 5 years"),
        (dt.date(2016, 11, 24), "5 to 10 years"),
        (dt.date(2006, 11, 22), "20 years or more"),
        (None, "not known"),
    ],
)
def test_length_of_service_is_banded(joined, band):
    from cases.api.pseudonyms import service_band

    assert service_band(joined_on=joined, on=dt.date(2026, 11, 23)) == band


def test_a_client_past_its_rate_gets_429_with_retry_after(client, admin, settings):
    from django.core.cache import cache

    cache.clear()
    settings.API_RATE = "3/m"
    _, token = api_client_create(name="PCC office", role=Role.OVERSIGHT, by=admin)
    _, other = api_client_create(name="Inspectorate", role=Role.OVERSIGHT, by=admin)

    answers = [_get(client, reverse("v1:case-list"), token) for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert int(answers[-1]["Retry-After"]) > 0
    assert _get(client, reverse("v1:case-list"), other).status_code == 200  # counted per client
