"""Time the import of the NYPD CCRB allegations file (33,358 lines) on PostgreSQL, then a re-import,
then the monitoring figures on the imported source.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_fairness DEBUG=1 .venv/bin/python bench/import_ccrb.py

Migrate the database first. The source "bench-ccrb" is deleted before the run, so each run starts empty.
Target: the import under 60 s on the 2-core development machine."""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "misconduct.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cases.fairness import services  # noqa: E402
from cases.fairness.datasets import Scope  # noqa: E402
from cases.fairness.models import DataSource  # noqa: E402
from cases.fairness.selectors import monitoring_figures  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "nypd-ccrb" / "allegations_202007271729.csv"
MAPPING = services.MAPPINGS_DIR / "nypd-ccrb.toml"


def timed_import():
    start = time.perf_counter()
    run = services.import_dataset(
        mapping_text=MAPPING.read_text(encoding="utf-8"),
        mapping_origin=MAPPING.name,
        data_path=DATA,
        source_name="bench-ccrb",
    )
    return time.perf_counter() - start, run


def main():
    if connection.vendor != "postgresql":
        sys.exit("Run this on PostgreSQL (DATABASE_URL=postgres://...).")
    DataSource.objects.filter(slug="bench-ccrb").delete()
    seconds, run = timed_import()
    print(
        f"import: {seconds:.1f} s; {run.rows_read} lines, {run.rows_imported} imported, "
        f"{run.rows_duplicate} duplicates merged, {run.rows_rejected} rejected, {run.rows_with_warnings} corrected"
    )
    seconds, run = timed_import()
    print(f"re-import: {seconds:.1f} s; {run.rows_imported} imported, {run.rows_already_present} already there")
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        monitoring_figures(scope=Scope(source="bench-ccrb"))
        seconds = time.perf_counter() - start
    print(f"monitoring figures: {seconds * 1000:.0f} ms in {len(queries.captured_queries)} queries")


if __name__ == "__main__":
    main()
