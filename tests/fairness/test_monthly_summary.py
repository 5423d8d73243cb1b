"""The monthly summary the monitoring figures read: the same figures as the direct aggregate for every
period the page offers, kept up to date when allegations, cases and subjects change, rebuilt in full by
the command and nightly in beat."""

import datetime as dt
import random
from collections import Counter

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.management import call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from cases.fairness import monthly, selectors
from cases.fairness.datasets import Scope
from cases.fairness.models import EVERY_MONTH, AllegationMonth, AllegationMonthStale
from cases.fairness.selectors import monitoring_figures
from cases.fairness.tasks import allegation_months_refresh_all_task
from cases.models import (
    Allegation,
    AllegationCategory,
    AllegationSource,
    AllegationStatus,
    Ethnicity,
    Finding,
    Outcome,
    Route,
    Severity,
    Sex,
)
from tests import clock
from tests.factories import AllegationFactory, CaseFactory, CommandFactory, OfficerFactory

TODAY = clock.TODAY
EARLIEST = TODAY - relativedelta(years=3)


def _figures_as_data(figures) -> dict:
    """Everything the page and its CSV show, as plain data."""

    def group(g):
        return (g.key, g.people, g.people_with_allegation, g.allegations, dict(g.stages), g.median_days, g.small)

    return {
        "by": {d: [group(g) for g in groups] for d, groups in figures.by.items()},
        "reference": {d: g.key if g else None for d, g in figures.reference.items()},
        "total": group(figures.total),
        "categories": [
            (c["key"], c["allegations"], c["upheld"].count, c["case_to_answer"].count) for c in figures.categories
        ],
        "summary": figures.summary,
    }


def direct_figures(scope: Scope, monkeypatch) -> dict:
    with monkeypatch.context() as m:
        m.setattr(selectors, "_reads_summary", lambda scope: False)
        return _figures_as_data(monitoring_figures(scope=scope))


def summary_figures(scope: Scope) -> dict:
    assert selectors._reads_summary(scope)
    return _figures_as_data(monitoring_figures(scope=scope))


def _random_force(rng: random.Random, *, officers: int = 40, allegations: int = 160) -> None:
    commands = [CommandFactory(code=f"C{i}") for i in range(2)]
    people = []
    for _ in range(officers):
        joined = EARLIEST + dt.timedelta(days=rng.randint(-400, 900))
        people.append(
            OfficerFactory(
                command=rng.choice(commands),
                ethnicity=rng.choice([Ethnicity.WHITE, Ethnicity.BLACK, Ethnicity.ASIAN, Ethnicity.NOT_STATED]),
                sex=rng.choice([Sex.MALE, Sex.FEMALE]),
                joined_on=joined,
                left_on=None if rng.random() < 0.8 else joined + dt.timedelta(days=rng.randint(0, 700)),
            )
        )
    cases = []
    for officer in rng.sample(people, officers // 2):
        outcome_on = TODAY - dt.timedelta(days=rng.randint(0, 500)) if rng.random() < 0.7 else None
        cases.append(
            CaseFactory(
                subject=officer,
                severity=rng.choice([Severity.GROSS_MISCONDUCT, Severity.MISCONDUCT, ""]),
                route=Route.MISCONDUCT_HEARING,
                finding=rng.choice([Finding.CASE_TO_ANSWER, Finding.NO_CASE_TO_ANSWER, ""]),
                outcome=rng.choice([Outcome.DISMISSAL, Outcome.NO_FURTHER_ACTION]) if outcome_on else "",
                outcome_on=outcome_on,
            )
        )
    for _ in range(allegations):
        case = rng.choice(cases) if rng.random() < 0.4 else None
        received = EARLIEST + dt.timedelta(days=rng.randint(0, (TODAY - EARLIEST).days + 30))
        AllegationFactory(
            subject=case.subject if case else rng.choice(people),
            case=case,
            category=rng.choice([AllegationCategory.DISHONESTY, AllegationCategory.VIOLENCE, AllegationCategory.OTHER]),
            source=rng.choice([AllegationSource.PUBLIC_COMPLAINT, AllegationSource.HOTLINE]),
            status=rng.choice([AllegationStatus.UPHELD, AllegationStatus.OPEN, AllegationStatus.NOT_UPHELD]),
            received_on=received,
            incident_on=received,
        )


def _the_pages_periods() -> list[Scope]:
    """The page's default (the last twelve months, as the view sets it), month-aligned and ragged periods,
    one day, open at either end, and a category."""
    default = Scope(date_from=TODAY - dt.timedelta(days=364), date_to=TODAY)
    first = TODAY.replace(day=1)
    return [
        default,
        Scope(date_from=TODAY - relativedelta(years=10), date_to=TODAY),
        Scope(date_from=first - relativedelta(months=12), date_to=first - dt.timedelta(days=1)),
        Scope(date_from=first - relativedelta(months=7, days=-13), date_to=first - relativedelta(months=6, days=3)),
        Scope(date_from=TODAY - dt.timedelta(days=100), date_to=TODAY - dt.timedelta(days=100)),
        Scope(date_from=None, date_to=TODAY - dt.timedelta(days=200)),
        Scope(date_from=TODAY - dt.timedelta(days=500), date_to=None),
        Scope(date_from=None, date_to=None),
        Scope(date_from=TODAY - dt.timedelta(days=364), date_to=TODAY, category=AllegationCategory.VIOLENCE),
    ]


@pytest.fixture
def force(db):
    _random_force(random.Random(18))
    monthly.allegation_months_refresh()


def test_the_summary_figures_are_the_direct_figures_for_every_period_the_page_offers(force, monkeypatch):
    assert AllegationMonth.objects.exists() and not AllegationMonthStale.objects.exists()
    for scope in _the_pages_periods():
        assert summary_figures(scope) == direct_figures(scope, monkeypatch), scope


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.one_of(st.none(), st.dates(min_value=EARLIEST - dt.timedelta(days=60), max_value=TODAY)),
    length=st.one_of(st.none(), st.integers(min_value=0, max_value=1200)),
    category=st.sampled_from(["", AllegationCategory.DISHONESTY, AllegationCategory.OTHER]),
)
def test_the_summary_figures_are_the_direct_figures_for_any_period(force, monkeypatch, start, length, category):
    end = None if length is None else (start or EARLIEST) + dt.timedelta(days=length)
    scope = Scope(date_from=start, date_to=end, category=category)
    assert summary_figures(scope) == direct_figures(scope, monkeypatch)


