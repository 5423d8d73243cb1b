"""Time the PND screening import on PostgreSQL: a 50,000-row file with bad rows of every kind, then the
same file again (which must change nothing), then a UTF-16 file (refused whole).

    BENCH_DB=bench_pnd .venv/bin/python bench/import_pnd.py [--rows 50000] [--keep-file DIR]

Needs 50,000 people in the database. By default it copies the seeded `bench_met` database (read only,
never written) to BENCH_DB with `createdb -T bench_met` when BENCH_DB does not exist yet, and writes only
to the copy; pass --fresh to drop and re-copy it. Target: the first import under 60 s.

The file's header is in another order (date checked, result, staff number, notes). Among its rows, one in
every 500 is bad, in turn: an unknown staff number, an impossible date, a date in the future, an unknown
result, a duplicate of the row before it, a line in Latin-1 (not UTF-8), a line with a column missing; and
the last line is truncated (the file ends part-way through it). About 0.93% of the good rows are hits
(the Met's 93 in 10,000), each opening a vetting review."""

import argparse
import csv
import datetime as dt
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = "postgres://postgres@127.0.0.1:5432"
SOURCE_DB = "bench_met"
BAD_EVERY = 500
BAD_KINDS = ("unknown staff", "bad date", "future date", "unknown result", "duplicate", "latin-1", "missing column")
HIT_EVERY = 107  # 1 in 107 good rows is a hit: 0.93%


def psql(db: str, sql: str) -> str:
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", db, "-Atc", sql], capture_output=True, text=True)
    return out.stdout.strip()


def bench_database(name: str, fresh: bool) -> None:
    exists = name in psql("postgres", "SELECT datname FROM pg_database").split()
    if exists and fresh:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        exists = False
    if not exists:
        print(f"copying {SOURCE_DB} to {name} (createdb -T; {SOURCE_DB} is only read)")
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "-T", SOURCE_DB, name], check=True)


