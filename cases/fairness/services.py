"""Writes of the fairness app: data sources and their imports (the monthly summary's refresh is in monthly.py)."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from cases.queue import enqueue_on_commit

from . import importer
from .mapping import Mapping, mapping_from_text
from .models import DataSource, ImportRun

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
