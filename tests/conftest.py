import os
from pathlib import Path

import pytest
import time_machine

from tests import clock


def pytest_configure(config):
    if os.environ.get("CI", "").lower() == "true" and "postgres" not in os.environ.get("DATABASE_URL", ""):
        raise pytest.UsageError("CI runs the suite on PostgreSQL: set DATABASE_URL to a postgres:// URL.")
    # Processes the tests start (Celery workers, gunicorn) travel to the same NOW (tests/clock_site).
    os.environ[clock.ENV] = clock.NOW.isoformat()
    site = str(Path(__file__).resolve().parent / "clock_site")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (site, os.environ.get("PYTHONPATH")) if p)


def pytest_report_header(config):
    return f"clock: every test starts at {clock.NOW.isoformat()} (TEST_NOW), ticking"


@pytest.fixture(autouse=True)
def _clock():
    """Every test starts at the suite's NOW, whatever the real date (tests/clock.py)."""
    with time_machine.travel(clock.NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Static files are served from the finders in tests; production uses the hashed manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Hashing cost is not what the tests check; settings.PASSWORD_HASHERS is checked separately.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(client, user):
    """Sign a user in with a verified second factor, as after a real TOTP login."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def signed_in_supervisor(client, db):
    """A DPS supervisor, signed in on the test client (who sees every record that is not hidden by a conflict)."""
    from cases.roles import Role
    from tests.factories import UserFactory

    user = UserFactory(roles=[Role.SUPERVISOR])
    sign_in(client, user)
    return user


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{CHROMIUM} is missing: bin/test installs Debian's chromium package.")
        pytest.skip(f"{CHROMIUM} is not installed")
    # Playwright's sync API runs an event loop in this thread; Django's ORM would otherwise refuse.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def browser_as(chromium, live_server, settings):
    """browser_as(user) -> a Playwright page signed in as that user (password + second factor done)."""

    settings.SESSION_COOKIE_SECURE = False  # the live server speaks plain http on 127.0.0.1
    settings.CSRF_COOKIE_SECURE = False
    contexts = []

    def open_page(user=None):
        """A new browser; with a user, signed in through the real login form and TOTP second factor."""
        from django_otp.oath import totp
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from tests.factories import TEST_PASSWORD

        context = chromium.new_context(base_url=live_server.url)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        if user is not None:
            device, _ = TOTPDevice.objects.get_or_create(user=user, name="browser", defaults={"confirmed": True})
            page.goto("/accounts/login/")
            page.get_by_label("Username").fill(user.username)
            page.get_by_label("Password").fill(TEST_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
            page.get_by_label("Six-digit code from your authenticator app").fill(f"{code:06d}")
            page.get_by_role("button", name="Continue").click()
            page.wait_for_url(lambda url: "/accounts/" not in url)
        return page

    yield open_page
    for context in contexts:
        context.close()
