"""Staff sign-in: password, then a TOTP second factor; lock-out after repeated failures."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.roles import Role
from misconduct.enrolment import enrolment_code_issue
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def password_login(client, username, password=TEST_PASSWORD, address="127.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_password_alone_does_not_open_staff_pages(client):
    user = UserFactory(roles=[Role.INVESTIGATOR])
    assert password_login(client, user.username).status_code == 302
    response = client.get(reverse("cases:case_list"))
    assert response.status_code == 302 and response["Location"] == reverse("two_factor")


def test_first_sign_in_enrols_an_authenticator_then_opens_the_app(client):
    user = UserFactory(roles=[Role.INVESTIGATOR])
    code = enrolment_code_issue(user=user)
    password_login(client, user.username)
    client.post(reverse("two_factor"), {"enrolment_code": code})
    page = client.get(reverse("two_factor"))
    assert b"Add this key to your authenticator app" in page.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("two_factor"), {"token": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("cases:case_list")).status_code == 200


def test_wrong_code_is_refused_with_a_clear_message(client):
    user = UserFactory(roles=[Role.INVESTIGATOR])
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    password_login(client, user.username)
    wrong = f"{(int(code_for(device)) + 1) % 1000000:06d}"
    response = client.post(reverse("two_factor"), {"token": wrong})
    assert response.status_code == 200
    assert b"That code is not right" in response.content
    assert client.get(reverse("cases:case_list")).status_code == 302


def test_enrolled_user_signs_in_with_the_current_code(client):
    user = UserFactory(roles=[Role.SUPERVISOR])
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    password_login(client, user.username)
    assert b"Add this key" not in client.get(reverse("two_factor")).content
    client.post(reverse("two_factor"), {"token": code_for(device)})
    assert client.get(reverse("cases:case_list")).status_code == 200


def test_account_locks_after_repeated_failures_even_for_the_right_password(client, settings):
    user = UserFactory(roles=[Role.INVESTIGATOR])
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = password_login(client, user.username, "wrong-password")
        assert response.status_code in (200, 429)
    response = password_login(client, user.username)
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_failures_below_the_limit_do_not_lock(client, settings):
    user = UserFactory(roles=[Role.INVESTIGATOR])
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        password_login(client, user.username, "wrong-password")
    assert password_login(client, user.username).status_code == 302


def test_lock_out_of_one_user_leaves_another_user_at_the_same_address_free(client, settings):
    mistyper = UserFactory(roles=[Role.INVESTIGATOR])
    colleague = UserFactory(roles=[Role.INVESTIGATOR])
    office = "192.0.2.10"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        password_login(client, mistyper.username, "wrong-password", address=office)
    assert password_login(client, mistyper.username, address=office).status_code == 429
    assert password_login(client, colleague.username, address=office).status_code == 302


def test_lock_out_is_of_the_username_from_that_address(client, settings):
    user = UserFactory(roles=[Role.INVESTIGATOR])
    for _ in range(settings.AXES_FAILURE_LIMIT):
        password_login(client, user.username, "wrong-password", address="192.0.2.10")
    assert password_login(client, user.username, address="192.0.2.10").status_code == 429
    assert password_login(client, user.username, address="198.51.100.7").status_code == 302


def test_lock_out_lifts_after_a_fifteen_minute_cool_off(client, settings):
    user = UserFactory(roles=[Role.INVESTIGATOR])
    assert timedelta(minutes=15) >= settings.AXES_COOLOFF_TIME
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            password_login(client, user.username, "wrong-password")
        assert password_login(client, user.username).status_code == 429
        # Each attempt while locked starts the cool-off again (django-axes counts it as a failure).
        clock.shift(timedelta(minutes=14))
        assert password_login(client, user.username).status_code == 429
        clock.shift(timedelta(minutes=15, seconds=1))
        assert password_login(client, user.username).status_code == 302


def test_an_over_long_username_is_a_form_error_not_a_server_error(client):
    client.raise_request_exception = False
    response = password_login(client, "a" * 256, "wrong-password")
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert "_auth_user_id" not in client.session


def test_session_key_changes_when_the_second_factor_is_given(client):
    user = UserFactory(roles=[Role.SUPERVISOR])
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    password_login(client, user.username)
    before = client.session.session_key
    client.post(reverse("two_factor"), {"token": code_for(device)})
    assert client.get(reverse("cases:case_list")).status_code == 200
    assert client.session.session_key != before


def test_demo_exemption_from_two_factor_needs_demo_mode(client, settings):
    user = UserFactory(username="demo-dps_investigator", roles=[Role.INVESTIGATOR])
    client.force_login(user)
    settings.DEMO_MODE = False
    assert client.get(reverse("cases:case_list")).status_code == 302
    settings.DEMO_MODE = True
    assert client.get(reverse("cases:case_list")).status_code == 200


def test_sessions_end_after_inactivity(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 60 * 60
