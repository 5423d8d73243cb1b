"""The withdrawal pages: the list, the process page and its steps, refusals, and their query budgets."""

import pytest
from django.urls import reverse

from cases.models import EmploymentStatus
from cases.roles import Role
from cases.services import conflict_declare
from tests.conftest import sign_in
from tests.factories import OfficerFactory, UserFactory, VettingClearanceFactory
from vetting import services
from vetting.models import VettingWithdrawal, WithdrawalStatus

pytestmark = pytest.mark.django_db


def _open(by, n=1):
    made = []
    for _ in range(n):
        clearance = VettingClearanceFactory()
        made.append(
            services.withdrawal_open(officer_id=clearance.officer_id, grounds="A matter", by=by, decision_maker=by)
        )
    return made


def test_a_vetting_officer_takes_each_step_through_the_page(client, vetting_officer):
    withdrawal = _open(vetting_officer)[0]
    sign_in(client, vetting_officer)
    url = reverse("vetting:withdrawal_step", args=[withdrawal.public_id])
    posts = [
        {"step": "serve_notice", "serve_notice-content": "Notice of the assessment."},
        {"step": "name_police_friend", "name_police_friend-police_friend": "PC Friend"},
        {"step": "record_representations", "record_representations-representations": "It was long ago."},
        {"step": "decide", "decide-action": "decide_withdraw", "decide-reasons": "Not suitable."},
    ]
    for data in posts:
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.DISMISSED
    assert withdrawal.officer.status == EmploymentStatus.DISMISSED
    page = client.get(reverse("vetting:withdrawal_detail", args=[withdrawal.public_id])).content.decode()
    assert "Dismissed without notice" in page and "Record the appeal" in page


def test_a_refused_step_answers_400_with_the_reason(client, vetting_officer):
    withdrawal = _open(vetting_officer)[0]
    sign_in(client, vetting_officer)
    url = reverse("vetting:withdrawal_step", args=[withdrawal.public_id])
    response = client.post(url, {"step": "lodge_appeal", "lodge_appeal-grounds": "x"})
    assert response.status_code == 400
    assert "cannot take the step" in response.content.decode()
    assert VettingWithdrawal.objects.get(pk=withdrawal.pk).status == WithdrawalStatus.ASSESSMENT


def test_a_conflicted_vetting_officer_gets_404_and_others_may_not_step(client, vetting_officer):
    withdrawal = _open(vetting_officer)[0]
    conflicted = UserFactory(roles=[Role.VETTING_OFFICER])
    conflict_declare(
        user=conflicted, officer=withdrawal.officer, reason="family", by=UserFactory(roles=[Role.SUPERVISOR])
    )
    sign_in(client, conflicted)
    assert client.get(reverse("vetting:withdrawal_detail", args=[withdrawal.public_id])).status_code == 404
    sign_in(client, UserFactory(roles=[Role.INVESTIGATOR]))
    url = reverse("vetting:withdrawal_step", args=[withdrawal.public_id])
    assert client.post(url, {"step": "serve_notice", "serve_notice-content": "x"}).status_code in (403, 404)
    assert VettingWithdrawal.objects.get(pk=withdrawal.pk).status == WithdrawalStatus.ASSESSMENT


def test_opening_a_withdrawal_by_hand(client, vetting_officer):
    officer = OfficerFactory(staff_number="S0099001")
    sign_in(client, vetting_officer)
    response = client.post(
        reverse("vetting:withdrawal_start"), {"staff_number": "s0099001", "grounds": "PND: association"}
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.status == EmploymentStatus.RESTRICTED
    assert VettingWithdrawal.objects.filter(officer=officer, review=None).count() == 1


def test_the_list_refuses_unknown_filters(client, vetting_officer):
    sign_in(client, vetting_officer)
    assert client.get(reverse("vetting:withdrawal_list"), {"colour": "red"}).status_code == 400
    assert client.get(reverse("vetting:withdrawal_list"), {"running": "true"}).status_code == 200


@pytest.mark.parametrize("rows", [2, 25])
def test_query_budgets_of_the_withdrawal_pages(client, vetting_officer, django_assert_max_num_queries, rows):
    withdrawals = _open(vetting_officer, rows)
    services.withdrawal_move(withdrawal=withdrawals[0], action="serve_notice", by=vetting_officer, content="Notice")
    sign_in(client, vetting_officer)
    pages = [
        reverse("vetting:withdrawal_list"),
        f"{reverse('vetting:withdrawal_list')}?running=true",
        reverse("vetting:withdrawal_detail", args=[withdrawals[0].public_id]),
        reverse("vetting:withdrawal_start"),
        reverse("home") if _has_home() else reverse("vetting:withdrawal_list"),
    ]
    for url in pages:
        with django_assert_max_num_queries(22):
            assert client.get(url).status_code == 200, url


def _has_home():
    from django.urls import NoReverseMatch

    try:
        reverse("home")
    except NoReverseMatch:
        return False
    return True
