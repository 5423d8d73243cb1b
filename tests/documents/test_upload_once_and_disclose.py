"""The upload form is done once per form (a double click or a resent POST stores one document, even
when both arrive at once), and the disclosure form: a valid mark writes a custody event, a bad date
is a field error, and those who may not change the document get 404 and write nothing."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.urls import reverse

from cases import services as case_services
from cases.documents import services
from cases.documents.models import CustodyAction, CustodyEvent, Document
from cases.roles import Role
from tests.cases.test_idempotency import race
from tests.conftest import sign_in
from tests.factories import CaseFactory, UserFactory

from .samples import PDF, TEXT, upload


@pytest.fixture
def people(db):
    supervisor = UserFactory(username="once-sup", roles=[Role.SUPERVISOR])
    investigator = UserFactory(username="once-inv", roles=[Role.INVESTIGATOR])
    case = CaseFactory()
    case_services.case_assign(case=case, investigator=investigator, by=supervisor)
    return {"supervisor": supervisor, "investigator": investigator, "case": case}


def _form_token(client, url):
    page = client.get(url).content.decode()
    return re.search(r'name="once_token" value="([^"]+)"', page).group(1)


def test_the_same_upload_form_sent_twice_stores_its_files_once(client, people, documents_root):
    case = people["case"]
    sign_in(client, people["investigator"])
    url = reverse("documents:upload", args=["case", case.public_id])
    token = _form_token(client, url)
    assert token != _form_token(client, url)  # a fresh token each time the form is shown

    def post():
        files = [upload("a.pdf", PDF), upload("b.txt", TEXT)]
        return client.post(url, {"document_type": "statement", "files": files, "once_token": token})

    first, second = post(), post()
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Document.objects.filter(owner_kind="case", owner_id=case.pk).count() == 2
    assert CustodyEvent.objects.filter(action=CustodyAction.UPLOAD).count() == 2
    assert len([p for p in documents_root.rglob("*") if p.is_file()]) == 2  # the resent bytes were not kept

    # Another user cannot replay someone else's token.
    sign_in(client, people["supervisor"])
    response = client.post(url, {"document_type": "statement", "files": [upload("c.pdf", PDF)], "once_token": token})
    assert response.status_code == 400 and b"already sent" in response.content
    assert Document.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_two_uploads_with_one_token_at_once_store_one_document(documents_root):
    supervisor = UserFactory(username="race-sup", roles=[Role.SUPERVISOR])
    investigator = UserFactory(username="race-inv", roles=[Role.INVESTIGATOR])
    case = CaseFactory()
    case_services.case_assign(case=case, investigator=investigator, by=supervisor)

    def once():
        return services.documents_upload(
            owner_kind="case", owner=case, files=[upload("a.pdf", PDF)], by=investigator,
            document_type="statement", once_token="race-token-0123456789",
        )[0].pk

    results, errors = race(once)
    assert not errors and len(set(results)) == 1
    assert Document.objects.filter(owner_kind="case", owner_id=case.pk).count() == 1


# --- the disclosure form -----------------------------------------------------------------------


@pytest.fixture
def document(people):
    [document] = services.documents_upload(
        owner_kind="case", owner=people["case"], files=[upload("s.pdf", PDF)], by=people["investigator"],
        document_type="statement",
    )
    return document


def _disclose(client, document, data):
    return client.post(reverse("documents:disclose", args=[document.public_id]), data)


def test_a_disclosure_is_marked_with_its_date_and_a_custody_event(client, people, document):
    sign_in(client, people["investigator"])
    response = _disclose(client, document, {"to": "officer", "on": "3 3 2026"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.disclosed_to_officer_on == dt.date(2026, 3, 3) and document.disclosed_to_complainant_on is None
    event = document.custody.get(action=CustodyAction.DISCLOSE)
    assert event.actor == people["investigator"] and event.detail == {"to": "officer", "on": "2026-03-03"}
    # A second mark keeps the first date and writes nothing.
    assert _disclose(client, document, {"to": "officer", "on": "2026-04-01"}).status_code == 302
    document.refresh_from_db()
    assert document.disclosed_to_officer_on == dt.date(2026, 3, 3)
    assert document.custody.filter(action=CustodyAction.DISCLOSE).count() == 1


@pytest.mark.parametrize(
    "data, field",
    [({"to": "officer", "on": "31 2 2026"}, "on"), ({"to": "officer", "on": ""}, "on"),
     ({"to": "press", "on": "2026-03-03"}, "to"), ({"on": "2026-03-03"}, "to")],
)
def test_a_bad_disclosure_is_a_field_error_and_writes_nothing(client, people, document, data, field):
    sign_in(client, people["investigator"])
    response = _disclose(client, document, data)
    assert response.status_code == 400
    assert response.context["disclose_form"].errors.keys() == {field}
    assert f'id="{"id_" + field}' in response.content.decode() or f"#id_{field}" in response.content.decode()
    document.refresh_from_db()
    assert document.disclosed_to_officer_on is None
    assert not document.custody.filter(action=CustodyAction.DISCLOSE).exists()


@pytest.mark.parametrize("role", [Role.OVERSIGHT, Role.PANEL_REVIEWER, Role.COMMISSIONER, "conflicted", "outsider"])
def test_those_who_may_not_change_the_document_get_404(client, people, document, role):
    if role == "conflicted":
        user = UserFactory(username="disc-conflicted", roles=[Role.INVESTIGATOR])
        case_services.conflict_declare(
            user=user, officer=people["case"].subject, reason="same team", by=people["supervisor"]
        )
    elif role == "outsider":  # an investigator on a need-to-know case they are not on
        type(people["case"]).objects.filter(pk=people["case"].pk).update(restricted=True)
        user = UserFactory(username="disc-outsider", roles=[Role.INVESTIGATOR])
    else:
        user = UserFactory(username=f"disc-{role}", roles=[role])
    sign_in(client, user)
    assert _disclose(client, document, {"to": "officer", "on": "2026-03-03"}).status_code == 404
    document.refresh_from_db()
    assert document.disclosed_to_officer_on is None
    assert not document.custody.filter(action=CustodyAction.DISCLOSE).exists()
