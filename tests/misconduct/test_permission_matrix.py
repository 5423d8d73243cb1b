"""Walk every URL the project serves, for every role and the anonymous public, and check that each
one is either allowed on purpose or refused (403/404, or the login page for the anonymous), and that
a refused page never carries the forbidden record's data. URLs come from the resolver, so a new view
is covered the day it is added; a view with no declared policy fails the walk."""

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cases import services
from cases.api.permissions import RoleRequired
from cases.fairness.models import DataSource, ImportRun
from cases.policy import ANY_ROLE, PUBLIC, SIGNED_IN, STAFF
from cases.risk.models import RiskFlag
from cases.roles import Role
from tests.clock import days_ago, days_ahead
from tests.conftest import sign_in
from tests.factories import (
    AllegationFactory,
    CaseFactory,
    ConvictionFactory,
    HotlineReportFactory,
    OfficerFactory,
    OnyxReviewFactory,
    UserFactory,
    VettingClearanceFactory,
    VettingReviewFactory,
)
from vetting.models import PNDCheck, PNDImport, VettingWithdrawal

SKIPPED_NAMESPACES = {"admin"}  # superuser-only maintenance door, tested on its own below


@dataclass
class Endpoint:
    name: str
    route: str
    kwargs: tuple[str, ...]
    policy: str | None
    roles: tuple[str, ...]
    is_api: bool
    permission_classes: tuple = ()


def _policy_of(callback):
    target = getattr(callback, "cls", None) or callback
    return getattr(callback, "access_policy", None) or getattr(target, "access_policy", None), (
        getattr(callback, "access_roles", None) or getattr(target, "access_roles", ()) or ()
    )


def walk(patterns=None, namespace="", route=""):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace
            if ns in SKIPPED_NAMESPACES:
                continue
            full_ns = f"{namespace}{ns}:" if ns else namespace
            yield from walk(p.url_patterns, full_ns, route + str(p.pattern))
        elif isinstance(p, URLPattern):
            policy, roles = _policy_of(p.callback)
            cls = getattr(p.callback, "cls", None)
            yield Endpoint(
                name=f"{namespace}{p.name}" if p.name else "",
                route=route + str(p.pattern),
                kwargs=tuple(p.pattern.converters) if hasattr(p.pattern, "converters") else (),
                policy=policy,
                roles=tuple(roles),
                is_api=cls is not None,
                permission_classes=tuple(getattr(cls, "permission_classes", ()) or ()),
            )


ENDPOINTS = list(walk())


def test_every_url_has_a_name_and_a_declared_policy():
    missing = [e.route for e in ENDPOINTS if not e.name or e.policy not in (PUBLIC, SIGNED_IN, STAFF)]
    assert not missing, f"URLs with no name or no declared access policy: {missing}"


def test_every_staff_url_names_real_roles_and_api_views_check_them():
    for e in ENDPOINTS:
        if e.policy == STAFF:
            assert e.roles, e.route
            assert set(e.roles) <= set(Role.values) | {ANY_ROLE}, e.route
            if e.is_api:
                assert RoleRequired in e.permission_classes, f"{e.route} does not use RoleRequired"


# The API's read resources (issue 15): each is in the walk, so every role's 403/404 and the
# forbidden records' markers are checked on it below, by session and (for the API) the same RoleRequired.
API_READ_ENDPOINTS = {
    "v1:case-event-list": {"case_id"},
    "v1:vetting-review-list": set(),
    "v1:vetting-review-detail": {"vetting_review_id"},
    "v1:hotline-report-list": set(),
    "v1:hotline-report-detail": {"report_id"},
    "v1:risk-flag-list": set(),
    "v1:statistics-onyx": set(),
    "v1:statistics-outcomes-by-category": set(),
    "v1:statistics-outcomes-by-month": set(),
    "v1:statistics-time-to-outcome": set(),
    "v1:statistics-reg19-overdue": set(),
    "v1:statistics-hotline": set(),
    "v1:fairness-figures": set(),
}


def test_the_walk_covers_the_apis_read_resources():
    walked = {e.name: e for e in ENDPOINTS}
    for name, kwargs in API_READ_ENDPOINTS.items():
        assert name in walked, name
        e = walked[name]
        assert e.is_api and set(e.kwargs) == kwargs and e.roles, name
        assert RoleRequired in e.permission_classes, name


def test_the_walk_catches_a_view_that_forgets_its_check():
    from django.http import HttpResponse
    from django.urls import path

    def forgotten(request):
        return HttpResponse("oops")

    found = list(walk([path("forgotten/", forgotten, name="forgotten")]))
    assert found[0].policy is None


