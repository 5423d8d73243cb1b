"""Import PND screening results from a CSV file: staff number, date checked, result, notes (the header
names the columns, in any order; see docs/pnd-import.md).

Streamed: the stored file is read through a text wrapper line by line, never whole; the error report is
written to a temporary file as the import goes, and stored when it ends. Batched: each BATCH good rows
are looked up (the officers in one query, the checks already recorded in one more) and saved with
`bulk_create` in one transaction, together with the reviews their hits open and the import's counts, so
a batch is saved whole or not at all and the counts on the status page always match the rows saved.
Idempotent: a check is one person on one day (the `pnd_one_check_per_day` constraint); a row already
recorded with the same result is counted as unchanged, so importing a file again changes nothing.

Encodings: UTF-8, with or without a byte-order mark (so plain ASCII too). A UTF-16 or UTF-32 file
(Excel's "Unicode text") is refused whole, with a reason, before any row is read. A line that is not
UTF-8 (a Latin-1 or Windows-1252 file, a stray byte) is rejected with its line number: the text wrapper
decodes with `surrogateescape`, so the bad bytes are found row by row and the other lines still import.
Guessing an 8-bit encoding would silently change names and notes; the reason says how to re-save."""

import codecs
import csv
import datetime as dt
import hashlib
import io
import re
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.db.models.functions import Upper
from django.utils import timezone

from cases.calendar import today
from cases.fairness.csvout import SafeWriter
from cases.models import Officer
from cases.queue import enqueue_on_commit
from cases.risk.engine import officer_changes_gathered, officer_records_changed

from ..models import PNDCheck, PNDImport, PNDImportStatus, PNDResult, ReviewTrigger, VettingClearance, VettingReview
from .pnd import HITS
from .reviews import vetting_review_open

BATCH = 2000
MAX_LINE = 10_000  # characters; no real row is near it, and a longer one is rejected, not held in memory
MAX_NOTES = 2000
SNIFF_BYTES = 4096
ERROR_HEADER = ["line", "staff number", "date checked", "result", "reason"]
SAVE_AS = "save the file as “CSV UTF-8” and import it again"

