"""A differently shaped file (one date column, codes for words, semicolons, an allegation id, gzip),
imported through a mapping written from docs/import-mapping.md: bad lines are rejected with their line
number and reason, the rest imported, and the figures come out of the codes."""

import csv
import gzip
import io

import pytest

from cases.fairness import services
from cases.fairness.datasets import Scope
from cases.fairness.mapping import MappingError, mapping_parse
from cases.fairness.models import ExternalAllegation, Finding
from cases.fairness.selectors import monitoring_figures

MAPPING = (services.MAPPINGS_DIR / "example-coded.toml").read_text(encoding="utf-8")
HEADER = (
    "allegation_no;officer_ref;rank;unit;race;sex;date_received;date_concluded;type;officer_age;result;formal;cta;"
    "sanction"
)
LINES = [
    "A1;P1;PC;North;W;1;03/01/2024;2024-03-01;UOF;30;S;Y;Y;DISM",  # line 2
    "A2;P1;PC;North;W;1;10/01/2024;;DISC;30;NS;Y;N;",  # 3
    "A3;P2;PS;North;B;2;15/01/2024;14/02/2024;UOF;41;S;Y;Y;FWW",  # 4
    "A4;P3;PC;South;B;1;2024-02-01;;SEX;25;UF;N;;",  # 5
    "A5;P4;PC;South;U;9;01/02/2024;;ZZZ;29;EX;Y;N;",  # 6: unknown race and sex, unlisted type -> Other
    "A6;;PC;South;W;1;01/02/2024;;UOF;30;S;Y;Y;",  # 7: no officer id -> rejected
    "A7;P5;PC;South;W;1;31/02/2024;;UOF;30;S;Y;Y;",  # 8: 31 February -> rejected
    "A8;P6;PC;South;A;2;01/03/2024;;UOF;7;S;Y;Y;",  # 9: officer aged 7 -> rejected
    "A3;P2;PS;North;B;2;15/01/2024;14/02/2024;UOF;41;S;Y;Y;FWW",  # 10: exact duplicate of line 4
    "A1;P9;PC;North;W;1;03/01/2024;;UOF;30;S;Y;Y;",  # 11: allegation id A1 again, other values -> rejected
]


@pytest.fixture
def coded_file(tmp_path):
    path = tmp_path / "export.dat"  # no .gz in the name: gzip is recognised by its magic bytes
    path.write_bytes(gzip.compress(("\n".join([HEADER, *LINES]) + "\n").encode()))
    return path


@pytest.mark.django_db
def test_coded_file_imports_with_its_bad_lines_reported(coded_file):
    run = services.import_dataset(
        mapping_text=MAPPING, mapping_origin="example-coded.toml", data_path=coded_file, source_name="Coded example"
    )
    assert (run.rows_read, run.rows_imported, run.rows_duplicate, run.rows_rejected) == (10, 5, 1, 4)
    issues = {int(r["line"]): r for r in csv.DictReader(io.StringIO(run.issues_csv))}
    assert issues[7]["outcome"] == "rejected" and issues[7]["reason"] == "id is missing"
    assert issues[8]["outcome"] == "rejected" and "unparseable date" in issues[8]["reason"]
    assert issues[9]["outcome"] == "rejected" and "7 is outside 18..70" in issues[9]["reason"]
    assert issues[10]["outcome"] == "duplicate" and "line 4" in issues[10]["reason"]
    assert issues[11]["outcome"] == "rejected" and "already used on line 2" in issues[11]["reason"]

    a1 = ExternalAllegation.objects.get(key="A1")
    assert (a1.received_on.isoformat(), a1.outcome_on.isoformat()) == ("2024-01-03", "2024-03-01")
    assert (a1.subject.ethnicity, a1.subject.sex, a1.finding, a1.category) == (
        "White",
        "Male",
        Finding.UPHELD,
        "Use of force",
    )
    assert (a1.in_case, a1.case_to_answer, a1.dismissal) == (True, True, True)
    a5 = ExternalAllegation.objects.get(key="A5")
    assert (a5.subject.ethnicity, a5.subject.sex, a5.category) == ("Unknown", "Unknown", "Other")
    a4 = ExternalAllegation.objects.get(key="A4")
    assert (a4.finding, a4.case_to_answer, a4.dismissal) == (Finding.NOT_UPHELD, None, False)

    figures = monitoring_figures(scope=Scope(source=run.source.slug, small_below=3))
    groups = {g.key: g for g in figures.by["ethnicity"]}
    assert (groups["White"].people, groups["White"].allegations, groups["White"].stages["upheld"]) == (1, 2, 1)
    assert (groups["Black"].people, groups["Black"].allegations, groups["Black"].stages["dismissal"]) == (2, 2, 0)
    assert groups["White"].small and figures.reference["ethnicity"].key == "Black"  # most people
    assert groups["White"].median_days == 58  # 3 Jan to 1 Mar 2024
    assert groups["Black"].median_days == 30
    assert figures.stages_present == ["case", "case_to_answer", "upheld", "dismissal"]
    funnel = {label: count for label, count, _ in groups["White"].funnel}
    assert funnel == {"Allegations": 2, "Became a case": 2, "Case to answer": 1, "Upheld": 1, "Dismissal": 1}

    again = services.import_dataset(
        mapping_text=MAPPING, mapping_origin="example-coded.toml", data_path=coded_file, source_name="Coded example"
    )
    assert (again.rows_imported, again.rows_already_present) == (0, 5)
    assert ExternalAllegation.objects.count() == 5


def test_mapping_errors_say_where_and_why():
    with pytest.raises(MappingError) as err:
        mapping_parse({"format": "dps-import-mapping", "version": 1, "name": "x", "subject": {}, "allegation": {}})
    assert "at subject: 'id' is a required property" in str(err.value)
    with pytest.raises(MappingError) as err:
        mapping_parse(
            {
                "format": "dps-import-mapping",
                "version": 1,
                "name": "x",
                "subject": {"id": "a"},
                "allegation": {"finding": {"column": "f", "map": "nope"}, "received": "d"},
            }
        )
    assert "map 'nope' is not defined" in str(err.value)
    assert "a date column needs its format" in str(err.value)
    with pytest.raises(MappingError) as err:
        mapping_parse(
            {
                "format": "dps-import-mapping",
                "version": 1,
                "name": "x",
                "subject": {"id": "a"},
                "allegation": {"finding": {"column": "f", "map": "f"}},
                "maps": {"f": {"values": {"S": "substantiated"}}},
            }
        )
    assert "gives ['Unknown', 'substantiated']" in str(err.value)


@pytest.mark.django_db
def test_a_file_without_the_mapped_columns_fails_with_the_missing_names(tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("a;b\n1;2\n")
    with pytest.raises(Exception, match="no column 'allegation_no'"):
        services.import_dataset(mapping_text=MAPPING, mapping_origin="m", data_path=path, source_name="Wrong")
    assert ExternalAllegation.objects.count() == 0