# --- the world: objects each user may and may not see -------------------------------------------


@pytest.fixture
def world(db):
    supervisor_for_grants = UserFactory(username="grantor", roles=[Role.SUPERVISOR])
    users = {role.value: UserFactory(username=f"matrix-{role.value}", roles=[role]) for role in Role}
    users["no_role"] = UserFactory(username="matrix-no-role")
    forbidden_officer = OfficerFactory(staff_number="SFORBID01", last_name="Forbiddenperson")
    forbidden_case = CaseFactory(subject=forbidden_officer, reference="DPS-9999-FORBIDDEN")
    # Need-to-know, about someone nobody is conflicted on: only the commissioner may open it.
    need_to_know = CaseFactory(reference="DPS-9999-NEEDTOKNOW", restricted=True)
    forbidden_review = OnyxReviewFactory(subject=forbidden_officer, reference="ONYX-FORBIDDEN")
    for user in users.values():
        services.conflict_declare(user=user, officer=forbidden_officer, reason="matrix", by=supervisor_for_grants)
    forbidden_report = HotlineReportFactory(
        reference="HL-9999-FORBID", officer=forbidden_officer, linked_at=timezone.now(), status="linked"
    )
    allowed_report = HotlineReportFactory(reference="HL-0001-ALLOWED")
    allowed_officer = OfficerFactory(staff_number="SALLOW01")
    now = timezone.now()
    forbidden_flag = RiskFlag.objects.create(
        officer=forbidden_officer, rule_code="matrix", level="warning", reasons=[], first_seen=now, last_seen=now
    )
    allowed_flag = RiskFlag.objects.create(
        officer=allowed_officer, rule_code="matrix", level="warning", reasons=[], first_seen=now, last_seen=now
    )
    allowed_run = ImportRun.objects.create(
        source=DataSource.objects.create(slug="matrix", name="Matrix"), file_name="m.csv"
    )
    allowed_case = CaseFactory(subject=allowed_officer, reference="DPS-0001-ALLOWED")
    allowed_allegation = AllegationFactory(subject=allowed_officer, case=allowed_case)
    forbidden_allegation = AllegationFactory(subject=forbidden_officer, case=forbidden_case)
    need_to_know_allegation = AllegationFactory(subject=need_to_know.subject, case=need_to_know)
    allowed_review = OnyxReviewFactory(subject=allowed_officer, reference="ONYX-ALLOWED", decided=True)
    forbidden_vetting = VettingReviewFactory(officer=forbidden_officer, trigger_ref="matrix:1")
    allowed_vetting = VettingReviewFactory(officer=allowed_officer, trigger_ref="matrix:2")
    VettingClearanceFactory(officer=forbidden_officer, expires_on=days_ahead(20))
    forbidden_withdrawal = VettingWithdrawal.objects.create(officer=forbidden_officer, grounds="matrix", opened_at=now)
    allowed_withdrawal = VettingWithdrawal.objects.create(officer=allowed_officer, grounds="matrix", opened_at=now)
    # A PND import is the vetting unit's, about no one in particular: the forbidden one does not exist.
    ConvictionFactory(officer=allowed_officer)
    ConvictionFactory(officer=forbidden_officer)
    allowed_pnd_import = PNDImport.objects.create(file_name="matrix.csv", upload="matrix.csv")
    # A hit about the forbidden officer: its row on the PND summary is hidden from whoever is conflicted.
    PNDCheck.objects.create(officer=forbidden_officer, checked_on=days_ago(3), result="criminal_association")
    VettingClearanceFactory(officer=allowed_officer, expires_on=days_ahead(20))
    services.panel_reviews_assign(
        review_ids=[allowed_review.id], panel_members=[users[Role.PANEL_REVIEWER]], by=supervisor_for_grants
    )
    # Documents: on the forbidden case (everyone conflicted), the need-to-know case and the allowed case.
    from cases.documents.models import Document

    def document_on(case):
        return Document.objects.create(
            owner_kind="case", owner_id=case.pk, document_type="statement", created_by=supervisor_for_grants
        ).public_id

    forbidden_document, need_to_know_document = document_on(forbidden_case), document_on(need_to_know)
    allowed_document = document_on(allowed_case)
    allegation_documents = {
        key: Document.objects.create(
            owner_kind="allegation", owner_id=a.pk, document_type="statement", created_by=supervisor_for_grants
        ).public_id
        for key, a in (
            ("forbidden", forbidden_allegation),
            ("allowed", allowed_allegation),
            ("need_to_know", need_to_know_allegation),
        )
    }
    return {
        "users": users,
        "forbidden": {
            "case_id": forbidden_case.public_id,
            "officer_id": forbidden_officer.public_id,
            "review_id": forbidden_review.public_id,
            "report_id": forbidden_report.public_id,
            "flag_id": forbidden_flag.pk,
            "code": "no-such-rule",
            "run_id": "00000000-0000-0000-0000-000000000000",
            "vetting_review_id": forbidden_vetting.public_id,
            "withdrawal_id": forbidden_withdrawal.public_id,
            "pnd_import_id": "00000000-0000-0000-0000-000000000000",
            "document_id": forbidden_document,
            "owner_kind": "case",
            "owner_id": forbidden_case.public_id,
            "allegation_id": forbidden_allegation.public_id,
        },
        "allowed": {
            "case_id": allowed_case.public_id,
            "officer_id": allowed_officer.public_id,
            "review_id": allowed_review.public_id,
            "report_id": allowed_report.public_id,
            "flag_id": allowed_flag.pk,
            "code": "no-such-rule",
            "run_id": allowed_run.public_id,
            "vetting_review_id": allowed_vetting.public_id,
            "withdrawal_id": allowed_withdrawal.public_id,
            "pnd_import_id": allowed_pnd_import.public_id,
            "document_id": allowed_document,
            "owner_kind": "case",
            "owner_id": allowed_case.public_id,
            "allegation_id": allowed_allegation.public_id,
        },
        "need_to_know": {
            "case_id": need_to_know.public_id,
            "officer_id": forbidden_officer.public_id,
            "review_id": forbidden_review.public_id,
            "report_id": forbidden_report.public_id,
            "flag_id": forbidden_flag.pk,
            "code": "no-such-rule",
            "run_id": "00000000-0000-0000-0000-000000000000",
            "vetting_review_id": forbidden_vetting.public_id,
            "withdrawal_id": forbidden_withdrawal.public_id,
            "pnd_import_id": "00000000-0000-0000-0000-000000000000",
            "document_id": need_to_know_document,
            "owner_kind": "case",
            "owner_id": need_to_know.public_id,
            "allegation_id": need_to_know_allegation.public_id,
        },
        "allegation_documents": allegation_documents,
        "allegations": {
            "forbidden": forbidden_allegation,
            "allowed": allowed_allegation,
            "need_to_know": need_to_know_allegation,
        },
        "need_to_know_markers": [
            b"DPS-9999-NEEDTOKNOW",
            str(need_to_know.public_id).encode(),
            str(need_to_know_allegation.public_id).encode(),
        ],
        "markers": [
            b"DPS-9999-FORBIDDEN",
            b"SFORBID01",
            b"Forbiddenperson",
            b"ONYX-FORBIDDEN",
            str(forbidden_case.public_id).encode(),
            str(forbidden_officer.public_id).encode(),
            str(forbidden_review.public_id).encode(),
            str(forbidden_vetting.public_id).encode(),
            str(forbidden_withdrawal.public_id).encode(),
            str(forbidden_allegation.public_id).encode(),
        ],
    }


