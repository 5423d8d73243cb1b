"""The ClamAV path with the real `clamd` client (clamd==1.0.2) talking to a fake daemon started here.

Honestly: this exercises the clamd INSTREAM *protocol* (the command, the length-prefixed chunks, the
"stream: OK" / "stream: <signature> FOUND" answers, a refusal, a hang-up), not the ClamAV engine. The
engine needs a signature database that freshclam fetches from database.clamav.net, which this
machine cannot reach (clamav-daemon is installable from Debian, but would start with no database).
The fake answers FOUND for the EICAR test string, the way the engine does."""

import socket
import socketserver
import struct
import threading

import pytest
from clamd import EICAR
from django.urls import reverse

from cases import services as case_services
from cases.documents import services
from cases.documents.models import Document, DocumentVersion
from cases.errors import DomainError
from cases.roles import Role
from tests.conftest import sign_in
from tests.factories import CaseFactory, UserFactory

from .samples import PDF, upload


class _Clamd(socketserver.BaseRequestHandler):
    def handle(self):
        server = self.server
        stream = self.request.makefile("rb")
        command = stream.readline()
        assert command == b"nINSTREAM\n", command
        received = b""
        while True:
            (size,) = struct.unpack("!L", stream.read(4))
            if size == 0:
                break
            received += stream.read(size)
        server.seen.append(received)
        if server.mode == "hang_up":
            return
        if server.mode == "too_long":
            answer = b"INSTREAM size limit exceeded. ERROR"
        elif EICAR in received:
            answer = b"stream: Eicar-Test-Signature FOUND"
        else:
            answer = b"stream: OK"
        self.request.sendall(answer + b"\n")


class _Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture
def clamd_server(settings):
    server = _Server(("127.0.0.1", 0), _Clamd)
    server.seen, server.mode = [], "scan"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CLAMD_HOST, settings.CLAMD_PORT = "127.0.0.1", server.server_address[1]
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def investigator(db):
    return UserFactory(username="inv-clam", roles=[Role.INVESTIGATOR])


@pytest.fixture
def case(investigator):
    case = CaseFactory()
    case_services.case_assign(
        case=case, investigator=investigator, by=UserFactory(username="sup-clam", roles=[Role.SUPERVISOR])
    )
    return case


def _upload(case, by, *files):
    return services.documents_upload(owner_kind="case", owner=case, files=list(files), by=by, document_type="exhibit")


def _nothing_saved(root):
    stored = [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
    return not Document.objects.exists() and not DocumentVersion.objects.exists() and not stored


def test_a_clean_file_is_scanned_and_stored(clamd_server, case, investigator):
    [document] = _upload(case, investigator, upload("statement.pdf", PDF))
    assert clamd_server.seen == [PDF]  # every byte went to the scanner, in chunks
    assert document.versions.get().size == len(PDF)


def test_an_infected_file_is_refused_and_nothing_saved(clamd_server, case, investigator, documents_root):
    with pytest.raises(DomainError, match="contains a virus or malware"):
        _upload(case, investigator, upload("clean.pdf", PDF), upload("notes.txt", EICAR))
    assert len(clamd_server.seen) == 2 and _nothing_saved(documents_root)


def test_the_upload_page_says_why_an_infected_file_was_refused(
    clamd_server, client, case, investigator, documents_root
):
    sign_in(client, investigator)
    url = reverse("documents:upload", args=["case", case.public_id])
    response = client.post(url, {"document_type": "exhibit", "files": [upload("notes.txt", EICAR)]})
    assert response.status_code == 400
    assert b"notes.txt: This file contains a virus or malware" in response.content
    assert _nothing_saved(documents_root)


@pytest.mark.parametrize("mode", ["down", "hang_up", "too_long"])
def test_a_scanner_that_cannot_answer_refuses_the_file(
    mode, clamd_server, client, case, investigator, documents_root, settings
):
    """Fail closed: no daemon listening, a daemon that hangs up, or one that gives no verdict."""
    if mode == "down":
        with socket.socket() as probe:  # a port with nothing listening
            probe.bind(("127.0.0.1", 0))
            free_port = probe.getsockname()[1]
        settings.CLAMD_PORT = free_port
    clamd_server.mode = mode
    with pytest.raises(DomainError, match="could not check this file"):
        _upload(case, investigator, upload("statement.pdf", PDF))
    assert _nothing_saved(documents_root)
    sign_in(client, investigator)
    url = reverse("documents:upload", args=["case", case.public_id])
    response = client.post(url, {"document_type": "exhibit", "files": [upload("statement.pdf", PDF)]})
    assert response.status_code == 400 and b"could not check this file. Try again later." in response.content
    assert _nothing_saved(documents_root)
