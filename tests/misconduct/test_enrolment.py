"""Enrolling a second factor needs a one-time code from an administrator: a password alone never
shows an authenticator secret (no trust on first use). Codes are stored hashed, expire, work once and
only for their own account."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.demo import DEMO_PASSWORD
from cases.roles import Role
from misconduct.enrolment import enrolment_code_issue
from misconduct.models import EnrolmentCode
from tests.conftest import sign_in
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def password_login(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return response


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def shows_a_secret(response) -> bool:
    return b"Add this key" in response.content or b"otpauth://" in response.content


def test_a_password_alone_shows_no_secret_and_creates_no_device(client):
    user = UserFactory(roles=[Role.INVESTIGATOR])
    password_login(client, user)
    page = client.get(reverse("two_factor"))
    assert page.status_code == 200
    assert not shows_a_secret(page)
    assert b"Enrolment code from your administrator" in page.content
    assert not TOTPDevice.objects.filter(user=user).exists()
    # Nor does posting a made-up token or code get past the enrolment step.
    assert not shows_a_secret(client.post(reverse("two_factor"), {"token": "123456"}))
    refused = client.post(reverse("two_factor"), {"enrolment_code": "AAAA-BBBB-CCCC"})
    assert b"That enrolment code is not right" in refused.content and not shows_a_secret(refused)
    assert client.get(reverse("cases:case_list")).status_code == 302


def test_the_command_issues_a_code_that_opens_enrolment_once(client):
    user = UserFactory(roles=[Role.INVESTIGATOR])
    out = io.StringIO()
    call_command("enrolment_code_issue", user.username, stdout=out)
    code = out.getvalue().strip().splitlines()[-1]
    password_login(client, user)
    response = client.post(reverse("two_factor"), {"enrolment_code": code})
    assert response.status_code == 302
    page = client.get(reverse("two_factor"))
    assert shows_a_secret(page)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(reverse("two_factor"), {"token": code_for(device)}).status_code == 302
    assert client.get(reverse("cases:case_list")).status_code == 200
    # The same code in another session (an attacker with the password) opens nothing.
    other = client.__class__()
    password_login(other, user)
    again = other.post(reverse("two_factor"), {"enrolment_code": code})
    assert not shows_a_secret(again)


def test_a_spent_code_cannot_be_used_again_even_before_enrolment_is_finished(client):
    user = UserFactory(roles=[Role.INVESTIGATOR])
    code = enrolment_code_issue(user=user)
    password_login(client, user)
    client.post(reverse("two_factor"), {"enrolment_code": code})
    thief = client.__class__()
    password_login(thief, user)
    assert not shows_a_secret(thief.post(reverse("two_factor"), {"enrolment_code": code}))
    assert not shows_a_secret(thief.get(reverse("two_factor")))


def test_a_code_expires(client):
    user = UserFactory(roles=[Role.INVESTIGATOR])
    code = enrolment_code_issue(user=user)
    later = timezone.now() + timedelta(hours=settings.TWO_FACTOR_ENROLMENT_CODE_HOURS, seconds=1)
    with time_machine.travel(later, tick=False):
        password_login(client, user)
        response = client.post(reverse("two_factor"), {"enrolment_code": code})
        assert not shows_a_secret(response)
        assert b"has expired" in response.content


def test_a_code_works_only_for_its_own_account(client):
    owner = UserFactory(roles=[Role.INVESTIGATOR])
    other = UserFactory(roles=[Role.INVESTIGATOR])
    code = enrolment_code_issue(user=owner)
    password_login(client, other)
    assert not shows_a_secret(client.post(reverse("two_factor"), {"enrolment_code": code}))


def test_a_new_code_replaces_the_unused_one(client):
    user = UserFactory(roles=[Role.INVESTIGATOR])
    first = enrolment_code_issue(user=user)
    second = enrolment_code_issue(user=user)
    password_login(client, user)
    assert not shows_a_secret(client.post(reverse("two_factor"), {"enrolment_code": first}))
    assert client.post(reverse("two_factor"), {"enrolment_code": second}).status_code == 302


def test_only_a_hash_of_the_code_is_stored():
    user = UserFactory(roles=[Role.INVESTIGATOR])
    code = enrolment_code_issue(user=user)
    row = EnrolmentCode.objects.get(user=user)
    stored = " ".join(str(v) for v in EnrolmentCode.objects.filter(pk=row.pk).values_list().get())
    assert code not in stored and code.replace("-", "") not in stored


def test_a_secret_shown_before_the_code_was_given_is_never_the_one_enrolled(client):
    user = UserFactory(roles=[Role.INVESTIGATOR])
    stale = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)
    code = enrolment_code_issue(user=user)
    password_login(client, user)
    client.post(reverse("two_factor"), {"enrolment_code": code})
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert device.pk != stale.pk and device.key != stale.key


def test_the_admin_action_issues_a_code(client):
    admin_user = UserFactory(username="root-enrol", is_superuser=True, is_staff=True)
    target = UserFactory(roles=[Role.INVESTIGATOR])
    sign_in(client, admin_user)
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "issue_enrolment_code", "_selected_action": [target.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert EnrolmentCode.objects.filter(user=target, used_at__isnull=True, issued_by=admin_user).count() == 1
    assert b"Enrolment code for " + target.username.encode() in response.content


def test_enrolled_users_and_browser_sign_in_need_no_code(client):
    user = UserFactory(roles=[Role.SUPERVISOR])
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    password_login(client, user)
    assert b"Enrolment code" not in client.get(reverse("two_factor")).content
    client.post(reverse("two_factor"), {"token": code_for(device)})
    assert client.get(reverse("cases:case_list")).status_code == 200


def test_demo_logins_outside_demo_mode_come_with_an_enrolment_code_that_works(client, settings):
    settings.DEBUG = True
    settings.DEMO_MODE = False
    out = io.StringIO()
    call_command("seed_demo", "--scale", "tiny", stdout=out)
    printed = dict(
        line.strip().split(": ", 1)
        for line in out.getvalue().split("enrolment codes", 1)[1].splitlines()[1:]
        if ": " in line
    )
    investigator = get_user_model().objects.get(username=f"demo-{Role.INVESTIGATOR.value}")
    assert investigator.username in printed
    client.post(reverse("login"), {"username": investigator.username, "password": DEMO_PASSWORD})
    assert client.post(reverse("two_factor"), {"enrolment_code": printed[investigator.username]}).status_code == 302
    assert shows_a_secret(client.get(reverse("two_factor")))
