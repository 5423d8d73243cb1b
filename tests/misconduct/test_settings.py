"""Settings come from the environment. Each test imports them in a fresh interpreter with a
controlled environment, because the module refuses or accepts a configuration at import time."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from misconduct.env import envbool

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION = {"DEBUG": "0", "ALLOWED_HOSTS": "dps.example"}

PRINT_SETTINGS = """
import json
from misconduct import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG,
    "SECRET_KEY": s.SECRET_KEY,
    "ENGINE": s.DATABASES["default"]["ENGINE"],
    "DB_NAME": str(s.DATABASES["default"]["NAME"]),
    "CELERY_TASK_ALWAYS_EAGER": s.CELERY_TASK_ALWAYS_EAGER,
    "CELERY_BROKER_URL": s.CELERY_BROKER_URL,
}))
"""


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run code in a new interpreter whose environment holds only PATH and the given variables."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def imported_settings(**env: str) -> dict:
    result = run_python(PRINT_SETTINGS, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def long_random_key() -> str:
    return secrets.token_urlsafe(50)


def test_production_mode_without_secret_key_refuses_to_start():
    result = run_python("import misconduct.settings", **PRODUCTION)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_defaults_off_so_an_empty_environment_refuses_to_start_without_secret_key():
    result = run_python("import misconduct.settings", ALLOWED_HOSTS="dps.example")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_mode_with_secret_key_starts_and_uses_it():
    key = long_random_key()

    loaded = imported_settings(**PRODUCTION, SECRET_KEY=key)

    assert loaded["DEBUG"] is False
    assert loaded["SECRET_KEY"] == key


def test_production_mode_without_allowed_hosts_refuses_to_start():
    result = run_python("import misconduct.settings", DEBUG="0", SECRET_KEY=long_random_key())

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_demo_mode_without_debug_refuses_to_start():
    result = run_python("import misconduct.settings", **PRODUCTION, SECRET_KEY=long_random_key(), DEMO_MODE="1")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DEMO_MODE" in result.stderr


def test_demo_mode_with_debug_starts():
    result = run_python("import misconduct.settings", DEBUG="1", DEMO_MODE="1")

    assert result.returncode == 0, result.stderr


def test_secret_key_is_read_from_the_file_secret_key_file_names(tmp_path):
    key = long_random_key()
    secret_file = tmp_path / "secret_key"
    secret_file.write_text(key + "\n", encoding="utf-8")

    loaded = imported_settings(**PRODUCTION, SECRET_KEY_FILE=str(secret_file))

    assert loaded["SECRET_KEY"] == key


def test_secret_key_file_wins_over_the_plain_variable(tmp_path):
    key = long_random_key()
    secret_file = tmp_path / "secret_key"
    secret_file.write_text(key, encoding="utf-8")

    loaded = imported_settings(**PRODUCTION, SECRET_KEY="plain-variable-value", SECRET_KEY_FILE=str(secret_file))

    assert loaded["SECRET_KEY"] == key


@pytest.mark.parametrize("raw", ["maybe", "2", "enabled", "y"])
def test_envbool_rejects_values_that_are_not_clearly_true_or_false(monkeypatch, raw):
    monkeypatch.setenv("DPS_TEST_FLAG", raw)

    with pytest.raises(ImproperlyConfigured, match="DPS_TEST_FLAG"):
        envbool("DPS_TEST_FLAG", False)


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("True", True), (" on ", True), ("0", False), ("no", False)]
)
def test_envbool_accepts_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("DPS_TEST_FLAG", raw)

    assert envbool("DPS_TEST_FLAG", not expected) is expected


def test_debug_maybe_refuses_to_start():
    result = run_python("import misconduct.settings", DEBUG="maybe", SECRET_KEY=long_random_key())

    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_without_database_url_the_app_runs_on_sqlite_with_eager_tasks():
    loaded = imported_settings(DEBUG="1")

    assert loaded["ENGINE"] == "django.db.backends.sqlite3"
    assert loaded["DB_NAME"] == str(BASE_DIR / "db.sqlite3")
    assert loaded["CELERY_TASK_ALWAYS_EAGER"] is True


def test_database_url_selects_postgresql():
    loaded = imported_settings(DEBUG="1", DATABASE_URL="postgres://dps@db.internal:5432/dps")

    assert loaded["ENGINE"] == "django.db.backends.postgresql"
    assert loaded["DB_NAME"] == "dps"


def test_with_a_broker_url_tasks_go_to_the_broker_not_in_process():
    code = """
import json
import django
django.setup()
from misconduct.celery import app
print(json.dumps({"broker": app.conf.broker_url, "eager": app.conf.task_always_eager}))
"""
    broker = "redis://broker.internal:6379/3"
    result = run_python(code, DJANGO_SETTINGS_MODULE="misconduct.settings", DEBUG="1", CELERY_BROKER_URL=broker)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"broker": broker, "eager": False}


def production_environment() -> dict[str, str]:
    return {
        "DEBUG": "0",
        "SECRET_KEY": long_random_key(),
        "ALLOWED_HOSTS": "dps.example",
        "DATABASE_URL": "postgres://dps:unused@127.0.0.1:5432/dps",
    }


def manage_py(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_deploy_check_finds_no_issues_with_production_variables():
    result = manage_py("check", "--deploy", "--fail-level", "WARNING", **production_environment())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_would_notice_hsts_switched_off():
    # The check above is meaningful only if the deploy checks run at all with these variables.
    result = manage_py(
        "check", "--deploy", "--fail-level", "WARNING", **production_environment(), SECURE_HSTS_SECONDS="0"
    )

    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


def test_passwords_are_hashed_with_argon2_first():
    code = """
import django
django.setup()
from django.conf import settings
from django.contrib.auth.hashers import make_password
print(settings.PASSWORD_HASHERS[0])
print(make_password("correct-horse-battery-staple").split("$")[0])
"""
    result = run_python(code, DJANGO_SETTINGS_MODULE="misconduct.settings", DEBUG="1")

    assert result.returncode == 0, result.stderr
    first_hasher, algorithm = result.stdout.split()
    assert first_hasher == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert algorithm == "argon2"
