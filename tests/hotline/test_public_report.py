import re
import time

import pytest
import time_machine
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.services import DomainError
from hotline import services
from hotline.models import (
    HotlineEvidence,
    HotlineLookupFailure,
    HotlineMessage,
    HotlineReport,
    HotlineReporterContact,
    HotlineStatus,
    MessageSender,
)
from hotline.views import SESSION_KEY
from tests.factories import UserFactory
from tests.hotline.conftest import VALID_REPORT

pytestmark = pytest.mark.django_db

REPORT_URL = reverse("hotline:report")
LOOKUP_URL = reverse("hotline:lookup")
STATUS_URL = reverse("hotline:status")
CLIENT_ADDRESS = "203.0.113.57"
def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 20, 30)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()  # a real picture: stored evidence pictures are opened and redrawn without their metadata
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def receipt_in(response) -> str:
    match = re.search(rb'data-testid="receipt-code">([^<]+)</strong>', response.content)
    assert match, response.content[:500]
    return match.group(1).decode()


def submit(client, address=CLIENT_ADDRESS, **overrides):
    return client.post(REPORT_URL, {**VALID_REPORT, **overrides}, REMOTE_ADDR=address)


def look_up(client, code, address=CLIENT_ADDRESS):
    return client.post(LOOKUP_URL, {"receipt": code}, REMOTE_ADDR=address)


def every_hotline_value():
    """Every value of every field of every row of every hotline model, as text."""
    for model in apps.get_app_config("hotline").get_models():
        for row in model.objects.all():
            for field in model._meta.concrete_fields:
                yield f"{model.__name__}.{field.name}", str(field.value_from_object(row))