def write_file(path: Path, staff_numbers: list[str], day: dt.date, rows: int) -> dict:
    """The file, and what it should give: the good rows, the hits, the bad rows' line numbers by kind."""
    expected = {"good": 0, "hits": 0, "bad": {k: [] for k in (*BAD_KINDS, "truncated")}}
    with open(path, "wb") as raw:
        raw.write(b"date checked,result,staff number,notes\r\n")
        previous = None
        for i in range(rows):
            line = i + 2
            staff = staff_numbers[i % len(staff_numbers)]
            good = (day.isoformat(), "No trace", staff, "")
            if i and i % HIT_EVERY == 0:
                good = (day.isoformat(), "Criminal association" if i % 2 else "Potential misconduct", staff, "bench")
            kind = BAD_KINDS[(i // BAD_EVERY) % len(BAD_KINDS)] if i % BAD_EVERY == BAD_EVERY - 1 else None
            if i == rows - 1:
                raw.write(f"{day.isoformat()},No trace,{staff}".encode()[:-3])  # no line break, cut short
                expected["bad"]["truncated"].append(line)
                break
            if kind is None:
                raw.write(_csv(good))
                expected["good"] += 1
                expected["hits"] += good[1] != "No trace"
                previous = good
                continue
            expected["bad"][kind].append(line)
            if kind == "unknown staff":
                raw.write(_csv((day.isoformat(), "No trace", f"NOBODY{i}", "")))
            elif kind == "bad date":
                raw.write(_csv(("31/02/2026", "No trace", staff, "")))
            elif kind == "future date":
                raw.write(_csv(((day + dt.timedelta(days=400)).isoformat(), "No trace", staff, "")))
            elif kind == "unknown result":
                raw.write(_csv((day.isoformat(), "Maybe", staff, "")))
            elif kind == "duplicate":
                raw.write(_csv(previous))
            elif kind == "latin-1":
                raw.write(_csv((day.isoformat(), "No trace", staff, "café near the station"), encoding="latin-1"))
            elif kind == "missing column":
                raw.write(f"{day.isoformat()},No trace\r\n".encode())
    return expected


def _csv(values, encoding="utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(values)
    return out.getvalue().encode(encoding)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--fresh", action="store_true", help="drop and re-copy the bench database first")
    parser.add_argument("--keep-file", type=Path, help="also keep the generated files in this directory")
    args = parser.parse_args()
    db = os.environ.get("BENCH_DB", "bench_pnd")
    if db == SOURCE_DB:
        sys.exit(f"{SOURCE_DB} is read only: name another BENCH_DB (it is copied from {SOURCE_DB}).")
    bench_database(db, args.fresh)
    work = Path(tempfile.mkdtemp(prefix="bench-pnd-"))
    os.environ.update(
        DATABASE_URL=f"{PG}/{db}",
        DJANGO_SETTINGS_MODULE="misconduct.settings",
        PRIVATE_MEDIA_ROOT=str(work / "private-media"),
    )
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.pop("CELERY_BROKER_URL", None)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cases.calendar import today
    from cases.models import Officer
    from vetting.models import PNDCheck, PNDImport, VettingReview

    if connection.vendor != "postgresql":
        sys.exit("Run this on PostgreSQL.")
    call_command("migrate", verbosity=0)
    staff = sorted(Officer.objects.values_list("staff_number", flat=True))
    if len(staff) < args.rows:
        print(f"note: {len(staff)} people for {args.rows} rows: some appear more than once (different days)")
    # A day no demo check uses (the demo's are within the last ten weeks), so every good row is new.
    day = today() - dt.timedelta(days=120 + int(PNDImport.objects.count()))
    path = (args.keep_file or work) / "pnd-bench.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    expected = write_file(path, staff, day, args.rows)
    bad = sum(len(v) for v in expected["bad"].values())
    print(f"file: {path.stat().st_size / 1e6:.1f} MB, {args.rows} rows ({expected['good']} good, {bad} bad)")

    def timed(label: str, file: Path):
        checks, reviews = PNDCheck.objects.count(), VettingReview.objects.count()
        start = time.perf_counter()
        call_command("import_pnd", str(file), stdout=io.StringIO(), stderr=io.StringIO())
        seconds = time.perf_counter() - start
        run = PNDImport.objects.order_by("-id").first()
        added = PNDCheck.objects.count() - checks, VettingReview.objects.count() - reviews
        print(
            f"{label}: {seconds:.1f} s; {run.get_status_display().lower()}, {run.rows_read} read,"
            f" {run.rows_saved} saved,"
            f" {run.rows_unchanged} unchanged, {run.rows_rejected} rejected, {run.hits} hits;"
            f" +{added[0]} checks, +{added[1]} reviews"
        )
        return run, added, seconds

    run, added, first = timed("import", path)
    report = _reasons(run)
    failures = []
    for kind, lines in expected["bad"].items():
        missing = [n for n in lines if n not in report]
        if missing:
            failures.append(f"{kind}: lines {missing[:5]} not reported")
    if run.rows_saved != expected["good"] or added[0] != expected["good"]:
        failures.append(f"saved {run.rows_saved} (+{added[0]}), expected {expected['good']}")
    if run.hits != expected["hits"] or added[1] != expected["hits"]:
        failures.append(f"hits {run.hits} (+{added[1]} reviews), expected {expected['hits']}")
    examples = {kind: report[lines[0]] for kind, lines in expected["bad"].items() if lines and lines[0] in report}
    for kind, reason in examples.items():
        print(f"  {kind:>15}: {reason[:110]}")
    rerun, readded, _ = timed("re-import", path)
    if readded != (0, 0) or rerun.rows_saved or rerun.rows_unchanged != expected["good"]:
        failures.append(f"re-import changed something: +{readded}, {rerun.rows_saved} saved")
    utf16 = work / "pnd-utf16.csv"
    utf16.write_bytes(
        "staff number,date checked,result\r\n".encode("utf-16") + f"{staff[0]},{day},No trace".encode("utf-16-le")
    )
    refused, readded, _ = timed("UTF-16 file", utf16)
    print(f"  refused: {refused.error}")
    if refused.status != "failed" or readded != (0, 0):
        failures.append("the UTF-16 file was not refused whole")
    print(f"target under 60 s: {'met' if first < 60 else 'MISSED'} ({first:.1f} s)")
    if failures:
        sys.exit("FAILED: " + "; ".join(failures))


def _reasons(run) -> dict[int, str]:
    from vetting.services.pnd_import import pnd_storage

    with pnd_storage().open(run.errors_file, "rb") as f:
        return {int(r["line"]): r["reason"] for r in csv.DictReader(io.StringIO(f.read().decode("utf-8")))}


if __name__ == "__main__":
    main()
