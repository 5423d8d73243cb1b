"""The API's read resources: conditional GET (ETag, Last-Modified, 304), an access record for every
read of personal data (a list's rows in one INSERT), panel members' and conflicted users' tokens, and
what the new resources show each audience."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from cases import services
from cases.models import AccessRecord, CaseEvent, CaseEventKind, OnyxDecision
from cases.risk.models import RiskFlag
from cases.roles import Role
from cases.services.api_clients import api_client_create
from tests.conftest import sign_in
from tests.factories import (
    CaseFactory,
    HotlineReportFactory,
    OfficerFactory,
    OnyxReviewFactory,
    PanelAssignmentFactory,
    UserFactory,
    VettingReviewFactory,
)

pytestmark = pytest.mark.django_db


def token_for(role, user=None):
    admin = UserFactory(is_superuser=True, is_staff=True)
    _, token = api_client_create(name=f"client {role} {user and user.pk}", role=role, by=admin, user=user)
    return {"HTTP_AUTHORIZATION": f"Token {token}"}


# --- conditional GET -------------------------------------------------------------------------------


def test_a_detail_answers_304_while_its_etag_holds_and_200_once_it_changes(client, signed_in_supervisor):
    case = CaseFactory()
    url = reverse("v1:case-detail", args=[case.public_id])
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    case.outcome_on = dt.date(2026, 1, 5)
    case.severity = "misconduct" if case.severity != "misconduct" else "gross_misconduct"
    case.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_a_detail_answers_304_to_if_modified_since_its_last_change(client, signed_in_supervisor):
    case = CaseFactory()
    url = reverse("v1:case-detail", args=[case.public_id])
    later = http_date((timezone.now() + dt.timedelta(minutes=5)).timestamp())
    earlier = http_date((timezone.now() - dt.timedelta(days=1)).timestamp())
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=later).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


def test_a_list_answers_304_until_a_row_is_added(client, signed_in_supervisor):
    CaseFactory()
    url = reverse("v1:case-list")
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    CaseFactory()
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_etag_is_the_callers_own_body_so_other_audiences_do_not_match(client, signed_in_supervisor):
    CaseFactory()
    url = reverse("v1:case-list")
    staff_etag = client.get(url)["ETag"]
    client.logout()
    assert client.get(url, HTTP_IF_NONE_MATCH=staff_etag, **token_for(Role.OVERSIGHT)).status_code == 200


# --- access records --------------------------------------------------------------------------------


def test_a_list_read_records_each_row_served_in_one_insert(client, signed_in_supervisor):
    cases = CaseFactory.create_batch(3)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("v1:case-list") + "?sort=reference").status_code == 200
    inserts = [q for q in ctx.captured_queries if q["sql"].startswith('INSERT INTO "cases_accessrecord"')]
    assert len(inserts) == 1
    records = AccessRecord.objects.filter(user=signed_in_supervisor, object_type="case")
    assert sorted(r.object_id for r in records) == sorted(c.pk for c in cases)
    assert {r.view for r in records} == {"v1:case-list"}
    assert {r.path for r in records} == {"/api/v1/cases/?sort=reference"}


def test_an_empty_list_records_nothing_and_statistics_record_nothing(client, signed_in_supervisor):
    client.get(reverse("v1:case-list"))
    client.get(reverse("v1:statistics-onyx"))
    assert not AccessRecord.objects.exists()


@pytest.mark.parametrize(
    "name, kind",
    [
        ("v1:officer-list", "officer"),
        ("v1:review-list", "onyx_review"),
        ("v1:allegation-list", "allegation"),
        ("v1:vetting-review-list", "vetting_review"),
        ("v1:hotline-report-list", "hotline_report"),
        ("v1:risk-flag-list", "officer"),
    ],
)
def test_every_list_of_personal_data_records_its_rows(client, name, kind):
    user = UserFactory(roles=[Role.SUPERVISOR, Role.VETTING_OFFICER, Role.HOTLINE_TRIAGE])
    sign_in(client, user)
    officer = OfficerFactory()
    OnyxReviewFactory(subject=officer)
    CaseFactory(subject=officer)
    from tests.factories import AllegationFactory

    AllegationFactory(subject=officer)
    VettingReviewFactory(officer=officer)
    HotlineReportFactory(officer=officer, linked_at=timezone.now())
    now = timezone.now()
    RiskFlag.objects.create(officer=officer, rule_code="r", level="warning", reasons=[], first_seen=now, last_seen=now)
    assert client.get(reverse(name)).status_code == 200
    assert AccessRecord.objects.filter(user=user, object_type=kind, view=name).count() >= 1


def test_reading_a_cases_events_is_recorded_as_reading_the_case(client, signed_in_supervisor):
    case = CaseFactory()
    client.get(reverse("v1:case-event-list", args=[case.public_id]))
    assert AccessRecord.objects.filter(user=signed_in_supervisor, object_type="case", object_id=case.pk).count() == 1


def test_details_of_the_new_resources_are_recorded(client):
    user = UserFactory(roles=[Role.SUPERVISOR, Role.VETTING_OFFICER])
    sign_in(client, user)
    review = VettingReviewFactory()
    report = HotlineReportFactory()
    assert client.get(reverse("v1:vetting-review-detail", args=[review.public_id])).status_code == 200
    assert client.get(reverse("v1:hotline-report-detail", args=[report.public_id])).status_code == 200
    assert AccessRecord.objects.filter(object_type="vetting_review", object_id=review.pk).exists()
    assert AccessRecord.objects.filter(object_type="hotline_report", object_id=report.pk).exists()


# --- who sees what ---------------------------------------------------------------------------------


def test_a_panel_members_token_sees_only_the_reviews_assigned_to_them(client):
    member = UserFactory(roles=[Role.PANEL_REVIEWER])
    mine = OnyxReviewFactory(decided=True)
    OnyxReviewFactory(decided=True, reference="ONYX-NOT-MINE")
    services.panel_reviews_assign(review_ids=[mine.id], panel_members=[member], by=UserFactory(roles=[Role.SUPERVISOR]))
    body = client.get(reverse("v1:review-list"), **token_for(Role.PANEL_REVIEWER, member)).json()
    assert [r["reference"] for r in body["results"]] == [mine.reference]
    assert body["results"][0]["panel"][0]["panel_member"] == member.username


def test_a_conflicted_users_token_never_sees_about_the_officer(client):
    officer = OfficerFactory()
    user = UserFactory(roles=[Role.SUPERVISOR])
    services.conflict_declare(user=user, officer=officer, reason="same team", by=UserFactory(roles=[Role.SUPERVISOR]))
    case = CaseFactory(subject=officer)
    VettingReviewFactory(officer=officer)
    HotlineReportFactory(officer=officer, linked_at=timezone.now())
    now = timezone.now()
    RiskFlag.objects.create(officer=officer, rule_code="r", level="warning", reasons=[], first_seen=now, last_seen=now)
    auth = token_for(Role.SUPERVISOR, user)
    assert client.get(reverse("v1:case-event-list", args=[case.public_id]), **auth).status_code == 404
    for name in ("v1:vetting-review-list", "v1:risk-flag-list", "v1:hotline-report-list", "v1:review-list"):
        response = client.get(reverse(name), **auth)
        assert response.status_code in (200, 403), name
        assert str(officer.public_id) not in response.content.decode(), name


def test_an_oversight_reader_sees_panel_verdicts_without_names_or_reasons(client):
    review = OnyxReviewFactory(decided=True, decision=OnyxDecision.REASSESS)
    PanelAssignmentFactory(
        review=review, verdict="disagree", reasons="Not enough weight given.", verdict_at=timezone.now()
    )
    body = client.get(reverse("v1:review-detail", args=[review.public_id]), **token_for(Role.OVERSIGHT)).json()
    assert body["panel"] == [{"round": 1, "verdict": "disagree", "verdict_at": body["panel"][0]["verdict_at"]}]


def test_case_events_for_staff_name_the_actor_and_refuse_unknown_filters(client, signed_in_supervisor):
    case = CaseFactory()
    CaseEvent.objects.create(case=case, kind=CaseEventKind.NOTE, actor=signed_in_supervisor, note="Called the witness.")
    url = reverse("v1:case-event-list", args=[case.public_id])
    row = client.get(url + "?kind=note&ordering=-at").json()["results"][0]
    assert row["actor"] == signed_in_supervisor.username and row["note"] == "Called the witness."
    assert client.get(url + "?colour=blue").status_code == 400


def test_a_risk_reason_about_records_the_reader_may_not_see_keeps_no_words(client, signed_in_supervisor):
    officer = OfficerFactory()
    hidden = CaseFactory(subject=officer, restricted=True)
    now = timezone.now()
    RiskFlag.objects.create(
        officer=officer,
        rule_code="r",
        level="warning",
        first_seen=now,
        last_seen=now,
        reasons=[{"text": "Restricted case about gifts", "model": "cases.case", "ids": [hidden.pk]}],
    )
    reasons = client.get(reverse("v1:risk-flag-list")).json()["results"][0]["reasons"]
    assert reasons == [{"text": "Based on records you are not cleared to see.", "records": 0}]


def test_hotline_metadata_never_carries_the_reporters_words(client, signed_in_supervisor):
    HotlineReportFactory(what_happened="He took the money.", where_happened="Station Road", officer_name_given="Smith")
    text = client.get(reverse("v1:hotline-report-list")).content.decode()
    assert "money" not in text and "Station Road" not in text and "Smith" not in text


def test_statistics_refuse_an_unknown_parameter(client, signed_in_supervisor):
    assert client.get(reverse("v1:statistics-time-to-outcome") + "?colour=blue").status_code == 400
    assert client.get(reverse("v1:statistics-time-to-outcome") + "?category=dishonesty").status_code == 200


def test_api_lists_take_an_ordering_and_refuse_an_unknown_one(client, signed_in_supervisor):
    from tests import clock
    from tests.factories import AllegationFactory

    older = AllegationFactory(received_on=clock.days_ago(400), incident_on=None)
    newer = AllegationFactory(received_on=clock.days_ago(100), incident_on=None)
    url = reverse("v1:allegation-list")
    ids = [r["id"] for r in client.get(url + "?ordering=-received_on").json()["results"]]
    assert ids == [str(newer.public_id), str(older.public_id)]
    assert client.get(url + "?ordering=narrative").status_code == 400
