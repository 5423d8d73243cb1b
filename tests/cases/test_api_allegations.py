"""Allegations through the API: listed through the same selector and filters as the page (an oversight
reader sees no narrative, name or number, and cannot filter by a person); recorded through the same
service and checks as the form, with field errors in one body, refused to readers who may not record,
and done once per idempotency key."""

import pytest
from django.urls import reverse

from cases import services
from cases.models import Allegation
from cases.roles import Role
from cases.services.api_clients import api_client_create
from tests import clock
from tests.factories import AllegationFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "v1:allegation-list"


@pytest.fixture
def admin():
    return UserFactory(is_superuser=True, is_staff=True)


def token_for(admin, role, user=None, name=None):
    return api_client_create(name=name or f"client-{role}-{getattr(user, 'pk', '')}", role=role, user=user, by=admin)[1]


def call(client, token, method="get", data=None, **headers):
    kwargs = {
        "HTTP_AUTHORIZATION": f"Token {token}",
        **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()},
    }
    if method == "post":
        return client.post(reverse(URL), data, content_type="application/json", **kwargs)
    return client.get(reverse(URL), data or {}, **kwargs)


def body(officer, **overrides):
    return {
        "subject": str(officer.public_id),
        "category": "dishonesty",
        "source": "colleague_report",
        "received_on": clock.days_ago(3).isoformat(),
        "narrative": "Claimed overtime for shifts not worked.",
        **overrides,
    }


def test_an_investigator_records_an_allegation_through_the_service(client, admin):
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    officer = OfficerFactory()
    token = token_for(admin, Role.INVESTIGATOR, investigator)

    answer = call(client, token, "post", body(officer))

    assert answer.status_code == 201, answer.content
    made = Allegation.objects.get(public_id=answer.json()["id"])
    assert (made.subject, made.created_by, made.category) == (officer, investigator, "dishonesty")


def test_a_repeated_idempotency_key_returns_the_first_result(client, admin):
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    officer = OfficerFactory()
    token = token_for(admin, Role.INVESTIGATOR, investigator)

    first = call(client, token, "post", body(officer), **{"Idempotency-Key": "sync-42"})
    again = call(client, token, "post", body(officer), **{"Idempotency-Key": "sync-42"})
    other = call(client, token, "post", body(officer), **{"Idempotency-Key": "sync-43"})

    assert first.status_code == again.status_code == other.status_code == 201
    assert first.json()["id"] == again.json()["id"] != other.json()["id"]
    assert Allegation.objects.filter(subject=officer).count() == 2


def test_refusals_are_field_errors_and_nothing_is_written(client, admin):
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    officer = OfficerFactory()
    token = token_for(admin, Role.INVESTIGATOR, investigator)

    future = call(client, token, "post", body(officer, received_on=clock.days_ago(-2).isoformat()))
    empty = call(client, token, "post", body(officer, narrative="   "))
    unknown = call(client, token, "post", body(officer, category="gossip"))

    assert future.status_code == 400 and future.json() == {"received_on": ["This date is in the future."]}
    assert empty.status_code == 400 and list(empty.json()) == ["narrative"]
    assert unknown.status_code == 400 and list(unknown.json()) == ["category"]
    assert not Allegation.objects.filter(subject=officer).exists()


def test_a_subject_the_caller_may_not_see_is_no_such_officer(client, admin):
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    conflicted = OfficerFactory()
    services.conflict_declare(user=investigator, officer=conflicted, reason="Same team", by=supervisor)
    token = token_for(admin, Role.INVESTIGATOR, investigator)

    answer = call(client, token, "post", body(conflicted))

    assert answer.status_code == 400
    assert answer.json() == {"subject": ["No such officer or member of staff."]}
    assert not Allegation.objects.filter(subject=conflicted).exists()


@pytest.mark.parametrize("role", [Role.OVERSIGHT, Role.COMMISSIONER])
def test_readers_who_may_not_record_are_refused_with_403(client, admin, role):
    user = None if role == Role.OVERSIGHT else UserFactory(roles=[role])
    token = token_for(admin, role, user)

    answer = call(client, token, "post", body(OfficerFactory()))

    assert answer.status_code == 403
    assert not Allegation.objects.exists()


