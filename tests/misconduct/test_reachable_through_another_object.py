"""A need-to-know case and a conflicted officer's case, reached not directly but through another
object a user may open: an Onyx review's past cases and allegations, an officer profile, a hotline
report, a risk flag's reasons, an audit page, an API nested field, a CSV export. For every role,
every page either refuses (403/404) or answers 200 showing the visible record beside the secret
ones, and never carries the secret references, narratives or staff numbers."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import AccessRecord
from cases.policy import STAFF
from cases.risk.models import RiskFlag
from cases.roles import Role
from tests.conftest import sign_in
from tests.factories import (
    AllegationFactory,
    CaseFactory,
    HotlineReportFactory,
    OfficerFactory,
    OnyxReviewFactory,
    UserFactory,
    VettingReviewFactory,
)
from tests.misconduct.test_permission_matrix import ENDPOINTS, body_of, fetch, role_allowed, url_for

ROLES = [*Role.values, "no_role"]
SECRET_REASON_TEXT = "Reason drawn only from the need-to-know allegation"


def _label(allegation):
    # The risk page names an allegation by its date and category.
    return f"Allegation {allegation.received_on:%d %b %Y} ({allegation.get_category_display()})".encode()


@pytest.fixture
def reach(db):
    today = timezone.localdate()
    grantor = UserFactory(username="reach-grantor", roles=[Role.SUPERVISOR])
    users = {role.value: UserFactory(username=f"reach-{role.value}", roles=[role]) for role in Role}
    users["no_role"] = UserFactory(username="reach-no-role")
    looker = UserFactory(username="reach-looker", roles=[Role.COMMISSIONER])

    visible_officer = OfficerFactory(staff_number="SREACH0001", last_name="Reachable")
    conflicted_officer = OfficerFactory(staff_number="SCONFL0001", last_name="Conflictedsubject")
    for user in users.values():
        services.conflict_declare(user=user, officer=conflicted_officer, reason="reach", by=grantor)

    visible_case = CaseFactory(subject=visible_officer, reference="DPS-0001-VISIBLE")
    restricted_case = CaseFactory(subject=visible_officer, reference="DPS-9999-RESTRICTED", restricted=True)
    conflicted_case = CaseFactory(subject=conflicted_officer, reference="DPS-9999-CONFLICTED")
    visible_allegation = AllegationFactory(
        subject=visible_officer,
        case=visible_case,
        narrative="Narrative anyone on the case may read",
        received_on=today - dt.timedelta(days=30),
        incident_on=today - dt.timedelta(days=35),
    )
    restricted_allegation = AllegationFactory(
        subject=visible_officer,
        case=restricted_case,
        category="sexual_misconduct",
        narrative="Narrative of the need-to-know allegation",
        received_on=today - dt.timedelta(days=400),
        incident_on=today - dt.timedelta(days=405),
    )
    conflicted_allegation = AllegationFactory(
        subject=conflicted_officer,
        case=conflicted_case,
        narrative="Narrative about the conflicted officer",
        received_on=today - dt.timedelta(days=200),
        incident_on=today - dt.timedelta(days=205),
    )
    # Each role user is also the subject of a case of their own, which they must never see.
    own_cases = {}
    for n, (key, user) in enumerate(users.items()):
        own = OfficerFactory(user=user, staff_number=f"SOWN{n:06d}")
        own_cases[key] = CaseFactory(subject=own, reference=f"DPS-OWN-{key.upper()}")

    review = OnyxReviewFactory(subject=visible_officer, reference="ONYX-REACH", decided=True)
    review.past_cases.set([visible_case, restricted_case, conflicted_case])
    review.past_allegations.set([visible_allegation, restricted_allegation, conflicted_allegation])
    services.panel_reviews_assign(review_ids=[review.id], panel_members=[users[Role.PANEL_REVIEWER]], by=grantor)

    report = HotlineReportFactory(
        reference="HL-REACH-0001",
        officer=visible_officer,
        linked_at=timezone.now(),
        status="referred",
        allegation=restricted_allegation,
    )
    now = timezone.now()
    flag = RiskFlag.objects.create(
        officer=visible_officer,
        rule_code="reach",
        level="warning",
        first_seen=now,
        last_seen=now,
        reasons=[
            {
                "text": "Two allegations",
                "model": "cases.allegation",
                "ids": sorted([visible_allegation.pk, restricted_allegation.pk]),
            },
            {"text": SECRET_REASON_TEXT, "model": "cases.allegation", "ids": [restricted_allegation.pk]},
            {"text": "Cases", "model": "cases.case", "ids": sorted([visible_case.pk, restricted_case.pk])},
            {"text": "Linked hotline reports", "model": "hotline.hotlinereport", "ids": [report.pk]},
        ],
    )
    # Someone who may see everything read all of it: the audit has a row for each.
    for obj, kind, label in [
        (visible_case, "case", visible_case.reference),
        (restricted_case, "case", restricted_case.reference),
        (conflicted_case, "case", conflicted_case.reference),
        (visible_officer, "officer", visible_officer.staff_number),
        (conflicted_officer, "officer", conflicted_officer.staff_number),
        (review, "onyx_review", review.reference),
        (report, "hotline_report", report.reference),
        *[(c, "case", c.reference) for c in own_cases.values()],
    ]:
        AccessRecord.objects.create(
            user=looker, object_type=kind, object_id=obj.pk, object_label=label, view="test", path="/"
        )

    conflicted_markers = [
        b"DPS-9999-CONFLICTED",
        b"SCONFL0001",
        b"Conflictedsubject",
        b"Narrative about the conflicted officer",
        str(conflicted_case.public_id).encode(),
        str(conflicted_officer.public_id).encode(),
        str(conflicted_allegation.public_id).encode(),
    ]
    restricted_markers = [
        b"DPS-9999-RESTRICTED",
        b"Narrative of the need-to-know allegation",
        str(restricted_case.public_id).encode(),
        str(restricted_allegation.public_id).encode(),
        _label(restricted_allegation),
        SECRET_REASON_TEXT.encode(),
    ]
    # A vetting review set off by the need-to-know case: its page links the trigger only for those who may see it.
    vetting_review = VettingReviewFactory(
        officer=visible_officer, trigger="gross_misconduct", trigger_ref=f"case:{restricted_case.pk}"
    )
    from cases.documents.models import Document
    from vetting.models import VettingWithdrawal

    return {
        "users": users,
        "grantor": grantor,
        "objects": {
            "vetting_review_id": vetting_review.public_id,
            "allegation_id": visible_allegation.public_id,
            "case_id": visible_case.public_id,
            "officer_id": visible_officer.public_id,
            "review_id": review.public_id,
            "report_id": report.public_id,
            "flag_id": flag.pk,
            "code": "no-such-rule",
            "run_id": "00000000-0000-0000-0000-000000000000",  # an import run: no casework behind it
            "document_id": Document.objects.create(
                owner_kind="case", owner_id=visible_case.pk, document_type="statement", created_by=grantor
            ).public_id,
            "owner_kind": "case",
            "owner_id": visible_case.public_id,
            "withdrawal_id": VettingWithdrawal.objects.create(
                officer=visible_officer, grounds="reach", opened_at=timezone.now()
            ).public_id,
            "pnd_import_id": "00000000-0000-0000-0000-000000000000",  # an import: about no one in particular
        },
        "restricted_case": restricted_case,
        "visible_allegation": visible_allegation,
        "looker": looker,
        "conflicted_markers": conflicted_markers,
        "restricted_markers": restricted_markers,
        "own_markers": {key: [c.reference.encode(), str(c.public_id).encode()] for key, c in own_cases.items()},
    }


def secrets_for(reach, role):
    markers = reach["conflicted_markers"] + reach["own_markers"][role]
    if role != Role.COMMISSIONER:  # the commissioner sees need-to-know cases without a grant
        markers = markers + reach["restricted_markers"]
    return markers


# The pages that can show the secret records through another object, with what each must show of
# the visible record beside them. A role whose page shows no casework gets the second marker.
CASEWORK = {Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.OVERSIGHT}
REACHING_PAGES = [
    ("cases:review_detail", "", b"DPS-0001-VISIBLE"),
    ("cases:review_detail", "", b"Narrative anyone on the case may read"),
    ("cases:review_decide", "", b"DPS-0001-VISIBLE"),  # the form re-rendered with its errors
    ("v1:review-detail", "", b"ONYX-REACH"),
    ("cases:officer_detail", "", b"DPS-0001-VISIBLE"),
    ("cases:officer_timeline", "", b"DPS-0001-VISIBLE"),
    ("cases:case_detail", "", b"DPS-0001-VISIBLE"),
    ("cases:allegation_detail", "", b"DPS-0001-VISIBLE"),
    ("cases:case_summary", "", b"DPS-0001-VISIBLE"),
    ("triage:report", "", b"HL-REACH-0001"),
    ("risk:officer_flags", "", b"DPS-0001-VISIBLE"),
    ("risk:officer_flags", "", b"HL-REACH-0001"),
    ("cases:audit_reader", "?user=reach-looker", b"DPS-0001-VISIBLE"),
    ("cases:audit_reader", "?user=reach-looker", b"SREACH0001"),
    ("cases:audit_case", "", b"reach-looker"),
    ("cases:audit_officer", "", b"reach-looker"),
    ("cases:case_list", "?q=Reachable", b"DPS-0001-VISIBLE"),
    ("cases:case_export", "?q=Reachable", b"DPS-0001-VISIBLE"),
    ("cases:allegation_list", "?q=Reachable", b"DPS-0001-VISIBLE"),
    ("cases:allegation_export", "?q=Reachable", b"DPS-0001-VISIBLE"),
    ("v1:case-list", "", b"DPS-0001-VISIBLE"),
    ("v1:case-detail", "", b"DPS-0001-VISIBLE"),
    ("v1:officer-detail", "", b"SREACH0001"),
]


def _endpoint(name):
    return next(e for e in ENDPOINTS if e.name == name)


def _visible_marker(role, name, marker):
    if name in ("cases:officer_detail", "cases:officer_timeline") and role not in CASEWORK:
        return b"SREACH0001"  # the hotline team's profile has no casework on it
    return marker


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_secret_case_reached_through_another_object_never_shows(client, reach, role):
    sign_in(client, reach["users"][role])
    secrets = secrets_for(reach, role)
    for name, query, marker in REACHING_PAGES:
        e = _endpoint(name)
        url = url_for(e, reach["objects"]) + query
        response = fetch(client, url)
        body = body_of(response)
        leaked = [m for m in secrets if m in body]
        assert not leaked, f"{role} saw {leaked} at {url}"
        if not role_allowed(e, role):
            assert response.status_code in (403, 404), f"{role} reached {url}"
            continue
        expected = 400 if name == "cases:review_decide" else 200  # an empty decision form comes back
        assert response.status_code == expected, f"{role} got {response.status_code} at {url}"
        wanted = _visible_marker(role, name, marker)
        assert wanted in body, f"{role} did not see the visible record {wanted} at {url}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_staff_page_reached_through_the_linked_objects_leaks_the_secret_case(client, reach, role):
    sign_in(client, reach["users"][role])
    secrets = secrets_for(reach, role)
    for e in ENDPOINTS:
        if e.policy != STAFF:
            continue
        url = url_for(e, reach["objects"])
        response = fetch(client, url)
        assert response.status_code < 500, f"{role} broke {url}"
        leaked = [m for m in secrets if m in body_of(response)]
        assert not leaked, f"{role} saw {leaked} at {url}"


@pytest.mark.django_db
def test_a_granted_reader_sees_the_need_to_know_case_through_the_same_pages(client, reach):
    # Guards the filters: they hide what the reader may not see, not everything restricted.
    supervisor = reach["users"][Role.SUPERVISOR]
    services.case_access_grant(case=reach["restricted_case"], user=supervisor, by=reach["grantor"])
    sign_in(client, supervisor)
    objects = reach["objects"]
    for url in [
        reverse("cases:review_detail", args=[objects["review_id"]]),
        reverse("risk:officer_flags", args=[objects["officer_id"]]),
        reverse("cases:audit_reader") + "?user=reach-looker",
        reverse("cases:officer_detail", args=[objects["officer_id"]]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"DPS-9999-RESTRICTED" in response.content, url
    flags = client.get(reverse("risk:officer_flags", args=[objects["officer_id"]])).content
    assert SECRET_REASON_TEXT.encode() in flags
    review = client.get(reverse("cases:review_detail", args=[objects["review_id"]])).content
    assert b"Narrative of the need-to-know allegation" in review
    assert b"DPS-9999-CONFLICTED" not in review  # the grant opens one case, not the conflict


@pytest.mark.django_db
def test_the_panel_sees_the_visible_past_cases_of_its_review_but_not_the_need_to_know_one(client, reach):
    sign_in(client, reach["users"][Role.PANEL_REVIEWER])
    response = client.get(reverse("cases:review_detail", args=[reach["objects"]["review_id"]]))
    assert response.status_code == 200
    assert b"DPS-0001-VISIBLE" in response.content
    assert b"Narrative anyone on the case may read" in response.content
    assert b"DPS-9999-RESTRICTED" not in response.content
    assert b"Narrative of the need-to-know allegation" not in response.content


@pytest.mark.django_db
def test_audit_reader_hides_rows_about_the_readers_own_case_and_conflicted_officers(client, reach):
    supervisor = reach["users"][Role.SUPERVISOR]
    sign_in(client, supervisor)
    response = client.get(reverse("cases:audit_reader") + "?user=reach-looker")
    assert response.status_code == 200
    body = response.content
    assert b"DPS-0001-VISIBLE" in body and b"SREACH0001" in body and b"HL-REACH-0001" in body
    assert b"DPS-OWN-DPS_INVESTIGATOR" in body  # someone else's own case is an ordinary case here
    assert b"DPS-OWN-DPS_SUPERVISOR" not in body
    assert b"SCONFL0001" not in body and b"DPS-9999-CONFLICTED" not in body
    assert b"DPS-9999-RESTRICTED" not in body