def test_the_page_reads_whole_unchanged_months_from_the_summary(force, monkeypatch):
    scope = Scope(date_from=TODAY - relativedelta(years=10), date_to=TODAY.replace(day=1) - dt.timedelta(days=1))

    def counted():
        figures = monitoring_figures(scope=scope)
        return figures.total.allegations, dict(figures.total.stages), [c["allegations"] for c in figures.categories]

    before = counted()
    # Deleted with their marks lost (as a bulk write that sends no signal): the allegation counts of whole,
    # unmarked months still come from the summary until the next refresh.
    Allegation.objects.filter(received_on__lt=TODAY.replace(day=1)).delete()
    AllegationMonthStale.objects.all().delete()
    assert counted() == before
    monthly.allegation_months_refresh()
    assert counted() != before
    assert summary_figures(scope) == direct_figures(scope, monkeypatch)


def test_a_summary_never_built_reads_the_allegations(db, monkeypatch):
    _random_force(random.Random(7), officers=10, allegations=30)
    assert AllegationMonthStale.objects.filter(month=EVERY_MONTH).exists()  # as the migration leaves it
    assert not AllegationMonth.objects.exists()
    for scope in _the_pages_periods():
        assert summary_figures(scope) == direct_figures(scope, monkeypatch), scope


def _all_periods_agree(monkeypatch):
    for scope in _the_pages_periods():
        assert summary_figures(scope) == direct_figures(scope, monkeypatch), scope


def _refreshed_on_commit(callbacks):
    """Run what the change enqueued on commit (the refresh task, in-process without a broker)."""
    assert callbacks, "the change enqueued no refresh"
    for callback in callbacks:
        callback()
    assert not AllegationMonthStale.objects.exists()


def test_a_new_allegation_is_counted_at_once_and_in_the_summary_after_the_task(
    force, monkeypatch, django_capture_on_commit_callbacks
):
    officer = OfficerFactory(ethnicity=Ethnicity.BLACK, joined_on=EARLIEST)
    received = TODAY - relativedelta(months=5)
    with django_capture_on_commit_callbacks() as callbacks:
        AllegationFactory(subject=officer, received_on=received, incident_on=received)
    assert list(AllegationMonthStale.objects.values_list("month", flat=True)) == [received.replace(day=1)]
    _all_periods_agree(monkeypatch)  # the stale month is read from the allegations meanwhile
    _refreshed_on_commit(callbacks)
    assert AllegationMonth.objects.filter(month=received.replace(day=1), subject_ethnicity=Ethnicity.BLACK).exists()
    _all_periods_agree(monkeypatch)


def test_a_changed_outcome_is_in_the_summary_after_the_task(force, monkeypatch, django_capture_on_commit_callbacks):
    allegation = Allegation.objects.filter(case__isnull=False, case__outcome_on__isnull=False).first()
    case = allegation.case
    upheld_before = AllegationMonth.objects.filter(n_dismissal__gt=0).count()
    with django_capture_on_commit_callbacks() as callbacks:
        case.outcome, case.outcome_on = Outcome.DISMISSAL, TODAY - dt.timedelta(days=1)
        case.save(update_fields=["outcome", "outcome_on"])
        Allegation.objects.filter(case=case).update(status=AllegationStatus.UPHELD)  # as the outcome service does
    assert AllegationMonthStale.objects.filter(month=allegation.received_on.replace(day=1)).exists()
    _all_periods_agree(monkeypatch)
    _refreshed_on_commit(callbacks)
    _all_periods_agree(monkeypatch)
    assert AllegationMonth.objects.filter(n_dismissal__gt=0).count() >= upheld_before


