"""docker-compose.yml cannot run here, so it is read: the services, their health checks, and that
every command names something that exists in this code base (modules, the Celery app, manage.py
commands, the Dockerfile), with no secret written into the file."""

import importlib
import importlib.util
import json
import re
from pathlib import Path

import pytest
import yaml
from celery import Celery
from celery.app.utils import find_app
from celery.bin.celery import celery as celery_cli
from celery.utils.imports import symbol_by_name
from django.core.management import get_commands
from django.urls import resolve

BASE_DIR = Path(__file__).resolve().parents[2]
COMPOSE_FILE = BASE_DIR / "docker-compose.yml"
SERVICES = {"postgres", "redis", "web", "worker", "beat"}
APP_SERVICES = {"web", "worker", "beat", "migrate"}
# Variables read by tools rather than by misconduct/settings.py.
TOOL_VARIABLES = {"WEB_CONCURRENCY"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def command_of(service: dict) -> list[str]:
    command = service["command"]
    assert isinstance(command, list), "commands are exec-form lists, so no shell mangles them"
    return command


def healthcheck_argv(service: dict) -> list[str]:
    test = service["healthcheck"]["test"]
    if isinstance(test, str):
        return ["CMD-SHELL", test]
    return test


def manage_py_commands(argv: list[str]) -> list[str]:
    return [argv[i + 1] for i, word in enumerate(argv[:-1]) if word.endswith("manage.py")]


def celery_app_name(argv: list[str]) -> str:
    return argv[argv.index("-A") + 1]


def test_the_five_services_exist(services):
    assert services.keys() >= SERVICES


def test_postgres_16_and_redis_7(services):
    assert services["postgres"]["image"].split(":")[1].startswith("16")
    assert services["redis"]["image"].split(":")[1].startswith("7")


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_long_running_service_has_a_healthcheck(services, name):
    check = services[name].get("healthcheck")

    assert check, f"{name} has no healthcheck"
    assert not check.get("disable", False)
    argv = healthcheck_argv(services[name])
    assert argv[0] in {"CMD", "CMD-SHELL"} and len(argv) > 1


def test_healthchecks_ask_each_service_the_right_question(services):
    assert healthcheck_argv(services["postgres"])[1] == "pg_isready"
    assert healthcheck_argv(services["redis"])[1:] == ["redis-cli", "ping"]
    worker_check = " ".join(healthcheck_argv(services["worker"])[1:])
    assert re.search(r"celery -A misconduct inspect ping\b", worker_check)
    web_check = healthcheck_argv(services["web"])
    assert web_check[1:3] == ["python", "-c"]
    assert "/healthz" in web_check[3]


@pytest.mark.parametrize("name", ["web", "beat"])
def test_python_healthchecks_are_valid_python(services, name):
    argv = healthcheck_argv(services[name])
    assert argv[1:3] == ["python", "-c"]

    compile(argv[3], f"{name} healthcheck", "exec")


def test_healthz_the_web_check_fetches_exists_and_is_public():
    assert resolve("/healthz").url_name == "healthz"


@pytest.mark.django_db
def test_web_healthcheck_request_passes_production_https_redirect(client, settings):
    # The check sends an allowed Host and X-Forwarded-Proto, as the proxy would; without the header
    # production mode would redirect it to HTTPS and the container would never be healthy.
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["dps.example"]

    checked = client.get("/healthz", HTTP_HOST="dps.example", HTTP_X_FORWARDED_PROTO="https")
    plain = client.get("/healthz", HTTP_HOST="dps.example")

    assert checked.status_code == 200
    assert checked.json()["database"] == "ok"
    assert plain.status_code == 301


def test_web_runs_gunicorn_on_the_wsgi_application_that_exists(services):
    command = command_of(services["web"])
    assert command[0] == "gunicorn"
    assert importlib.util.find_spec("gunicorn") is not None
    module_name, attribute = command[-1].split(":")  # the application is the last argument

    application = getattr(importlib.import_module(module_name), attribute)

    assert (module_name, attribute) == ("misconduct.wsgi", "application")
    assert callable(application)


def dockerfile_cmd() -> list[str]:
    line = next(x for x in (BASE_DIR / "Dockerfile").read_text(encoding="utf-8").splitlines() if x.startswith("CMD "))
    return json.loads(line[4:])


def test_web_and_the_image_run_gunicorn_with_the_config_that_keeps_visitors_out_of_the_logs(services):
    from gunicorn.config import Config

    from misconduct import gunicorn as gunicorn_config

    command = command_of(services["web"])
    # The same command either way, so the image run alone logs as the stack does.
    assert command == dockerfile_cmd()
    assert command[command.index("--config") + 1] == "python:misconduct.gunicorn"
    assert "--access-logfile" not in command and "--access-logformat" not in command
    config = Config()
    for name in ("bind", "accesslog", "access_log_format", "logger_class"):
        config.set(name, getattr(gunicorn_config, name))
    assert config.bind == ["0.0.0.0:8000"]
    assert config.accesslog == "-"
    assert config.logger_class is gunicorn_config.PrivateLogger
    assert not {"%(h)s", "%(a)s", "%(f)s", "%(u)s"} & set(re.findall(r"%\([^)]+\)s", config.access_log_format))


@pytest.mark.parametrize(("name", "subcommand"), [("worker", "worker"), ("beat", "beat")])
def test_celery_services_run_the_misconduct_celery_app(services, name, subcommand):
    command = command_of(services[name])
    assert command[:2] == ["celery", "-A"]
    assert command[command.index("-A") + 2] == subcommand
    assert subcommand in celery_cli.commands

    # The same look-up the celery command line makes for `-A misconduct`.
    found = find_app(celery_app_name(command))

    celery_module = importlib.import_module("misconduct.celery")
    assert isinstance(celery_module.app, Celery)
    assert found is celery_module.app


def test_beat_uses_the_django_celery_beat_database_scheduler(services, settings):
    command = command_of(services["beat"])
    scheduler = command[command.index("--scheduler") + 1]

    assert scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
    assert symbol_by_name(scheduler).__name__ == "DatabaseScheduler"
    assert "django_celery_beat" in settings.INSTALLED_APPS


def test_manage_py_commands_in_compose_and_dockerfile_exist(services):
    dockerfile_argv = (BASE_DIR / "Dockerfile").read_text(encoding="utf-8").split()
    named = manage_py_commands(dockerfile_argv)
    for service in services.values():
        if "command" in service:
            named += manage_py_commands(command_of(service))

    assert "migrate" in named
    assert "collectstatic" in named
    assert set(named) <= set(get_commands())


def test_migrations_run_once_before_the_app_services_start(services):
    assert manage_py_commands(command_of(services["migrate"])) == ["migrate"]
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_services_wait_for_healthy_postgres_and_redis(services, name):
    depends_on = services[name]["depends_on"]

    assert depends_on["postgres"] == {"condition": "service_healthy"}
    assert depends_on["redis"] == {"condition": "service_healthy"}


@pytest.mark.parametrize("name", sorted(APP_SERVICES))
def test_app_services_build_from_the_dockerfile_in_this_repository(services, name):
    build = services[name]["build"]
    context = (COMPOSE_FILE.parent / build["context"]).resolve()

    assert context == BASE_DIR
    assert (context / build.get("dockerfile", "Dockerfile")).is_file()


def test_dockerfile_is_python_311_slim_and_runs_as_a_non_root_user():
    text = (BASE_DIR / "Dockerfile").read_text(encoding="utf-8")
    instructions = [line.split(None, 1) for line in text.splitlines() if line and not line.startswith(("#", " "))]

    assert ["FROM", "python:3.11-slim"] in instructions
    users = [parts[1].strip() for parts in instructions if parts[0] == "USER"]
    assert users, "the image must switch to a non-root user"
    assert users[-1] not in {"root", "0"}


def test_dockerfile_keeps_no_secret_key_in_the_image():
    text = (BASE_DIR / "Dockerfile").read_text(encoding="utf-8")

    assert not re.search(r"^\s*(ENV|ARG)\b.*SECRET_KEY", text, re.MULTILINE)
    # collectstatic gets a throwaway key on its own RUN line, nowhere else.
    assert re.search(r"^RUN .*SECRET_KEY=\S+.*\\\n\s+python manage.py collectstatic", text, re.MULTILINE)


@pytest.mark.parametrize("name", sorted(APP_SERVICES))
def test_app_services_run_in_production_mode(services, name):
    environment = services[name]["environment"]

    assert environment["DEBUG"] == "0"
    assert "DEMO_MODE" not in environment


def test_no_plaintext_secret_key_anywhere_in_the_compose_file(services):
    text = COMPOSE_FILE.read_text(encoding="utf-8")

    assert not re.search(r"\bSECRET_KEY\s*[:=]", text)
    for service in services.values():
        assert "SECRET_KEY" not in service.get("environment", {})


def test_no_password_written_into_a_url(services):
    for service in services.values():
        for value in service.get("environment", {}).values():
            assert not re.search(r"://[^/@\s]*:[^/@\s]*@", str(value)), value


@pytest.mark.parametrize("name", sorted(SERVICES | APP_SERVICES))
def test_file_variables_point_at_secrets_the_service_is_given(compose, services, name):
    service = services[name]
    given = set(service.get("secrets", []))
    for variable, value in service.get("environment", {}).items():
        if not variable.endswith("_FILE"):
            continue
        secret = value.removeprefix("/run/secrets/")

        assert value == f"/run/secrets/{secret}", f"{variable} must name a compose secret"
        assert secret in given, f"{name} reads {variable} but is not given the secret {secret}"
        assert "file" in compose["secrets"][secret]


def test_app_services_get_secret_key_from_a_secret_file(services):
    for name in APP_SERVICES:
        assert services[name]["environment"]["SECRET_KEY_FILE"] == "/run/secrets/django_secret_key"


def test_every_variable_given_to_the_app_is_one_the_settings_read(services):
    settings_source = (BASE_DIR / "misconduct" / "settings.py").read_text(encoding="utf-8")
    for name in APP_SERVICES:
        for variable in services[name]["environment"]:
            if variable in TOOL_VARIABLES:
                continue
            setting = variable.removesuffix("_FILE")

            assert f'"{setting}"' in settings_source, f"{name}: settings never read {setting}"


def test_app_services_get_the_broker_cache_and_database(services):
    for name in APP_SERVICES:
        environment = services[name]["environment"]
        assert environment["CELERY_BROKER_URL"].startswith("redis://redis:6379/")
        assert environment["CACHE_URL"].startswith("redis://redis:6379/")
        assert environment["CACHE_URL"] != environment["CELERY_BROKER_URL"]
        assert "DATABASE_URL_FILE" in environment
        assert environment["ALLOWED_HOSTS"]


def test_postgres_data_lives_in_a_named_volume(compose, services):
    mounts = [volume.split(":") for volume in services["postgres"]["volumes"]]
    sources = [source for source, target, *_ in mounts if target == "/var/lib/postgresql/data"]

    assert len(sources) == 1
    assert not sources[0].startswith((".", "/", "~")), "a bind mount, not a named volume"
    assert sources[0] in compose["volumes"]


def test_build_context_leaves_out_secrets_local_databases_and_the_venv():
    ignored = {
        line.strip().rstrip("/")
        for line in (BASE_DIR / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }

    assert {"secrets", ".venv", ".git", "db.sqlite3", "private-media"} <= ignored
