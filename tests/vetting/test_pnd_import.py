"""PND screening import: every kind of bad row is reported with its line and reason while the good rows
are saved; a re-import changes nothing; hits open one review each however often they are imported."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from cases.roles import Role
from tests.clock import TODAY, days_ago, days_ahead
from tests.factories import OfficerFactory, PNDCheckFactory, UserFactory, VettingClearanceFactory
from vetting.models import PNDCheck, PNDImport, PNDImportStatus, PNDResult, ReviewTrigger, VettingReview
from vetting.services import pnd_import as importer
from vetting.services.pnd_import import pnd_import_accept, pnd_storage

HEADER = "staff number,date checked,result,notes"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def staff(db):
    return {n: OfficerFactory(staff_number=n) for n in ("PA001", "PA002", "PA003", "PA004", "PA005")}


def run_import(content: bytes | str, *, by=None, name="pnd.csv") -> PNDImport:
    data = content.encode() if isinstance(content, str) else content
    with TestCase.captureOnCommitCallbacks(execute=True):
        run = pnd_import_accept(upload=SimpleUploadedFile(name, data), by=by)
    return PNDImport.objects.get(pk=run.pk)


def error_rows(run: PNDImport) -> list[dict]:
    with pnd_storage().open(run.errors_file, "rb") as f:
        return list(csv.DictReader(io.StringIO(f.read().decode("utf-8"))))


def reasons_by_line(run) -> dict[int, str]:
    return {int(r["line"]): r["reason"] for r in error_rows(run)}


def d(days: int) -> str:
    return days_ago(days).isoformat()


@pytest.mark.django_db
def test_every_kind_of_bad_row_is_reported_with_its_line_and_reason_and_the_good_rows_are_saved(staff):
    lines = [
        HEADER,
        f"PA001,{d(3)},No trace,",  # 2 good
        f"ZZ999,{d(3)},No trace,",  # 3 unknown staff number
        "PA002,31/02/2026,No trace,",  # 4 bad date
        f"PA002,{days_ahead(2).isoformat()},No trace,",  # 5 a date in the future
        f"PA002,{d(4)},Probably fine,",  # 6 unknown result
        f"pa001,{d(3)},no trace,",  # 7 duplicate of line 2 (staff numbers compared in capitals)
        f"PA003,{d(5)}",  # 8 missing columns
        f"PA003,{d(5)},No trace,,,extra",  # 9 more values than columns
        f"PA004,{d(6)},Potential misconduct,Referred",  # 10 good, a hit
        f"PA005,{d(6)},Off-duty association with a criminal,x",  # 11 good, a hit
        f"PA005,{d(7)},Potenti",  # 12 truncated last line (no line break at the end)
    ]
    run = run_import("\n".join(lines))
    assert run.status == PNDImportStatus.DONE
    assert (run.rows_read, run.rows_saved, run.rows_rejected, run.hits) == (11, 3, 8, 2)
    reasons = reasons_by_line(run)
    assert set(reasons) == {3, 4, 5, 6, 7, 8, 9, 12}
    assert reasons[3] == "Unknown staff number"
    assert "is not a date" in reasons[4]
    assert "in the future" in reasons[5]
    assert reasons[6].startswith("Unknown result “Probably fine”")
    assert reasons[7].startswith("Duplicate row: line 2")
    assert reasons[8] == "Missing columns: result, notes"
    assert "6 values but the header has 4 columns" in reasons[9]
    assert reasons[12].startswith("Truncated last line")
    saved = set(PNDCheck.objects.values_list("officer__staff_number", "result"))
    assert saved == {
        ("PA001", PNDResult.NO_TRACE),
        ("PA004", PNDResult.POTENTIAL_MISCONDUCT),
        ("PA005", PNDResult.CRIMINAL_ASSOCIATION),
    }


@pytest.mark.django_db
def test_a_complete_last_line_without_a_line_break_is_not_truncated(staff):
    run = run_import(f"{HEADER}\nPA001,{d(3)},No trace,ok")
    assert (run.rows_saved, run.rows_rejected) == (1, 0)


@pytest.mark.django_db
def test_the_header_may_come_in_any_order_with_other_words_and_a_byte_order_mark(staff):
    content = f"\ufeffResult;Notes;Date_Checked;Staff No\r\nNT;;{days_ago(2):%d/%m/%Y};PA001\r\n".replace(";", ",")
    run = run_import(content.encode("utf-8"))
    check = PNDCheck.objects.get()
    assert run.rows_saved == 1 and check.officer.staff_number == "PA001" and check.checked_on == days_ago(2)


@pytest.mark.django_db
def test_a_file_with_a_required_column_missing_is_refused_whole(staff):
    run = run_import(f"staff number,notes\nPA001,{d(3)}\n")
    assert run.status == PNDImportStatus.FAILED and "no column for date checked or result" in run.error
    assert reasons_by_line(run)[1] == run.error and not PNDCheck.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_a_utf16_or_utf32_file_is_refused_with_a_reason_and_nothing_saved(staff, encoding):
    run = run_import(f"{HEADER}\nPA001,{d(3)},No trace,\n".encode(encoding))
    assert run.status == PNDImportStatus.FAILED and "not UTF-8" in run.error and "CSV UTF-8" in run.error
    assert not PNDCheck.objects.exists()


@pytest.mark.django_db
def test_a_latin1_line_is_rejected_with_its_line_and_the_utf8_lines_are_saved(staff):
    content = (f"{HEADER}\nPA001,{d(3)},No trace,café\n".encode()) + (
        f"PA002,{d(3)},No trace,café\n".encode("latin-1")
    )
    run = run_import(content)
    assert (run.rows_saved, run.rows_rejected) == (1, 1)
    assert "Not UTF-8 text" in reasons_by_line(run)[3]
    assert PNDCheck.objects.get().notes == "café"
    assert error_rows(run)[0]["staff number"] == "PA002"


@pytest.mark.django_db
def test_a_result_already_recorded_differently_is_rejected_not_overwritten(staff):
    PNDCheckFactory(officer=staff["PA001"], checked_on=days_ago(3), result=PNDResult.NO_TRACE)
    run = run_import(f"{HEADER}\nPA001,{d(3)},Potential misconduct,\n")
    assert run.rows_rejected == 1 and "Already recorded" in reasons_by_line(run)[2]
    assert PNDCheck.objects.get().result == PNDResult.NO_TRACE


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing(staff):
    content = "\n".join(
        [HEADER, f"PA001,{d(3)},No trace,", f"PA002,{d(3)},Potential misconduct,", f"ZZ1,{d(3)},No trace,"]
    )
    first = run_import(content)
    before = list(PNDCheck.objects.order_by("pk").values())
    reviews = list(VettingReview.objects.order_by("pk").values("pk", "trigger_ref", "updated_at"))
    second = run_import(content)
    assert list(PNDCheck.objects.order_by("pk").values()) == before
    assert list(VettingReview.objects.order_by("pk").values("pk", "trigger_ref", "updated_at")) == reviews
    assert (first.rows_saved, second.rows_saved, second.rows_unchanged, second.rows_rejected) == (2, 0, 2, 1)
    assert importer.pnd_import_previous(run=second) == first


@pytest.mark.django_db
def test_each_hit_opens_one_review_however_often_it_is_imported(staff):
    clearance = VettingClearanceFactory(officer=staff["PA002"])
    content = "\n".join(
        [
            HEADER,
            f"PA001,{d(3)},No trace,",
            f"PA002,{d(3)},Potential misconduct,",
            f"PA003,{d(3)},Criminal association,",
        ]
    )
    for _ in range(3):
        run_import(content)
    reviews = VettingReview.objects.filter(trigger=ReviewTrigger.PND_HIT)
    checks = {c.pk: c for c in PNDCheck.objects.exclude(result=PNDResult.NO_TRACE)}
    assert sorted(r.trigger_ref for r in reviews) == sorted(f"pndcheck:{pk}" for pk in checks)
    assert reviews.get(officer=staff["PA002"]).clearance == clearance
    assert reviews.get(officer=staff["PA003"]).reason == "PND check: Off-duty association with a criminal"


@pytest.mark.django_db
def test_a_hit_recorded_through_the_form_service_is_not_reviewed_twice_by_an_import(staff):
    from vetting.services import pnd_check_record

    officer = UserFactory(roles=[Role.VETTING_OFFICER])
    pnd_check_record(officer=staff["PA001"], checked_on=days_ago(3), result=PNDResult.POTENTIAL_MISCONDUCT, by=officer)
    run_import(f"{HEADER}\nPA001,{d(3)},Potential misconduct,\n")
    assert VettingReview.objects.filter(trigger=ReviewTrigger.PND_HIT).count() == 1


@pytest.mark.django_db
def test_a_batch_that_fails_part_way_is_not_half_written(staff, monkeypatch):
    monkeypatch.setattr(importer, "BATCH", 2)
    real_open = importer.vetting_review_open

    def fail_on_second_batch(**kwargs):
        if PNDCheck.objects.count() > 2:
            raise RuntimeError("the database went away")
        return real_open(**kwargs)

    monkeypatch.setattr(importer, "vetting_review_open", fail_on_second_batch)
    content = "\n".join(
        [
            HEADER,
            f"PA001,{d(3)},No trace,",
            f"PA002,{d(3)},Potential misconduct,",
            f"PA003,{d(3)},No trace,",
            f"PA004,{d(3)},Potential misconduct,",
        ]
    )
    with pytest.raises(RuntimeError):
        run_import(content)
    run = PNDImport.objects.get()
    assert run.status == PNDImportStatus.FAILED and "import the file again" in run.error
    assert set(PNDCheck.objects.values_list("officer__staff_number", flat=True)) == {"PA001", "PA002"}
    assert (run.rows_saved, VettingReview.objects.count()) == (2, 1)
    monkeypatch.setattr(importer, "vetting_review_open", real_open)
    again = run_import(content)
    assert (again.rows_saved, again.rows_unchanged, VettingReview.objects.count()) == (2, 2, 2)


@pytest.mark.django_db
def test_a_redelivered_task_does_nothing(staff):
    run = run_import(f"{HEADER}\nPA001,{d(3)},No trace,\n")
    assert importer.pnd_import_run(import_id=run.pk) == "already claimed"
    assert PNDCheck.objects.count() == 1


@pytest.mark.django_db
def test_the_management_command_imports_a_file_and_writes_the_errors(staff, tmp_path):
    from django.core.management import call_command

    source = tmp_path / "pnd.csv"
    source.write_text(f"{HEADER}\nPA001,{d(3)},No trace,\nZZ9,{d(3)},No trace,\n")
    out = io.StringIO()
    call_command("import_pnd", str(source), "--errors", str(tmp_path / "errors.csv"), stdout=out)
    assert "2 rows read, 1 saved, 0 already recorded, 1 rejected" in out.getvalue()
    assert "3,ZZ9," in (tmp_path / "errors.csv").read_text()
    assert PNDCheck.objects.count() == 1


_cell = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_row = st.lists(
    st.one_of(_cell, st.sampled_from(["PA001", "PA002", "No trace", "Potential misconduct", d(1), "31/13/2020"])),
    max_size=6,
)


@pytest.mark.django_db
@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(_row, max_size=8), tail=st.binary(max_size=8))
def test_garbage_rows_never_crash_and_the_counts_match_the_rows_saved(staff, rows, tail):
    PNDCheck.objects.all().delete()
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER.split(","), *rows])
    run = run_import(buffer.getvalue().encode() + tail)
    assert run.status in (PNDImportStatus.DONE, PNDImportStatus.FAILED)
    assert run.rows_saved == PNDCheck.objects.count()
    assert run.rows_read == run.rows_saved + run.rows_unchanged + run.rows_rejected
    refused = run.status == PNDImportStatus.FAILED  # the whole file (a NUL byte reads as UTF-16, say)
    assert len(error_rows(run)) == (1 if refused else run.rows_rejected)
    assert all(c.checked_on <= TODAY for c in PNDCheck.objects.all())


@pytest.mark.django_db
def test_the_rejected_rows_file_never_hands_a_spreadsheet_a_formula(staff):
    run = run_import(
        "staff number,date checked,result,notes\n"
        f'=HYPERLINK("http://evil.example"),{d(2)},No trace,\n'
        f"PA001,{d(2)},@SUM(A1),+cmd\n"
    )
    cells = [cell for row in error_rows(run) for cell in row.values() if cell]
    assert len(error_rows(run)) == 2
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))], cells
