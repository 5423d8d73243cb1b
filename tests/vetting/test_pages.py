"""The vetting pages: who sees what, the decision in the browser's forms, the self-service report, the
expiry page's filters, and query budgets."""

import pytest
from django.urls import reverse

from cases import services as case_services
from cases.roles import Role
from tests.clock import TODAY, days_ago, days_ahead
from tests.conftest import sign_in
from tests.factories import CommandFactory, OfficerFactory, UserFactory, VettingClearanceFactory
from vetting import services
from vetting.models import ClearanceLevel, ReviewTrigger, VettingReview
from vetting.models import VettingReviewStatus as S

pytestmark = pytest.mark.django_db


def test_a_vetting_officer_takes_and_decides_a_review_in_the_app(client, vetting_officer):
    clearance = VettingClearanceFactory()
    review = services.vetting_review_open(
        officer_id=clearance.officer_id, trigger=ReviewTrigger.PND_HIT, trigger_ref="pndcheck:1"
    )
    sign_in(client, vetting_officer)
    url = reverse("vetting:review_move", kwargs={"vetting_review_id": review.public_id})
    assert client.post(url, {"to_status": "in_progress", "assignee": ""}).status_code == 302
    response = client.post(url, {"to_status": "decided", "outcome": "withdrawn", "rationale": ""})
    assert response.status_code == 400 and b"This field is required" in response.content
    response = client.post(url, {"to_status": "decided", "outcome": "withdrawn", "rationale": "Association."})
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.outcome, review.decided_by) == (S.DECIDED, "withdrawn", vetting_officer)
    page = client.get(reverse("vetting:review_detail", kwargs={"vetting_review_id": review.public_id}))
    assert b"Association." in page.content and b"Withdrawn" in page.content


def test_a_vetting_officer_opens_a_review_by_hand_and_a_double_submit_opens_one(client, vetting_officer):
    officer = OfficerFactory(staff_number="S1234567")
    sign_in(client, vetting_officer)
    form = client.get(reverse("vetting:review_open"))
    token = form.context["form"].initial["once_token"]
    data = {"staff_number": "s1234567", "reason": "Intelligence report", "once_token": token}
    for _ in range(2):
        assert client.post(reverse("vetting:review_open"), data).status_code == 302
    assert VettingReview.objects.filter(officer=officer, trigger=ReviewTrigger.MANUAL).count() == 1


def test_the_self_report_reaches_the_vetting_unit_only(client, vetting_officer):
    reporter = UserFactory(roles=[Role.INVESTIGATOR])
    officer = OfficerFactory(user=reporter)
    sign_in(client, reporter)
    form = client.get(reverse("vetting:circumstance_change"))
    token = form.context["form"].initial["once_token"]
    data = {"kind": "associates", "details": "My cousin was charged with supply.", "once_token": token}
    response = client.post(reverse("vetting:circumstance_change"), data, follow=True)
    assert b"the vetting unit has your report" in response.content
    review = VettingReview.objects.get(officer=officer, trigger=ReviewTrigger.SELF_REPORT)
    # The reporter never sees a vetting review of themselves (everyone is conflicted on their own record),
    detail = reverse("vetting:review_detail", kwargs={"vetting_review_id": review.public_id})
    assert client.get(detail).status_code == 404
    # other DPS readers see the review but not the words of the report; the vetting unit sees them.
    sign_in(client, UserFactory(roles=[Role.SUPERVISOR]))
    page = client.get(detail)
    assert page.status_code == 200 and b"cousin" not in page.content
    sign_in(client, vetting_officer)
    assert b"cousin" in client.get(detail).content


def test_the_self_report_page_says_so_when_no_record_is_linked(client):
    sign_in(client, UserFactory(roles=[Role.PANEL_REVIEWER]))
    response = client.get(reverse("vetting:circumstance_change"))
    assert response.status_code == 200 and b'data-testid="not-linked"' in response.content


def test_the_expiry_page_filters_by_band_command_and_level(client, vetting_officer):
    north, south = CommandFactory(name="North"), CommandFactory(name="South")
    expired = VettingClearanceFactory(
        officer=OfficerFactory(command=north, staff_number="SEXP0001"), expires_on=days_ago(1)
    )
    today_ = VettingClearanceFactory(officer=OfficerFactory(command=north, staff_number="STOD0001"), expires_on=TODAY)
    thirty = VettingClearanceFactory(
        officer=OfficerFactory(command=south, staff_number="S30D0001"), expires_on=days_ahead(30), level="mv"
    )
    VettingClearanceFactory(officer=OfficerFactory(staff_number="S61D0001"), expires_on=days_ahead(61))
    VettingClearanceFactory(officer=OfficerFactory(staff_number="S91D0001"), expires_on=days_ahead(91))
    sign_in(client, vetting_officer)
    url = reverse("vetting:clearance_expiry")

    def shown(**params):
        page = client.get(url, params)
        assert page.status_code == 200
        return {c.officer.staff_number for c in page.context["page"]}

    assert shown() == {"SEXP0001", "STOD0001", "S30D0001", "S61D0001"}
    assert shown(band="expired") == {"SEXP0001"}
    assert shown(band="due_30") == {"STOD0001", "S30D0001"}
    assert shown(band="due_90") == {"S61D0001"}
    assert shown(command=north.pk) == {"SEXP0001", "STOD0001"}
    assert shown(level=ClearanceLevel.MV) == {"S30D0001"}
    assert b"Expires today" in client.get(url).content
    assert expired and today_ and thirty


