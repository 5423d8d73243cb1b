"""The supervisors' two document lists: the documents due for a retention decision (filtered, sorted,
paged like every list) and the integrity worklist (failed checks first, then never checked, then the
longest since a check). Both through the selectors: a document on a record the supervisor may not
open is not on them; both in a fixed number of queries however many rows."""

import datetime as dt

import pytest
from django.urls import reverse

from cases import services as case_services
from cases.documents.models import CustodyAction, CustodyEvent, Document, DocumentVersion
from cases.roles import Role
from tests.clock import days_ago
from tests.conftest import sign_in
from tests.factories import AllegationFactory, CaseFactory, OfficerFactory, UserFactory

PAGE = 50


@pytest.fixture
def world(db):
    supervisor = UserFactory(username="wl-sup", roles=[Role.SUPERVISOR])
    grantor = UserFactory(username="wl-grantor", roles=[Role.SUPERVISOR])
    investigator = UserFactory(username="wl-inv", roles=[Role.INVESTIGATOR])
    case = CaseFactory(reference="DPS-0001-WORKLIST")
    conflicted_officer = OfficerFactory(staff_number="SCONFWL01")
    conflicted_case = CaseFactory(subject=conflicted_officer, reference="DPS-9999-CONFLICTED")
    case_services.conflict_declare(user=supervisor, officer=conflicted_officer, reason="same team", by=grantor)
    return {"supervisor": supervisor, "investigator": investigator, "case": case, "conflicted": conflicted_case}


def document(owner, *, kind="case", due=None, document_type="statement", reference=""):
    return Document.objects.create(
        owner_kind=kind,
        owner_id=owner.pk,
        document_type=document_type,
        retention_due_on=due,
        exhibit_reference=reference,
    )


def version(doc, number=1):
    return DocumentVersion.objects.create(
        document=doc,
        number=number,
        file=f"documents/none-{doc.pk}-{number}",
        size=1,
        sha256="0" * 64,
        content_type="text/plain",
        original_name=f"{doc.exhibit_reference or doc.pk}.txt",
    )


def checked(v, *, ok):
    return CustodyEvent.objects.create(
        document=v.document, version=v, action=CustodyAction.VERIFY, hash_before=v.sha256, detail={"ok": ok}
    )


# --- retention --------------------------------------------------------------------------------------


