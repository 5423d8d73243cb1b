"""Import a CSV (plain or gzip) into a data source through a mapping (cases/fairness/mapping.py).

Streamed (the csv module over the open file, never the whole file in memory) and batched (one
round of bulk inserts per BATCH lines, the ImportRun row updated after each). Idempotent: subjects,
complaints and allegations have natural keys unique per source, and inserts skip rows already there
(INSERT ... ON CONFLICT DO NOTHING), so a re-import changes nothing. Exact duplicate lines are merged
into the first and listed; bad lines are rejected and listed with their line number and reason; values
a mapping says to blank when impossible are blanked and listed. The list is the run's issues CSV."""

import csv
import gzip
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from .csvout import csv_text
from .mapping import Mapping, RowRejected, field_value, line_digest, mapping_from_text, stage_value
from .models import DataSource, ExternalAllegation, ExternalComplaint, ExternalSubject, Finding, ImportRun, ImportStatus

BATCH = 2000
GZIP_MAGIC = b"\x1f\x8b"
ISSUE_HEADER = ["line", "outcome", "field", "value", "reason"]
_ALLEGATION_COLUMNS = {
    "category": 100,
    "origin": 100,
    "text": 500,
    "command": 100,
    "rank": 100,
    "complainant_ethnicity": 64,
    "complainant_sex": 64,
    "disposition": 200,
}


class ImportFailed(Exception):
    """The file cannot be imported at all (wrong columns, not CSV); no row was written."""


@dataclass
class Parsed:
    line: int
    key: str
    subject: dict
    complaint: dict | None
    allegation: dict


@dataclass
class Tally:
    read: int = 0
    duplicate: int = 0
    rejected: int = 0
    warned: int = 0
    issues: list = field(default_factory=list)


def open_text(path: str | Path, encoding: str):
    """A text stream over the file, gunzipped if it starts with gzip's magic bytes (whatever its name)."""
    raw = open(path, "rb")  # noqa: SIM115 (returned to the caller, who closes it)
    head = raw.peek(2)[:2] if hasattr(raw, "peek") else b""
    stream = gzip.GzipFile(fileobj=raw) if head == GZIP_MAGIC else raw
    return io.TextIOWrapper(stream, encoding=encoding, newline="")


def _text(value, limit: int) -> str:
    return ("" if value is None else str(value))[:limit]


def parse_line(mapping: Mapping, row: dict, line: int, warnings: list) -> Parsed:
    subject = {n: field_value(s, row, warnings) for n, s in mapping.subject.items()}
    complaint = {n: field_value(s, row, warnings) for n, s in mapping.complaint.items()} or None
    allegation = {n: field_value(s, row, warnings) for n, s in mapping.allegation.items()}
    for stage, spec in mapping.stages.items():
        allegation[f"stage_{stage}"] = stage_value(spec, row, warnings)
    raw_values = [row.get(c, "") for c in sorted(mapping.columns())]
    key = str(allegation["id"]) if allegation.get("id") else line_digest(raw_values)
    return Parsed(line=line, key=key[:64], subject=subject, complaint=complaint, allegation=allegation)


def _subject_row(source, p: Parsed) -> ExternalSubject:
    s = p.subject
    return ExternalSubject(
        source=source,
        key=_text(s["id"], 64),
        first_name=_text(s.get("first_name"), 100),
        last_name=_text(s.get("last_name"), 100),
        rank=_text(s.get("rank"), 100),
        command=_text(s.get("command"), 100),
        ethnicity=_text(s.get("ethnicity", "Unknown"), 64),
        sex=_text(s.get("sex", "Unknown"), 64),
    )


def _allegation_row(source, p: Parsed, subject_id: int, complaint_id: int | None) -> ExternalAllegation:
    a = p.allegation
    received = a.get("received") or (p.complaint or {}).get("received")
    outcome = a.get("outcome") or (p.complaint or {}).get("closed")
    return ExternalAllegation(
        source=source,
        key=p.key,
        subject_id=subject_id,
        complaint_id=complaint_id,
        line=p.line,
        received_on=received,
        outcome_on=outcome,
        finding=a.get("finding") or Finding.UNKNOWN,
        subject_age=a.get("subject_age"),
        complainant_age=a.get("complainant_age"),
        in_case=a.get("stage_case"),
        gross_misconduct=a.get("stage_gross_misconduct"),
        case_to_answer=a.get("stage_case_to_answer"),
        dismissal=a.get("stage_dismissal"),
        **{
            n: _text(a.get(n) or (p.subject.get(n) if n in ("command", "rank") else ""), m)
            for n, m in _ALLEGATION_COLUMNS.items()
        },
    )


