"""The permission matrix over every download URL of every owner kind: the current version, an old
version (?version=1), the redacted copy (?version=3) and the document page. A conflicted user, a
panel member not assigned, an investigator without need-to-know and the oversight role all get 404
and leave no access record; each allowed download writes exactly one access record."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.documents import services
from cases.models import AccessRecord
from cases.roles import Role
from tests.conftest import sign_in
from tests.factories import (
    AllegationFactory,
    CaseFactory,
    HotlineReportFactory,
    OfficerFactory,
    OnyxReviewFactory,
    VettingReviewFactory,
    users_with_roles,
)

from .samples import PDF, TEXT, png, upload

KINDS = ["case", "allegation", "onyx_review", "hotline_report", "vetting_review"]
# The role whose member would read the owner but for the conflict; and who uploads.
READER_ROLE = {
    "case": Role.INVESTIGATOR,
    "allegation": Role.INVESTIGATOR,
    "onyx_review": Role.INVESTIGATOR,
    "hotline_report": Role.HOTLINE_TRIAGE,
    "vetting_review": Role.VETTING_OFFICER,
}


@pytest.fixture
def world(db):
    users = users_with_roles(
        "mx",
        {
            "supervisor": Role.SUPERVISOR,
            "investigator": Role.INVESTIGATOR,
            "triage": Role.HOTLINE_TRIAGE,
            "vetting": Role.VETTING_OFFICER,
            "panel": Role.PANEL_REVIEWER,
            "panel_other": Role.PANEL_REVIEWER,
            "oversight": Role.OVERSIGHT,
            "outsider": Role.INVESTIGATOR,
        },
    )
    supervisor = users["supervisor"]
    officer = OfficerFactory()
    users |= users_with_roles("mx", {f"conflicted_{kind}": role for kind, role in READER_ROLE.items()})
    for kind in READER_ROLE:
        case_services.conflict_declare(
            user=users[f"conflicted_{kind}"], officer=officer, reason="matrix", by=supervisor
        )
    case = CaseFactory(subject=officer, restricted=True)  # need-to-know: only who works on it
    case_services.case_assign(case=case, investigator=users["investigator"], by=supervisor)
    review = OnyxReviewFactory(subject=officer, decided=True)
    case_services.panel_reviews_assign(review_ids=[review.id], panel_members=[users["panel"]], by=supervisor)
    report = HotlineReportFactory(officer=officer, linked_at=timezone.now(), status="linked")
    owners = {
        "case": case,
        "allegation": AllegationFactory(subject=officer, case=case),
        "onyx_review": review,
        "hotline_report": report,
        "vetting_review": VettingReviewFactory(officer=officer),
    }
    uploader = {
        "case": "investigator",
        "allegation": "investigator",
        "onyx_review": "investigator",
        "hotline_report": "triage",
        "vetting_review": "vetting",
    }
    documents = {}
    for kind, owner in owners.items():
        by = users[uploader[kind]]
        [document] = services.documents_upload(
            owner_kind=kind, owner=owner, files=[upload("original.pdf", PDF)], by=by, document_type="exhibit"
        )
        services.document_version_add(document_id=document.pk, upload=upload("v2.txt", TEXT), by=by)
        services.document_version_add(document_id=document.pk, upload=upload("red.png", png()), by=by, redacted=True)
        documents[kind] = document
    return {"users": users, "documents": documents, "uploader": uploader}


def _urls(document):
    download = reverse("documents:download", args=[document.public_id])
    return {
        "current": download,
        "old version": f"{download}?version=1",
        "redacted": f"{download}?version=3",
        "page": reverse("documents:detail", args=[document.public_id]),
    }


REFUSED = {
    "conflicted": lambda kind: f"conflicted_{kind}",
    "panel member not assigned": lambda kind: "panel_other",
    "oversight": lambda kind: "oversight",
}
# Need-to-know is a case's (restricted): the case and its allegations. Onyx reviews, hotline reports and
# vetting reviews have none, and an investigator reads those records by their own rules (REVIEW_READERS,
# TRIAGE_ROLES, VETTING_READERS), so their documents too: the invariant test below holds it to that.
NEED_TO_KNOW_KINDS = {"case", "allegation"}


@pytest.mark.parametrize("kind", KINDS)
def test_every_download_url_answers_404_to_those_who_may_not_read_and_records_nothing(client, world, kind):
    document = world["documents"][kind]
    refused = dict(REFUSED)
    if kind in NEED_TO_KNOW_KINDS:
        refused["investigator without need-to-know"] = lambda kind: "outsider"
    for who, user_key in refused.items():
        sign_in(client, world["users"][user_key(kind)])
        for what, url in _urls(document).items():
            before = AccessRecord.objects.count()
            response = client.get(url)
            assert response.status_code == 404, (kind, who, what)
            assert AccessRecord.objects.count() == before, (kind, who, what)


def _reads(client, url):
    before = AccessRecord.objects.count()
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response.status_code, body, AccessRecord.objects.count() - before


@pytest.mark.parametrize("kind", KINDS)
def test_each_allowed_download_writes_exactly_one_access_record(client, world, kind):
    document = world["documents"][kind]
    urls = _urls(document)
    sign_in(client, world["users"][world["uploader"][kind]])
    assert _reads(client, urls["current"])[1:] == (TEXT, 1)
    assert _reads(client, urls["old version"])[1:] == (PDF, 1)
    status, body, records = _reads(client, urls["redacted"])
    assert status == 200 and body.startswith(b"\x89PNG") and records == 1
    before = AccessRecord.objects.count()
    assert client.get(urls["page"]).status_code == 200 and AccessRecord.objects.count() == before + 1


def test_the_assigned_panel_member_downloads_the_redacted_copy_only(client, world):
    document = world["documents"]["onyx_review"]
    urls = _urls(document)
    sign_in(client, world["users"]["panel"])
    status, body, records = _reads(client, urls["current"])
    assert status == 200 and body.startswith(b"\x89PNG") and records == 1
    assert _reads(client, urls["old version"]) == (404, b"", 0)


@pytest.mark.parametrize("kind", KINDS)
def test_a_document_downloads_exactly_for_those_who_read_its_owner(client, world, kind):
    from cases.documents.owners import document_owner_kind
    from cases.documents.permissions import DOCUMENT_ROLES
    from cases.roles import has_role

    document = world["documents"][kind]
    owner_kind = document_owner_kind(kind)
    opened = set()
    for key, user in world["users"].items():
        sign_in(client, user)
        status, _, records = _reads(client, _urls(document)["current"])
        # Oversight may read some owners through the API (Onyx reviews), never the document pages.
        reads_owner = (
            has_role(user, *DOCUMENT_ROLES) and owner_kind.readable(user).filter(pk=document.owner_id).exists()
        )
        assert (status == 200) == reads_owner and records == (1 if reads_owner else 0), (kind, key)
        if reads_owner:
            opened.add(key)
    assert world["uploader"][kind] in opened and "oversight" not in opened and f"conflicted_{kind}" not in opened
