"""The deployed web server leaves no trace of who used the hotline: gunicorn is started the way the
Dockerfile starts it, 200 hotline posts arrive from 20 addresses through a trusted proxy, and then
no log (access log, error log, Django's logging) holds an address or the user agent, and no Redis key
can be matched to an address by hashing candidate addresses without the secret.

The server runs against this test's own PostgreSQL test database (transactional_db commits the
rows, so another process sees them, and flushes them afterwards) and a real Redis at TEST_REDIS_URL.
That keeps it on the database production uses and costs no migrate run."""

import hashlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]
PROXY = "127.0.0.1"  # the test client stands in for the TLS proxy in front
ADDRESSES = [f"203.0.113.{n}" for n in range(1, 11)] + [f"2001:db8:{n:x}::{n}" for n in range(1, 11)]
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) ReporterBrowser/97.3 marker-7f3a"
BAD_HOST = "198.51.100.250"
REPORT = {
    "category": "personal_advantage",
    "what_happened": "An officer took money to make a speeding ticket go away.",
    "anonymous": "yes",
    "relationship": "victim",
    "send": "yes",  # the check-answers page's Send button
}
REPORTS_PER_ADDRESS = 9  # and one receipt look-up: 10 posts from each of the 20 addresses
SUBMIT_RATE = "20/m"


def gunicorn_argv_from_dockerfile() -> list[str]:
    """The web server's command exactly as the image runs it (CMD), on a local port."""
    line = next(x for x in (BASE_DIR / "Dockerfile").read_text(encoding="utf-8").splitlines() if x.startswith("CMD "))
    argv = json.loads(line[4:])
    assert argv[0] == "gunicorn"
    return [sys.executable, "-m", "gunicorn", *argv[1:]]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((PROXY, 0))
        return s.getsockname()[1]


def redis_client():
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI", "").lower() == "true":
            raise
        pytest.skip(f"no Redis at {url}")
    return url, client


class Visitor:
    """One reporter's browser, arriving through the proxy: its address is in X-Forwarded-For."""

    def __init__(self, port, address):
        self.port, self.address, self.cookies = port, address, {}

    def request(self, method, path, fields=None, headers=None):
        conn = HTTPConnection(PROXY, self.port, timeout=30)
        body = urllib.parse.urlencode(fields) if fields is not None else None
        sent = {"X-Forwarded-For": self.address, "User-Agent": USER_AGENT, "Host": "localhost"}
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sent.update(headers or {})
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response.status, content

    def posts(self):
        status, page = self.request("GET", "/hotline/report/")
        assert status == 200
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        statuses = [
            self.request("POST", "/hotline/report/", {**REPORT, "csrfmiddlewaretoken": token})[0]
            for _ in range(REPORTS_PER_ADDRESS)
        ]
        status, page = self.request("GET", "/hotline/follow-up/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        lookup = self.request(
            "POST", "/hotline/follow-up/", {"receipt": "AAAA-BBBB-CCCC-DDDD-EEEE", "csrfmiddlewaretoken": token}
        )
        return statuses, lookup[0]


def unkeyed_digests(address: str) -> set[str]:
    """What an enumerator computes for a candidate address: every plain hash of it (and of its
    network), and django-ratelimit's unkeyed cache keys for the hotline's old groups and rates."""
    from django_ratelimit.core import _get_window, _make_cache_key, _split_rate

    values = {address}
    if ":" in address:
        import ipaddress

        values.add(str(ipaddress.ip_network(f"{address}/64", strict=False)))
        values.add(str(ipaddress.ip_network(f"{address}/64", strict=False).network_address))
    digests = set()
    for value in values:
        for name in sorted(hashlib.algorithms_guaranteed - {"shake_128", "shake_256"}):
            digests.add(hashlib.new(name, value.encode()).hexdigest()[:16])
        for group in ("hotline-submit-ip", "hotline-lookup-ip", "hotline-reply-ip"):
            for rate in (SUBMIT_RATE, "10/h", "5/h", "1000/m"):
                window = _get_window(value, _split_rate(rate)[1])
                digests.add(_make_cache_key(group, window, rate, value, "POST").removeprefix("rl:")[:16])
    return digests


@pytest.mark.django_db(transaction=True)
def test_gunicorn_logs_and_redis_keep_no_trace_of_the_hotline_senders(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the server process shares this test's PostgreSQL test database")
    redis_url, redis = redis_client()
    redis.flushdb()
    db = connection.settings_dict
    port = free_port()
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("HOTLINE_", "CACHE", "CELERY", "DATABASE", "SECURE"))
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="gunicorn-test-key-not-secret-0123456789abcdefghijklmnop",
        ALLOWED_HOSTS="localhost",
        DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        CACHE_URL=redis_url,
        SECURE_SSL_REDIRECT="0",
        HOTLINE_TRUSTED_PROXIES=PROXY,
        HOTLINE_SUBMIT_RATE_PER_IP=SUBMIT_RATE,
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private-media"),
        WEB_CONCURRENCY="2",
        DJANGO_SETTINGS_MODULE="tests.hotline.server_settings",
    )
    out, err = tmp_path / "stdout.log", tmp_path / "stderr.log"
    argv = [*gunicorn_argv_from_dockerfile(), "--bind", f"{PROXY}:{port}"]
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        server = subprocess.Popen(argv, cwd=BASE_DIR, env=env, stdout=stdout, stderr=stderr)
    try:
        deadline, answer = time.monotonic() + 30, None
        while answer != 200:
            try:
                answer = Visitor(port, ADDRESSES[0]).request("GET", "/hotline/")[0]
            except OSError:
                time.sleep(0.2)
            assert server.poll() is None, err.read_text()
            assert time.monotonic() < deadline, f"gunicorn did not start ({answer}): {err.read_text()[-3000:]}"

        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(lambda a: Visitor(port, a).posts(), ADDRESSES))
        # Lines Django itself logs: a 404, a CSRF refusal, a Host header that is an address.
        stranger = Visitor(port, ADDRESSES[0])
        assert stranger.request("GET", "/hotline/nowhere/")[0] == 404
        assert stranger.request("POST", "/hotline/report/", REPORT)[0] == 403
        assert stranger.request("GET", "/hotline/", headers={"Host": BAD_HOST})[0] == 400
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    assert all(statuses == [200] * REPORTS_PER_ADDRESS and lookup == 400 for statuses, lookup in results), results
    logs = out.read_text(encoding="utf-8") + err.read_text(encoding="utf-8")
    # The logs are there and were written by all three sources: access, gunicorn, Django.
    assert logs.count('POST /hotline/report/ HTTP/1.1" 200') == 20 * REPORTS_PER_ADDRESS, logs[-3000:]
    assert "Booting worker" in logs
    assert "Not Found: /hotline/nowhere/" in logs and "Forbidden (CSRF" in logs and "Invalid HTTP_HOST" in logs
    for address in [*ADDRESSES, PROXY, BAD_HOST]:
        assert address not in logs, f"{address} is in the logs"
    assert "ReporterBrowser" not in logs and "marker-7f3a" not in logs

    keys = [key.decode() for key in redis.keys("*")]
    address_keys = [k for k in keys if ":address:" in k and ":rl:submit:" in k]
    assert len(address_keys) == len(ADDRESSES), keys  # one bucket per sender: the proxy was seen through
    for address in [*ADDRESSES, PROXY]:
        found = [(d, k) for d in unkeyed_digests(address) for k in keys if d in k or address in k]
        assert not found, f"{address} can be recovered from Redis: {found[:3]}"
    redis.flushdb()