# The header's words for each column (compared in lower case, with spaces, dashes and underscores alike).
COLUMN_WORDS = {
    "staff_number": {"staff number", "staff no", "staff id", "staff ref", "employee number", "payroll number"},
    "checked_on": {"date checked", "checked on", "date of check", "check date", "date"},
    "result": {"result", "pnd result", "outcome"},
    "notes": {"notes", "note", "comments", "comment"},
}
COLUMN_LABELS = {"staff_number": "staff number", "checked_on": "date checked", "result": "result", "notes": "notes"}
REQUIRED = ("staff_number", "checked_on", "result")
# The result words a PND unit's spreadsheet uses, each mapped to one result; the labels and codes too.
RESULT_WORDS = {
    "no trace": PNDResult.NO_TRACE,
    "nt": PNDResult.NO_TRACE,
    "clear": PNDResult.NO_TRACE,
    "no trace found": PNDResult.NO_TRACE,
    "nothing found": PNDResult.NO_TRACE,
    "potential misconduct": PNDResult.POTENTIAL_MISCONDUCT,
    "misconduct": PNDResult.POTENTIAL_MISCONDUCT,
    "criminal association": PNDResult.CRIMINAL_ASSOCIATION,
    "association with a criminal": PNDResult.CRIMINAL_ASSOCIATION,
    "off duty association": PNDResult.CRIMINAL_ASSOCIATION,
    **{" ".join(r.value.split("_")): r for r in PNDResult},
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def _words(value: str) -> str:
    return " ".join(re.sub(r"[_\-.,:;()]+", " ", value.lower()).split())


RESULT_WORDS.update({_words(r.label): r for r in PNDResult})


class ImportRefused(Exception):
    """The whole file cannot be read (its encoding, its header): nothing is saved."""


def pnd_storage() -> FileSystemStorage:
    """Uploads and error reports: private storage outside the web root, with no URL."""
    return FileSystemStorage(location=Path(settings.PRIVATE_MEDIA_ROOT) / "pnd-imports", base_url=None)


# --- accepting a file -------------------------------------------------------------------------------------


def pnd_import_accept(*, upload, by, file_name: str = "") -> PNDImport:
    """Store an uploaded (or local) file privately and enqueue its import after commit. The file is read
    in chunks twice (the hash, then the copy), never whole."""
    digest, size = hashlib.sha256(), 0
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    name = pnd_storage().save(f"{uuid.uuid4()}.csv", upload)
    with transaction.atomic():
        run = PNDImport.objects.create(
            file_name=Path(file_name or upload.name or "upload.csv").name[:255],
            upload=name,
            sha256=digest.hexdigest(),
            size_bytes=size,
            created_by=by,
            updated_by=by,
        )
        enqueue_on_commit(pnd_import_task, run.pk)
    return run


def pnd_import_previous(*, run: PNDImport) -> PNDImport | None:
    """The last finished import of the same file (same contents), if any: the page says a re-import
    changes nothing."""
    return (
        PNDImport.objects.filter(sha256=run.sha256, status=PNDImportStatus.DONE, created_at__lt=run.created_at)
        .exclude(pk=run.pk)
        .order_by("-created_at")
        .first()
    )


# --- running an import ------------------------------------------------------------------------------------


@dataclass
class Row:
    line: int
    staff: str
    checked_on: dt.date
    result: str
    notes: str
    cells: list  # staff number, date and result as written, for the error report


@dataclass
class Tally:
    read: int = 0
    saved: int = 0
    unchanged: int = 0
    rejected: int = 0
    hits: int = 0
    errors: list = field(default_factory=list)  # [line, staff, date, result, reason] of the current batch


class _Lines:
    """The text stream's lines for the csv reader, each at most MAX_LINE characters (a longer one is
    skipped to its end and stands as an empty line whose number is in `too_long`); remembers whether the
    file's last line ended with a line break."""

    def __init__(self, text):
        self.text, self.number, self.too_long, self.last_ended = text, 0, set(), True

    def __iter__(self):
        return self

    def __next__(self):
        line = self.text.readline(MAX_LINE)
        if not line:
            raise StopIteration
        self.number += 1
        if len(line) >= MAX_LINE and not line.endswith(("\n", "\r")):
            while (rest := self.text.readline(MAX_LINE)) and not rest.endswith(("\n", "\r")):
                pass
            self.too_long.add(self.number)
            line = "\n"
        self.last_ended = line.endswith(("\n", "\r"))
        return line


def pnd_import_run(*, import_id: int, by=None) -> str:
    """Run a waiting import once: the PENDING -> RUNNING claim makes a redelivered task do nothing."""
    claimed = PNDImport.objects.filter(pk=import_id, status=PNDImportStatus.PENDING).update(
        status=PNDImportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "already claimed"
    run = PNDImport.objects.select_related("created_by").get(pk=import_id)
    by = by or run.created_by
    storage = pnd_storage()
    errors_raw = tempfile.TemporaryFile()  # noqa: SIM115 (closed below, after it is stored)
    errors = io.TextIOWrapper(errors_raw, encoding="utf-8", newline="")
    writer = SafeWriter(errors)
    writer.writerow(ERROR_HEADER)
    tally, outcome = Tally(), "done"
    try:
        # Every hit's officer is recomputed once, set-based, when the import ends (not once per save).
        with storage.open(run.upload, "rb") as handle, officer_changes_gathered():
            _import_stream(run, handle, tally, writer, by)
    except ImportRefused as exc:
        tally.errors.append([1, "", "", "", str(exc)])
        _write_errors(writer, tally)
        PNDImport.objects.filter(pk=run.pk).update(status=PNDImportStatus.FAILED, error=str(exc))
        outcome = "failed"
    except Exception as exc:
        # Batches already saved stay saved (each is whole); running the file again skips them.
        message = f"The import stopped after {tally.read} rows ({type(exc).__name__}); import the file again."
        PNDImport.objects.filter(pk=run.pk).update(status=PNDImportStatus.FAILED, error=message)
        outcome = "failed"
        raise
    finally:
        errors.flush()
        errors.detach()
        errors_raw.seek(0)
        name = storage.save(f"{Path(run.upload).stem}-errors.csv", File(errors_raw))
        errors_raw.close()
        done = {"status": PNDImportStatus.DONE} if outcome == "done" else {}
        PNDImport.objects.filter(pk=run.pk).update(errors_file=name, finished_at=timezone.now(), **done)
    return outcome


def _refuse_wrong_encoding(handle) -> None:
    head = handle.read(SNIFF_BYTES)
    handle.seek(0)
    if not head.strip():
        raise ImportRefused("The file is empty: it has no header row.")
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise ImportRefused(f"The file is in UTF-32 (Unicode) text, not UTF-8: {SAVE_AS}.")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
        raise ImportRefused(f"The file is in UTF-16 (Unicode) text, not UTF-8: {SAVE_AS}.")


def _header(names: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, name in enumerate(names):
        if _has_bad_bytes(name):
            raise ImportRefused(f"The header row is not UTF-8 text: {SAVE_AS}.")
        words = _words(name)
        column = next((c for c, known in COLUMN_WORDS.items() if words in known), None)
        if column is None:
            continue
        if column in positions:
            raise ImportRefused(f"The header names the {COLUMN_LABELS[column]} column twice.")
        positions[column] = index
    missing = [COLUMN_LABELS[c] for c in REQUIRED if c not in positions]
    if missing:
        raise ImportRefused(
            "The header row has no column for " + " or ".join(missing) + ". The file needs columns headed "
            "staff number, date checked, result and (optionally) notes, in any order."
        )
    return positions


def _import_stream(run, handle, tally, writer, by) -> None:
    _refuse_wrong_encoding(handle)
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="surrogateescape", newline="")
    lines = _Lines(text)
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise ImportRefused(f"The header row cannot be read as CSV ({exc}).") from exc
    except StopIteration:
        raise ImportRefused("The file is empty: it has no header row.") from None
    positions = _header(header)
    seen: dict[tuple[str, dt.date], tuple[int, str]] = {}
    batch: list[Row] = []
    day = today()
    record = _records(reader, lines)
    for line, fields, is_last in record:
        tally.read += 1
        try:
            row = _parse(line, fields, positions, len(header), day, lines.too_long)
        except ValueError as exc:
            reason = str(exc)
            if is_last and not lines.last_ended:
                reason = f"Truncated last line (the file ends part-way through a row): {reason}"
            _reject(tally, line, _cells(fields, positions), reason)
            continue
        first = seen.get((row.staff, row.checked_on))
        if first is not None:
            same = "the same result" if first[1] == row.result else "a different result"
            reason = f"Duplicate row: line {first[0]} has this person and date, with {same}"
            _reject(tally, line, row.cells, reason)
            continue
        seen[(row.staff, row.checked_on)] = (line, row.result)
        batch.append(row)
        if len(batch) >= BATCH:
            _save_batch(run, batch, tally, writer, by, handle)
            batch = []
    _save_batch(run, batch, tally, writer, by, handle)


def _records(reader, lines):
    """(first line number, fields, is it the file's last record) for each non-blank record; a line the
    csv module cannot read is passed on as None fields."""
    previous = None
    start = lines.number + 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            fields = ValueError(f"Not readable as CSV ({exc})")
        here, start = start, lines.number + 1
        if isinstance(fields, list) and not any(f.strip() for f in fields) and here not in lines.too_long:
            continue
        if here in lines.too_long:
            fields = ValueError(f"Line longer than {MAX_LINE:,} characters")
        if previous is not None:
            yield (*previous, False)
        previous = (here, fields)
    if previous is not None:
        yield (*previous, True)


def _has_bad_bytes(value: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in value)


def _parse(line, fields, positions, width, day, too_long) -> Row:
    if isinstance(fields, ValueError):
        raise fields
    if any(_has_bad_bytes(f) for f in fields):
        raise ValueError(f"Not UTF-8 text (the file may be in Latin-1 or Windows-1252): {SAVE_AS}")
    if len(fields) > width and any(f.strip() for f in fields[width:]):
        raise ValueError(f"{len(fields)} values but the header has {width} columns")
    missing = [COLUMN_LABELS[c] for c, i in positions.items() if i >= len(fields)]
    if missing:
        raise ValueError("Missing columns: " + ", ".join(missing))
    value = {c: fields[i].strip() for c, i in positions.items()}
    staff = value["staff_number"].upper()
    if not staff:
        raise ValueError("No staff number")
    checked_on = _date(value["checked_on"], day)
    result = RESULT_WORDS.get(_words(value["result"]))
    if result is None:
        raise ValueError(
            f"Unknown result “{value['result'][:40]}” (use one of: " + ", ".join(r.label for r in PNDResult) + ")"
        )
    notes = value.get("notes", "")
    if len(notes) > MAX_NOTES:
        raise ValueError(f"Notes longer than {MAX_NOTES:,} characters")
    return Row(line, staff, checked_on, result, notes, _cells(fields, positions))


def _date(value: str, day: dt.date) -> dt.date:
    if not value:
        raise ValueError("No date checked")
    for fmt in DATE_FORMATS:
        try:
            found = dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if found > day:
            raise ValueError(f"Date checked {value} is in the future")
        return found
    raise ValueError(f"Date checked “{value[:20]}” is not a date (write it as 2026-11-30 or 30/11/2026)")


def _cells(fields, positions) -> list[str]:
    raw = fields if isinstance(fields, list) else []

    def cell(column):
        i = positions.get(column)
        value = raw[i] if i is not None and i < len(raw) else ""
        # Bad bytes are shown as the replacement character, never written back raw.
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")[:100]

    return [cell("staff_number"), cell("checked_on"), cell("result")]


def _reject(tally, line, cells, reason) -> None:
    tally.rejected += 1
    tally.errors.append([line, *cells, reason])


def _write_errors(writer, tally) -> None:
    writer.writerows(sorted(tally.errors, key=lambda e: e[0]))
    tally.errors = []


def _save_batch(run, batch: list[Row], tally: Tally, writer, by, handle) -> None:
    """Save one batch whole: the officers in one query, the checks already recorded in one, the new checks
    in one insert, the hits' reviews through the review service, and the import's counts, in one
    transaction."""
    officers = dict(
        Officer.objects.annotate(key=Upper("staff_number"))
        .filter(key__in={r.staff for r in batch})
        .values_list("key", "id")
    )
    known = [r for r in batch if r.staff in officers]
    for r in batch:
        if r.staff not in officers:
            _reject(tally, r.line, r.cells, "Unknown staff number")
    existing = {
        (officer_id, day): result
        for officer_id, day, result in PNDCheck.objects.filter(
            officer_id__in={officers[r.staff] for r in known}, checked_on__in={r.checked_on for r in known}
        ).values_list("officer_id", "checked_on", "result")
    }
    new, hit_keys = [], set()
    for r in known:
        key = (officers[r.staff], r.checked_on)
        if key not in existing:
            new.append(
                PNDCheck(
                    officer_id=key[0],
                    checked_on=r.checked_on,
                    result=r.result,
                    notes=r.notes,
                    created_by=by,
                    updated_by=by,
                )
            )
        elif existing[key] == r.result:
            tally.unchanged += 1
        else:
            recorded = PNDResult(existing[key]).label
            reason = f"Already recorded for this person and date with another result ({recorded})"
            _reject(tally, r.line, r.cells, reason)
            continue
        if r.result in HITS:
            hit_keys.add(key)
    with transaction.atomic():
        PNDCheck.objects.bulk_create(new, ignore_conflicts=True, batch_size=BATCH)
        tally.saved += len(new)
        tally.hits += sum(1 for c in new if c.result in HITS)
        _open_hit_reviews(hit_keys, by)
        PNDImport.objects.filter(pk=run.pk).update(
            rows_read=tally.read,
            rows_saved=tally.saved,
            rows_unchanged=tally.unchanged,
            rows_rejected=tally.rejected,
            hits=tally.hits,
            bytes_read=min(handle.tell(), run.size_bytes) if run.size_bytes else 0,
        )
    _write_errors(writer, tally)


def _open_hit_reviews(hit_keys: set, by) -> None:
    """Each hit's vetting review, exactly once (the review service's get_or_create on its unique
    constraint): the checks and the reviews already open are found in one query each, so a re-import
    opens nothing and asks nothing per row; the risk engine hears of the people with a hit."""
    if not hit_keys:
        return
    officer_ids = {k[0] for k in hit_keys}
    checks = [
        (pk, officer_id, result)
        for pk, officer_id, day, result in PNDCheck.objects.filter(
            officer_id__in=officer_ids, checked_on__in={k[1] for k in hit_keys}
        ).values_list("pk", "officer_id", "checked_on", "result")
        if (officer_id, day) in hit_keys
    ]
    refs = {f"pndcheck:{pk}" for pk, _, _ in checks}
    opened = set(
        VettingReview.objects.filter(trigger=ReviewTrigger.PND_HIT, trigger_ref__in=refs).values_list(
            "trigger_ref", flat=True
        )
    )
    waiting = [c for c in checks if f"pndcheck:{c[0]}" not in opened]
    if not waiting:
        return
    latest_clearance: dict[int, int] = {}
    for officer_id, clearance_id in (
        VettingClearance.objects.filter(officer_id__in={c[1] for c in waiting})
        .order_by("officer_id", "-granted_on", "-id")
        .values_list("officer_id", "id")
    ):
        latest_clearance.setdefault(officer_id, clearance_id)
    for pk, officer_id, result in waiting:
        # The rule (a hit opens a review, once per check) is the review service's, as pnd_check_record uses it.
        vetting_review_open(
            officer_id=officer_id,
            trigger=ReviewTrigger.PND_HIT,
            trigger_ref=f"pndcheck:{pk}",
            reason=f"PND check: {PNDResult(result).label}",
            by=by,
            clearance_id=latest_clearance.get(officer_id),
        )
    officer_records_changed.send(sender=PNDCheck, officer_ids={c[1] for c in waiting})


@shared_task(name="vetting.tasks.pnd_import_task", acks_late=True, time_limit=1800)
def pnd_import_task(import_id: int) -> str:
    """Import one uploaded PND file; a redelivery finds the import claimed and does nothing."""
    return pnd_import_run(import_id=int(import_id))
