"""The public hotline's limits keep it open for genuine reporters: a flood from a few addresses spends
only their own budget, a dead cache falls back to local limits, and the receipt back-off refuses at
once instead of holding a worker."""

import json
import logging
import socket
import time

import pytest
import time_machine
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from hotline import ratelimits, services
from hotline.models import HotlineReport
from tests.hotline.test_public_report import CLIENT_ADDRESS, look_up, receipt_in, submit
from tests.misconduct.test_settings import run_python

pytestmark = pytest.mark.django_db

REPORT_URL = reverse("hotline:report")
LOOKUP_URL = reverse("hotline:lookup")
STATUS_URL = reverse("hotline:status")
DEAD_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
    }
}


def flood(client, url, *, addresses, each, data=None):
    """Invalid posts (cheap for the server, counted all the same) from a handful of addresses."""
    statuses = []
    for n in range(addresses):
        for _ in range(each):
            statuses.append(client.post(url, data or {}, REMOTE_ADDR=f"192.0.2.{n + 1}").status_code)
    return statuses


def test_a_flood_from_a_few_addresses_leaves_the_report_form_open_to_a_new_address(client, settings):
    settings.HOTLINE_SUBMIT_RATE_PER_IP = "5/h"
    settings.HOTLINE_SUBMIT_RATE_GLOBAL = "50/m"

    with time_machine.travel(timezone.now(), tick=False):
        statuses = flood(client, REPORT_URL, addresses=4, each=40)
        response = submit(client, address="198.51.100.77")

    assert statuses.count(429) == 4 * 35  # each flooder is held to its own five
    assert response.status_code == 200
    assert HotlineReport.objects.count() == 1


def test_a_flood_from_a_few_addresses_leaves_follow_up_open_to_a_reporter_with_a_receipt(client, settings):
    settings.HOTLINE_LOOKUP_RATE_PER_IP = "10/h"
    settings.HOTLINE_LOOKUP_RATE_GLOBAL = "50/m"
    receipt = receipt_in(submit(client, address="198.51.100.77"))

    with time_machine.travel(timezone.now(), tick=False):
        statuses = flood(client, LOOKUP_URL, addresses=4, each=40)
        response = look_up(client, receipt, address="198.51.100.78")

    assert statuses.count(429) == 4 * 30
    assert response.status_code == 302 and response["Location"] == STATUS_URL


def test_under_pressure_from_many_addresses_a_new_reporter_still_gets_through(client, settings):
    settings.HOTLINE_SUBMIT_RATE_PER_IP = "5/h"
    settings.HOTLINE_SUBMIT_RATE_GLOBAL = "20/m"

    with time_machine.travel(timezone.now(), tick=False):
        statuses = flood(client, REPORT_URL, addresses=6, each=5)  # 30 admitted-size posts > 20
        response = submit(client, address="198.51.100.77")

    assert statuses[:20] == [400] * 20
    assert 429 in statuses[20:]
    assert response.status_code == 200


def test_the_limits_know_the_sender_behind_a_trusted_proxy_and_ignore_forged_entries(settings):
    settings.HOTLINE_TRUSTED_PROXIES = ["10.0.0.0/8"]
    factory = RequestFactory()

    def sender(remote, forwarded=None):
        extra = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return str(ratelimits.client_address(factory.post("/", **extra)))

    assert sender("10.1.2.3", "198.51.100.7") == "198.51.100.7"
    # Whatever the client wrote to the left of what the proxy appended is not believed.
    assert sender("10.1.2.3", "203.0.113.1, 198.51.100.7") == "198.51.100.7"
    assert sender("10.1.2.3", "198.51.100.7, 10.9.9.9") == "198.51.100.7"
    # Only the trusted proxy's header counts: a client cannot claim another address by sending one.
    assert sender("198.51.100.7", "203.0.113.1") == "198.51.100.7"


