"""The access rules, one by one: need-to-know, conflicts of interest, panel isolation, audit."""

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from cases import selectors, services
from cases.models import AccessRecord
from cases.roles import Role
from tests.conftest import sign_in
from tests.factories import AllegationFactory, CaseFactory, OfficerFactory, OnyxReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def investigator():
    return UserFactory(roles=[Role.INVESTIGATOR])


@pytest.fixture
def supervisor():
    return UserFactory(roles=[Role.SUPERVISOR])


def _get(client, url):
    """The page's status and body, whether it is a page or a streamed export."""
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body


def test_restricted_case_is_absent_from_every_list_for_ungranted_users(client, investigator):
    secret = CaseFactory(restricted=True, reference="DPS-2026-SECRET", subject__last_name="Samename")
    open_case = CaseFactory(reference="DPS-2026-OPEN", subject__last_name="Samename")
    sign_in(client, investigator)
    assert list(selectors.case_list(user=investigator)) == [open_case]
    # Each list answers, shows the open case and hides the secret one: an erroring page would pass
    # an "absent" check alone. A reference search finds one case at most, so its visible twin is a
    # search for the open case's reference on the same page.
    for url, visible_url in [
        (reverse("cases:case_list"), None),
        (reverse("cases:case_list") + "?q=Samename", None),
        (reverse("cases:case_list") + "?q=DPS-2026-SECRET", reverse("cases:case_list") + "?q=DPS-2026-OPEN"),
        (reverse("cases:case_export"), None),
        (reverse("cases:case_export") + "?q=DPS-2026-SECRET", reverse("cases:case_export") + "?q=DPS-2026-OPEN"),
        (reverse("v1:case-list"), None),
    ]:
        status, body = _get(client, url)
        assert status == 200, url
        # The search box echoes the query, so look for the record itself, not the words typed.
        assert str(secret.public_id).encode() not in body, url
        assert secret.subject.staff_number.encode() not in body, url
        if "export" in url:
            assert b"DPS-2026-SECRET" not in body, url
        status, visible_body = _get(client, visible_url or url)
        assert status == 200, visible_url
        assert b"DPS-2026-OPEN" in visible_body and open_case.subject.staff_number.encode() in visible_body, url
    assert client.get(reverse("cases:case_detail", args=[secret.public_id])).status_code == 404
    assert client.get(reverse("v1:case-detail", args=[secret.public_id])).status_code == 404


def test_granted_user_and_commissioner_see_a_restricted_case(client, investigator, supervisor):
    secret = CaseFactory(restricted=True)
    services.case_access_grant(case=secret, user=investigator, by=supervisor)
    commissioner = UserFactory(roles=[Role.COMMISSIONER])
    assert secret in selectors.case_list(user=investigator)
    assert secret in selectors.case_list(user=commissioner)
    assert secret not in selectors.case_list(user=supervisor)


def test_model_wide_view_permission_does_not_open_restricted_cases(investigator):
    # Every investigator holds cases.view_case model-wide through the group; that must not count.
    assert investigator.has_perm("cases.view_case")
    secret = CaseFactory(restricted=True)
    assert secret not in selectors.case_list(user=investigator)


