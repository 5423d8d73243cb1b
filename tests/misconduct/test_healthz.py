"""/healthz: public and cheap, reports the database, the cache and the broker without naming a host;
503 only when the database is down, so a Redis outage does not fail the web container's health check
(which docker-compose.yml runs as written there)."""

import os
import subprocess
import sys
import time

import pytest
import yaml
from django.db import connection

from misconduct.celery import app
from tests.misconduct.test_broker_outage import closed_port_url, silent_broker_url
from tests.misconduct.test_celery_worker import BASE_DIR, _drop_cached_connections, reachable_redis_url


@pytest.fixture
def broker_at():
    keys = ("broker_url", "task_always_eager")
    saved = {key: app.conf[key] for key in keys}

    def point_at(url):
        app.conf.update(broker_url=url, task_always_eager=False)
        _drop_cached_connections()

    yield point_at
    _drop_cached_connections()
    app.conf.update(saved)


def redis_cache(settings, url):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.mark.django_db
def test_healthz_is_ok_when_database_cache_and_broker_answer(client, settings, broker_at):
    redis_url = reachable_redis_url()
    redis_cache(settings, redis_url)
    broker_at(redis_url)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_without_a_broker_configured_says_so_and_is_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "not configured"}


@pytest.mark.django_db
def test_redis_down_is_degraded_not_a_failed_health_check_and_names_no_host(client, settings, broker_at):
    down = closed_port_url()
    redis_cache(settings, down)
    broker_at(down)

    started = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "down", "broker": "down"}
    assert elapsed < 1.0
    body = response.content.decode()
    port = down.rsplit(":", 1)[1].split("/")[0]
    for secret in ("127.0.0.1", port, "redis", "postgres", settings.DATABASES["default"]["NAME"]):
        assert secret not in body


@pytest.mark.django_db
def test_healthz_does_not_wait_on_a_broker_that_never_answers(client, broker_at):
    with silent_broker_url() as url:
        broker_at(url)
        started = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert response.json()["broker"] == "down"
    assert elapsed < 1.0


@pytest.mark.django_db(transaction=True)
def test_healthz_answers_503_when_the_database_is_down(client):
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["PORT"] = closed_port_url().rsplit(":", 1)[1].split("/")[0]
    connection.settings_dict["HOST"] = "127.0.0.1"
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict.update(saved)

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["database"] == "down"


def compose_web_healthcheck() -> str:
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text(encoding="utf-8"))
    test = compose["services"]["web"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    return test[3]


def run_compose_web_healthcheck(live_server) -> subprocess.CompletedProcess:
    code = compose_web_healthcheck()
    assert "http://127.0.0.1:8000/healthz" in code
    return subprocess.run(
        [sys.executable, "-c", code.replace("http://127.0.0.1:8000", live_server.url)],
        env={"PATH": os.environ["PATH"], "ALLOWED_HOSTS": "localhost,testserver"},
        capture_output=True,
        text=True,
        timeout=30,
    )


@pytest.mark.django_db(transaction=True)
def test_compose_web_healthcheck_passes_while_redis_is_down(live_server, settings, broker_at):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    down = closed_port_url()
    redis_cache(settings, down)
    broker_at(down)

    result = run_compose_web_healthcheck(live_server)

    assert result.returncode == 0, result.stderr
