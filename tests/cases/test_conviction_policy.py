"""The review policy for cautions and convictions: the first active matching rule by order decides the
recommendation stored on each conviction; the default rules (migration cases/0020, docs/vetting-rules.md);
re-applying after a rule change is set-based; the register shows and filters by the recommendation."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services
from cases.models import Conviction, ConvictionKind, ConvictionPolicyRule, PolicyAction
from cases.roles import Role
from tests import clock
from tests.conftest import sign_in
from tests.factories import ConvictionFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db

A = PolicyAction


def record(category, *, kind=ConvictionKind.CONVICTION, as_minor=False, while_serving=False):
    return services.conviction_record(
        officer=OfficerFactory(),
        category=category,
        convicted_on=clock.days_ago(400),
        by=UserFactory(roles=[Role.SUPERVISOR]),
        kind=kind,
        as_minor=as_minor,
        while_serving=while_serving,
    )


@pytest.mark.parametrize(
    "category, kind, as_minor, while_serving, action",
    [
        # A minor's offence that is not of dishonesty, violence or a sexual offence: record only.
        ("drugs", ConvictionKind.CAUTION, True, False, A.RECORD_ONLY),
        ("serious_traffic", ConvictionKind.CONVICTION, True, False, A.RECORD_ONLY),
        ("public_order", ConvictionKind.CONVICTION, True, False, A.RECORD_ONLY),
        # Dishonesty, violence, sexual: vetting review and consider misconduct, as a minor or not.
        ("dishonesty", ConvictionKind.CAUTION, False, True, A.REVIEW_AND_MISCONDUCT),
        ("violence", ConvictionKind.CONVICTION, True, False, A.REVIEW_AND_MISCONDUCT),
        ("sexual", ConvictionKind.CONVICTION, False, False, A.REVIEW_AND_MISCONDUCT),
        # Serious traffic as an adult: vetting review.
        ("serious_traffic", ConvictionKind.CONVICTION, False, True, A.REVIEW),
        # Any other caution or conviction as an adult: vetting review.
        ("criminal_damage", ConvictionKind.CAUTION, False, False, A.REVIEW),
        ("drugs", ConvictionKind.CONVICTION, False, True, A.REVIEW),
    ],
)
def test_each_default_rule_decides_its_convictions(category, kind, as_minor, while_serving, action):
    conviction = record(category, kind=kind, as_minor=as_minor, while_serving=while_serving)
    conviction.refresh_from_db()
    assert conviction.policy_action == action
    assert conviction.policy_rule.action == action


def test_the_first_active_matching_rule_by_order_wins():
    ConvictionPolicyRule.objects.create(
        order=1, name="Drugs cautions", categories=["drugs"], kind=ConvictionKind.CAUTION, action=A.RECORD_ONLY
    )
    ConvictionPolicyRule.objects.create(order=2, name="All drugs", categories=["drugs"], action=A.REVIEW_AND_MISCONDUCT)
    caution = record("drugs", kind=ConvictionKind.CAUTION)
    conviction = record("drugs")
    assert (caution.policy_action, conviction.policy_action) == (A.RECORD_ONLY, A.REVIEW_AND_MISCONDUCT)
    ConvictionPolicyRule.objects.filter(order=1).update(active=False)
    services.conviction_policy_apply()
    caution.refresh_from_db()
    assert caution.policy_action == A.REVIEW_AND_MISCONDUCT and caution.policy_rule.order == 2


def test_no_matching_rule_leaves_no_recommendation_and_a_review_still_opens():
    ConvictionPolicyRule.objects.update(active=False)
    conviction = record("drugs")
    conviction.refresh_from_db()
    assert (conviction.policy_rule, conviction.policy_action) == (None, "")


def test_reapplying_after_a_rule_change_matches_what_recording_decides():
    rows = [
        ConvictionFactory(category=c, as_minor=m)
        for c in ["drugs", "violence", "serious_traffic"]
        for m in (False, True)
    ]
    services.conviction_policy_apply()
    got = dict(Conviction.objects.filter(pk__in=[r.pk for r in rows]).values_list("pk", "policy_action"))
    assert [got[r.pk] for r in rows] == [
        A.REVIEW,  # drugs, adult
        A.RECORD_ONLY,  # drugs, minor
        A.REVIEW_AND_MISCONDUCT,  # violence, adult
        A.REVIEW_AND_MISCONDUCT,  # violence, minor
        A.REVIEW,  # serious traffic, adult
        A.RECORD_ONLY,  # serious traffic, minor
    ]
    ConvictionPolicyRule.objects.filter(order=10).update(active=False)
    services.conviction_policy_apply()
    assert not Conviction.objects.filter(policy_action=A.RECORD_ONLY).exists()


def test_reapplying_is_set_based_whatever_the_number_of_convictions():
    def queries_for(n):
        for _ in range(n):
            ConvictionFactory(category="drugs")
        with CaptureQueriesContext(connection) as ctx:
            services.conviction_policy_apply()
        return len(ctx.captured_queries)

    assert queries_for(2) == queries_for(60)
    assert Conviction.objects.filter(policy_action=A.REVIEW).count() == 62


def test_the_register_shows_the_recommendation_in_words_and_filters_by_it(client):
    minor = record("public_order", kind=ConvictionKind.CAUTION, as_minor=True)
    adult = record("violence")
    sign_in(client, UserFactory(roles=[Role.SUPERVISOR]))
    page = client.get(reverse("cases:conviction_list"))
    assert b"Record only" in page.content
    assert b"Refer for vetting review and consider misconduct" in page.content
    assert b"Under 18" in page.content and b"Caution" in page.content
    url = reverse("cases:conviction_list")
    assert [c.pk for c in client.get(url, {"action": "record_only"}).context["page"]] == [minor.pk]
    assert [c.pk for c in client.get(url, {"action": "review_and_misconduct"}).context["page"]] == [adult.pk]
    assert [c.pk for c in client.get(url, {"kind": "caution", "minor": "true"}).context["page"]] == [minor.pk]
    assert [c.pk for c in client.get(url, {"minor": "false"}).context["page"]] == [adult.pk]
    assert client.get(url, {"action": "dismiss"}).status_code == 400
    assert client.get(url, {"kind": "warning"}).status_code == 400


@pytest.mark.parametrize("rows", [2, 25])
def test_the_register_with_the_policy_stays_within_its_query_budget(client, rows, django_assert_max_num_queries):
    for i in range(rows):
        ConvictionFactory(category=["drugs", "violence"][i % 2], as_minor=bool(i % 3))
    services.conviction_policy_apply()
    sign_in(client, UserFactory(roles=[Role.COMMISSIONER]))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("cases:conviction_list"))
    assert page.status_code == 200
    assert all(c.policy_action for c in page.context["page"])


def test_the_demo_draws_cautions_and_offences_as_a_minor_plausibly():
    from cases.demo.convictions import _kind_and_age
    from cases.models import Officer

    rows = [
        Conviction(officer=Officer(staff_number=f"D{i:05}"), category=category, while_serving=i % 10 == 0)
        for i in range(400)
        for category in ["serious_traffic", "drugs", "sexual"]
    ]
    for row in rows:
        _kind_and_age(row)
    cautions = {c: sum(r.kind == ConvictionKind.CAUTION for r in rows if r.category == c) for c in ["drugs"]}
    assert not any(r.kind == ConvictionKind.CAUTION for r in rows if r.category in ("serious_traffic", "sexual"))
    assert 120 < cautions["drugs"] < 240  # about 45 in 100
    assert not any(r.as_minor for r in rows if r.while_serving)
    assert 60 < sum(r.as_minor for r in rows) < 220  # about 12 in 100 of those before joining


def test_saving_a_rule_in_the_admin_reapplies_the_policy_and_a_conviction_added_there_gets_one(client):
    drugs = ConvictionFactory(category="drugs")
    services.conviction_policy_apply()
    sign_in(client, UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.post(
        "/admin/cases/convictionpolicyrule/add/",
        {"order": 5, "active": "on", "name": "Drugs: record only", "categories": "drugs", "action": "record_only"},
    )
    assert response.status_code == 302, response.content[:2000]
    drugs.refresh_from_db()
    assert drugs.policy_action == A.RECORD_ONLY and drugs.policy_rule.name == "Drugs: record only"
    response = client.post(
        "/admin/cases/conviction/add/",
        {
            "officer": OfficerFactory().pk,
            "kind": "caution",
            "category": "violence",
            "convicted_on": clock.days_ago(30).isoformat(),
            "review_status": "pending",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert Conviction.objects.get(category="violence").policy_action == A.REVIEW_AND_MISCONDUCT


def test_the_database_refuses_a_rule_or_conviction_outside_the_lists():
    from tests.constraints import rejected

    rule = ConvictionPolicyRule.objects.create
    with pytest.raises(ValidationError):  # categories are a JSON list: checked by the model, not the database
        ConvictionPolicyRule(order=99, name="x", categories=["theft"], action=A.REVIEW).full_clean()
    rejected("convictionpolicyrule_kind_valid", rule, order=98, name="x", kind="warning", action=A.REVIEW)
    rejected("convictionpolicyrule_action_valid", rule, order=97, name="x", action="dismiss")
    rejected("conviction_kind_valid", ConvictionFactory, kind="warning")
    rejected("conviction_policy_action_valid", ConvictionFactory, policy_action="dismiss")
