"""What /healthz reports: the database, the cache and the broker, each as one word.

The database is what the web container cannot work without: when it is down /healthz answers 503 and
the container's health check fails. The cache and the broker are reported "down" with status
"degraded" and still 200: requests go on without them (the outbox keeps tasks until the broker is
back, cases/queue.py), and restarting the web container would not bring Redis back. Each probe has a
sub-second timeout, and the body names no host, URL or error message.

Why not django-health-check: 4.8.0 is its last release for Python 3.11 (4.9+ need 3.14); its view
answers 500 when any check fails, with no way to mark the cache or broker as non-critical; its
messages carry the exception text (a broker host name); and its Celery check sends a task through a
worker and waits for it, too slow for a probe every 30 seconds.
"""

from django.core.cache import cache
from django.db import connection

OK, DOWN, NOT_CONFIGURED = "ok", "down", "not configured"
PROBE_TIMEOUT_SECONDS = 0.5


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return DOWN
    return OK


def cache_status() -> str:
    try:
        cache.get("healthz-probe")
    except Exception:
        return DOWN
    return OK


def broker_status() -> str:
    from misconduct.celery import app

    if app.conf.task_always_eager or not app.conf.broker_url:
        return NOT_CONFIGURED
    try:
        with app.connection_for_write(
            connect_timeout=PROBE_TIMEOUT_SECONDS,
            transport_options={
                "socket_connect_timeout": PROBE_TIMEOUT_SECONDS,
                "socket_timeout": PROBE_TIMEOUT_SECONDS,
            },
        ) as conn:
            conn.ensure_connection(max_retries=0, timeout=PROBE_TIMEOUT_SECONDS)
    except Exception:
        return DOWN
    return OK


def health_report() -> tuple[int, dict]:
    """(HTTP status, body): 503 only when the database is down."""
    report = {"database": database_status(), "cache": cache_status(), "broker": broker_status()}
    if report["database"] != OK:
        return 503, {"status": "unavailable", **report}
    if DOWN in report.values():
        return 200, {"status": "degraded", **report}
    return 200, {"status": "ok", **report}
