"""Whatever the file is called (names made by hypothesis, path parts and control characters
included): every refusal (HTML as .pdf, an SVG with a script, a zip bomb, over the size limit, 30
files at once) names the file, says why and saves nothing; and an accepted file is stored under a
random name inside the documents storage, its own name kept only as display text (no directory part,
no control characters) that downloads as a well-formed attachment header."""

import os
import re
import unicodedata

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from cases import services as case_services
from cases.documents import services
from cases.documents.models import Document, DocumentVersion
from cases.errors import DomainError
from cases.roles import Role
from tests.conftest import sign_in
from tests.factories import CaseFactory, UserFactory

from .samples import HTML, PDF, SVG, TEXT, docx_bomb, upload

BOMB = docx_bomb()
_names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=120)
_nasty = st.one_of(
    _names,
    st.builds(lambda a, b: f"../../{a}/{b}", _names, _names),
    st.builds(lambda a: f"C:\\Windows\\{a}", _names),
    st.builds(lambda a, b: f"{a}\r\n{b}", _names, _names),
    st.builds(lambda a: f"invoice\u202e{a}fdp.exe", _names),
)
examples = hsettings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _shown(name):
    """What the message and the version may show of a name: its last path part, nothing unprintable."""
    base = re.split(r"[\\/]", name)[-1]
    return "".join(c for c in base if unicodedata.category(c) not in {"Cc", "Cf", "Zl", "Zp"}).strip()[:200] or "file"


@pytest.fixture
def investigator(db):
    return UserFactory(username="inv-names", roles=[Role.INVESTIGATOR])


@pytest.fixture
def case(investigator):
    case = CaseFactory()
    case_services.case_assign(
        case=case, investigator=investigator, by=UserFactory(username="sup-names", roles=[Role.SUPERVISOR])
    )
    return case


def _nothing_saved(root):
    stored = [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
    return not Document.objects.exists() and not DocumentVersion.objects.exists() and not stored


def _refused(case, by, root, files, why):
    with pytest.raises(DomainError, match=why) as refused:
        services.documents_upload(owner_kind="case", owner=case, files=files, by=by, document_type="exhibit")
    assert refused.value.field == "files" and _nothing_saved(root)
    return str(refused.value)


# What is refused for what it is, whatever it is called: its bytes, the type the browser claims, the
# suffixes it may come under, and the reason the message gives.
REFUSED_CONTENT = {
    "html named as a pdf": (HTML, "application/pdf", [".pdf", ".PDF", ".txt", ""], "this kind of file is not accepted"),
    "an svg with a script": (
        SVG,
        "image/svg+xml",
        [".svg", ".png", ".jpg", ".txt"],
        "this kind of file is not accepted",
    ),
    "a zip bomb": (BOMB, "application/octet-stream", [".docx", ".pdf", ""], "zip bomb"),
}


@pytest.mark.parametrize("what", REFUSED_CONTENT)
@examples
@given(name=_nasty, data=st.data())
def test_a_refused_file_is_named_in_the_message_and_nothing_is_saved(
    case, investigator, documents_root, what, name, data
):
    content, content_type, suffixes, why = REFUSED_CONTENT[what]
    filename = name + data.draw(st.sampled_from(suffixes), label="suffix")
    message = _refused(case, investigator, documents_root, [upload(filename, content, content_type)], why)
    assert message.startswith(_shown(filename) + ": ")


@examples
@given(name=_nasty)
def test_a_file_over_the_limit_is_refused(case, investigator, documents_root, settings, name):
    settings.DOCUMENTS_MAX_BYTES = 2048
    message = _refused(case, investigator, documents_root, [upload(name, PDF + b"0" * 2048)], "larger than")
    assert message.startswith(_shown(name) + ": ")


@hsettings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(_nasty, min_size=30, max_size=30))
def test_thirty_files_at_once_are_refused(case, investigator, documents_root, names):
    files = [upload(n, TEXT) for n in names]
    assert "(you chose 30)" in _refused(case, investigator, documents_root, files, "at most 10 files")


@examples
@given(name=_nasty)
def test_an_accepted_name_is_display_text_only(client, case, investigator, documents_root, name):
    [document] = services.documents_upload(
        owner_kind="case", owner=case, files=[upload(name, PDF)], by=investigator, document_type="exhibit"
    )
    version = document.versions.get()
    assert re.fullmatch(r"documents/[0-9a-f]{32}", version.file.name)  # random, no extension, no user text
    assert os.path.realpath(version.file.path).startswith(os.path.realpath(documents_root) + os.sep)
    assert version.original_name == _shown(name)
    sign_in(client, investigator)
    response = client.get(reverse("documents:download", args=[document.public_id]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename") and "\n" not in disposition and "\r" not in disposition