def test_the_retention_list_shows_due_documents_on_records_the_supervisor_may_open(client, world):
    document(world["case"], due=days_ago(3), reference="EXH-DUE")
    document(world["case"], due=None, reference="EXH-NOTDUE")
    document(world["conflicted"], due=days_ago(3), reference="EXH-CONFLICTED")
    gone = document(world["case"], due=days_ago(3), reference="EXH-GONE")
    Document.objects.filter(pk=gone.pk).update(destroyed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    sign_in(client, world["supervisor"])
    body = client.get(reverse("documents:retention")).content.decode()
    assert "EXH-DUE" in body
    assert "EXH-NOTDUE" not in body and "EXH-GONE" not in body
    assert "EXH-CONFLICTED" not in body


def test_only_a_supervisor_decides_retention(client, world):
    sign_in(client, world["investigator"])
    assert client.get(reverse("documents:retention")).status_code == 404


def test_the_retention_list_filters_by_type_record_and_due_date(client, world):
    allegation = AllegationFactory(subject=world["case"].subject, case=world["case"])
    document(world["case"], due=days_ago(30), reference="EXH-OLD-STATEMENT")
    document(world["case"], due=days_ago(2), document_type="notice", reference="EXH-NEW-NOTICE")
    document(allegation, kind="allegation", due=days_ago(10), reference="EXH-ALLEGATION")
    sign_in(client, world["supervisor"])
    url = reverse("documents:retention")

    def listed(**query):
        response = client.get(url, query)
        assert response.status_code == 200, response.content
        return {r for r in ("EXH-OLD-STATEMENT", "EXH-NEW-NOTICE", "EXH-ALLEGATION") if r in response.content.decode()}

    assert listed(document_type="notice") == {"EXH-NEW-NOTICE"}
    assert listed(owner_kind="allegation") == {"EXH-ALLEGATION"}
    assert listed(due_before=days_ago(5).isoformat()) == {"EXH-OLD-STATEMENT", "EXH-ALLEGATION"}
    assert listed(due_after=days_ago(5).isoformat()) == {"EXH-NEW-NOTICE"}
    body = client.get(url).content.decode()
    assert body.index("EXH-OLD-STATEMENT") < body.index("EXH-ALLEGATION") < body.index("EXH-NEW-NOTICE")
    body = client.get(url, {"sort": "due_desc"}).content.decode()
    assert body.index("EXH-NEW-NOTICE") < body.index("EXH-ALLEGATION") < body.index("EXH-OLD-STATEMENT")


def test_a_refused_retention_filter_answers_400_and_lists_nothing(client, world):
    document(world["case"], due=days_ago(3), reference="EXH-DUE")
    sign_in(client, world["supervisor"])
    for query in ({"owner_kind": "spaceship"}, {"due_before": "yesterday"}, {"colour": "red"}):
        response = client.get(reverse("documents:retention"), query)
        assert response.status_code == 400, query
        assert b"There is a problem with the filters" in response.content
        assert b"EXH-DUE" not in response.content


def test_the_retention_list_pages_in_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for i in range(3):
        document(world["case"], due=days_ago(100 - i), reference=f"EXH-{i:03d}")
    sign_in(client, world["supervisor"])
    url = reverse("documents:retention")
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    Document.objects.bulk_create(
        [
            Document(
                owner_kind="case",
                owner_id=world["case"].pk,
                document_type="report",
                retention_due_on=days_ago(50),
                exhibit_reference=f"EXH-MANY-{i:03d}",
            )
            for i in range(PAGE + 10)
        ]
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        first = client.get(url)
    assert first.content.count(b"EXH-") >= PAGE and b'rel="next"' in first.content
    second = client.get(url, {"page": 2})
    assert second.status_code == 200 and b"EXH-MANY-" in second.content


# --- integrity --------------------------------------------------------------------------------------


def test_the_integrity_worklist_puts_failures_first_then_never_checked_then_longest_ago(client, world, _clock):
    long_ago, recent, failed, never = (
        version(document(world["case"], reference=r)) for r in ("EXH-LONGAGO", "EXH-RECENT", "EXH-FAILED", "EXH-NEVER")
    )
    checked(long_ago, ok=True)
    checked(failed, ok=True)
    _clock.shift(dt.timedelta(days=1))
    checked(recent, ok=True)
    checked(failed, ok=False)  # the latest check is what counts
    hidden = version(document(world["conflicted"], reference="EXH-CONFLICTED"))
    checked(hidden, ok=False)
    sign_in(client, world["supervisor"])
    body = client.get(reverse("documents:integrity")).content.decode()
    order = [body.index(r) for r in ("EXH-FAILED", "EXH-NEVER", "EXH-LONGAGO", "EXH-RECENT")]
    assert order == sorted(order)
    assert "Does not match" in body and "Never checked" in body
    assert "EXH-CONFLICTED" not in body


def test_a_version_checked_again_and_matching_leaves_the_top_of_the_list(client, world, _clock, settings, tmp_path):
    from cases.documents import services

    from .samples import TEXT, upload

    [doc] = services.documents_upload(
        owner_kind="case",
        owner=world["case"],
        files=[upload("a.txt", TEXT)],
        by=world["supervisor"],
        document_type="statement",
        exhibit_reference="EXH-REAL",
    )
    v = doc.versions.get()
    checked(v, ok=False)
    sign_in(client, world["supervisor"])
    url = reverse("documents:integrity")
    assert b"data-integrity-failed" in client.get(url).content
    _clock.shift(dt.timedelta(minutes=5))
    response = client.post(reverse("documents:verify", args=[doc.public_id]), {"next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert b"data-integrity-failed" not in client.get(url).content


def test_the_verify_button_never_sends_anyone_off_the_site(client, world):
    doc = document(world["case"], reference="EXH-X")
    sign_in(client, world["supervisor"])
    response = client.post(reverse("documents:verify", args=[doc.public_id]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("documents:detail", args=[doc.public_id])


def test_only_a_supervisor_reads_the_integrity_worklist(client, world):
    version(document(world["case"], reference="EXH-X"))
    for role in (Role.INVESTIGATOR, Role.COMMISSIONER, Role.PANEL_REVIEWER, Role.VETTING_OFFICER, Role.OVERSIGHT):
        sign_in(client, UserFactory(roles=[role]))
        assert client.get(reverse("documents:integrity")).status_code == 404, role


def test_the_integrity_worklist_pages_in_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for i in range(3):
        version(document(world["case"], reference=f"EXH-{i:03d}"))
    sign_in(client, world["supervisor"])
    url = reverse("documents:integrity")
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for i in range(PAGE + 10):
        v = version(document(world["case"], reference=f"EXH-MANY-{i:03d}"))
        if i % 3 == 0:
            checked(v, ok=i % 2 == 0)
    with django_assert_max_num_queries(len(few.captured_queries)):
        first = client.get(url)
    assert first.content.count(b"Check again") == PAGE and b'rel="next"' in first.content


def test_the_retention_page_links_the_integrity_worklist_and_the_menu_offers_both(client, world):
    sign_in(client, world["supervisor"])
    body = client.get(reverse("documents:retention")).content.decode()
    assert reverse("documents:integrity") in body
    home = client.get(reverse("home")).content.decode()
    assert reverse("documents:retention") in home and reverse("documents:integrity") in home