def test_with_the_cache_down_reports_are_taken_a_warning_is_logged_and_a_flood_is_still_refused(
    client, settings, caplog
):
    settings.HOTLINE_SUBMIT_RATE_PER_IP = "3/h"
    caplog.set_level(logging.WARNING, logger="hotline.ratelimits")

    started = time.perf_counter()
    with override_settings(CACHES=DEAD_CACHE):
        statuses = [submit(client, address="198.51.100.5").status_code for _ in range(5)]
        other = submit(client, address="198.51.100.6").status_code
    took = time.perf_counter() - started

    assert statuses == [200, 200, 200, 429, 429]
    assert other == 200
    assert HotlineReport.objects.count() == 4
    assert any("cache unreachable" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert took < 3, f"six requests against a dead cache took {took:.1f} s"


def test_with_the_cache_down_follow_up_works_and_wrong_codes_still_back_off(client, settings):
    settings.HOTLINE_LOOKUP_DELAY_BASE = 5
    receipt = receipt_in(submit(client))

    with override_settings(CACHES=DEAD_CACHE), time_machine.travel(timezone.now(), tick=False):
        assert look_up(client, "AAAA-BBBB-CCCC-DDDD-EEEE").status_code == 400
        assert look_up(client, receipt).status_code == 429
        client.cookies.clear()
        assert look_up(client, receipt, address="198.51.100.6").status_code == 302


def test_a_wrong_code_during_the_back_off_is_refused_at_once_and_the_right_code_works_after_it(client, settings):
    settings.HOTLINE_LOOKUP_DELAY_BASE = 4
    settings.HOTLINE_LOOKUP_DELAY_CAP = 60
    receipt = receipt_in(submit(client))

    with time_machine.travel(timezone.now(), tick=False) as clock:
        started = time.perf_counter()
        first = look_up(client, "AAAA-BBBB-CCCC-DDDD-EEEE")
        during = look_up(client, "FFFF-GGGG-HHHH-JJJJ-KKKK")
        right_during = look_up(client, receipt)
        took = time.perf_counter() - started
        clock.shift(3)
        still = look_up(client, receipt)
        clock.shift(1)
        after = look_up(client, receipt)

    assert first.status_code == 400
    assert during.status_code == 429 and during["Retry-After"] == "4"
    # The back-off holds every code alike, so a guess made during it learns nothing.
    assert right_during.status_code == 429 and right_during.content == during.content
    assert still.status_code == 429 and still["Retry-After"] == "1"
    assert after.status_code == 302 and after["Location"] == STATUS_URL
    assert took < 2, f"three look-ups took {took:.1f} s: something waited inside the request"


def test_no_request_code_of_the_hotline_sleeps():
    import inspect

    from hotline import views

    for module in (views, services, ratelimits):
        assert "sleep(" not in inspect.getsource(module), module.__name__


def test_the_reply_form_is_limited_per_address_without_spending_the_shared_budget(client, settings):
    settings.HOTLINE_SUBMIT_RATE_PER_IP = "2/h"
    settings.HOTLINE_SUBMIT_RATE_GLOBAL = "3/m"
    receipt = receipt_in(submit(client, address="198.51.100.77"))
    reporter = client.__class__()
    assert look_up(reporter, receipt, address="198.51.100.78").status_code == 302

    with time_machine.travel(timezone.now(), tick=False):
        flooded = [reporter.post(STATUS_URL, {"body": ""}, REMOTE_ADDR="192.0.2.1").status_code for _ in range(20)]
        reply = reporter.post(STATUS_URL, {"body": "More detail."}, REMOTE_ADDR="198.51.100.78")

    assert flooded.count(429) == 18
    assert reply.status_code == 302


def test_no_cache_key_holds_the_session_key_or_the_address(client, settings):
    settings.HOTLINE_LOOKUP_DELAY_BASE = 1
    session = client.session
    session["seen-the-start-page"] = True
    session.save()

    look_up(client, "AAAA-BBBB-CCCC-DDDD-EEEE")
    look_up(client, "AAAA-BBBB-CCCC-DDDD-EEEE")
    submit(client)

    keys = list(cache._cache)  # the test's in-memory cache
    assert any("lookup-retry-at:session" in k for k in keys) and any("lookup-retry-at:address" in k for k in keys)
    assert not [k for k in keys if session.session_key in k or CLIENT_ADDRESS in k]


def test_a_cache_that_accepts_but_never_answers_costs_one_short_timeout_not_a_hang(client, settings):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)  # connections are queued by the kernel, and never answered
    location = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
    hung = {"default": {**DEAD_CACHE["default"], "LOCATION": location}}
    try:
        started = time.perf_counter()
        with override_settings(CACHES=hung):
            statuses = [submit(client, address="198.51.100.5").status_code for _ in range(3)]
        took = time.perf_counter() - started
    finally:
        silent.close()

    assert statuses == [200, 200, 200]
    assert took < 3, f"three reports against a silent cache took {took:.1f} s"


def test_production_settings_give_the_redis_cache_short_timeouts_and_keep_the_hmac_key_apart():
    result = run_python(
        "import json; from misconduct import settings as s; "
        "print(json.dumps([s.CACHES['default']['OPTIONS'], s.HOTLINE_RATELIMIT_KEY, s.SECRET_KEY]))",
        DEBUG="0",
        ALLOWED_HOSTS="dps.example",
        SECRET_KEY="settings-test-key-not-secret-0123456789abcdefghijklmnop",
        CACHE_URL="redis://redis:6379/1",
    )
    options, hmac_key, secret_key = json.loads(result.stdout)

    assert 0 < options["socket_connect_timeout"] <= 1
    assert 0 < options["socket_timeout"] <= 1
    assert len(hmac_key) >= 32 and hmac_key != secret_key
