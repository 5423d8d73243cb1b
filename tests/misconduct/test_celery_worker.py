"""Celery for real: a task goes through Redis to a worker process, which works on the test database.
And the one enqueue helper sends nothing before the surrounding transaction commits."""

import contextlib
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import kombu.pools
import pytest
import redis
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm

from cases.models import Case
from cases.queue import enqueue_on_commit
from cases.tasks import guardian_orphans_clean
from misconduct.celery import app
from tests.factories import CaseFactory, UserFactory

BASE_DIR = Path(__file__).resolve().parents[2]
RESULT_TIMEOUT_SECONDS = 60


def _drop_cached_connections() -> None:
    # The app caches its connection pool, producer pool and result backend the first time they are
    # used; after changing broker_url/result_backend they must be rebuilt from the new settings.
    # kombu keeps the pools in a process-wide registry keyed by broker URL: reset() closes them
    # and empties it, so no later test is handed a closed pool for the same URL.
    kombu.pools.reset()
    app._pool = None
    app.__dict__.pop("amqp", None)
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


def reachable_redis_url() -> str:
    """TEST_REDIS_URL if Redis answers there; skips the test (fails it in CI) otherwise."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError as exc:
        message = f"Redis is not reachable at {url} ({exc}); the worker test needs a real Redis."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture
def redis_url():
    return reachable_redis_url()


@pytest.fixture
def celery_through_redis(redis_url):
    """The Celery app pointed at Redis (not eager) for the duration of one test."""
    keys = ("broker_url", "result_backend", "task_always_eager")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    _drop_cached_connections()
    try:
        yield redis_url
    finally:
        _drop_cached_connections()
        app.conf.update(saved)


def _test_database_url(database: dict) -> str:
    user = quote(database.get("USER") or "", safe="")
    password = quote(database.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or "5432"
    return f"postgres://{credentials}{host}:{port}/{database['NAME']}"


@contextlib.contextmanager
def celery_worker(*, queue: str, broker_url: str, database: dict, log_path: Path):
    """A real `celery worker` process consuming only `queue`, on the test database."""
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(database),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": broker_url,
    }
    env.pop("DATABASE_URL_FILE", None)
    command = [
        *(sys.executable, "-m", "celery", "-A", "misconduct", "worker"),
        *("--pool=solo", "--concurrency=1", "-Q", queue, "--loglevel=INFO"),
        *("--without-heartbeat", "--without-gossip", "--without-mingle"),
        f"--hostname=test-{queue}@%h",
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def wait_for_result(result, *, worker: subprocess.Popen, log_path: Path, timeout: float):
    deadline = time.monotonic() + timeout
    while not result.ready():
        if worker.poll() is not None:
            pytest.fail(f"the worker exited with {worker.returncode}:\n{log_path.read_text()[-4000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"no result within {timeout}s; worker log:\n{log_path.read_text()[-4000:]}")
        time.sleep(0.2)
    return result.get(timeout=5)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_cleans_orphaned_guardian_permission_through_redis(celery_through_redis, settings, tmp_path):
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql", (
        "a worker process can only share the test database on PostgreSQL"
    )
    user = UserFactory()
    case = CaseFactory()
    assign_perm("cases.view_case", user, case)
    orphan = UserObjectPermission.objects.filter(
        content_type=ContentType.objects.get_for_model(Case), object_pk=str(case.pk), user=user
    )
    assert orphan.exists()
    Case.objects.filter(pk=case.pk).delete()
    assert orphan.exists(), "deleting the case must leave the permission behind for the task to clean"

    queue = f"test-worker-{uuid.uuid4().hex}"
    log_path = tmp_path / "worker.log"
    with celery_worker(
        queue=queue, broker_url=celery_through_redis, database=settings.DATABASES["default"], log_path=log_path
    ) as worker:
        result = guardian_orphans_clean.apply_async(queue=queue)
        cleaned = wait_for_result(result, worker=worker, log_path=log_path, timeout=RESULT_TIMEOUT_SECONDS)
        result.forget()

    assert cleaned == 1
    assert not orphan.exists()
    assert "succeeded" in log_path.read_text(), "the task must have run in the worker process, not in this one"


class RecordingTask:
    """Stands in for a Celery task: records what would have been sent to the broker."""

    def __init__(self):
        self.sent = []

    def apply_async(self, args=None, kwargs=None, **options):
        self.sent.append((tuple(args or ()), dict(kwargs or {})))


@pytest.mark.django_db
def test_enqueue_on_commit_sends_nothing_until_the_transaction_commits(django_capture_on_commit_callbacks):
    task = RecordingTask()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_on_commit(task, 42, reason="test")
        assert task.sent == []

    assert task.sent == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert task.sent == [((42,), {"reason": "test"})]


@pytest.mark.django_db
def test_enqueue_on_commit_sends_nothing_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    task = RecordingTask()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        contextlib.suppress(RuntimeError),
        transaction.atomic(),
    ):
        enqueue_on_commit(task, 42)
        raise RuntimeError("roll back")

    assert callbacks == []
    assert task.sent == []