def test_conflicted_investigator_cannot_find_the_case_through_list_search_or_export(client, investigator, supervisor):
    teammate = OfficerFactory(last_name="Teammate", collar_number="4242XY")
    case = CaseFactory(subject=teammate, reference="DPS-2026-CONFLICT")
    # Someone the investigator may see, found by the same searches' visible twins.
    other = OfficerFactory(last_name="Teammatesson", collar_number="4343XY")
    other_case = CaseFactory(subject=other, reference="DPS-2026-VISIBLE")
    AllegationFactory(subject=teammate, case=case)
    AllegationFactory(subject=other, case=other_case)
    services.conflict_declare(user=investigator, officer=teammate, reason="Same team", by=supervisor)
    sign_in(client, investigator)
    lists = [
        (reverse("cases:case_list"), None),
        (reverse("cases:case_list") + "?q=Teammate", None),
        (reverse("cases:case_list") + "?q=DPS-2026-CONFLICT", reverse("cases:case_list") + "?q=DPS-2026-VISIBLE"),
        (reverse("cases:case_list") + "?q=4242XY", reverse("cases:case_list") + "?q=4343XY"),
        (reverse("v1:case-list"), None),
        (reverse("cases:case_export") + "?q=DPS-2026-CONFLICT", reverse("cases:case_export") + "?q=DPS-2026-VISIBLE"),
        (reverse("cases:case_export") + "?q=Teammate", None),
        (reverse("cases:allegation_list") + "?q=4242XY", reverse("cases:allegation_list") + "?q=4343XY"),
        (reverse("cases:allegation_list") + "?q=Teammate", None),
        (reverse("cases:allegation_export") + "?q=4242XY", reverse("cases:allegation_export") + "?q=4343XY"),
        (reverse("cases:allegation_export") + "?q=Teammate", None),
        (reverse("cases:officer_list") + "?q=4242XY", reverse("cases:officer_list") + "?q=4343XY"),
        (reverse("cases:officer_list") + "?q=Teammate", None),
    ]
    for url, visible_url in lists:
        status, body = _get(client, url)
        assert status == 200, url
        assert str(case.public_id).encode() not in body, url
        assert str(teammate.public_id).encode() not in body, url
        assert teammate.staff_number.encode() not in body, url
        assert b"DPS-2026-CONFLICT" not in body or "DPS-2026-CONFLICT" in url, url  # echoed in the search box
        status, visible_body = _get(client, visible_url or url)
        assert status == 200, visible_url
        assert other.staff_number.encode() in visible_body or b"DPS-2026-VISIBLE" in visible_body, url
    assert client.get(reverse("cases:case_detail", args=[case.public_id])).status_code == 404
    assert client.get(reverse("cases:officer_detail", args=[teammate.public_id])).status_code == 404
    assert client.get(reverse("cases:case_detail", args=[other_case.public_id])).status_code == 200
    assert client.get(reverse("cases:officer_detail", args=[other.public_id])).status_code == 200


def test_nobody_sees_their_own_case_not_even_the_commissioner(client):
    commissioner = UserFactory(roles=[Role.COMMISSIONER])
    me = OfficerFactory(user=commissioner)
    own = CaseFactory(subject=me, restricted=True)
    assert own not in selectors.case_list(user=commissioner)
    assert me not in selectors.officer_list(user=commissioner)
    someone_else = CaseFactory(restricted=True)
    sign_in(client, commissioner)
    assert client.get(reverse("cases:case_detail", args=[own.public_id])).status_code == 404
    assert client.get(reverse("cases:officer_detail", args=[me.public_id])).status_code == 404
    # The same pages open for a record the commissioner may see: the 404 above is the rule, not an error.
    assert client.get(reverse("cases:case_detail", args=[someone_else.public_id])).status_code == 200
    status, body = _get(client, reverse("cases:case_list"))
    assert status == 200
    assert someone_else.reference.encode() in body and own.reference.encode() not in body


def test_panel_reviewer_cannot_open_unassigned_review_by_guessing_its_id(client, supervisor):
    panel = UserFactory(roles=[Role.PANEL_REVIEWER])
    mine = OnyxReviewFactory(reference="ONYX-MINE", decided=True)
    other = OnyxReviewFactory(reference="ONYX-OTHER")
    services.panel_reviews_assign(review_ids=[mine.id], panel_members=[panel], by=supervisor)
    sign_in(client, panel)
    assert client.get(reverse("cases:review_detail", args=[mine.public_id])).status_code == 200
    assert client.get(reverse("cases:review_detail", args=[other.public_id])).status_code == 404
    assert client.get(reverse("v1:review-detail", args=[other.public_id])).status_code == 404
    for url in [reverse("cases:review_list"), reverse("v1:review-list")]:
        status, listing = _get(client, url)
        assert status == 200, url
        assert b"ONYX-MINE" in listing and b"ONYX-OTHER" not in listing, url


