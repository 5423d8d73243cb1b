import os

import pytest


def pytest_configure(config):
    if os.environ.get("CI", "").lower() == "true" and "postgres" not in os.environ.get("DATABASE_URL", ""):
        raise pytest.UsageError("CI runs the suite on PostgreSQL: set DATABASE_URL to a postgres:// URL.")


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
