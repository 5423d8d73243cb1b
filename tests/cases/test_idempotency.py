"""Every create a double click can repeat is done once: racing POSTs (real threads, each with its own
PostgreSQL connection, released together by a barrier) and the same form posted twice."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import (
    Allegation,
    Case,
    CaseEvent,
    CaseEventKind,
    OnyxActionKind,
    OnyxDecision,
    OnyxStatus,
    ReviewBatch,
)
from cases.roles import Role
from tests.conftest import sign_in
from tests.factories import AllegationFactory, CaseFactory, OfficerFactory, OnyxReviewFactory, UserFactory

needs_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")


def race(fn, *, times=2):
    """Run fn in `times` threads at once; returns (results, errors)."""
    barrier = threading.Barrier(times)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(fn())
        except Exception as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a racing request never finished"
    return results, errors


def reassess_review(reviewer):
    review = OnyxReviewFactory(status=OnyxStatus.ALLOCATED, reviewer=reviewer)
    return services.onyx_review_decide(
        review=review,
        decision=OnyxDecision.REASSESS,
        rationale="Witnesses were never spoken to.",
        actions=[(OnyxActionKind.REOPEN_CASE, "")],
        by=reviewer,
    )


def allegation_data(**overrides):
    return {
        "category": "dishonesty",
        "source": "public_complaint",
        "received_on": timezone.localdate() - dt.timedelta(days=3),
        "narrative": "Took cash from a found wallet.",
        **overrides,
    }


# --- racing threads on PostgreSQL -------------------------------------------------------------


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_four_racing_case_opens_on_one_onyx_review_open_one_case():
    reviewer = UserFactory(roles=[Role.INVESTIGATOR])
    review = reassess_review(reviewer)

    results, errors = race(lambda: services.onyx_review_case_open(review=review, by=reviewer), times=4)

    assert not errors
    assert Case.objects.filter(subject=review.subject).count() == 1
    assert {case.pk for case in results} == {Case.objects.get(subject=review.subject).pk}


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_racing_allegation_records_with_one_form_token_make_one_allegation():
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    officer = OfficerFactory()
    token = services.submission_token_new()

    results, errors = race(
        lambda: services.allegation_record(subject=officer, by=investigator, once_token=token, **allegation_data())
    )

    assert not errors
    assert Allegation.objects.filter(subject=officer).count() == 1
    assert {a.pk for a in results} == {Allegation.objects.get(subject=officer).pk}


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_racing_programme_starts_with_one_form_token_make_one_programme():
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    token = services.submission_token_new()

    def start():
        return services.onyx_batch_create(
            name="Domestic abuse, last ten years",
            categories=["domestic_abuse"],
            period_start=timezone.localdate() - dt.timedelta(days=3650),
            period_end=timezone.localdate(),
            by=supervisor,
            once_token=token,
        )

    results, errors = race(start)

    assert not errors
    assert ReviewBatch.objects.count() == 1
    assert {b.pk for b in results} == {ReviewBatch.objects.get().pk}


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_racing_grants_of_need_to_know_access_record_one_grant():
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    secret = CaseFactory(restricted=True)

    _, errors = race(lambda: services.case_access_grant(case=secret, user=investigator, by=supervisor))

    assert not errors
    grants = CaseEvent.objects.filter(case=secret, kind=CaseEventKind.RESTRICTION_CHANGED)
    assert [e.detail for e in grants] == [{"granted_view_to": investigator.pk}]


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_racing_assignments_to_the_same_investigator_record_one_assignment():
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    case = CaseFactory()

    _, errors = race(lambda: services.case_assign(case=case, investigator=investigator, by=supervisor))

    assert not errors
    assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.ASSIGNED).count() == 1


# --- the same form posted twice ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_double_posted_allegation_form_records_one_allegation(client):
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    officer = OfficerFactory()
    sign_in(client, investigator)
    page = client.get(reverse("cases:officer_detail", args=[officer.public_id]))
    token = page.context["allegation_form"]["once_token"].value()
    assert token and f'value="{token}"'.encode() in page.content  # the page carries it
    data = {**allegation_data(), "received_on": allegation_data()["received_on"].isoformat(), "once_token": token}
    url = reverse("cases:allegation_new", args=[officer.public_id])

    first, second = client.post(url, data), client.post(url, data)

    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert Allegation.objects.filter(subject=officer).count() == 1


@pytest.mark.django_db
def test_two_allegation_forms_opened_separately_record_two_allegations(client):
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    officer = OfficerFactory()
    sign_in(client, investigator)
    url = reverse("cases:allegation_new", args=[officer.public_id])
    data = {**allegation_data(), "received_on": allegation_data()["received_on"].isoformat()}
    for _ in range(2):
        page = client.get(reverse("cases:officer_detail", args=[officer.public_id]))
        client.post(url, {**data, "once_token": page.context["allegation_form"]["once_token"].value()})
    assert Allegation.objects.filter(subject=officer).count() == 2


@pytest.mark.django_db
def test_a_double_posted_open_case_form_opens_one_case_and_both_land_on_it(client):
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    allegation = AllegationFactory()
    officer = allegation.subject
    sign_in(client, investigator)
    page = client.get(reverse("cases:officer_detail", args=[officer.public_id]))
    token = page.context["case_open_token"]
    assert f'name="once_token" value="{token}"'.encode() in page.content
    url = reverse("cases:case_new", args=[officer.public_id])
    data = {"allegation": [str(allegation.public_id)], "once_token": token}

    first, second = client.post(url, data), client.post(url, data)

    case = Case.objects.get(subject=officer)
    assert first.url == second.url == reverse("cases:case_detail", args=[case.public_id])


@pytest.mark.django_db
def test_a_double_posted_open_case_on_an_onyx_review_lands_on_one_case(client):
    reviewer = UserFactory(roles=[Role.INVESTIGATOR])
    review = reassess_review(reviewer)
    sign_in(client, reviewer)
    url = reverse("cases:review_case_open", args=[review.public_id])

    first, second = client.post(url), client.post(url)

    case = Case.objects.get(subject=review.subject)
    assert first.url == second.url == reverse("cases:case_detail", args=[case.public_id])


@pytest.mark.django_db
def test_a_double_posted_programme_form_makes_one_programme_and_says_so_twice(client):
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    sign_in(client, supervisor)
    page = client.get(reverse("cases:review_list"))
    token = page.context["programme_form"]["once_token"].value()
    data = {
        "name": "Sexual offences",
        "categories": ["sexual_offence"],
        "period_start": (timezone.localdate() - dt.timedelta(days=365)).isoformat(),
        "period_end": timezone.localdate().isoformat(),
        "once_token": token,
    }
    url = reverse("cases:review_programme_new")

    client.post(url, data)
    second = client.post(url, data, follow=True)

    assert ReviewBatch.objects.count() == 1
    assert "“Sexual offences”: 0 review(s) queued." in second.content.decode()


# --- updates a double click repeats: the second writes no second event -----------------------------


@pytest.mark.django_db
def test_a_double_posted_allocation_records_one_allocation_event(client):
    from cases.models import OnyxReviewEvent

    supervisor, reviewer = UserFactory(roles=[Role.SUPERVISOR]), UserFactory(roles=[Role.INVESTIGATOR])
    review = OnyxReviewFactory()
    sign_in(client, supervisor)
    data = {"review": [str(review.public_id)], "reviewer": reviewer.pk}
    for _ in range(2):
        client.post(reverse("cases:reviews_allocate"), data)
    assert OnyxReviewEvent.objects.filter(review=review, kind="allocated").count() == 1


@pytest.mark.django_db
def test_a_double_posted_timeliness_report_is_recorded_once():
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    case = CaseFactory()
    for _ in range(2):
        services.case_timeliness_report_record(case=case, by=supervisor, note="Interviews done; file by March.")
    assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.TIMELINESS_REPORT).count() == 1


@pytest.mark.django_db
def test_a_double_posted_intervention_plan_is_triaged_once():
    from cases.risk.models import RiskFlag, RiskFlagEvent
    from cases.risk.services import risk_flag_triage, risk_recompute_all
    from tests.factories import ConvictionFactory

    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    ConvictionFactory()
    risk_recompute_all()
    flag = RiskFlag.objects.get(rule_code="conviction")
    review_on = timezone.localdate() + dt.timedelta(days=30)
    for _ in range(2):
        risk_flag_triage(
            flag_id=flag.id, actor=supervisor, status="intervention_planned", plan="Mentoring", review_on=review_on
        )
    assert RiskFlagEvent.objects.filter(flag=flag, kind="triaged").count() == 1
