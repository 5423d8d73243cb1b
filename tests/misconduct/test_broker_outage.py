"""Redis down: a staff write answers at once and keeps its task in the outbox; when the broker is
back the drain publishes it and a real worker runs it exactly once, however often the drain runs or
the task is delivered."""

import contextlib
import datetime as dt
import json
import socket
import time
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, transaction
from django.urls import reverse
from django.utils import timezone

from cases.models import Allegation, AllegationCategory, OutboxTask
from cases.queue import enqueue_on_commit, outbox_drain
from cases.risk.models import RiskFlag
from cases.risk.tasks import risk_recompute_officer_task
from cases.roles import Role
from misconduct.celery import app
from tests.conftest import sign_in
from tests.factories import AllegationFactory, OfficerFactory, UserFactory
from tests.misconduct.test_celery_worker import _drop_cached_connections, celery_worker, reachable_redis_url
from tests.misconduct.test_settings import PRODUCTION, run_python

WORKER_TIMEOUT_SECONDS = 60
RISK_TASK = risk_recompute_officer_task.name


def closed_port_url() -> str:
    """A Redis URL on a local port nobody listens on: connections are refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@contextlib.contextmanager
def silent_broker_url():
    """A Redis URL on a local port that takes connections and never answers (a hung broker)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(50)
        yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"


@pytest.fixture
def broker():
    """Points the Celery app (not eager) at a broker URL; risk tasks go to a queue of this test only."""
    keys = ("broker_url", "result_backend", "task_always_eager", "task_routes")
    saved = {key: app.conf[key] for key in keys}
    queue = f"test-outage-{uuid.uuid4().hex}"

    class Broker:
        def point_at(self, url: str) -> None:
            app.conf.update(
                broker_url=url,
                result_backend=url,
                task_always_eager=False,
                task_routes={"cases.risk.tasks.*": {"queue": queue}},
            )
            _drop_cached_connections()

    handle = Broker()
    handle.queue = queue
    try:
        yield handle
    finally:
        _drop_cached_connections()
        app.conf.update(saved)


def record_allegation(client, officer):
    url = reverse("cases:allegation_new", args=[officer.public_id])
    return client.post(
        url,
        {
            "category": AllegationCategory.SEXUAL_OFFENCE,
            "source": "public_complaint",
            "received_on": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
            "narrative": "Recorded while the broker is down.",
        },
    )


