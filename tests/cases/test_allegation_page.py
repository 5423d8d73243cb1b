"""One allegation's page: its facts, its subject and case, its documents. The same rules as the
allegation register (need-to-know, conflicts), an access record per read, and a fixed number of queries
however many documents it carries. The Onyx review and vetting review pages carry the same Documents
section, through the same helper (cases.documents.selectors.owner_documents_section)."""

import pytest
from django.urls import reverse

from cases import services
from cases.documents import services as document_services
from cases.documents.models import Document
from cases.models import AccessRecord
from cases.roles import Role
from tests.conftest import sign_in
from tests.documents.samples import TEXT, upload
from tests.factories import AllegationFactory, CaseFactory, OfficerFactory, OnyxReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def documents_root(settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST = ""


@pytest.fixture
def world(db):
    grantor = UserFactory(username="al-grantor", roles=[Role.SUPERVISOR])
    assigned = UserFactory(username="al-assigned", roles=[Role.INVESTIGATOR])
    other = UserFactory(username="al-other", roles=[Role.INVESTIGATOR])
    conflicted = UserFactory(username="al-conflicted", roles=[Role.INVESTIGATOR])
    officer = OfficerFactory(staff_number="SALLEG01", last_name="Allegedperson")
    case = CaseFactory(subject=officer, reference="DPS-0001-ALLEGATION")
    services.case_assign(case=case, investigator=assigned, by=grantor)
    services.conflict_declare(user=conflicted, officer=officer, reason="same team", by=grantor)
    allegation = AllegationFactory(subject=officer, case=case, narrative="Took cash from a detained person.")
    restricted_case = CaseFactory(subject=officer, reference="DPS-9999-RESTRICTED", restricted=True)
    restricted = AllegationFactory(subject=officer, case=restricted_case, narrative="Need-to-know narrative.")
    return {
        "grantor": grantor,
        "assigned": assigned,
        "other": other,
        "conflicted": conflicted,
        "officer": officer,
        "case": case,
        "allegation": allegation,
        "restricted_case": restricted_case,
        "restricted": restricted,
    }


def page_url(allegation):
    return reverse("cases:allegation_detail", args=[allegation.public_id])


def add_document(owner_kind, owner, by, name="statement.txt"):
    [doc] = document_services.documents_upload(
        owner_kind=owner_kind, owner=owner, files=[upload(name, TEXT)], by=by, document_type="statement"
    )
    return doc


def test_the_allegation_page_shows_its_facts_subject_case_and_documents(client, world):
    add_document("allegation", world["allegation"], world["assigned"], name="witness.txt")
    sign_in(client, world["other"])
    response = client.get(page_url(world["allegation"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Took cash from a detained person." in body
    assert reverse("cases:officer_detail", args=[world["officer"].public_id]) in body
    assert reverse("cases:case_detail", args=[world["case"].public_id]) in body
    assert "witness.txt" in body


def test_reading_the_allegation_page_writes_one_access_record(client, world):
    sign_in(client, world["other"])
    client.get(page_url(world["allegation"]))
    [record] = AccessRecord.objects.filter(user=world["other"], object_type="allegation")
    assert record.object_id == world["allegation"].pk and record.view == "cases:allegation_detail"


def test_a_conflicted_investigator_gets_404_on_the_allegation_and_its_documents(client, world):
    doc = add_document("allegation", world["allegation"], world["assigned"])
    sign_in(client, world["conflicted"])
    assert client.get(page_url(world["allegation"])).status_code == 404
    assert client.get(reverse("documents:detail", args=[doc.public_id])).status_code == 404
    assert client.get(reverse("documents:download", args=[doc.public_id])).status_code == 404
    assert not AccessRecord.objects.filter(user=world["conflicted"]).exists()


def test_an_allegation_in_a_need_to_know_case_opens_only_with_a_grant(client, world):
    doc = Document.objects.create(owner_kind="allegation", owner_id=world["restricted"].pk, document_type="notice")
    sign_in(client, world["other"])
    assert client.get(page_url(world["restricted"])).status_code == 404
    assert client.get(reverse("documents:detail", args=[doc.public_id])).status_code == 404
    services.case_access_grant(case=world["restricted_case"], user=world["other"], by=world["grantor"])
    assert client.get(page_url(world["restricted"])).status_code == 200
    assert client.get(reverse("documents:detail", args=[doc.public_id])).status_code == 200
    sign_in(client, UserFactory(roles=[Role.COMMISSIONER]))  # sees every need-to-know case
    assert client.get(page_url(world["restricted"])).status_code == 200


@pytest.mark.parametrize("role", [Role.PANEL_REVIEWER, Role.OVERSIGHT, Role.HOTLINE_TRIAGE, Role.VETTING_OFFICER, None])
def test_roles_without_the_allegation_register_get_404(client, world, role):
    sign_in(client, UserFactory(roles=[role] if role else []))
    assert client.get(page_url(world["allegation"])).status_code == 404


def test_only_those_who_may_work_on_the_case_are_offered_an_upload(client, world):
    upload_url = reverse("documents:upload", args=["allegation", world["allegation"].public_id])
    for user, offered in [
        (world["assigned"], True),
        (world["grantor"], True),
        (world["other"], False),
        (UserFactory(roles=[Role.COMMISSIONER]), False),
    ]:
        sign_in(client, user)
        body = client.get(page_url(world["allegation"])).content.decode()
        assert (upload_url in body) == offered, user.username
        assert client.get(upload_url).status_code == (200 if offered else 404), user.username


def test_the_allegation_list_and_the_case_page_link_to_the_allegation_page(client, world):
    sign_in(client, world["assigned"])
    link = page_url(world["allegation"])
    assert link in client.get(reverse("cases:allegation_list")).content.decode()
    assert link in client.get(reverse("cases:case_detail", args=[world["case"].public_id])).content.decode()


def test_a_document_on_an_allegation_links_back_to_the_allegation_page(client, world):
    doc = add_document("allegation", world["allegation"], world["assigned"])
    sign_in(client, world["assigned"])
    body = client.get(reverse("documents:detail", args=[doc.public_id])).content.decode()
    assert page_url(world["allegation"]) in body


def test_the_allegation_page_stays_within_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    add_document("allegation", world["allegation"], world["assigned"], name="first.txt")
    sign_in(client, world["assigned"])
    url = page_url(world["allegation"])
    client.get(url)
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    for i in range(8):
        add_document("allegation", world["allegation"], world["assigned"], name=f"n{i}.txt")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert b"n7.txt" in response.content


# --- the Onyx review page -----------------------------------------------------------------------------


def test_the_onyx_review_page_lists_its_documents_and_offers_upload_to_caseworkers_only(
    client, world, django_assert_max_num_queries
):
    review = OnyxReviewFactory(subject=world["officer"], reference="ONYX-DOCS", decided=True)
    services.panel_reviews_assign(
        review_ids=[review.id], panel_members=[panel := UserFactory(roles=[Role.PANEL_REVIEWER])], by=world["grantor"]
    )
    add_document("onyx_review", review, world["assigned"], name="first.txt")
    url = reverse("cases:review_detail", args=[review.public_id])
    upload_url = reverse("documents:upload", args=["onyx_review", review.public_id])
    sign_in(client, world["assigned"])
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        body = client.get(url).content.decode()
    assert "first.txt" in body and upload_url in body
    for i in range(8):
        add_document("onyx_review", review, world["assigned"], name=f"n{i}.txt")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert b"n7.txt" in client.get(url).content
    sign_in(client, panel)
    body = client.get(url).content.decode()
    assert 'id="documents"' in body and upload_url not in body
    sign_in(client, world["conflicted"])
    assert client.get(url).status_code == 404
    sign_in(client, UserFactory(roles=[Role.PANEL_REVIEWER]))  # a panel member not assigned to it
    assert client.get(url).status_code == 404
