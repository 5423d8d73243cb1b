"""Throw arbitrary input at the public form and the receipt look-up: never a 500, never a half-stored
report (a report is stored whole, with exactly what was sent, or not at all), always a clear message."""

import os
import time

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from hotline.models import HotlineReport, HotlineReporterContact, HotlineStatus
from hotline.views import SESSION_KEY
from tests.hotline.conftest import VALID_REPORT

pytestmark = pytest.mark.django_db

FIELDS = [
    "category",
    "what_happened",
    "when_happened",
    "where_happened",
    "officer_name_given",
    "collar_number_given",
    "vehicle_given",
    "officer_description",
    "relationship",
    "anonymous",
    "contact_name",
    "contact_email",
    "contact_phone",
]
CATEGORIES = ["selling_information", "personal_advantage", "sexual_boundaries", "abusing_partners", "discrimination"]
ODD = st.sampled_from(
    ["", " ", "\u202eevil", "𝕳𝖊𝖑𝖑𝖔", "👮‍♀️" * 50, "\x00", "a\x00b", "ß" * 3000, "\ufeff", "\r\n" * 100]
    + ["<script>x</script>", "\u0301" * 40, "\ud7ff\ue000\U0010ffff"]
)
# Huge values: a short piece repeated past every field's limit (10,000 characters at most).
HUGE = st.tuples(st.text(min_size=1, max_size=8), st.integers(1_000, 12_000)).map(lambda t: (t[0] * t[1])[:12_000])
TEXT = st.one_of(st.text(max_size=300), HUGE, ODD)
FIELD_VALUE = {
    "category": st.one_of(st.sampled_from(CATEGORIES), TEXT),
    "relationship": st.one_of(st.sampled_from(["victim", "witness", "not_said"]), TEXT),
    "anonymous": st.one_of(st.sampled_from(["yes", "no"]), TEXT),
    "contact_email": st.one_of(st.emails(), TEXT),
}
FILE_BODY = st.one_of(
    st.binary(max_size=2000),
    st.just(b"%PDF-1.4\n%%EOF"),
    st.just(b"\x89PNG\r\n\x1a\n" + b"\x00" * 10),
    st.just(b"\xff\xd8\xff\xe0JFIF"),
    st.just(b"MZ\x90\x00"),
    st.just(b""),
)
# File names as a file picker gives them. Django's multipart parser silently drops a file whose name
# has nothing printable left once paths are cut off (its sanitize_file_name); those are not generated.
FILE_NAME = st.text(max_size=300).filter(
    lambda n: MultiPartParser.sanitize_file_name(None, os.path.basename(n) or "file") is not None
)
FILES = st.lists(st.tuples(FILE_NAME, FILE_BODY), max_size=7)
HYPOTHESIS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@st.composite
def submissions(draw):
    """Half start from a valid report (so the storing path is fuzzed too), then fields are changed or dropped."""
    base = dict(VALID_REPORT) if draw(st.booleans()) else {}
    for name in draw(st.sets(st.sampled_from(FIELDS))):
        base[name] = draw(FIELD_VALUE.get(name, TEXT))
    for name in draw(st.sets(st.sampled_from(FIELDS), max_size=2)):
        base.pop(name, None)
    return base


def plain(value: str) -> str:
    return value.strip()


def post_report(data, files) -> str:
    """Post one submission and check the rule; "stored" or "refused"."""
    cache.clear()
    client = Client(raise_request_exception=False)
    before = HotlineReport.objects.count()
    # The test client itself refuses names with no file part ("/", ".."); a browser's go through its parser.
    uploads = [
        SimpleUploadedFile(name if os.path.basename(name) not in {"", ".", ".."} else "file", body)
        for name, body in files
    ]
    payload = {**data, "send": "yes", **({"evidence": uploads} if uploads else {})}

    response = client.post(reverse("hotline:report"), payload)

    assert response.status_code in (200, 400), response.status_code
    created = HotlineReport.objects.count() - before
    if response.status_code == 400:
        assert created == 0
        assert b"There is a problem" in response.content
        return "refused"
    assert created == 1
    assert b"Write this code down now" in response.content
    report = HotlineReport.objects.order_by("-id").first()
    # Stored whole, with exactly what was sent (less the surrounding whitespace Django trims).
    assert report.category == data["category"]
    assert report.what_happened == plain(data["what_happened"])
    for name in ("when_happened", "where_happened", "officer_name_given", "vehicle_given", "officer_description"):
        assert getattr(report, name) == plain(data.get(name, "")), name
    assert report.status == HotlineStatus.RECEIVED
    assert report.anonymous == (data["anonymous"] == "yes")
    from cases.documents.models import Document

    assert Document.objects.filter(owner_kind="hotline_report", owner_id=report.pk).count() == len(uploads)
    has_contact = HotlineReporterContact.objects.filter(report=report).exists()
    assert has_contact == (not report.anonymous)
    return "stored"


@HYPOTHESIS
@given(data=submissions(), files=FILES)
def test_the_report_form_never_fails_and_never_stores_half_a_report(data, files):
    post_report(data, files)


@HYPOTHESIS
@given(code=st.one_of(st.text(max_size=200), HUGE, ODD), field=st.booleans())
def test_the_receipt_lookup_never_fails_and_opens_nothing_for_a_wrong_code(code, field):
    cache.clear()
    client = Client(raise_request_exception=False)

    response = client.post(reverse("hotline:lookup"), {"receipt": code} if field else {})

    assert response.status_code == 400
    assert b"There is a problem" in response.content
    assert SESSION_KEY not in client.session
    if field and code.strip():
        assert b"We could not find a report with that receipt code" in response.content
    else:
        assert b"This field is required" in response.content


@HYPOTHESIS
@given(body=st.one_of(TEXT, HUGE))
def test_the_reporter_reply_never_fails(body):
    cache.clear()
    client = Client(raise_request_exception=False)
    report = HotlineReport.objects.create(
        reference=f"HL-FUZZ-{HotlineReport.objects.count()}",
        receipt_hash=f"fuzz-{HotlineReport.objects.count()}",
        category="discrimination",
        what_happened="x",
        received_at="2026-11-01T10:00:00Z",
    )
    session = client.session
    session[SESSION_KEY] = {"report": report.pk, "seen": time.time()}
    session.save()

    response = client.post(reverse("hotline:status"), {"body": body})

    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert report.messages.get().body == body.strip()
    else:
        assert not report.messages.exists()
        assert b"There is a problem" in response.content


@pytest.mark.parametrize("outcome", ["stored", "refused"])
def test_the_report_fuzzing_reaches_both_the_stored_and_the_refused_path(outcome):
    # Guards the fuzz test above on its own (no state shared with it): its inputs can both store a
    # report and be refused, so it exercises the storing path and the error path alike.
    found = find(
        st.tuples(submissions(), FILES),
        lambda drawn: post_report(*drawn) == outcome,
        settings=settings(max_examples=200, database=None, phases=[Phase.generate], deadline=None),
    )
    assert post_report(*found) == outcome