def wait_until_completed(row, *, worker, log_path) -> None:
    deadline = time.monotonic() + WORKER_TIMEOUT_SECONDS
    while True:
        row.refresh_from_db()
        if row.completed_at is not None:
            return
        if worker.poll() is not None:
            pytest.fail(f"the worker exited with {worker.returncode}:\n{log_path.read_text()[-4000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"the task did not run within {WORKER_TIMEOUT_SECONDS}s:\n{log_path.read_text()[-4000:]}")
        time.sleep(0.2)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_staff_write_with_the_broker_down_answers_at_once_and_its_task_runs_once_when_it_returns(
    client, broker, settings, tmp_path
):
    redis_url = reachable_redis_url()
    officer = OfficerFactory()
    sign_in(client, UserFactory(roles=[Role.INVESTIGATOR]))
    # A warm process, as in production: the first request of a test run also loads templates and urls.
    assert client.get(reverse("cases:officer_detail", args=[officer.public_id])).status_code == 200
    broker.point_at(closed_port_url())

    started = time.monotonic()
    response = record_allegation(client, officer)
    elapsed = time.monotonic() - started

    assert 200 <= response.status_code < 400, response.status_code
    assert elapsed < 1.0, f"the request waited {elapsed:.2f}s on a broker that is down"
    assert Allegation.objects.filter(subject=officer).count() == 1
    waiting = OutboxTask.objects.get(task_name=RISK_TASK, args=[officer.pk])
    assert waiting.dispatched_at is None and waiting.completed_at is None
    assert waiting.attempts == 1 and waiting.last_error
    assert not RiskFlag.objects.filter(officer=officer).exists()

    broker.point_at(redis_url)
    log_path = tmp_path / "worker.log"
    with celery_worker(
        queue=broker.queue, broker_url=redis_url, database=settings.DATABASES["default"], log_path=log_path
    ) as worker:
        assert outbox_drain() == 2  # the risk recompute and the fairness summary's month
        assert outbox_drain() == 0, "a dispatched row is not published again"
        wait_until_completed(waiting, worker=worker, log_path=log_path)
        call_command("outbox_drain")

    log = log_path.read_text()
    assert log.count(f"[{waiting.id}] received") == 1, log[-4000:]
    assert log.count(f"[{waiting.id}] succeeded") == 1, log[-4000:]
    flag = RiskFlag.objects.get(officer=officer, rule_code="sexual_or_domestic_abuse_allegation")
    assert flag.active
    assert flag.events.count() == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_outbox_task_delivered_twice_runs_once(broker, settings, tmp_path):
    redis_url = reachable_redis_url()
    officer = OfficerFactory()
    broker.point_at(redis_url)
    with transaction.atomic():
        enqueue_on_commit(risk_recompute_officer_task, officer.pk)
    row = OutboxTask.objects.get(task_name=RISK_TASK, args=[officer.pk])
    assert row.dispatched_at is not None, "with the broker up the task is published on commit"
    # As after a publish that reached the broker while marking the row dispatched did not.
    risk_recompute_officer_task.apply_async(args=[officer.pk], task_id=str(row.id), ignore_result=True)

    log_path = tmp_path / "worker.log"
    with celery_worker(
        queue=broker.queue, broker_url=redis_url, database=settings.DATABASES["default"], log_path=log_path
    ) as worker:
        wait_until_completed(row, worker=worker, log_path=log_path)
        deadline = time.monotonic() + WORKER_TIMEOUT_SECONDS
        while log_path.read_text().count(f"[{row.id}] succeeded") < 2 and time.monotonic() < deadline:
            assert worker.poll() is None, log_path.read_text()[-4000:]
            time.sleep(0.2)

    log = log_path.read_text()
    assert log.count(f"[{row.id}] received") == 2, log[-4000:]
    assert log.count(f"{row.id} already ran; this delivery is skipped") == 1, log[-4000:]


@pytest.mark.django_db(transaction=True)
def test_with_a_broker_the_outbox_row_rolls_back_with_the_write_that_asked_for_it(broker):
    broker.point_at(closed_port_url())
    officer = OfficerFactory()

    with contextlib.suppress(RuntimeError), transaction.atomic():
        enqueue_on_commit(risk_recompute_officer_task, officer.pk)
        assert OutboxTask.objects.filter(task_name=RISK_TASK).count() == 1
        raise RuntimeError("roll back")

    assert not OutboxTask.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_drain_with_the_broker_still_down_keeps_the_rows_and_says_so(broker):
    broker.point_at(closed_port_url())
    officers = OfficerFactory.create_batch(2)
    with transaction.atomic():
        for officer in officers:
            enqueue_on_commit(risk_recompute_officer_task, officer.pk)

    started = time.monotonic()
    assert outbox_drain() == 0
    with pytest.raises(CommandError, match="did not take every task"):
        call_command("outbox_drain")
    assert time.monotonic() - started < 2.0

    rows = OutboxTask.objects.order_by("created_at")
    assert [row.dispatched_at for row in rows] == [None, None]
    # Each row tried on commit; the drains stop at the first refusal, so only the oldest again.
    assert [row.attempts for row in rows] == [3, 1]
    assert "127.0.0.1" not in rows[0].last_error


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_tasks_run_in_process_after_commit_and_leave_no_outbox_row(settings):
    assert app.conf.task_always_eager, "the test settings configure no broker"
    officer = OfficerFactory()

    with transaction.atomic():
        AllegationFactory(
            subject=officer,
            category=AllegationCategory.SEXUAL_OFFENCE,
            received_on=timezone.localdate() - dt.timedelta(days=3),
            incident_on=None,
        )
        assert not RiskFlag.objects.filter(officer=officer).exists(), "nothing runs before commit"

    assert RiskFlag.objects.filter(officer=officer, rule_code="sexual_or_domestic_abuse_allegation").exists()
    assert not OutboxTask.objects.exists()


@pytest.mark.django_db
def test_a_worker_task_still_runs_when_the_outbox_check_cannot_reach_the_database(monkeypatch):
    # Skipping it would ack the message with nothing done; running it lets its own retries work.
    officer = OfficerFactory()
    AllegationFactory(
        subject=officer,
        category=AllegationCategory.SEXUAL_OFFENCE,
        received_on=timezone.localdate() - dt.timedelta(days=3),
        incident_on=None,
    )

    def database_down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(OutboxTask.objects, "filter", database_down)
    risk_recompute_officer_task.push_request(id=str(uuid.uuid4()), is_eager=False)
    try:
        summary = risk_recompute_officer_task(officer.pk)
    finally:
        risk_recompute_officer_task.pop_request()

    assert summary["raised"] == 1
    assert RiskFlag.objects.filter(officer=officer, rule_code="sexual_or_domestic_abuse_allegation").exists()


@pytest.mark.django_db(transaction=True)
def test_a_staff_write_does_not_wait_on_a_broker_that_takes_connections_but_never_answers(client, broker):
    officer = OfficerFactory()
    sign_in(client, UserFactory(roles=[Role.INVESTIGATOR]))
    assert client.get(reverse("cases:officer_detail", args=[officer.public_id])).status_code == 200

    with silent_broker_url() as url:
        broker.point_at(url)
        started = time.monotonic()
        response = record_allegation(client, officer)
        elapsed = time.monotonic() - started

    assert 200 <= response.status_code < 400, response.status_code
    assert elapsed < 1.0, f"the request waited {elapsed:.2f}s on a broker that does not answer"
    assert OutboxTask.objects.get(task_name=RISK_TASK, args=[officer.pk]).dispatched_at is None


def test_production_settings_give_up_on_redis_in_under_a_second_and_drain_the_outbox_every_minute():
    result = run_python(
        """
import json
from misconduct import settings as s
print(json.dumps({
    "cache": s.CACHES["default"]["OPTIONS"],
    "connect": s.CELERY_BROKER_CONNECTION_TIMEOUT,
    "transport": s.CELERY_BROKER_TRANSPORT_OPTIONS,
    "publish_retry": s.CELERY_TASK_PUBLISH_RETRY,
    "result_connect": s.CELERY_REDIS_SOCKET_CONNECT_TIMEOUT,
    "drain": [(e["task"], e["schedule"].total_seconds()) for e in s.CELERY_BEAT_SCHEDULE.values()
              if e["task"] == "cases.tasks.outbox_drain_task"],
}))
""",
        **PRODUCTION,
        SECRET_KEY="x" * 50,
        CACHE_URL="redis://cache.invalid:6379/1",
        CELERY_BROKER_URL="redis://broker.invalid:6379/0",
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)

    assert 0 < found["cache"]["socket_connect_timeout"] < 1 and 0 < found["cache"]["socket_timeout"] < 1
    assert 0 < found["connect"] < 1 and 0 < found["transport"]["socket_connect_timeout"] < 1
    assert found["transport"]["max_retries"] == 0 and found["publish_retry"] is False
    assert 0 < found["result_connect"] < 1
    assert found["drain"] == [["cases.tasks.outbox_drain_task", 60.0]]


@pytest.mark.django_db(transaction=True)
def test_a_failure_after_commit_in_the_publish_does_not_turn_the_saved_write_into_an_error(client, broker, monkeypatch):
    officer = OfficerFactory()
    sign_in(client, UserFactory(roles=[Role.INVESTIGATOR]))
    broker.point_at(closed_port_url())

    def database_gone(*args, **kwargs):
        raise OperationalError("the database went away after the commit")

    monkeypatch.setattr(OutboxTask.objects, "select_for_update", database_gone)
    response = record_allegation(client, officer)

    assert response.status_code == 302
    assert Allegation.objects.filter(subject=officer).count() == 1
    assert OutboxTask.objects.get(task_name=RISK_TASK, args=[officer.pk]).dispatched_at is None
