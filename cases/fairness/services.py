"""Writes of the fairness app: data sources and their imports, and the monthly summary of the allegations."""

import datetime as dt
import uuid
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils.text import slugify

from cases.models import Allegation
from cases.queue import enqueue_on_commit

from . import importer, monthly
from .mapping import Mapping, mapping_from_text
from .models import EVERY_MONTH, AllegationMonth, AllegationMonthStale, DataSource, ImportRun

MAPPINGS_DIR = Path(__file__).resolve().parent / "mappings"


def shipped_mappings() -> dict[str, Path]:
    """The mappings shipped with the app, by file stem (e.g. "nypd-ccrb")."""
    return {p.stem: p for p in sorted(MAPPINGS_DIR.glob("*.toml"))}


def data_source_ensure(*, name: str, mapping: Mapping) -> DataSource:
    """The source called `name` (created the first time), with what its mapping says it holds."""
    slug = slugify(name)[:64]
    if not slug or slug == "force":
        raise ValueError(f"{name!r} cannot name a data source")
    source, _ = DataSource.objects.get_or_create(slug=slug, defaults={"name": name})
    source.stages = mapping.stages_present()
    source.has_outcome_dates = mapping.has_outcome_dates()
    source.subjects_only_with_allegations = mapping.subjects_only_with_allegations
    source.mapping_name = mapping.name
    source.description = source.description or mapping.description
    source.save(
        update_fields=["stages", "has_outcome_dates", "subjects_only_with_allegations", "mapping_name", "description"]
    )
    return source


def import_dataset(
    *, mapping_text: str, mapping_origin: str, data_path: str | Path, source_name: str, by=None
) -> ImportRun:
    """The whole import in this process (the management command, the bench)."""
    mapping = mapping_from_text(mapping_text, origin=mapping_origin)
    source = data_source_ensure(name=source_name, mapping=mapping)
    run = ImportRun.objects.create(
        source=source,
        file_name=Path(data_path).name,
        mapping_name=mapping.name,
        mapping_toml=mapping_text,
        started_by=by,
    )
    return importer.import_file(run=run, mapping=mapping, path=data_path)


def import_upload_accept(*, mapping_text: str, mapping_origin: str, upload, source_name: str, by) -> ImportRun:
    """A supervisor's upload: the file is kept privately and imported by a task after commit."""
    mapping = mapping_from_text(mapping_text, origin=mapping_origin)
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{uuid.uuid4()}.upload"
    with open(target, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    with transaction.atomic():
        source = data_source_ensure(name=source_name, mapping=mapping)
        run = ImportRun.objects.create(
            source=source,
            file_name=Path(upload.name).name[:255],
            mapping_name=mapping.name,
            mapping_toml=mapping_text,
            upload_path=str(target),
            started_by=by,
        )
        from .tasks import import_run_task

        enqueue_on_commit(import_run_task, run.id)
    return run


# One refresh at a time (a full one and a month's would otherwise both insert the month's rows).
SUMMARY_LOCK = 0x6661697200000001


def allegation_months_refresh(*, months: list[dt.date] | None = None) -> int:
    """Rewrite the monthly summary (models.AllegationMonth) for `months`, or all of it, from the allegations
    in one INSERT ... SELECT ... GROUP BY, and clear those months' stale marks; the number of rows written.
    Idempotent: a second run over the same records writes the same rows. The marks are cleared before the
    rows are read, so a change committed during the refresh is either read or keeps its mark."""
    if not monthly.summary_in_use():
        return 0
    summary, stale = AllegationMonth._meta.db_table, AllegationMonthStale._meta.db_table
    allegations = Allegation.objects.all()
    if months is not None:
        months = sorted({monthly.month_of(m) for m in months} - {EVERY_MONTH})
        if not months:
            return 0
        ranges = Q()
        for m in months:
            ranges |= Q(received_on__gte=m, received_on__lt=m + relativedelta(months=1))
        allegations = allegations.filter(ranges)
    select, params = monthly.allegations_grouped(allegations).query.sql_with_params()
    columns = [*monthly.KEY_COLUMNS, *monthly.COUNT_COLUMNS, "outcome_days"]
    aliases = [*monthly.KEY_COLUMNS.values(), *monthly.COUNT_COLUMNS, "outcome_days"]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SUMMARY_LOCK])
        if months is None:
            cursor.execute(f"DELETE FROM {stale}")  # noqa: S608 - table names from the models, values as parameters
            cursor.execute(f"DELETE FROM {summary}")  # noqa: S608 - table names from the models, values as parameters
        else:
            cursor.execute(f"DELETE FROM {stale} WHERE month = ANY(%s)", [months])  # noqa: S608 - table names from the models, values as parameters
            cursor.execute(f"DELETE FROM {summary} WHERE month = ANY(%s)", [months])  # noqa: S608 - table names from the models, values as parameters
        cursor.execute(
            f"INSERT INTO {summary} ({', '.join(columns)}) SELECT {', '.join(aliases)} FROM ({select}) grouped",  # noqa: S608 - table names from the models, values as parameters
            params,
        )
        return cursor.rowcount


def allegation_months_refresh_stale() -> int:
    """Rewrite every month marked stale (all of them if the summary was never built)."""
    marked = set(AllegationMonthStale.objects.values_list("month", flat=True))
    if EVERY_MONTH in marked:
        return allegation_months_refresh()
    return allegation_months_refresh(months=sorted(marked)) if marked else 0