def _write_batch(source: DataSource, batch: list[Parsed]) -> None:
    with transaction.atomic():
        subjects = {}
        for p in batch:
            subjects.setdefault(str(p.subject["id"])[:64], _subject_row(source, p))
        ExternalSubject.objects.bulk_create(subjects.values(), ignore_conflicts=True, batch_size=BATCH)
        subject_ids = dict(
            ExternalSubject.objects.filter(source=source, key__in=list(subjects)).values_list("key", "id")
        )
        complaint_ids = {}
        complaints = {}
        for p in batch:
            if p.complaint:
                complaints.setdefault(
                    str(p.complaint["id"])[:64],
                    ExternalComplaint(
                        source=source,
                        key=str(p.complaint["id"])[:64],
                        received_on=p.complaint.get("received"),
                        closed_on=p.complaint.get("closed"),
                    ),
                )
        if complaints:
            ExternalComplaint.objects.bulk_create(complaints.values(), ignore_conflicts=True, batch_size=BATCH)
            complaint_ids = dict(
                ExternalComplaint.objects.filter(source=source, key__in=list(complaints)).values_list("key", "id")
            )
        rows = [
            _allegation_row(
                source,
                p,
                subject_ids[str(p.subject["id"])[:64]],
                complaint_ids.get(str(p.complaint["id"])[:64]) if p.complaint else None,
            )
            for p in batch
        ]
        ExternalAllegation.objects.bulk_create(rows, ignore_conflicts=True, batch_size=BATCH)


def issues_csv(issues: list) -> str:
    return csv_text(ISSUE_HEADER, issues)


def import_file(*, run: ImportRun, mapping: Mapping, path: str | Path, batch_size: int = BATCH) -> ImportRun:
    """Import `path` into `run.source`; the run row carries the progress, counts and issues file."""
    source = run.source
    before = ExternalAllegation.objects.filter(source=source).count()
    tally = Tally()
    seen: dict[str, tuple[int, str]] = {}
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.RUNNING)
    try:
        with open_text(path, mapping.encoding) as text:
            reader = csv.DictReader(text, delimiter=mapping.delimiter)
            header = reader.fieldnames or []
            missing = sorted(mapping.columns() - set(header))
            if missing:
                raise ImportFailed(
                    f"the file has no column {', '.join(repr(m) for m in missing)} that the mapping names "
                    f"(its columns: {', '.join(header[:40])})"
                )
            batch: list[Parsed] = []
            for row in reader:
                tally.read += 1
                line = reader.line_num
                if None in row:
                    tally.rejected += 1
                    tally.issues.append(
                        [line, "rejected", "", "", f"{len(header) + len(row[None])} fields, header has {len(header)}"]
                    )
                    continue
                warnings: list = []
                try:
                    parsed = parse_line(mapping, row, line, warnings)
                except RowRejected as exc:
                    tally.rejected += 1
                    tally.issues.append([line, "rejected", exc.field_name, exc.value, exc.reason])
                    continue
                signature = line_digest(list(row.values()))
                first = seen.get(parsed.key)
                if first is not None:
                    if first[1] == signature:
                        tally.duplicate += 1
                        tally.issues.append([line, "duplicate", "", "", f"exact duplicate of line {first[0]}: merged"])
                    else:
                        tally.rejected += 1
                        tally.issues.append(
                            [
                                line,
                                "rejected",
                                "id",
                                parsed.key,
                                f"allegation id already used on line {first[0]} with other values",
                            ]
                        )
                    continue
                seen[parsed.key] = (line, signature)
                if warnings:
                    tally.warned += 1
                    tally.issues.extend([line, "corrected", f, v, r] for f, v, r in warnings)
                batch.append(parsed)
                if len(batch) >= batch_size:
                    _write_batch(source, batch)
                    batch = []
                    _progress(run, tally, before, source)
            if batch:
                _write_batch(source, batch)
    except (ImportFailed, UnicodeDecodeError, csv.Error, gzip.BadGzipFile, EOFError) as exc:
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        run.refresh_from_db()
        raise ImportFailed(str(exc)) from exc
    _progress(run, tally, before, source, done=True)
    run.refresh_from_db()
    return run


def _progress(run: ImportRun, tally: Tally, before: int, source: DataSource, *, done: bool = False) -> None:
    imported = ExternalAllegation.objects.filter(source=source).count() - before
    accepted = tally.read - tally.duplicate - tally.rejected
    fields = {
        "rows_read": tally.read,
        "rows_duplicate": tally.duplicate,
        "rows_rejected": tally.rejected,
        "rows_with_warnings": tally.warned,
        "rows_imported": imported,
    }
    if done:
        fields.update(
            status=ImportStatus.DONE,
            finished_at=timezone.now(),
            rows_already_present=accepted - imported,
            issues_csv=issues_csv(tally.issues),
        )
    ImportRun.objects.filter(pk=run.pk).update(**fields)


def import_run_execute(*, run_id: int) -> str:
    """Run a pending upload once: the PENDING -> RUNNING claim makes a redelivered task a no-op."""
    claimed = ImportRun.objects.filter(id=run_id, status=ImportStatus.PENDING).update(status=ImportStatus.RUNNING)
    if not claimed:
        return "already claimed"
    run = ImportRun.objects.select_related("source").get(id=run_id)
    path = Path(run.upload_path)
    try:
        mapping = mapping_from_text(run.mapping_toml, origin=run.mapping_name)
        import_file(run=run, mapping=mapping, path=path)
    except (ImportFailed, ValueError) as exc:
        ImportRun.objects.filter(id=run_id).exclude(status=ImportStatus.FAILED).update(
            status=ImportStatus.FAILED, error=str(exc)[:2000]
        )
        return "failed"
    finally:
        path.unlink(missing_ok=True)
    return "done"
