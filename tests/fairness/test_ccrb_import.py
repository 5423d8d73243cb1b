"""The NYPD CCRB file imports whole through the shipped mapping, and the monitoring figures on it equal
the same figures computed here straight from the file with the csv module."""

import csv
from collections import Counter, defaultdict

import pytest
from django.conf import settings
from django.core.management import call_command

from cases.fairness import services
from cases.fairness.datasets import Scope
from cases.fairness.models import DataSource, ExternalAllegation, ExternalComplaint, ExternalSubject
from cases.fairness.selectors import monitoring_figures

CCRB = settings.BASE_DIR.parent / "shared" / "data" / "nypd-ccrb" / "allegations_202007271729.csv"
pytestmark = pytest.mark.skipif(not CCRB.exists(), reason=f"the CCRB data file is not at {CCRB}")


def expected_from_the_file():
    with open(CCRB, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    distinct = {tuple(r.items()): r for r in rows}.values()
    upheld = [r for r in distinct if r["board_disposition"].startswith("Substantiated")]
    officers_by_ethnicity = Counter({})
    seen = set()
    for r in rows:
        if r["unique_mos_id"] not in seen:
            seen.add(r["unique_mos_id"])
            officers_by_ethnicity[r["mos_ethnicity"]] += 1
    by_ethnicity = defaultdict(lambda: [0, 0])
    by_type = defaultdict(lambda: [0, 0])
    for r in distinct:
        hit = r["board_disposition"].startswith("Substantiated")
        by_ethnicity[r["mos_ethnicity"]][0] += 1
        by_ethnicity[r["mos_ethnicity"]][1] += hit
        by_type[r["fado_type"]][0] += 1
        by_type[r["fado_type"]][1] += hit
    bad_ages = [
        i + 2
        for i, r in enumerate(rows)
        if r["complainant_age_incident"] and not 0 <= int(r["complainant_age_incident"]) <= 120
    ]
    return {
        "lines": len(rows),
        "duplicates": len(rows) - len(distinct),
        "officers": len(seen),
        "complaints": len({r["complaint_id"] for r in rows}),
        "allegations": len(distinct),
        "upheld": len(upheld),
        "officers_by_ethnicity": dict(officers_by_ethnicity),
        "by_ethnicity": dict(by_ethnicity),
        "by_type": dict(by_type),
        "bad_age_lines": bad_ages,
    }


@pytest.mark.django_db(transaction=False)
def test_ccrb_file_imports_whole_and_the_figures_match_the_file(tmp_path, capsys):
    expected = expected_from_the_file()
    issues = tmp_path / "issues.csv"
    call_command("import_dataset", str(CCRB), mapping="nypd-ccrb", source="NYPD CCRB", issues=str(issues))
    out = capsys.readouterr().out
    assert f"{expected['lines']} lines read" in out
    source = DataSource.objects.get(slug="nypd-ccrb")
    run = source.runs.get()
    assert run.rows_read == expected["lines"] == 33358
    assert run.rows_duplicate == expected["duplicates"] == 631
    assert run.rows_imported == expected["allegations"]
    assert run.rows_rejected == 0
    assert run.rows_read == run.rows_imported + run.rows_duplicate + run.rows_rejected  # every line accounted for

    # The issues file: each duplicate with the line it merged into; each impossible age with its line.
    listed = list(csv.DictReader(issues.open(encoding="utf-8")))
    duplicates = [i for i in listed if i["outcome"] == "duplicate"]
    assert len(duplicates) == 631 and all("exact duplicate of line" in i["reason"] for i in duplicates)
    corrected = [i for i in listed if i["outcome"] == "corrected"]
    assert sorted(int(i["line"]) for i in corrected) == expected["bad_age_lines"]
    assert {i["value"] for i in corrected} == {"-1", "-4301"}
    assert all("outside 0..120" in i["reason"] for i in corrected)

    assert ExternalSubject.objects.filter(source=source).count() == expected["officers"]
    assert ExternalComplaint.objects.filter(source=source).count() == expected["complaints"]
    assert ExternalAllegation.objects.filter(source=source).count() == expected["allegations"]

    figures = monitoring_figures(scope=Scope(source=source.slug))
    assert figures.total.people == expected["officers"]
    assert figures.total.allegations == expected["allegations"]
    assert figures.total.stages["upheld"] == expected["upheld"]
    assert figures.total.rates["upheld"].value == pytest.approx(expected["upheld"] / expected["allegations"])
    groups = {g.key: g for g in figures.by["ethnicity"]}
    assert {k: g.people for k, g in groups.items()} == expected["officers_by_ethnicity"]
    for ethnicity, (n, upheld) in expected["by_ethnicity"].items():
        assert (groups[ethnicity].allegations, groups[ethnicity].stages["upheld"]) == (n, upheld), ethnicity
        assert groups[ethnicity].rates["upheld"].value == pytest.approx(upheld / n)
    assert figures.reference["ethnicity"].key == "White"  # the largest group, chosen from the data
    categories = {c["key"]: c for c in figures.categories}
    for fado_type, (n, upheld) in expected["by_type"].items():
        assert (categories[fado_type]["allegations"], categories[fado_type]["upheld"].count) == (n, upheld)
    assert figures.stages_present == ["case", "upheld"]  # no GM, case to answer or dismissal in this file
    assert all(c["case_to_answer"] is None for c in figures.categories)

    # A re-import changes nothing.
    before = list(ExternalAllegation.objects.filter(source=source).order_by("id").values_list("id", "key", "finding"))
    again = services.import_dataset(
        mapping_text=(services.MAPPINGS_DIR / "nypd-ccrb.toml").read_text(encoding="utf-8"),
        mapping_origin="nypd-ccrb.toml",
        data_path=CCRB,
        source_name="NYPD CCRB",
    )
    assert again.rows_imported == 0 and again.rows_already_present == expected["allegations"]
    after = list(ExternalAllegation.objects.filter(source=source).order_by("id").values_list("id", "key", "finding"))
    assert after == before
    assert ExternalSubject.objects.filter(source=source).count() == expected["officers"]