def url_for(endpoint, objects):
    unknown = set(endpoint.kwargs) - set(objects)
    if unknown:
        pytest.fail(f"{endpoint.route}: teach the permission matrix about URL arguments {unknown}")
    return reverse(endpoint.name, kwargs={k: objects[k] for k in endpoint.kwargs})


def fetch(client, url):
    """GET the page; for a form endpoint that only takes POST, POST an empty form instead."""
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response


def body_of(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def role_allowed(endpoint, role):
    if endpoint.policy in (PUBLIC, SIGNED_IN):
        return True
    if role == "no_role":
        return False
    return ANY_ROLE in endpoint.roles or role in endpoint.roles


@pytest.mark.django_db
def test_anonymous_public_reaches_only_public_pages(client, world):
    for e in ENDPOINTS:
        response = fetch(client, url_for(e, world["allowed"]))
        if e.policy == PUBLIC:
            assert response.status_code < 500, e.route
            continue
        if e.is_api:
            assert response.status_code in (401, 403), e.route
        else:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], e.route


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*Role.values, "no_role"])
def test_each_role_is_refused_what_it_may_not_see(client, world, role):
    user = world["users"][role]
    sign_in(client, user)
    for e in ENDPOINTS:
        if e.policy != STAFF:
            continue
        if not role_allowed(e, role):
            for objects in (world["allowed"], world["forbidden"]):
                response = fetch(client, url_for(e, objects))
                assert response.status_code in (403, 404), f"{role} reached {e.route}"
                body = body_of(response)
                assert not any(m in body for m in world["markers"]), f"{role} saw forbidden data at {e.route}"
            continue
        # Allowed to use the page: it works, and never shows the forbidden records.
        forbidden_sets = [(world["forbidden"], world["markers"])]
        if role != Role.COMMISSIONER:
            forbidden_sets.append((world["need_to_know"], world["markers"] + world["need_to_know_markers"]))
        for objects, markers in forbidden_sets:
            response = fetch(client, url_for(e, objects))
            if e.kwargs:
                assert response.status_code in (403, 404), f"{role} opened a forbidden record at {e.route}"
            else:
                assert response.status_code in (200, 302), f"{role} got {response.status_code} at {e.route}"
            leaked = [m for m in markers if m in body_of(response)]
            assert not leaked, f"{role} saw {leaked} at {e.route}"


