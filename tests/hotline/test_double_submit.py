"""A report sent twice (a double click, a browser resending the form, two racing requests) is filed once,
and each answer shows the same receipt code, which is derived from the form's one-time token and so is
stored nowhere. Long after, the same form opens nothing."""

import datetime as dt
import re
import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from hotline import receipts, services
from hotline.models import HotlineReport
from tests.hotline.conftest import VALID_REPORT

REPORT_URL = reverse("hotline:report")


def receipt_in(response) -> str:
    match = re.search(rb'data-testid="receipt-code">([^<]+)</strong>', response.content)
    assert match, response.content[:500]
    return match.group(1).decode()


def form_token(client) -> str:
    page = client.get(REPORT_URL)
    match = re.search(rb'name="once_token" value="([^"]+)"', page.content)
    assert match, "the report form carries a one-time token"
    return match.group(1).decode()


@pytest.mark.django_db
def test_the_same_form_sent_twice_files_one_report_and_shows_the_same_receipt(client):
    token = form_token(client)
    first = client.post(REPORT_URL, {**VALID_REPORT, "once_token": token}, REMOTE_ADDR="203.0.113.5")
    again = client.post(REPORT_URL, {**VALID_REPORT, "once_token": token}, REMOTE_ADDR="203.0.113.5")
    assert first.status_code == again.status_code == 200
    assert receipt_in(first) == receipt_in(again)
    assert HotlineReport.objects.count() == 1
    assert services.receipt_lookup(code=receipt_in(again), buckets={}) == HotlineReport.objects.get().pk


@pytest.mark.django_db
def test_going_back_from_the_check_page_to_change_an_answer_keeps_the_one_report(client):
    token = form_token(client)
    answers = {k: v for k, v in VALID_REPORT.items() if k != "send"}
    checked = client.post(REPORT_URL, {**answers, "once_token": token}, REMOTE_ADDR="203.0.113.9")
    changed = client.post(
        REPORT_URL, {**answers, "once_token": token, "change": "what_happened"}, REMOTE_ADDR="203.0.113.9"
    )
    assert f'name="once_token" value="{token}"'.encode() in checked.content
    assert f'name="once_token" value="{token}"'.encode() in changed.content
    first = client.post(REPORT_URL, {**VALID_REPORT, "once_token": token}, REMOTE_ADDR="203.0.113.9")
    again = client.post(REPORT_URL, {**VALID_REPORT, "once_token": token}, REMOTE_ADDR="203.0.113.9")
    assert receipt_in(first) == receipt_in(again)
    assert HotlineReport.objects.count() == 1


@pytest.mark.django_db
def test_two_forms_are_two_reports_with_different_receipts(client):
    one = client.post(REPORT_URL, {**VALID_REPORT, "once_token": form_token(client)}, REMOTE_ADDR="203.0.113.6")
    two = client.post(REPORT_URL, {**VALID_REPORT, "once_token": form_token(client)}, REMOTE_ADDR="203.0.113.6")
    assert receipt_in(one) != receipt_in(two)
    assert HotlineReport.objects.count() == 2


@pytest.mark.django_db
def test_the_same_form_long_after_opens_nothing(client, _clock):
    token = form_token(client)
    client.post(REPORT_URL, {**VALID_REPORT, "once_token": token}, REMOTE_ADDR="203.0.113.7")
    _clock.shift(services.RESUBMIT_WINDOW + dt.timedelta(minutes=1))
    later = client.post(REPORT_URL, {**VALID_REPORT, "once_token": token}, REMOTE_ADDR="203.0.113.7")
    assert later.status_code == 400
    assert b"already sent" in later.content and b'data-testid="receipt-code"' not in later.content
    assert HotlineReport.objects.count() == 1


def test_a_malformed_token_gets_a_random_receipt():
    assert receipts.receipt_for_token("short") is None
    assert receipts.receipt_for_token("é" * receipts.TOKEN_LENGTH) is None
    token = receipts.submission_token_new()
    assert len(token) == receipts.TOKEN_LENGTH
    assert receipts.receipt_for_token(token) == receipts.receipt_for_token(token)
    assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{4}-){4}[0-9A-HJKMNP-TV-Z]{4}", receipts.receipt_for_token(token))


@pytest.mark.django_db(transaction=True)
def test_two_racing_submissions_of_one_form_file_one_report():
    token = form_token(Client())
    barrier, answers = threading.Barrier(2), []

    def send():
        try:
            barrier.wait(timeout=10)
            response = Client().post(REPORT_URL, {**VALID_REPORT, "once_token": token}, REMOTE_ADDR="203.0.113.8")
            answers.append((response.status_code, receipt_in(response)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [status for status, _ in answers] == [200, 200]
    assert len({receipt for _, receipt in answers}) == 1
    assert HotlineReport.objects.count() == 1