def test_an_oversight_reader_sees_no_narrative_name_or_number_and_cannot_filter_by_person(client, admin):
    officer = OfficerFactory(first_name="Theodora", last_name="Quillfeather")
    AllegationFactory(subject=officer, narrative="A narrative only staff may read.")
    token = token_for(admin, Role.OVERSIGHT)

    listed = call(client, token)
    by_person = call(client, token, data={"q": officer.staff_number})

    assert listed.status_code == 200
    text = listed.content.decode()
    for personal in ("A narrative only staff may read.", officer.first_name, officer.last_name, officer.staff_number):
        assert personal not in text
    assert listed.json()["results"][0]["subject"]["pseudonym"].startswith("p-")
    assert by_person.status_code == 400 and "__all__" in by_person.json()


def test_the_list_takes_the_pages_filters_and_refuses_unknown_ones(client, admin):
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    AllegationFactory(category="dishonesty")
    AllegationFactory(category="violence")
    token = token_for(admin, Role.INVESTIGATOR, investigator)

    narrowed = call(client, token, data={"category": "violence"})
    wrong = call(client, token, data={"category": "gossip"})
    unknown = call(client, token, data={"colour": "red"})

    assert [row["category"] for row in narrowed.json()["results"]] == ["violence"]
    assert wrong.status_code == 400 and "category" in wrong.json()
    assert unknown.status_code == 400


@pytest.mark.parametrize("rows", [10, 60])
def test_the_list_stays_within_its_query_budget(client, admin, django_assert_max_num_queries, rows):
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    AllegationFactory.create_batch(rows)
    token = token_for(admin, Role.INVESTIGATOR, investigator)

    with django_assert_max_num_queries(12):
        assert call(client, token).status_code == 200


# --- a casework step through the API -----------------------------------------------------------------


def _assigned_case(supervisor, investigator):
    from tests.factories import CaseFactory

    case = CaseFactory()
    services.case_assign(case=case, investigator=investigator, by=supervisor)
    return case


def _act(client, token, case, payload, **headers):
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
    return client.post(
        reverse("v1:case-action", args=[case.public_id]),
        payload,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
        **extra,
    )


def test_the_assigned_investigator_moves_a_case_through_the_same_service(client, admin):
    supervisor, investigator = UserFactory(roles=[Role.SUPERVISOR]), UserFactory(roles=[Role.INVESTIGATOR])
    case = _assigned_case(supervisor, investigator)
    token = token_for(admin, Role.INVESTIGATOR, investigator)

    answer = _act(client, token, case, {"action": "start_referral_check"}, **{"Idempotency-Key": "k-1"})
    again = _act(client, token, case, {"action": "start_referral_check"}, **{"Idempotency-Key": "k-1"})
    repeated_without_key = _act(client, token, case, {"action": "start_referral_check"})

    assert answer.status_code == 200 and answer.json()["status"] == "iopc_referral"
    assert again.status_code == 200 and again.json()["status"] == "iopc_referral"  # the first result, not a refusal
    case.refresh_from_db()
    assert case.status == "iopc_referral"
    assert repeated_without_key.status_code == 400 and list(repeated_without_key.json()) == ["non_field_errors"]


def test_an_investigator_cannot_record_the_appropriate_authoritys_decision(client, admin):
    supervisor, investigator = UserFactory(roles=[Role.SUPERVISOR]), UserFactory(roles=[Role.INVESTIGATOR])
    case = _assigned_case(supervisor, investigator)
    services.case_transition(case=case, action="start_referral_check", by=investigator)
    token = token_for(admin, Role.INVESTIGATOR, investigator)

    answer = _act(client, token, case, {"action": "record_referral", "referral": "not_required"})

    assert answer.status_code == 403
    case.refresh_from_db()
    assert case.status == "iopc_referral"


def test_a_case_the_caller_may_not_see_is_404_and_oversight_is_refused(client, admin):
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    conflicted = UserFactory(roles=[Role.INVESTIGATOR])
    case = _assigned_case(supervisor, investigator)
    services.conflict_declare(user=conflicted, officer=case.subject, reason="Same team", by=supervisor)

    hidden = _act(client, token_for(admin, Role.INVESTIGATOR, conflicted), case, {"action": "start_referral_check"})
    oversight = _act(client, token_for(admin, Role.OVERSIGHT), case, {"action": "start_referral_check"})

    assert hidden.status_code == 404
    assert oversight.status_code == 403
    case.refresh_from_db()
    assert case.status == "intake"


def test_a_refused_field_is_a_field_error(client, admin):
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    case = _assigned_case(supervisor, UserFactory(roles=[Role.INVESTIGATOR]))
    services.case_transition(case=case, action="start_referral_check", by=supervisor)
    token = token_for(admin, Role.SUPERVISOR, supervisor)

    answer = _act(client, token, case, {"action": "record_referral", "referral": "perhaps"})

    assert answer.status_code == 400 and "referral" in answer.json()