def without_csrf(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def test_submission_stores_exactly_what_was_typed_and_no_client_address(client):
    typed = {
        "category": "sexual_boundaries",
        "what_happened": "  He offered to drop the case if I met him after his shift.\nTwice.",
        "when_happened": "last March",
        "where_happened": "Outside Brixton station",
        "officer_name_given": "PC Dave",
        "collar_number_given": "BX 1234",
        "vehicle_given": "LX70 ABC",
        "officer_description": "Tall, beard, glasses",
        "relationship": "victim",
        "anonymous": "yes",
    }
    response = client.post(
        REPORT_URL, {**typed, "send": "yes"}, REMOTE_ADDR=CLIENT_ADDRESS, HTTP_USER_AGENT="Mozilla/5.0 TestBrowser"
    )

    assert response.status_code == 200
    report = HotlineReport.objects.get()
    for name, value in typed.items():
        if name == "anonymous":
            continue
        # Django strips the surrounding whitespace of text fields, nothing else.
        assert getattr(report, name) == value.strip(), name
    assert report.anonymous is True
    assert report.status == HotlineStatus.RECEIVED
    leaks = [(where, v) for where, v in every_hotline_value() if CLIENT_ADDRESS in v or "TestBrowser" in v]
    assert not leaks


def test_anonymous_reporter_contact_details_are_thrown_away(client):
    submit(client, anonymous="yes", contact_name="Sam", contact_email="sam@example.org", contact_phone="07700900123")

    assert HotlineReport.objects.get().anonymous is True
    assert not HotlineReporterContact.objects.exists()
    assert not any("sam@example.org" in v or "07700900123" in v for _, v in every_hotline_value())


def test_named_reporter_contact_is_kept_apart_from_the_report(client):
    submit(client, anonymous="no", contact_name="Sam Smith", contact_email="sam@example.org")

    report = HotlineReport.objects.get()
    assert report.anonymous is False
    contact = HotlineReporterContact.objects.get(report=report)
    assert (contact.name, contact.email, contact.phone) == ("Sam Smith", "sam@example.org", "")
    report_values = [str(f.value_from_object(report)) for f in HotlineReport._meta.concrete_fields]
    assert not any("sam@example.org" in v or "Sam Smith" in v for v in report_values)


def test_reporter_who_gives_up_anonymity_must_say_how_to_reach_them(client):
    response = submit(client, anonymous="no", contact_name="Sam Smith")

    assert response.status_code == 400
    assert b"give an email address or a phone number" in response.content
    assert not HotlineReport.objects.exists()


def test_receipt_shown_once_opens_the_report_and_only_its_hash_is_stored(client):
    response = submit(client)
    receipt = receipt_in(response)
    assert len(receipt.replace("-", "")) >= 16
    assert "no-store" in response["Cache-Control"]
    report = HotlineReport.objects.get()
    assert not any(receipt in v or receipt.replace("-", "") in v for _, v in every_hotline_value())

    opened = look_up(client, receipt)

    assert opened.status_code == 302 and opened["Location"] == STATUS_URL
    assert client.session[SESSION_KEY]["report"] == report.pk
    page = client.get(STATUS_URL)
    assert page.status_code == 200
    assert b"Received" in page.content
    assert VALID_REPORT["what_happened"].encode() in page.content


def test_receipt_works_typed_in_lower_case_with_spaces(client):
    receipt = receipt_in(submit(client))

    opened = look_up(client, "  " + receipt.lower().replace("-", " ") + " ")

    assert opened.status_code == 302


def test_every_receipt_is_different(client):
    receipts = {receipt_in(submit(client)) for _ in range(5)}
    assert len(receipts) == 5
    assert len(set(HotlineReport.objects.values_list("receipt_hash", flat=True))) == 5


def test_a_wrong_code_gets_the_same_answer_as_any_other_wrong_code(client):
    submit(client)
    answers, query_counts = [], []
    for code in ["7K3M-QX9P-2B8R-T4VW-HN6C", "x", "' OR 1=1 --", "ÄÖÜ" * 30, "\x00\x01"]:
        with CaptureQueriesContext(connection) as queries:
            response = look_up(client, code)
        answers.append((response.status_code, without_csrf(response.content)))
        query_counts.append(len(queries))
    assert answers[0][0] == 400
    assert b"We could not find a report with that receipt code" in answers[0][1]
    assert all(a == answers[0] for a in answers)
    assert len(set(query_counts)) == 1
    assert SESSION_KEY not in client.session


def test_every_wrong_code_costs_one_receipt_hash(client, monkeypatch):
    calls = []
    real = services.receipt_hash
    monkeypatch.setattr(services, "receipt_hash", lambda code: calls.append(code) or real(code))

    for code in ["short", "7K3M-QX9P-2B8R-T4VW-HN6C", "z" * 5000]:
        look_up(client, code)

    assert len(calls) == 3


def test_each_failed_lookup_writes_an_audit_row_without_the_address_or_code(client):
    look_up(client, "AAAA-BBBB-CCCC-DDDD-EEEE")
    look_up(client, "FFFF-GGGG-HHHH-JJJJ-KKKK")

    assert HotlineLookupFailure.objects.count() == 2
    assert not any(CLIENT_ADDRESS in v or "AAAA" in v for _, v in every_hotline_value())


def test_failed_lookups_back_off_longer_each_time_from_one_address(client, settings):
    settings.HOTLINE_LOOKUP_DELAY_BASE = 1
    settings.HOTLINE_LOOKUP_DELAY_CAP = 30
    retry_afters = []

    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(7):
            assert look_up(client, "AAAA-BBBB-CCCC-DDDD-EEEE").status_code == 400
            refused = look_up(client, "AAAA-BBBB-CCCC-DDDD-EEEE")
            assert refused.status_code == 429
            retry_afters.append(int(refused["Retry-After"]))
            clock.shift(retry_afters[-1])
        # Another address (and a fresh session) starts again from the shortest back-off.
        client.cookies.clear()
        assert look_up(client, "AAAA-BBBB-CCCC-DDDD-EEEE", address="198.51.100.10").status_code == 400
        other = look_up(client, "AAAA-BBBB-CCCC-DDDD-EEEE", address="198.51.100.10")

    assert retry_afters == [1, 2, 4, 8, 16, 30, 30]
    assert other.status_code == 429 and other["Retry-After"] == "1"


def test_a_correct_code_starts_no_back_off(client, settings):
    settings.HOTLINE_LOOKUP_DELAY_BASE = 5
    receipt = receipt_in(submit(client))

    with time_machine.travel(timezone.now(), tick=False):
        assert look_up(client, receipt).status_code == 302
        assert look_up(client, "AAAA-BBBB-CCCC-DDDD-EEEE").status_code == 400


def test_the_n_plus_first_submission_from_one_address_is_refused_with_429(client, settings):
    settings.HOTLINE_SUBMIT_RATE_PER_IP = "3/m"

    statuses = [submit(client).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    assert HotlineReport.objects.count() == 3
    refused = submit(client)
    assert refused.status_code == 429 and b"Too many attempts" in refused.content
    assert "Retry-After" in refused
    # Someone else, elsewhere, is not held back by this address.
    assert submit(client, address="198.51.100.20").status_code == 200


def test_past_the_global_submission_limit_only_first_reports_get_through_then_none(client, settings):
    settings.HOTLINE_SUBMIT_RATE_GLOBAL = "2/m"

    with time_machine.travel(timezone.now(), tick=False):
        statuses = [submit(client, address=f"198.51.100.{n}").status_code for n in range(1, 4)]
        # Under pressure an address that already sent one is refused, though within its own limit.
        again = submit(client, address="198.51.100.1").status_code
        statuses += [submit(client, address=f"198.51.100.{n}").status_code for n in range(4, 6)]

    assert statuses == [200, 200, 200, 200, 429]
    assert again == 429
    assert HotlineReport.objects.count() == 4


def test_the_n_plus_first_lookup_from_one_address_is_refused_with_429(client, settings):
    settings.HOTLINE_LOOKUP_RATE_PER_IP = "2/m"
    receipt = receipt_in(submit(client))

    statuses = [look_up(client, "AAAA-BBBB-CCCC-DDDD-EEEE").status_code for _ in range(2)]
    statuses.append(look_up(client, receipt).status_code)

    # Refused before the code is even checked: a right code does not get through the limit.
    assert statuses == [400, 400, 429]


def test_a_filled_honeypot_gets_the_thank_you_page_but_nothing_is_stored(client):
    response = submit(client, website="http://spam.example")

    assert response.status_code == 200
    fake = receipt_in(response)
    assert not HotlineReport.objects.exists()
    assert look_up(client, fake).status_code == 400


def test_the_form_needs_csrf(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(REPORT_URL, VALID_REPORT)

    assert response.status_code == 403
    assert not HotlineReport.objects.exists()


def test_a_receipt_in_the_url_opens_nothing(client):
    receipt = receipt_in(submit(client))

    client.get(LOOKUP_URL, {"receipt": receipt})

    assert SESSION_KEY not in client.session
    assert client.get(STATUS_URL).status_code == 302


def test_the_session_holds_only_the_report_id_and_ends_when_idle(client, settings):
    settings.HOTLINE_SESSION_IDLE_SECONDS = 60
    receipt = receipt_in(submit(client))
    look_up(client, receipt)
    held = client.session[SESSION_KEY]
    assert set(held) == {"report", "seen"}

    session = client.session
    session[SESSION_KEY] = {"report": held["report"], "seen": time.time() - 61}
    session.save()
    response = client.get(STATUS_URL)

    assert response.status_code == 302 and response["Location"] == LOOKUP_URL
    assert SESSION_KEY not in client.session


def test_leaving_ends_the_receipt_session(client):
    look_up(client, receipt_in(submit(client)))

    client.post(reverse("hotline:leave"))

    assert client.get(STATUS_URL).status_code == 302


def test_status_page_without_a_lookup_sends_you_to_the_lookup_form(client):
    submit(client)

    response = client.get(STATUS_URL)

    assert response.status_code == 302 and response["Location"] == LOOKUP_URL


def test_reporter_answer_reaches_the_thread_and_puts_the_report_back_with_the_team(client):
    triage = UserFactory(roles=["hotline_triage"])
    look_up(client, receipt_in(submit(client)))
    report = HotlineReport.objects.get()
    services.report_acknowledge(report=report, by=triage)
    services.report_information_request(report=report, question="Which day was it?", by=triage)

    page = client.get(STATUS_URL)
    assert b"Which day was it?" in page.content and b"We have a question for you" in page.content
    sent = client.post(STATUS_URL, {"body": "A Tuesday."})

    assert sent.status_code == 302
    report.refresh_from_db()
    assert report.status == HotlineStatus.ACKNOWLEDGED
    last = report.messages.last()
    assert (last.sender, last.body, last.author) == (MessageSender.REPORTER, "A Tuesday.", None)


def test_an_empty_reply_is_refused_with_a_message(client):
    look_up(client, receipt_in(submit(client)))

    response = client.post(STATUS_URL, {"body": "   "})

    assert response.status_code == 400 and b"There is a problem" in response.content
    assert not HotlineMessage.objects.exists()


def test_a_closed_report_takes_no_more_messages(client):
    look_up(client, receipt_in(submit(client)))
    services.report_close(
        report=HotlineReport.objects.get(), reason="Not about police", by=UserFactory(roles=["hotline_triage"])
    )

    page = client.get(STATUS_URL)
    assert b"Closed" in page.content and b"Send message" not in page.content
    with pytest.raises(DomainError):
        services.reporter_reply(report_id=HotlineReport.objects.get().pk, body="hello?")


def test_evidence_is_kept_privately_as_documents_on_the_report_with_the_type_its_content_shows(client, settings):
    from cases.documents.models import DocumentVersion

    files = [SimpleUploadedFile("photo.png", PNG), SimpleUploadedFile("letter.txt", b"dear sir")]

    response = client.post(REPORT_URL, {**VALID_REPORT, "evidence": files})

    assert response.status_code == 200
    report = HotlineReport.objects.get()
    stored = {v.original_name: v for v in DocumentVersion.objects.filter(document__owner_kind="hotline_report")}
    assert {v.document.owner_id for v in stored.values()} == {report.pk}
    assert stored["photo.png"].content_type == "image/png"
    assert stored["letter.txt"].content_type == "text/plain"
    for version in stored.values():
        assert version.uploaded_by is None  # the reporter has no account
        path = version.file.path
        assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
        assert "." not in path.rsplit("/", 1)[-1]  # random name, no extension from the reporter
        with pytest.raises(ValueError):
            version.file.url  # noqa: B018 - never served by URL
    with open(stored["letter.txt"].file.path, "rb") as fh:
        assert fh.read() == b"dear sir"


def test_a_file_named_like_a_pdf_but_not_one_is_refused(client):
    disguised = SimpleUploadedFile("statement.pdf", b"MZ\x90\x00\x03 program", content_type="application/pdf")

    response = client.post(REPORT_URL, {**VALID_REPORT, "evidence": [disguised]})

    assert response.status_code == 400
    assert b"is not a PDF, JPEG, PNG or plain text file" in response.content
    assert not HotlineReport.objects.exists()


def test_a_file_over_10_mb_is_refused(client):
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * HotlineEvidence.MAX_BYTES)

    response = client.post(REPORT_URL, {**VALID_REPORT, "evidence": [big]})

    assert response.status_code == 400 and b"larger than 10 MB" in response.content
    assert not HotlineReport.objects.exists()


def test_a_failure_while_storing_leaves_no_report_and_no_file(settings, monkeypatch):
    from hotline import models as hotline_models

    def fail(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(hotline_models.HotlineReportEvent.objects, "create", fail)
    with pytest.raises(RuntimeError):
        services.report_submit(
            data={"category": "discrimination", "what_happened": "x"},
            anonymous=False,
            contact={"email": "a@example.org"},
            files=[SimpleUploadedFile("a.pdf", PDF)],
        )

    assert not HotlineReport.objects.exists()
    assert not HotlineReporterContact.objects.exists()
    assert not HotlineEvidence.objects.exists()
    root = settings.PRIVATE_MEDIA_ROOT
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]


def test_reports_get_progressive_human_references_for_staff(client):
    submit(client)
    submit(client)

    first, second = HotlineReport.objects.order_by("id").values_list("reference", flat=True)
    prefix, number = first.rsplit("-", 1)
    assert second == f"{prefix}-{int(number) + 1:06d}"
    assert prefix.startswith("HL-")


def without_token(content: bytes) -> bytes:
    return re.sub(rb'name="once_token" value="[^"]+"', b"", content)


def test_the_blank_form_page_is_the_same_page_every_time_but_for_its_csrf_token(client):
    first, second = client.get(REPORT_URL), client.get(REPORT_URL)

    assert first.status_code == 200
    for label in (b"What is it about?", b"What happened?", b"Do you want to stay anonymous?", b"Continue"):
        assert label in first.content
    # ...and its one-time submission token, which is new on every page.
    assert without_token(without_csrf(first.content)) == without_token(without_csrf(second.content))


def test_the_whole_public_journey_leaves_the_address_nowhere(client):
    from auditlog.models import LogEntry
    from django.contrib.sessions.models import Session

    triage = UserFactory(roles=["hotline_triage"])
    receipt = receipt_in(submit(client, anonymous="no", contact_email="me@example.org"))
    look_up(client, "AAAA-BBBB-CCCC-DDDD-EEEE")
    look_up(client, receipt)
    services.report_acknowledge(report=HotlineReport.objects.get(), by=triage)
    client.post(STATUS_URL, {"body": "More detail."}, REMOTE_ADDR=CLIENT_ADDRESS)

    assert HotlineMessage.objects.filter(sender=MessageSender.REPORTER).count() == 1
    assert not [(where, v) for where, v in every_hotline_value() if CLIENT_ADDRESS in v]
    assert not LogEntry.objects.filter(remote_addr=CLIENT_ADDRESS).exists()
    assert not any(CLIENT_ADDRESS in str(s.get_decoded()) for s in Session.objects.all())


def test_replies_are_rate_limited_on_their_own_counter(client, settings):
    look_up(client, receipt_in(submit(client)))
    settings.HOTLINE_SUBMIT_RATE_PER_IP = "2/m"

    statuses = [client.post(STATUS_URL, {"body": f"note {n}"}).status_code for n in range(3)]

    assert statuses == [302, 302, 429]
    assert HotlineMessage.objects.count() == 2


def answers_only(**overrides) -> dict:
    """What the question page sends: the answers, without the check page's Send button."""
    return {k: v for k, v in {**VALID_REPORT, **overrides}.items() if k != "send"}


def hidden_inputs(response) -> dict:
    return dict(re.findall(rb'<input type="hidden" name="([^"]+)" value="([^"]*)"', response.content))


def test_the_answers_come_back_for_checking_and_nothing_is_kept_until_send(client):
    from django.contrib.sessions.models import Session

    response = client.post(REPORT_URL, answers_only(collar_number_given="BX 1234"), REMOTE_ADDR=CLIENT_ADDRESS)

    assert response.status_code == 200
    assert b"Check your answers before sending your report" in response.content
    assert b"Using their position for personal advantage" in response.content  # the choice in words
    assert b"BX 1234" in response.content and b'name="evidence"' in response.content
    # The answers ride in the page itself, nothing on the server: no report, no draft, no session.
    hidden = hidden_inputs(response)
    assert hidden[b"collar_number_given"] == b"BX 1234" and hidden[b"category"] == b"personal_advantage"
    assert not HotlineReport.objects.exists() and not HotlineReporterContact.objects.exists()
    assert not any("BX 1234" in str(s.get_decoded()) for s in Session.objects.all())
    assert not [(where, v) for where, v in every_hotline_value() if "BX 1234" in v]


def test_sent_from_the_check_page_the_report_is_filed_with_its_files(client):
    checked = client.post(REPORT_URL, answers_only(when_happened="last March"), REMOTE_ADDR=CLIENT_ADDRESS)
    carried = {k.decode(): v.decode() for k, v in hidden_inputs(checked).items()}

    sent = client.post(
        REPORT_URL,
        {**carried, "send": "yes", "evidence": [SimpleUploadedFile("photo.png", PNG)]},
        REMOTE_ADDR=CLIENT_ADDRESS,
    )

    assert sent.status_code == 200 and receipt_in(sent)
    report = HotlineReport.objects.get()
    assert (report.when_happened, report.category) == ("last March", "personal_advantage")
    from cases.documents.models import DocumentVersion

    stored = DocumentVersion.objects.get(document__owner_kind="hotline_report", document__owner_id=report.pk)
    assert stored.original_name == "photo.png"


def test_each_change_button_goes_back_to_its_question_with_every_answer_kept(client):
    checked = client.post(REPORT_URL, answers_only(where_happened="Brixton"), REMOTE_ADDR=CLIENT_ADDRESS)
    buttons = re.findall(rb'name="change" value="([^"]+)"', checked.content)
    assert set(buttons) >= {b"category", b"what_happened", b"where_happened", b"anonymous"}
    carried = {k.decode(): v.decode() for k, v in hidden_inputs(checked).items()}

    for name in buttons:
        radios = name in {b"category", b"relationship", b"anonymous"}
        anchor = f"id_{name.decode()}" + ("_0" if radios else "")
        back = client.post(REPORT_URL, {**carried, "change": name.decode()}, REMOTE_ADDR=CLIENT_ADDRESS)
        assert back.status_code == 200
        assert b"Make a report" in back.content and b"There is a problem" not in back.content
        # The field the button names has the focus (a radio group: its first radio).
        focused = re.search(rb'<(?:input|textarea)[^>]*\bautofocus\b[^>]*>', back.content).group(0)
        assert f'id="{anchor}"'.encode() in focused, (name, focused)
        assert b'value="Brixton"' in back.content
        assert f'name="once_token" value="{carried["once_token"]}"'.encode() in back.content
    assert not HotlineReport.objects.exists()


def test_an_anonymous_reporters_contact_details_do_not_reach_the_check_page(client):
    checked = client.post(
        REPORT_URL, answers_only(anonymous="yes", contact_email="sam@example.org"), REMOTE_ADDR=CLIENT_ADDRESS
    )
    assert checked.status_code == 200 and b"sam@example.org" not in checked.content

    named = client.post(
        REPORT_URL, answers_only(anonymous="no", contact_email="sam@example.org"), REMOTE_ADDR=CLIENT_ADDRESS
    )
    assert hidden_inputs(named)[b"contact_email"] == b"sam@example.org"


def test_a_refused_file_is_shown_on_the_check_page_with_the_answers_kept(client):
    disguised = SimpleUploadedFile("statement.pdf", b"MZ\x90\x00\x03 program")

    response = client.post(REPORT_URL, {**VALID_REPORT, "evidence": [disguised]}, REMOTE_ADDR=CLIENT_ADDRESS)

    assert response.status_code == 400
    assert b"Check your answers" in response.content and b'href="#id_evidence"' in response.content
    assert hidden_inputs(response)[b"what_happened"] == VALID_REPORT["what_happened"].encode()
    assert not HotlineReport.objects.exists()


def test_a_mistake_on_the_question_page_never_reaches_the_check_page(client):
    response = client.post(REPORT_URL, answers_only(what_happened=""), REMOTE_ADDR=CLIENT_ADDRESS)

    assert response.status_code == 400
    assert b"Make a report" in response.content and b"Check your answers" not in response.content
