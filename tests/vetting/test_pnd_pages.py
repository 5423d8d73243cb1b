"""The PND screening pages: a vetting officer uploads a results file, the status page refreshes itself
while the import runs and stops when it ends, the rejected rows download as an attachment, and the summary
shows the checks, the hits by result, the progress through the workforce and each hit's review; each page
within a query budget that does not grow with the rows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases import services as case_services
from cases.roles import Role
from tests.clock import days_ago
from tests.conftest import sign_in
from tests.factories import OfficerFactory, PNDCheckFactory, UserFactory
from vetting.models import PNDImport, PNDImportStatus, PNDResult, ReviewTrigger, VettingReview
from vetting.services import pnd_check_record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


def upload(client, content: str, capture):
    data = {"file": SimpleUploadedFile("pnd-results.csv", content.encode(), content_type="text/csv")}
    with capture(execute=True):
        return client.post(reverse("vetting:pnd_import_new"), data)


def test_an_upload_is_imported_after_commit_and_its_status_page_stops_refreshing_when_done(
    client, vetting_officer, django_capture_on_commit_callbacks
):
    OfficerFactory(staff_number="PP001")
    OfficerFactory(staff_number="PP002")
    sign_in(client, vetting_officer)
    content = (
        "staff number,date checked,result,notes\n"
        f"PP001,{days_ago(2)},No trace,\n"
        f"PP002,{days_ago(2)},Potential misconduct,seen with a nominal\n"
        f"ZZ404,{days_ago(2)},No trace,\n"
    )
    response = upload(client, content, django_capture_on_commit_callbacks)
    run = PNDImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("vetting:pnd_import_detail", kwargs={"pnd_import_id": run.public_id})
    assert (run.status, run.rows_saved, run.rows_rejected, run.hits) == (PNDImportStatus.DONE, 2, 1, 1)
    page = client.get(response["Location"])
    assert b'http-equiv="refresh"' not in page.content
    assert b'<progress class="app-progress"' in page.content and b'value="100"' in page.content
    assert b"rejected-rows.csv" in page.content


def test_the_status_page_refreshes_itself_while_the_import_waits_or_runs(client, vetting_officer):
    run = PNDImport.objects.create(file_name="big.csv", upload="big.csv", size_bytes=1000, bytes_read=400)
    sign_in(client, vetting_officer)
    url = reverse("vetting:pnd_import_detail", kwargs={"pnd_import_id": run.public_id})
    for status in (PNDImportStatus.PENDING, PNDImportStatus.RUNNING):
        PNDImport.objects.filter(pk=run.pk).update(status=status)
        page = client.get(url)
        assert b'<meta http-equiv="refresh" content="3">' in page.content
        assert b'value="40"' in page.content and b"40% of the file read" in page.content
    PNDImport.objects.filter(pk=run.pk).update(status=PNDImportStatus.FAILED, error="The header row has no column")
    page = client.get(url)
    assert b'http-equiv="refresh"' not in page.content and b"The header row has no column" in page.content


def test_the_rejected_rows_download_as_a_csv_attachment_that_is_never_sniffed(
    client, vetting_officer, django_capture_on_commit_callbacks
):
    OfficerFactory(staff_number="PP001")
    sign_in(client, vetting_officer)
    upload(
        client,
        f"staff number,date checked,result\nPP001,{days_ago(1)},No trace\nPP001,31/02/2026,No trace\n",
        django_capture_on_commit_callbacks,
    )
    run = PNDImport.objects.get()
    response = client.get(reverse("vetting:pnd_import_errors", kwargs={"pnd_import_id": run.public_id}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0] == "line,staff number,date checked,result,reason"
    assert body.splitlines()[1].startswith("3,PP001,31/02/2026,No trace,")


def test_an_import_without_a_report_yet_has_no_download(client, vetting_officer):
    run = PNDImport.objects.create(file_name="w.csv", upload="w.csv")
    sign_in(client, vetting_officer)
    response = client.get(reverse("vetting:pnd_import_errors", kwargs={"pnd_import_id": run.public_id}))
    assert response.status_code == 404


def test_an_empty_or_missing_file_is_refused_on_the_form(client, vetting_officer):
    sign_in(client, vetting_officer)
    response = client.post(reverse("vetting:pnd_import_new"), {})
    assert response.status_code == 400 and b"This field is required" in response.content
    assert not PNDImport.objects.exists()


def test_the_summary_shows_checks_hits_by_result_progress_and_each_hits_review(client, vetting_officer):
    serving = [OfficerFactory() for _ in range(4)]
    OfficerFactory(left_on=days_ago(10))  # left: not in the workforce being screened
    by = UserFactory(roles=[Role.VETTING_OFFICER])
    pnd_check_record(officer=serving[0], checked_on=days_ago(5), result=PNDResult.NO_TRACE, by=by)
    pnd_check_record(officer=serving[0], checked_on=days_ago(4), result=PNDResult.NO_TRACE, by=by)
    hit = pnd_check_record(officer=serving[1], checked_on=days_ago(3), result=PNDResult.POTENTIAL_MISCONDUCT, by=by)
    pnd_check_record(officer=serving[2], checked_on=days_ago(3), result=PNDResult.CRIMINAL_ASSOCIATION, by=by)
    review = VettingReview.objects.get(trigger=ReviewTrigger.PND_HIT, trigger_ref=f"pndcheck:{hit.pk}")
    sign_in(client, vetting_officer)
    page = client.get(reverse("vetting:pnd_summary"))
    assert page.status_code == 200
    summary = page.context["summary"]
    assert (summary["checks"], summary["hits"], summary["checked"], summary["workforce"]) == (4, 2, 3, 4)
    assert {r["result"]: r["count"] for r in summary["by_result"]} == {
        "no_trace": 2,
        "potential_misconduct": 1,
        "criminal_association": 1,
    }
    assert b"first 3 of 4" in page.content
    review_url = reverse("vetting:review_detail", kwargs={"vetting_review_id": review.public_id})
    assert review_url.encode() in page.content and b"Open: triage" in page.content
    narrowed = client.get(reverse("vetting:pnd_summary"), {"result": "criminal_association"})
    assert [c.officer_id for c in narrowed.context["page"]] == [serving[2].pk]


def test_the_summary_hides_hits_about_someone_the_reader_is_conflicted_on(client, vetting_officer):
    officer = OfficerFactory(last_name="Conflictedperson")
    PNDCheckFactory(officer=officer, checked_on=days_ago(2), result=PNDResult.CRIMINAL_ASSOCIATION)
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    case_services.conflict_declare(user=vetting_officer, officer=officer, reason="neighbour", by=supervisor)
    sign_in(client, vetting_officer)
    page = client.get(reverse("vetting:pnd_summary"))
    assert b"Conflictedperson" not in page.content and b"No hits." in page.content


def test_an_unknown_filter_on_the_hits_is_refused(client, vetting_officer):
    sign_in(client, vetting_officer)
    response = client.get(reverse("vetting:pnd_summary"), {"colour": "red"})
    assert response.status_code == 400 and b"Unknown filter" in response.content


@pytest.mark.parametrize("hits", [2, 30])
def test_the_summary_stays_within_its_query_budget(client, vetting_officer, django_assert_max_num_queries, hits):
    for i in range(hits):
        PNDCheckFactory(checked_on=days_ago(i + 1), result=PNDResult.CRIMINAL_ASSOCIATION)
        PNDCheckFactory(checked_on=days_ago(i + 1))
    for i in range(3):
        PNDImport.objects.create(file_name=f"f{i}.csv", upload=f"f{i}.csv", created_by=vetting_officer)
    sign_in(client, vetting_officer)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("vetting:pnd_summary")).status_code == 200


def test_the_status_page_stays_within_its_query_budget(client, vetting_officer, django_assert_max_num_queries):
    run = PNDImport.objects.create(file_name="f.csv", upload="f.csv", created_by=vetting_officer, status="done")
    sign_in(client, vetting_officer)
    with django_assert_max_num_queries(10):
        url = reverse("vetting:pnd_import_detail", kwargs={"pnd_import_id": run.public_id})
        assert client.get(url).status_code == 200


def test_an_import_recomputes_its_hits_officers_once_set_based(
    client, vetting_officer, django_capture_on_commit_callbacks, monkeypatch
):
    from cases.risk import tasks as risk_tasks

    single, sets = [], []
    monkeypatch.setattr(risk_tasks.risk_recompute_officer_task, "apply_async", lambda *a, **k: single.append(k))
    monkeypatch.setattr(risk_tasks.risk_recompute_officers_task, "apply_async", lambda *a, **k: sets.append(k))
    officers = [OfficerFactory(staff_number=f"PR00{i}") for i in range(3)]
    sign_in(client, vetting_officer)
    rows = "".join(f"PR00{i},{days_ago(1)},Criminal association,\n" for i in range(3))
    upload(client, "staff number,date checked,result,notes\n" + rows, django_capture_on_commit_callbacks)
    assert VettingReview.objects.filter(trigger=ReviewTrigger.PND_HIT).count() == 3
    assert single == []
    assert [k["args"] for k in sets] == [([o.pk for o in officers],)]