def test_an_allegation_moved_to_another_month_or_deleted_leaves_no_trace(
    force, monkeypatch, django_capture_on_commit_callbacks
):
    allegation = Allegation.objects.order_by("received_on").first()
    with django_capture_on_commit_callbacks() as callbacks:
        allegation.received_on = TODAY - dt.timedelta(days=3)
        allegation.save()
    assert AllegationMonthStale.objects.count() == 2  # the month it left and the month it joined
    _refreshed_on_commit(callbacks)
    _all_periods_agree(monkeypatch)
    with django_capture_on_commit_callbacks() as callbacks:
        Allegation.objects.filter(pk=allegation.pk).delete()
    _refreshed_on_commit(callbacks)
    _all_periods_agree(monkeypatch)


def test_a_subject_whose_ethnicity_is_corrected_moves_group_after_the_task(
    force, monkeypatch, django_capture_on_commit_callbacks
):
    officer = Allegation.objects.order_by("id").first().subject
    with django_capture_on_commit_callbacks() as callbacks:
        officer.ethnicity = Ethnicity.MIXED
        officer.save()
    _all_periods_agree(monkeypatch)
    _refreshed_on_commit(callbacks)
    assert AllegationMonth.objects.filter(subject_ethnicity=Ethnicity.MIXED).exists()
    _all_periods_agree(monkeypatch)


def test_a_save_that_changes_nothing_counted_marks_nothing(force, django_capture_on_commit_callbacks):
    allegation = Allegation.objects.select_related("case", "subject").filter(case__isnull=False).first()
    with django_capture_on_commit_callbacks() as callbacks:
        allegation.narrative = "Reworded."
        allegation.save()
        allegation.case.save()
        allegation.subject.save()
    assert not AllegationMonthStale.objects.exists()
    assert not [c for c in callbacks if "allegation_months_refresh" in repr(c)]


def test_the_refresh_is_idempotent_and_the_command_and_nightly_task_rebuild_it(force):
    def rows():
        fields = [f.name for f in AllegationMonth._meta.fields][1:]
        return Counter(tuple(map(repr, row)) for row in AllegationMonth.objects.values_list(*fields))

    built = rows()
    assert monthly.allegation_months_refresh(months=[TODAY - relativedelta(months=m) for m in range(40)]) > 0
    assert rows() == built
    call_command("fairness_summary_refresh")
    allegation_months_refresh_all_task.apply()
    assert rows() == built
    schedule = {e["task"]: e for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "cases.fairness.tasks.allegation_months_refresh_all_task" in schedule


def test_opening_a_case_counts_its_allegations_as_cases_after_the_task(
    force, monkeypatch, django_capture_on_commit_callbacks
):
    from cases import services as case_services
    from cases.roles import Role
    from tests.factories import UserFactory

    allegation = Allegation.objects.filter(case__isnull=True).order_by("id").first()
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    with django_capture_on_commit_callbacks() as callbacks:
        case_services.case_open(subject=allegation.subject, allegations=[allegation], by=supervisor)
    # The service links the allegations with update(), which sends no signal: it marks the months itself.
    assert AllegationMonthStale.objects.filter(month=allegation.received_on.replace(day=1)).exists()
    _all_periods_agree(monkeypatch)
    _refreshed_on_commit(callbacks)
    _all_periods_agree(monkeypatch)


@pytest.mark.django_db(transaction=True)
def test_a_refresh_neither_waits_for_nor_clears_a_mark_still_uncommitted(monkeypatch):
    """A writer's mark is its own row: a refresh of the same month meanwhile does not wait on it (no
    lock shared, so no deadlock) and cannot clear it, so the month stays stale until the change is read."""
    import threading

    from django.db import connection, transaction

    from cases.fairness import stale

    month = TODAY.replace(day=1) - relativedelta(months=2)
    monthly.allegation_months_refresh()  # built: no marks left
    enqueued = []
    monkeypatch.setattr(stale, "_enqueue", enqueued.append)  # the task would clear the mark on commit
    stale.months_mark_stale([month])  # an earlier change's mark, committed, that the refresh will clear
    marked, release, failures = threading.Event(), threading.Event(), []

    def writer():
        try:
            with transaction.atomic():
                stale.months_mark_stale([month])
                marked.set()
                release.wait(10)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)
        finally:
            marked.set()
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert marked.wait(10)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")  # waiting on the writer's row would fail here
            monthly.allegation_months_refresh(months=[month])
    finally:
        release.set()
        thread.join(10)
    assert not failures and enqueued == [[month], [month]]
    assert list(AllegationMonthStale.objects.values_list("month", flat=True)) == [month]