@pytest.mark.django_db
def test_allowed_objects_open_for_the_roles_that_may_see_them(client, world):
    # Guards the matrix itself: if everything were 404, the refusals above would prove nothing.
    expected = {
        "cases:case_detail": [Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER],
        "cases:officer_detail": [Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.HOTLINE_TRIAGE],
        "cases:officer_timeline": [Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.HOTLINE_TRIAGE],
        "cases:review_detail": [Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.PANEL_REVIEWER],
        "cases:allegation_detail": [Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER],
        "documents:retention": [Role.SUPERVISOR],
        "documents:integrity": [Role.SUPERVISOR],
        "v1:case-detail": [Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.OVERSIGHT],
        "v1:review-detail": [Role.PANEL_REVIEWER, Role.OVERSIGHT],
        "triage:report": [Role.HOTLINE_TRIAGE, Role.INVESTIGATOR, Role.SUPERVISOR],
        "risk:officer_flags": [Role.SUPERVISOR, Role.COMMISSIONER],
        "vetting:review_detail": [Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.VETTING_OFFICER],
        "vetting:officer_clearances": [Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.VETTING_OFFICER],
        "vetting:withdrawal_detail": [Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.VETTING_OFFICER],
        "vetting:pnd_import_detail": [Role.VETTING_OFFICER],
    }
    for name, roles in expected.items():
        e = next(e for e in ENDPOINTS if e.name == name)
        for role in roles:
            sign_in(client, world["users"][role])
            assert client.get(url_for(e, world["allowed"])).status_code == 200, f"{role} {name}"


# Documents on an allegation: reachable exactly when the allegation is (its owner kind's selector).
ALLEGATION_DOCUMENT_READERS = {Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER}


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*Role.values, "no_role"])
def test_an_allegations_page_and_documents_open_exactly_when_the_allegation_does(client, world, role):
    sign_in(client, world["users"][role])
    for which in ("allowed", "forbidden", "need_to_know"):
        opens = role in ALLEGATION_DOCUMENT_READERS and (
            which == "allowed" or (which == "need_to_know" and role == Role.COMMISSIONER)
        )
        allegation = world["allegations"][which]
        document_id = world["allegation_documents"][which]
        for url in (
            reverse("cases:allegation_detail", args=[allegation.public_id]),
            reverse("documents:detail", args=[document_id]),
        ):
            assert client.get(url).status_code == (200 if opens else 404), f"{role} {which} {url}"
        # No file was stored: the download of an allowed document answers 404 as well, never a leak.
        assert client.get(reverse("documents:download", args=[document_id])).status_code == 404
        # Adding documents is for those who may work on the case: of these roles, the supervisor.
        upload = reverse("documents:upload", args=["allegation", allegation.public_id])
        may_upload = opens and role == Role.SUPERVISOR
        assert client.get(upload).status_code == (200 if may_upload else 404), f"{role} {which} upload"


