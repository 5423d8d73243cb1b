"""One transition function per workflow: the Onyx review's (single and bulk moves alike), the panel round's,
and the one reference allocator under concurrent callers."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from cases import services
from cases.models import (
    OnyxEventKind,
    OnyxReview,
    OnyxReviewEvent,
    OnyxStatus,
    PanelAssignment,
    PanelVerdict,
    ReferenceCounter,
)
from cases.references import reference_next, references_reserve
from cases.roles import Role
from tests.factories import OnyxReviewFactory, PanelAssignmentFactory, UserFactory

S = OnyxStatus
needs_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")


@pytest.mark.django_db
def test_a_bulk_move_with_one_refused_review_is_refused_whole_and_writes_nothing():
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    decided = OnyxReviewFactory(decided=True)
    concluded = OnyxReviewFactory(decided=True, status=S.CONCLUDED)
    with transaction.atomic():
        locked = list(OnyxReview.objects.select_for_update().filter(pk__in=[decided.pk, concluded.pk]))
        refused = f"{concluded.reference} is concluded.*cannot move to with the external panel"
        with pytest.raises(services.DomainError, match=refused):
            services.onyx_review_transition(
                reviews=locked, to_status=S.WITH_PANEL, kind=OnyxEventKind.SENT_TO_PANEL, by=supervisor
            )
    decided.refresh_from_db()
    concluded.refresh_from_db()
    assert (decided.status, concluded.status) == (S.DECIDED, S.CONCLUDED)
    assert not OnyxReviewEvent.objects.filter(review__in=[decided, concluded]).exists()


@pytest.mark.django_db
def test_a_bulk_move_writes_every_review_and_one_event_each():
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    reviews = [OnyxReviewFactory(decided=True) for _ in range(3)]
    with transaction.atomic():
        locked = list(OnyxReview.objects.select_for_update().filter(pk__in=[r.pk for r in reviews]))
        services.onyx_review_transition(
            reviews=locked,
            to_status=S.WITH_PANEL,
            kind=OnyxEventKind.SENT_TO_PANEL,
            by=supervisor,
            detail=lambda r: {"reference": r.reference},
        )
    assert set(OnyxReview.objects.filter(pk__in=[r.pk for r in reviews]).values_list("status", flat=True)) == {
        S.WITH_PANEL
    }
    events = OnyxReviewEvent.objects.filter(review__in=reviews, kind=OnyxEventKind.SENT_TO_PANEL)
    assert sorted((e.from_status, e.to_status, e.detail["reference"]) for e in events) == sorted(
        (S.DECIDED, S.WITH_PANEL, r.reference) for r in reviews
    )


@pytest.mark.django_db
def test_the_panel_bulk_send_leaves_reviews_the_table_does_not_allow_to_move():
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    member = UserFactory(roles=[Role.PANEL_REVIEWER])
    decided = OnyxReviewFactory(decided=True)
    concluded = OnyxReviewFactory(decided=True, status=S.CONCLUDED)
    created = services.panel_reviews_assign(
        review_ids=[decided.pk, concluded.pk], panel_members=[member], by=supervisor
    )
    assert [a.review_id for a in created] == [decided.pk]
    concluded.refresh_from_db()
    assert concluded.status == S.CONCLUDED
    assert not concluded.events.exists()


@pytest.mark.django_db
def test_a_verdict_on_a_review_no_longer_with_the_panel_is_refused_and_not_recorded():
    assignment = PanelAssignmentFactory(review=OnyxReviewFactory(decided=True, status=S.CONCLUDED))
    with pytest.raises(services.DomainError, match="cannot move"):
        services.panel_verdict_record(
            assignment=assignment, verdict=PanelVerdict.AGREE, reasons="", by=assignment.panel_member
        )
    assert PanelAssignment.objects.get(pk=assignment.pk).verdict == ""


def test_each_panel_verdict_leads_to_a_move_the_onyx_table_allows_from_the_panel():
    assert {to for to, _ in services.PANEL_VERDICTS.values()} <= services.ONYX_TRANSITIONS[S.WITH_PANEL]
    assert set(services.PANEL_VERDICTS) == set(PanelVerdict.values)


@pytest.mark.django_db
def test_references_are_consecutive_per_prefix_and_a_reservation_takes_a_block():
    assert reference_next(prefix="T-2026") == "T-2026-000001"
    assert references_reserve(prefix="T-2026", count=5) == 2
    assert reference_next(prefix="T-2026", width=3) == "T-2026-007"
    assert reference_next(prefix="U-2026") == "U-2026-000001"
    assert ReferenceCounter.objects.get(prefix="T-2026").last_number == 7


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_callers_get_distinct_references_even_on_a_new_prefix():
    """Both threads start at once on a prefix with no counter row yet, and each holds its transaction open
    a moment after taking its number: the second waits on the first's row lock, then numbers after it."""
    barrier = threading.Barrier(2)
    references, errors = [], []

    def take():
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                references.append(reference_next(prefix="RACE-2026"))
                time.sleep(0.2)
        except Exception as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sorted(references) == ["RACE-2026-000001", "RACE-2026-000002"]
    assert ReferenceCounter.objects.get(prefix="RACE-2026").last_number == 2


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_case_opens_get_distinct_case_references():
    from tests.factories import AllegationFactory

    investigator = UserFactory(roles=[Role.INVESTIGATOR])
    allegations = [AllegationFactory(), AllegationFactory()]
    barrier = threading.Barrier(2)
    cases, errors = [], []

    def open_case(allegation):
        try:
            barrier.wait(timeout=10)
            cases.append(services.case_open(subject=allegation.subject, allegations=[allegation], by=investigator))
        except Exception as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=open_case, args=(a,)) for a in allegations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert len({case.reference for case in cases}) == 2
