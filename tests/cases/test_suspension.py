"""Suspension and restricted duties (Police (Conduct) Regulations 2020, reg 11): the appropriate
authority's decision with its reg 11(4) conditions and written reasons, periodic reviews, and the
officer's status kept in step through officer_status_change."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import (
    EmploymentStatus,
    OfficerEvent,
    Suspension,
    SuspensionDecision,
    SuspensionKind,
    SuspensionReview,
)
from cases.roles import Role
from cases.services import DomainError
from cases.services.suspension import REVIEW_INTERVAL, suspension_review_due
from tests import clock
from tests.conftest import sign_in
from tests.constraints import refused_by
from tests.factories import CaseFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db

GROUNDS = {
    "redeployment_considered": True,
    "redeployment_rejected_reason": "No post away from the complainant's borough.",
    "ground_investigation_prejudiced": True,
    "investigation_prejudiced_reason": "Access to the witnesses' records.",
}


@pytest.fixture
def supervisor():
    return UserFactory(roles=[Role.SUPERVISOR])


def suspend(officer, by, **extra):
    return services.suspension_start(officer=officer, kind=SuspensionKind.SUSPENSION, by=by, **{**GROUNDS, **extra})


def _nothing_written(officer):
    return (
        not Suspension.objects.filter(officer=officer).exists()
        and not OfficerEvent.objects.filter(officer=officer).exists()
    )


# reg 11(4)(a): redeployment considered first, with the reason it is not appropriate.


def test_reg_11_4_a_suspension_without_considering_redeployment_is_refused_with_nothing_written(supervisor):
    officer = OfficerFactory()
    with pytest.raises(DomainError) as refused:
        suspend(officer, supervisor, redeployment_considered=False)
    assert refused.value.field == "redeployment_considered"
    officer.refresh_from_db()
    assert officer.status == EmploymentStatus.SERVING and _nothing_written(officer)


def test_reg_11_4_a_suspension_needs_the_written_reason_redeployment_is_not_appropriate(supervisor):
    officer = OfficerFactory()
    with pytest.raises(DomainError) as refused:
        suspend(officer, supervisor, redeployment_rejected_reason="   ")
    assert refused.value.field == "redeployment_rejected_reason"
    assert _nothing_written(officer)


def test_reg_11_4_a_database_refuses_a_suspension_without_redeployment_considered(supervisor):
    with refused_by("suspension_reg_11_4_a_redeployment_considered"):
        Suspension.objects.create(
            officer=OfficerFactory(),
            kind=SuspensionKind.SUSPENSION,
            started_on=clock.TODAY,
            decided_by=supervisor,
            ground_public_interest=True,
            public_interest_reason="Serious allegation.",
            next_review_due=clock.TODAY,
        )


# reg 11(4)(b): at least one ground, (i) investigation prejudiced or (ii) public interest, with reasons.


def test_reg_11_4_b_suspension_without_a_ground_is_refused_with_nothing_written(supervisor):
    officer = OfficerFactory()
    with pytest.raises(DomainError) as refused:
        suspend(officer, supervisor, ground_investigation_prejudiced=False, investigation_prejudiced_reason="")
    assert refused.value.field == "ground_investigation_prejudiced"
    officer.refresh_from_db()
    assert officer.status == EmploymentStatus.SERVING and _nothing_written(officer)


def test_reg_11_4_b_i_ground_needs_its_written_reasons(supervisor):
    officer = OfficerFactory()
    with pytest.raises(DomainError) as refused:
        suspend(officer, supervisor, investigation_prejudiced_reason="")
    assert refused.value.field == "investigation_prejudiced_reason"
    assert _nothing_written(officer)


def test_reg_11_4_b_ii_public_interest_alone_is_a_ground(supervisor):
    officer = OfficerFactory()
    period = suspend(
        officer,
        supervisor,
        ground_investigation_prejudiced=False,
        investigation_prejudiced_reason="",
        ground_public_interest=True,
        public_interest_reason="Allegation of abuse of position for a sexual purpose.",
    )
    officer.refresh_from_db()
    assert officer.status == EmploymentStatus.SUSPENDED
    assert period.ground_public_interest and not period.ground_investigation_prejudiced


def test_reg_11_4_b_database_refuses_a_suspension_without_a_ground(supervisor):
    with refused_by("suspension_reg_11_4_b_has_a_ground"):
        Suspension.objects.create(
            officer=OfficerFactory(),
            kind=SuspensionKind.SUSPENSION,
            started_on=clock.TODAY,
            decided_by=supervisor,
            redeployment_considered=True,
            redeployment_rejected_reason="None suitable.",
            next_review_due=clock.TODAY,
        )


def test_reg_11_4_b_database_refuses_a_ground_without_reasons(supervisor):
    with refused_by("suspension_ground_has_written_reasons"):
        Suspension.objects.create(
            officer=OfficerFactory(),
            kind=SuspensionKind.SUSPENSION,
            started_on=clock.TODAY,
            decided_by=supervisor,
            redeployment_considered=True,
            redeployment_rejected_reason="None suitable.",
            ground_public_interest=True,
            public_interest_reason=" ",
            next_review_due=clock.TODAY,
        )


def test_restricted_duties_need_written_reasons_only(supervisor):
    officer = OfficerFactory()
    with pytest.raises(DomainError) as refused:
        services.suspension_start(officer=officer, kind=SuspensionKind.RESTRICTED, by=supervisor, reasons="")
    assert refused.value.field == "reasons" and _nothing_written(officer)
    period = services.suspension_start(
        officer=officer, kind=SuspensionKind.RESTRICTED, by=supervisor, reasons="Office duties pending enquiry."
    )
    officer.refresh_from_db()
    assert officer.status == EmploymentStatus.RESTRICTED
    assert not period.redeployment_considered and not period.grounds


def test_database_refuses_an_end_before_the_start(supervisor):
    with refused_by("suspension_ended_after_started"):
        Suspension.objects.create(
            officer=OfficerFactory(),
            kind=SuspensionKind.RESTRICTED,
            reasons="Office duties.",
            started_on=clock.TODAY,
            ended_on=clock.days_ago(1),
            decided_by=supervisor,
        )


def test_database_keeps_one_open_period_per_officer_and_kind(supervisor):
    officer = OfficerFactory()
    services.suspension_start(officer=officer, kind=SuspensionKind.RESTRICTED, by=supervisor, reasons="Office.")
    with refused_by("suspension_one_open_period_per_officer_and_kind"):
        Suspension.objects.create(
            officer=officer,
            kind=SuspensionKind.RESTRICTED,
            reasons="Again.",
            started_on=clock.TODAY,
            decided_by=supervisor,
            next_review_due=clock.days_ahead(28),
        )


# reg 11(1): the appropriate authority decides.


def test_reg_11_1_investigator_cannot_suspend(supervisor):
    officer = OfficerFactory()
    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    with pytest.raises(DomainError):
        suspend(officer, investigator)
    officer.refresh_from_db()
    assert officer.status == EmploymentStatus.SERVING and _nothing_written(officer)


def test_reg_11_1_conflicted_supervisor_cannot_suspend_review_or_lift(supervisor):
    officer = OfficerFactory()
    period = suspend(officer, supervisor)
    conflicted = UserFactory(roles=[Role.SUPERVISOR])
    services.conflict_declare(user=conflicted, officer=officer, reason="Same team", by=supervisor)
    fresh = OfficerFactory()
    services.conflict_declare(user=conflicted, officer=fresh, reason="Family", by=supervisor)
    with pytest.raises(DomainError, match="conflicted"):
        suspend(fresh, conflicted)
    assert _nothing_written(fresh)
    with pytest.raises(DomainError, match="conflicted"):
        services.suspension_review(suspension=period, by=conflicted, decision="continue", reasons="Still needed.")
    with pytest.raises(DomainError, match="conflicted"):
        services.suspension_end(suspension=period, by=conflicted, reasons="Lift.")
    assert not period.reviews.exists()


def test_reg_11_1_investigator_post_to_the_suspend_page_is_refused(client):
    officer = OfficerFactory()
    sign_in(client, UserFactory(roles=[Role.INVESTIGATOR]))
    response = client.post(
        reverse("cases:officer_suspension_start", args=[officer.public_id]),
        {
            "kind": "suspension",
            "started_on": clock.TODAY.isoformat(),
            **{k: "on" if v is True else v for k, v in GROUNDS.items()},
        },
    )
    assert response.status_code in (403, 404)
    assert _nothing_written(officer)


# The status stays one source: OfficerEvent history for every start and end.


def test_lifting_a_suspension_restores_serving_with_the_history(supervisor):
    officer = OfficerFactory()
    period = suspend(officer, supervisor, started_on=clock.days_ago(10))
    services.suspension_end(suspension=period, by=supervisor, reasons="No case to answer.")
    officer.refresh_from_db()
    period.refresh_from_db()
    assert officer.status == EmploymentStatus.SERVING
    assert period.ended_on == clock.TODAY and period.next_review_due is not None
    assert list(officer.events.order_by("id").values_list("from_value", "to_value")) == [
        ("serving", "suspended"),
        ("suspended", "serving"),
    ]
    assert period.reviews.get().decision == SuspensionDecision.LIFT


def test_review_decision_lift_restores_serving(supervisor):
    officer = OfficerFactory()
    period = services.suspension_start(
        officer=officer, kind=SuspensionKind.RESTRICTED, by=supervisor, reasons="Office."
    )
    services.suspension_review(suspension=period, by=supervisor, decision="lift", reasons="Concluded.")
    officer.refresh_from_db()
    assert officer.status == EmploymentStatus.SERVING


def test_suspending_an_officer_on_restricted_duties_ends_the_restriction(supervisor):
    officer = OfficerFactory()
    restricted = services.suspension_start(
        officer=officer, kind=SuspensionKind.RESTRICTED, by=supervisor, reasons="Office.", started_on=clock.days_ago(5)
    )
    suspend(officer, supervisor)
    restricted.refresh_from_db()
    officer.refresh_from_db()
    assert restricted.ended_on == clock.TODAY
    assert officer.status == EmploymentStatus.SUSPENDED
    assert Suspension.objects.filter(officer=officer, ended_on__isnull=True).count() == 1


def test_double_submit_makes_one_period_and_one_status_change(supervisor):
    officer = OfficerFactory()
    first = suspend(officer, supervisor)
    second = suspend(officer, supervisor)
    assert first.pk == second.pk
    assert Suspension.objects.filter(officer=officer).count() == 1
    assert officer.events.count() == 1


def test_double_lift_and_double_review_record_once(supervisor):
    officer = OfficerFactory()
    period = suspend(officer, supervisor)
    services.suspension_review(suspension=period, by=supervisor, decision="continue", reasons="Still needed.")
    services.suspension_review(suspension=period, by=supervisor, decision="continue", reasons="Still needed.")
    assert period.reviews.count() == 1
    services.suspension_end(suspension=period, by=supervisor, reasons="Lift.")
    services.suspension_end(suspension=period, by=supervisor, reasons="Lift.")
    assert period.reviews.filter(decision="lift").count() == 1
    assert officer.events.count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_makes_one_period():
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    officer = OfficerFactory()
    barrier, errors = threading.Barrier(2), []

    def submit():
        try:
            barrier.wait()
            suspend(officer, supervisor)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Suspension.objects.filter(officer=officer).count() == 1
    assert OfficerEvent.objects.filter(officer=officer).count() == 1


# Reviews: due REVIEW_INTERVAL after the first working day after the decision (⚠ unverified interval).


def test_review_due_is_the_last_day_of_the_interval_from_the_first_working_day_after(supervisor):
    friday = clock.TODAY - dt.timedelta(days=(clock.TODAY.weekday() - 4) % 7 or 7)
    due = suspension_review_due(friday)
    assert due >= friday + REVIEW_INTERVAL  # the window starts on the next working day, not on Friday
    period = suspend(OfficerFactory(), supervisor, started_on=friday)
    assert period.next_review_due == due


def test_continuing_review_moves_the_next_review_due(supervisor):
    period = suspend(OfficerFactory(), supervisor, started_on=clock.days_ago(30))
    services.suspension_review(suspension=period, by=supervisor, decision="continue", reasons="Still needed.")
    period.refresh_from_db()
    assert period.next_review_due == suspension_review_due(clock.TODAY)
    review = period.reviews.get()
    assert (review.decided_by, review.reviewed_on) == (supervisor, clock.TODAY)


def _period_due(officer, by, due):
    period = suspend(officer, by, started_on=clock.days_ago(40))
    Suspension.objects.filter(pk=period.pk).update(next_review_due=due)
    return period


def test_my_work_lists_reviews_due_within_7_days_and_marks_overdue(client, supervisor):
    due_today = _period_due(OfficerFactory(last_name="Today"), supervisor, clock.TODAY)
    overdue = _period_due(OfficerFactory(last_name="Yesterday"), supervisor, clock.days_ago(1))
    in_7 = _period_due(OfficerFactory(last_name="Seven"), supervisor, clock.days_ahead(7))
    in_8 = _period_due(OfficerFactory(last_name="Eight"), supervisor, clock.days_ahead(8))
    rows = {p.pk: p.overdue for p in services_due(supervisor)}
    assert rows == {due_today.pk: False, overdue.pk: True, in_7.pk: False}
    assert in_8.pk not in rows
    sign_in(client, supervisor)
    page = client.get(reverse("cases:my_work")).content.decode()
    table = page.split('data-testid="suspensions-due"')[1].split("</table>")[0]
    assert "Yesterday" in table and "Today" in table and "Eight" not in table
    assert table.count("Overdue") == 1


def services_due(user):
    from cases.selectors import suspensions_due_review

    return list(suspensions_due_review(user=user, today=clock.TODAY, within_days=7))


def test_my_work_reviews_are_for_supervisors_and_exclude_conflicts(client, supervisor):
    officer = OfficerFactory()
    _period_due(officer, supervisor, clock.days_ago(1))
    other = UserFactory(roles=[Role.SUPERVISOR])
    services.conflict_declare(user=other, officer=officer, reason="Same team", by=supervisor)
    assert services_due(other) == []
    assert services_due(UserFactory(roles=[Role.INVESTIGATOR])) == []
    assert len(services_due(supervisor)) == 1


def test_my_work_query_count_does_not_grow_with_periods(client, supervisor, django_assert_max_num_queries):
    sign_in(client, supervisor)
    url = reverse("cases:my_work")
    for _ in range(2):
        _period_due(OfficerFactory(), supervisor, clock.TODAY)
    client.get(url)
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    for _ in range(18):
        _period_due(OfficerFactory(), supervisor, clock.days_ago(3))
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("Overdue") == 18


# The officer profile page.


def test_supervisor_suspends_from_the_profile_and_sees_the_review_due(client, supervisor):
    officer = OfficerFactory()
    sign_in(client, supervisor)
    url = reverse("cases:officer_detail", args=[officer.public_id])
    assert "Suspend / restrict" in client.get(url).content.decode()
    response = client.post(
        reverse("cases:officer_suspension_start", args=[officer.public_id]),
        {
            "kind": "suspension",
            "started_on": clock.TODAY.isoformat(),
            "redeployment_considered": "on",
            "redeployment_rejected_reason": "No suitable post.",
            "ground_public_interest": "on",
            "public_interest_reason": "Serious allegation.",
        },
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.status == EmploymentStatus.SUSPENDED
    page = client.get(url).content.decode()
    due = Suspension.objects.get(officer=officer).next_review_due
    assert f'data-testid="review-due">{due.day} {due:%b %Y}' in page


def test_reg_11_4_b_profile_form_shows_the_missing_ground_at_the_field(client, supervisor):
    officer = OfficerFactory()
    sign_in(client, supervisor)
    response = client.post(
        reverse("cases:officer_suspension_start", args=[officer.public_id]),
        {
            "kind": "suspension",
            "started_on": clock.TODAY.isoformat(),
            "redeployment_considered": "on",
            "redeployment_rejected_reason": "No suitable post.",
        },
    )
    assert response.status_code == 400
    form = response.context["suspension_form"]
    assert "ground_investigation_prejudiced" in form.errors
    assert _nothing_written(officer)


def test_investigator_sees_the_period_but_not_the_form(client, supervisor):
    officer = OfficerFactory()
    suspend(officer, supervisor, case=CaseFactory(subject=officer))
    sign_in(client, UserFactory(roles=[Role.INVESTIGATOR]))
    page = client.get(reverse("cases:officer_detail", args=[officer.public_id])).content.decode()
    assert "Suspension since" in page
    assert "Suspend / restrict" not in page


def test_supervisor_reviews_from_the_profile(client, supervisor):
    officer = OfficerFactory()
    period = suspend(officer, supervisor, started_on=clock.days_ago(20))
    sign_in(client, supervisor)
    url = reverse("cases:suspension_review", args=[officer.public_id])
    lift = {"period": str(period.public_id), "decision": "lift"}
    assert client.post(url, {**lift, "period": "not-a-uuid", "reasons": "x"}).status_code == 404
    assert client.post(url, {**lift, "reasons": ""}).status_code == 400
    assert client.post(url, {**lift, "reasons": "Proceedings concluded."}).status_code == 302
    officer.refresh_from_db()
    assert officer.status == EmploymentStatus.SERVING
    assert SuspensionReview.objects.filter(suspension=period, decision="lift").count() == 1


def test_review_history_is_append_only(supervisor):
    from django.db import DatabaseError, transaction

    period = suspend(OfficerFactory(), supervisor)
    services.suspension_review(suspension=period, by=supervisor, decision="continue", reasons="Still needed.")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        SuspensionReview.objects.filter(suspension=period).update(reasons="Rewritten.")


def test_reg_11_1_conflicted_supervisor_post_to_the_suspend_page_is_404(client, supervisor):
    officer = OfficerFactory()
    conflicted = UserFactory(roles=[Role.SUPERVISOR])
    services.conflict_declare(user=conflicted, officer=officer, reason="Same team", by=supervisor)
    sign_in(client, conflicted)
    data = {"kind": "restricted", "started_on": clock.TODAY.isoformat(), "reasons": "Office duties."}
    response = client.post(reverse("cases:officer_suspension_start", args=[officer.public_id]), data)
    assert response.status_code == 404
    assert _nothing_written(officer)


def test_profile_query_count_does_not_grow_with_periods(client, supervisor, django_assert_max_num_queries):
    officer = OfficerFactory()
    for day in (30, 20):
        period = suspend(officer, supervisor, started_on=clock.days_ago(day))
        services.suspension_end(suspension=period, by=supervisor, reasons="Lifted.", ended_on=clock.days_ago(day - 5))
    sign_in(client, supervisor)
    url = reverse("cases:officer_detail", args=[officer.public_id])
    client.get(url)
    with django_assert_max_num_queries(60) as small:
        client.get(url)
    for day in range(18):
        period = suspend(officer, supervisor, started_on=clock.days_ago(15 - day // 2))
        services.suspension_end(suspension=period, by=supervisor, reasons="Lifted.", ended_on=period.started_on)
    suspend(officer, supervisor)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    section = page.split('data-testid="suspension"')[1].split("</section>")[0]
    assert section.count("Lifted.") == 20 and "Suspension since" in section


def test_reg_11_5_no_suspension_on_a_closed_case(supervisor):
    officer = OfficerFactory()
    closed = CaseFactory(
        subject=officer, status="closed", opened_at=timezone.now() - dt.timedelta(days=9), closed_at=timezone.now()
    )
    with pytest.raises(DomainError) as refused:
        suspend(officer, supervisor, case=closed)
    assert refused.value.field == "case" and _nothing_written(officer)
    assert suspend(officer, supervisor, case=CaseFactory(subject=officer)).case is not None