# The list pages and what each shows of the world's allowed records.
LIST_PAGES = {
    "cases:case_list": b"DPS-0001-ALLOWED",
    "cases:case_export": b"DPS-0001-ALLOWED",
    "cases:allegation_list": b"DPS-0001-ALLOWED",
    "cases:allegation_export": b"DPS-0001-ALLOWED",
    "cases:officer_list": b"SALLOW01",
    "cases:review_list": b"ONYX-ALLOWED",
    "v1:case-list": b"DPS-0001-ALLOWED",
    "v1:officer-list": b"SALLOW01",
    "v1:review-list": b"ONYX-ALLOWED",
    "risk:risk_list": b"SALLOW01",
    "triage:queue": b"HL-0001-ALLOWED",
    "vetting:review_list": b"SALLOW01",
    "vetting:clearance_expiry": b"SALLOW01",
    "vetting:withdrawal_list": b"SALLOW01",
    "vetting:pnd_summary": b"matrix.csv",
    "cases:conviction_list": b"SALLOW01",
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_list_pages_that_hide_the_forbidden_records_show_the_allowed_ones(client, world, role):
    # Guards the list half of the matrix: a list that errored or hid everything would pass the
    # "never shows the forbidden records" walk above.
    sign_in(client, world["users"][role])
    for name, marker in LIST_PAGES.items():
        e = next(e for e in ENDPOINTS if e.name == name)
        if not role_allowed(e, role):
            continue
        response = client.get(url_for(e, {}))
        assert response.status_code == 200, f"{role} {name}"
        body = body_of(response)
        assert marker in body, f"{role} does not see the allowed record at {name}"
        assert not [m for m in world["markers"] if m in body], f"{role} {name}"


@pytest.mark.django_db
def test_signed_in_without_second_factor_is_sent_to_two_factor(client, world):
    client.force_login(world["users"][Role.INVESTIGATOR])
    response = client.get(reverse("cases:case_list"))
    assert response.status_code == 302 and response["Location"] == reverse("two_factor")
    assert client.get(reverse("v1:case-list")).status_code == 403


@pytest.mark.django_db
def test_admin_is_for_verified_superusers_only(client, world):
    sign_in(client, world["users"][Role.COMMISSIONER])
    response = client.get("/admin/cases/case/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    superuser = UserFactory(username="root-user", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    assert client.get("/admin/cases/case/").status_code == 302  # no second factor yet
    sign_in(client, superuser)
    assert client.get("/admin/cases/case/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*Role.values])
def test_the_search_box_never_finds_what_a_role_may_not_see(client, world, role):
    sign_in(client, world["users"][role])
    markers = world["markers"] + [b"HL-9999-FORBID"]
    if role != Role.COMMISSIONER:
        markers += world["need_to_know_markers"]
    for q in ("Forbiddenperson", "SFORBID01", "DPS-9999", "HL-9999-FORBID", "NEEDTOKNOW"):
        response = client.get(reverse("search"), {"q": q})
        assert response.status_code == 200, role
        # The page repeats what was typed; nothing else may name a forbidden record.
        body = response.content.replace(q.encode(), b"")
        assert not [m for m in markers if m in body], f"{role} found {q}"
        sees_need_to_know = role == Role.COMMISSIONER and q in ("DPS-9999", "NEEDTOKNOW")
        assert (b'data-search-total="0"' in response.content) != sees_need_to_know, f"{role} {q}"
    if role in (Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER):
        assert b"DPS-0001-ALLOWED" in client.get(reverse("search"), {"q": "DPS-0001"}).content
    if role in (Role.HOTLINE_TRIAGE, Role.INVESTIGATOR, Role.SUPERVISOR):
        assert b"HL-0001-ALLOWED" in client.get(reverse("search"), {"q": "HL-0001"}).content


# The API's writes and the roles that may reach them (the browser's roles for the same action); every
# other role, oversight included, is refused before any record is looked up.
API_WRITES = {
    "v1:review-decision": {Role.INVESTIGATOR, Role.SUPERVISOR},
    "v1:review-verdict": {Role.PANEL_REVIEWER},
    "v1:review-case-open": {Role.INVESTIGATOR, Role.SUPERVISOR},
    "v1:officer-case-open": {Role.INVESTIGATOR, Role.SUPERVISOR},
    "v1:hotline-report-acknowledge": {Role.HOTLINE_TRIAGE, Role.INVESTIGATOR, Role.SUPERVISOR},
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(API_WRITES))
def test_api_writes_admit_only_the_roles_with_the_browser_action(client, world, name):
    e = next(e for e in ENDPOINTS if e.name == name)
    assert set(e.roles) == API_WRITES[name]
    for role in Role.values:
        sign_in(client, world["users"][role])
        response = client.post(url_for(e, world["forbidden"]), {}, content_type="application/json")
        if role in API_WRITES[name]:
            assert response.status_code in (400, 404), f"{role} {name}"
        else:
            assert response.status_code == 403, f"{role} {name}"
