"""manage.py import_dataset --mapping FILE DATA_FILE --source NAME"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.fairness import importer, services
from cases.fairness.mapping import MappingError


class Command(BaseCommand):
    help = "Import a CSV (or gzipped CSV) of another force's or city's misconduct data into a named data source."

    def add_arguments(self, parser):
        parser.add_argument("data_file")
        parser.add_argument("--mapping", required=True, help="a mapping file, or the name of a shipped one (nypd-ccrb)")
        parser.add_argument("--source", required=True, help="the data source's name; created the first time")
        parser.add_argument("--issues", help="write the rejected, duplicate and corrected lines to this CSV file")

    def handle(self, *args, data_file, mapping, source, issues=None, **options):
        path = Path(mapping)
        if not path.exists():
            path = services.shipped_mappings().get(mapping)
            if path is None:
                raise CommandError(f"no mapping file {mapping!r} (shipped: {', '.join(services.shipped_mappings())})")
        if not Path(data_file).exists():
            raise CommandError(f"no data file {data_file!r}")
        try:
            run = services.import_dataset(
                mapping_text=path.read_text(encoding="utf-8"),
                mapping_origin=str(path),
                data_path=data_file,
                source_name=source,
            )
        except (MappingError, importer.ImportFailed, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if issues:
            Path(issues).write_text(run.issues_csv, encoding="utf-8")
        self.stdout.write(
            f"{run.source.name}: {run.rows_read} lines read, {run.rows_imported} allegations imported, "
            f"{run.rows_already_present} already there, {run.rows_duplicate} exact duplicates merged, "
            f"{run.rows_rejected} rejected, {run.rows_with_warnings} with a value corrected."
        )
