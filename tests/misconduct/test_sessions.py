"""Staff sessions live in the database and every page moves their idle expiry on with one UPDATE
(misconduct/sessions.py; issue 18: Django's own store spent a BEGIN and a COMMIT around it on every page).
A session signed out elsewhere is never written back, the second factor is still required, and the
cache being down loses no session."""

import datetime as dt
import socket
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.roles import Role
from misconduct.sessions import SessionStore
from tests.conftest import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_sessions_are_kept_in_the_database_not_only_in_the_cache():
    assert issubclass(import_module(settings.SESSION_ENGINE).SessionStore, db.SessionStore)


def test_a_page_refreshes_its_session_with_one_update_and_no_transaction_of_its_own(client):
    sign_in(client, UserFactory(roles=[Role.SUPERVISOR]))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("cases:conflicts")).status_code == 200
    statements = [q["sql"] for q in ctx.captured_queries]
    assert sum(s.startswith('UPDATE "django_session"') for s in statements) == 1
    # In a test the outer transaction turns a store's own atomic block into a savepoint.
    assert not [s for s in statements if "SAVEPOINT" in s]


def test_each_page_moves_the_idle_expiry_on(client, _clock):
    sign_in(client, UserFactory(roles=[Role.SUPERVISOR]))
    key = client.session.session_key
    _clock.shift(dt.timedelta(minutes=20))
    assert client.get(reverse("cases:conflicts")).status_code == 200
    expiry = Session.objects.get(pk=key).expire_date
    assert expiry >= timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_a_session_ended_elsewhere_is_not_written_back():
    store = SessionStore()
    store["marker"] = "signed in"
    store.create()
    loaded = SessionStore(store.session_key)
    assert loaded["marker"] == "signed in"  # read at the start of a request
    Session.objects.filter(pk=store.session_key).delete()  # signed out in another tab
    loaded["marker"] = "still here?"
    with pytest.raises(UpdateError):
        loaded.save()
    assert not Session.objects.filter(pk=store.session_key).exists()


def test_a_session_without_the_second_factor_still_reaches_no_staff_page(client):
    client.force_login(UserFactory(roles=[Role.SUPERVISOR]))
    response = client.get(reverse("cases:conflicts"))
    assert response.status_code == 302 and response.url == reverse("two_factor")


@pytest.fixture
def cache_down(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nobody listens here: connections are refused at once
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def test_with_the_cache_down_a_signed_in_page_answers_and_its_session_is_kept(client, cache_down):
    sign_in(client, UserFactory(roles=[Role.SUPERVISOR]))
    key = client.session.session_key
    assert client.get(reverse("cases:conflicts")).status_code == 200
    assert client.get(reverse("cases:conflicts")).status_code == 200
    assert Session.objects.filter(pk=key, expire_date__gt=timezone.now()).exists()