def test_panel_reviewer_cannot_browse_officers_or_cases(client, supervisor):
    panel = UserFactory(roles=[Role.PANEL_REVIEWER])
    review = OnyxReviewFactory(decided=True)
    services.panel_reviews_assign(review_ids=[review.id], panel_members=[panel], by=supervisor)
    case = CaseFactory(subject=review.subject)
    sign_in(client, panel)
    # Signed in and working: the panel's own review opens; the registers below do not.
    assert client.get(reverse("cases:review_detail", args=[review.public_id])).status_code == 200
    for url in [
        reverse("cases:case_list"),
        reverse("cases:officer_list"),
        reverse("cases:case_detail", args=[case.public_id]),
        reverse("cases:officer_detail", args=[review.subject.public_id]),
        reverse("v1:case-list"),
        reverse("v1:officer-detail", args=[review.subject.public_id]),
    ]:
        assert client.get(url).status_code in (403, 404), url


def test_global_perm_on_reviews_does_not_leak_to_panel(supervisor):
    panel = UserFactory(roles=[Role.PANEL_REVIEWER])
    assign_perm("cases.view_onyxreview", panel)  # even a model-wide grant
    OnyxReviewFactory()
    assert list(selectors.onyx_review_list(user=panel)) == []


def test_a_read_of_a_case_detail_creates_exactly_one_access_record(client, investigator):
    case = CaseFactory()
    sign_in(client, investigator)
    before = AccessRecord.objects.count()
    response = client.get(reverse("cases:case_detail", args=[case.public_id]), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    records = AccessRecord.objects.all()
    assert records.count() == before + 1
    record = records.first()
    assert (record.user, record.object_type, record.object_id, record.ip_address) == (
        investigator,
        "case",
        case.pk,
        "10.1.2.3",
    )


def test_a_refused_read_writes_no_access_record(client, investigator):
    secret = CaseFactory(restricted=True)
    sign_in(client, investigator)
    assert client.get(reverse("cases:case_detail", args=[secret.public_id])).status_code == 404
    assert AccessRecord.objects.count() == 0


def test_supervisor_sees_who_looked_at_a_case_and_what_a_user_looked_at(client, investigator, supervisor):
    case = CaseFactory(reference="DPS-2026-AUDITED")
    sign_in(client, investigator)
    client.get(reverse("cases:case_detail", args=[case.public_id]))
    sign_in(client, supervisor)
    response = client.get(reverse("cases:audit_case", args=[case.public_id]))
    assert response.status_code == 200
    assert investigator.username in response.content.decode()
    response = client.get(reverse("cases:audit_reader") + f"?user={investigator.username}")
    assert response.status_code == 200
    assert "DPS-2026-AUDITED" in response.content.decode()


def test_investigator_cannot_read_the_audit(client, investigator, supervisor):
    sign_in(client, investigator)
    assert client.get(reverse("cases:audit_reader")).status_code == 404
    sign_in(client, supervisor)
    assert client.get(reverse("cases:audit_reader")).status_code == 200


@pytest.mark.parametrize("bad", ["0", "-1", "99999999999999999999999", "not-a-uuid", "1 OR 1=1", "%00"])
def test_tampered_ids_give_a_clean_404(client, investigator, bad):
    sign_in(client, investigator)
    for prefix in ["/cases/", "/officers/", "/reviews/", "/api/v1/cases/", "/api/v1/reviews/"]:
        assert client.get(f"{prefix}{bad}/").status_code == 404, prefix


def test_ids_of_other_models_give_404(client, investigator):
    officer = OfficerFactory()
    review = OnyxReviewFactory()
    sign_in(client, investigator)
    assert client.get(reverse("cases:case_detail", args=[officer.public_id])).status_code == 404
    assert client.get(reverse("cases:case_detail", args=[review.public_id])).status_code == 404


def test_case_assignment_moves_edit_rights(supervisor):
    first = UserFactory(roles=[Role.INVESTIGATOR])
    second = UserFactory(roles=[Role.INVESTIGATOR])
    case = CaseFactory()
    services.case_assign(case=case, investigator=first, by=supervisor)
    assert first.has_perm("cases.change_case", case)
    services.case_assign(case=case, investigator=second, by=supervisor)
    first = type(first).objects.get(pk=first.pk)  # drop guardian's per-user cache
    assert not first.has_perm("cases.change_case", case)
    assert type(second).objects.get(pk=second.pk).has_perm("cases.change_case", case)


def test_only_a_supervisor_assigns(investigator):
    case = CaseFactory()
    with pytest.raises(services.DomainError):
        services.case_assign(case=case, investigator=investigator, by=investigator)


def test_conflicted_investigator_cannot_be_assigned(investigator, supervisor):
    case = CaseFactory()
    services.conflict_declare(user=investigator, officer=case.subject, reason="Brother-in-law", by=supervisor)
    with pytest.raises(services.DomainError):
        services.case_assign(case=case, investigator=investigator, by=supervisor)


def test_supervisor_declares_a_conflict_in_the_app_and_it_takes_effect(client, investigator, supervisor):
    officer = OfficerFactory(staff_number="S0000777")
    case = CaseFactory(subject=officer)
    sign_in(client, supervisor)
    response = client.post(
        reverse("cases:conflicts"),
        {"username": investigator.username, "staff_number": "S0000777", "reason": "Same team"},
    )
    assert response.status_code == 302
    assert case not in selectors.case_list(user=type(investigator).objects.get(pk=investigator.pk))


def test_conflict_form_reports_unknown_people(client, supervisor):
    sign_in(client, supervisor)
    response = client.post(reverse("cases:conflicts"), {"username": "nobody", "staff_number": "X", "reason": "r"})
    assert response.status_code == 400
    assert b"No active user with that username." in response.content


def test_supervisor_grants_need_to_know_access_in_the_app(client, investigator, supervisor):
    secret = CaseFactory(restricted=True)
    services.case_access_grant(case=secret, user=supervisor, by=supervisor)
    sign_in(client, supervisor)
    client.post(reverse("cases:case_grant", args=[secret.public_id]), {"username": investigator.username})
    assert secret in selectors.case_list(user=type(investigator).objects.get(pk=investigator.pk))


def test_officer_list_filters_by_status_and_command(client, investigator):
    from tests.factories import CommandFactory

    north = CommandFactory(code="NTH")
    restricted = OfficerFactory(command=north, status="restricted", staff_number="S0000901")
    OfficerFactory(command=north, staff_number="S0000902")
    OfficerFactory(status="restricted", staff_number="S0000903")
    sign_in(client, investigator)
    response = client.get(reverse("cases:officer_list") + "?status=restricted&command=nth")
    assert response.status_code == 200
    page = response.content.decode()
    assert restricted.staff_number in page
    assert "S0000902" not in page and "S0000903" not in page


def test_a_conflict_declared_mid_request_takes_effect_at_once(investigator, supervisor):
    case = CaseFactory()
    assert case in selectors.case_list(user=investigator)  # fills the per-request cache
    services.conflict_declare(user=investigator, officer=case.subject, reason="Same team", by=supervisor)
    assert case not in selectors.case_list(user=investigator)


def test_a_revoked_grant_takes_effect_at_once(investigator, supervisor):
    secret = CaseFactory(restricted=True)
    services.case_access_grant(case=secret, user=investigator, by=supervisor)
    assert secret in selectors.case_list(user=investigator)
    services.case_access_revoke(case=secret, user=investigator, by=supervisor)
    assert secret not in selectors.case_list(user=investigator)