def test_the_expiry_page_hides_people_the_reader_is_conflicted_on(client, vetting_officer):
    hidden = OfficerFactory(staff_number="SHIDE001")
    VettingClearanceFactory(officer=hidden, expires_on=days_ahead(5))
    case_services.conflict_declare(
        user=vetting_officer, officer=hidden, reason="Friend", by=UserFactory(roles=[Role.SUPERVISOR])
    )
    sign_in(client, vetting_officer)
    assert b"SHIDE001" not in client.get(reverse("vetting:clearance_expiry")).content


@pytest.mark.parametrize("role", [Role.PANEL_REVIEWER, Role.OVERSIGHT, Role.HOTLINE_TRIAGE])
def test_other_roles_get_404_on_the_vetting_pages(client, role):
    clearance = VettingClearanceFactory(expires_on=days_ahead(5))
    review = services.vetting_review_open(officer_id=clearance.officer_id, trigger="manual", trigger_ref="form:x")
    sign_in(client, UserFactory(roles=[role]))
    for url in (
        reverse("vetting:clearance_expiry"),
        reverse("vetting:review_list"),
        reverse("vetting:review_detail", kwargs={"vetting_review_id": review.public_id}),
        reverse("vetting:officer_clearances", kwargs={"officer_id": clearance.officer.public_id}),
    ):
        assert client.get(url).status_code == 404, url
    move = reverse("vetting:review_move", kwargs={"vetting_review_id": review.public_id})
    assert client.post(move, {"to_status": "in_progress"}).status_code == 404


def test_an_investigator_reads_but_cannot_move_a_review(client):
    clearance = VettingClearanceFactory()
    review = services.vetting_review_open(officer_id=clearance.officer_id, trigger="manual", trigger_ref="form:y")
    sign_in(client, UserFactory(roles=[Role.INVESTIGATOR]))
    assert (
        client.get(reverse("vetting:review_detail", kwargs={"vetting_review_id": review.public_id})).status_code == 200
    )
    move = reverse("vetting:review_move", kwargs={"vetting_review_id": review.public_id})
    assert client.post(move, {"to_status": "in_progress"}).status_code == 404


def _many(n):
    for i in range(n):
        clearance = VettingClearanceFactory(expires_on=days_ahead(i % 80))
        services.vetting_review_open(officer_id=clearance.officer_id, trigger="manual", trigger_ref=f"form:{i}")


def test_query_budgets_of_the_vetting_pages(client, vetting_officer, django_assert_max_num_queries):
    _many(30)
    officer = VettingReview.objects.first().officer
    for level in ("mv", "sc"):
        services.clearance_grant(officer=officer, level=level, granted_on=days_ago(10), by=None)
    review = VettingReview.objects.filter(officer=officer).first()
    sign_in(client, vetting_officer)
    pages = [
        reverse("vetting:clearance_expiry"),
        reverse("vetting:clearance_expiry") + "?band=due_30",
        reverse("vetting:review_list"),
        reverse("vetting:review_detail", kwargs={"vetting_review_id": review.public_id}),
        reverse("vetting:officer_clearances", kwargs={"officer_id": officer.public_id}),
        reverse("vetting:circumstance_change"),
    ]
    for url in pages:
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("category", "shown"),
    [
        ("dishonesty", True),
        ("violence", True),
        ("sexual", True),
        ("serious_traffic", False),
        ("drugs", False),
        ("criminal_damage", False),
        ("public_order", False),
    ],
)
def test_the_presumption_of_refusal_shows_exactly_for_the_listed_categories(client, vetting_officer, category, shown):
    from tests.factories import ConvictionFactory

    conviction = ConvictionFactory(category=category, convicted_on=days_ago(20))
    services.on_conviction_recorded(conviction_id=conviction.pk, officer_id=conviction.officer_id)
    review = VettingReview.objects.get(officer=conviction.officer)
    sign_in(client, vetting_officer)
    page = client.get(reverse("vetting:review_detail", kwargs={"vetting_review_id": review.public_id}))
    assert (b'data-testid="presumption-of-refusal"' in page.content) == shown


def test_a_record_only_caution_still_opens_a_review_whose_trigger_shows_the_policy(client, vetting_officer):
    from cases.models import PolicyAction

    caution = case_services.conviction_record(
        officer=OfficerFactory(),
        category="drugs",
        kind="caution",
        as_minor=True,
        convicted_on=days_ago(900),
        by=UserFactory(roles=[Role.SUPERVISOR]),
    )
    assert caution.policy_action == PolicyAction.RECORD_ONLY
    services.on_conviction_recorded(conviction_id=caution.pk, officer_id=caution.officer_id)
    review = VettingReview.objects.get(officer=caution.officer)
    sign_in(client, vetting_officer)
    page = client.get(reverse("vetting:review_detail", kwargs={"vetting_review_id": review.public_id}))
    assert b"Caution (under 18): Record only" in page.content
