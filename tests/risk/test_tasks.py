"""Saving a watched record enqueues the officer's recompute after commit; the tasks are idempotent
and retry on database errors; and, end to end, a real worker on real Redis raises the flag."""

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from unittest import mock

import kombu.pools
import pytest
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone

from cases.risk.models import RiskFlag, RiskFlagEvent
from cases.risk.services import RecomputeSummary
from cases.risk.tasks import risk_recompute_all_task, risk_recompute_officer_task
from hotline import models as hm
from tests.factories import (
    AllegationFactory,
    HotlineReportFactory,
    OfficerFactory,
    OnyxReviewFactory,
    PNDCheckFactory,
    VettingClearanceFactory,
)
from vetting import models as vm


def _allegations(officer, n=3):
    return [
        AllegationFactory(
            subject=officer, received_on=timezone.localdate() - dt.timedelta(days=10 * i), incident_on=None
        )
        for i in range(n)
    ]


@pytest.mark.django_db
def test_saving_an_allegation_recomputes_its_subject_only_after_commit(django_capture_on_commit_callbacks):
    officer = OfficerFactory()
    with django_capture_on_commit_callbacks(execute=False) as pending:
        _allegations(officer)
    assert not RiskFlag.objects.filter(officer=officer).exists()  # nothing before commit
    assert len([p for p in pending if "risk_recompute" in repr(p)]) == 3  # beside the fairness summary's

    for callback in pending:
        callback()  # eager Celery in tests: the task runs here

    assert RiskFlag.objects.get(officer=officer, rule_code="allegations_in_window").active


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "rule_code"),
    [
        (lambda o: PNDCheckFactory(officer=o, result=vm.PNDResult.CRIMINAL_ASSOCIATION), "pnd_hit"),
        (lambda o: VettingClearanceFactory(officer=o, status=vm.ClearanceStatus.WITHDRAWN), "vetting_adverse"),
        (
            lambda o: [
                HotlineReportFactory(officer=o, status=hm.HotlineStatus.LINKED, linked_at=timezone.now())
                for _ in range(2)
            ],
            "hotline_reports",
        ),
        (lambda o: OnyxReviewFactory(subject=o, decided=True, decision="risk_management"), "onyx_risk_management"),
    ],
)
def test_vetting_hotline_and_onyx_changes_enqueue_the_recompute(django_capture_on_commit_callbacks, make, rule_code):
    officer = OfficerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        make(officer)

    assert RiskFlag.objects.get(officer=officer, rule_code=rule_code).active


@pytest.mark.django_db
def test_recompute_tasks_are_idempotent():
    officer = OfficerFactory()
    _allegations(officer)
    risk_recompute_officer_task.apply(args=[officer.id]).get()
    first = list(RiskFlag.objects.values_list("id", "level", "reasons", "first_seen"))
    events = RiskFlagEvent.objects.count()

    risk_recompute_officer_task.apply(args=[officer.id]).get()
    risk_recompute_all_task.apply().get()

    assert list(RiskFlag.objects.values_list("id", "level", "reasons", "first_seen")) == first
    assert RiskFlagEvent.objects.count() == events


@pytest.mark.django_db
def test_recompute_task_retries_on_a_database_error():
    with mock.patch(
        "cases.risk.services.risk_recompute_officer", side_effect=[OperationalError("db gone"), RecomputeSummary()]
    ) as service:
        result = risk_recompute_officer_task.apply(args=[1], throw=False)

    assert result.successful()
    assert service.call_count == 2


def _redis_url():
    return os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _require_redis(url):
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Redis at {url} is unreachable in CI: {error}")
        pytest.skip(f"Redis at {url} is unreachable: {error}")


def _test_database_url():
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgresql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _forget_connections(app):
    # The app caches its queues, router, pools and result backend from the configuration it first
    # saw; kombu keeps connection pools process-wide by broker URL: reset() closes and forgets them,
    # so neither this test nor a later one is handed a pool for the wrong (or a closed) connection.
    kombu.pools.reset()
    app._pool = None
    app.__dict__.pop("amqp", None)
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_raises_the_flag_after_an_allegation_is_saved(tmp_path):
    from misconduct.celery import app

    url = _redis_url()
    _require_redis(url)
    queue = f"risk-test-{uuid.uuid4().hex}"
    keys = ("broker_url", "result_backend", "task_always_eager", "task_default_queue")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(broker_url=url, result_backend=url, task_always_eager=False, task_default_queue=queue)
    _forget_connections(app)
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": url,
        "CELERY_RESULT_BACKEND": url,
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "misconduct", "worker", "--pool=solo", "-Q", queue,
         "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--loglevel=INFO"],
        cwd=Path(settings.BASE_DIR), env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        officer = OfficerFactory()
        _allegations(officer)  # each save commits (no test transaction) and enqueues on commit

        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and worker.poll() is None:
            flag = RiskFlag.objects.filter(officer=officer, rule_code="allegations_in_window", active=True).first()
            if flag is not None:
                break
            time.sleep(0.5)
        else:
            log.flush()
            pytest.fail(f"no flag within 90 s; worker log:\n{(tmp_path / 'worker.log').read_text()[-3000:]}")
        assert sorted(r["ids"] for r in flag.reasons)[0] == sorted(officer.allegations.values_list("id", flat=True))
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()
        app.conf.update(saved)
        _forget_connections(app)
