"""manage.py import_pnd FILE [--by USERNAME] [--errors OUT.csv]: import PND results in this process."""

import shutil
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from vetting.models import PNDImport
from vetting.services.pnd_import import pnd_import_accept, pnd_import_run, pnd_storage


class Command(BaseCommand):
    help = "Import PND screening results from a CSV file (staff number, date checked, result, notes)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--by", help="Username recorded as the importer (a vetting officer).")
        parser.add_argument("--errors", type=Path, help="Write the rejected rows (CSV) here too.")

    def handle(self, *args, file: Path, by=None, errors=None, **options):
        if not file.is_file():
            raise CommandError(f"No file {file}")
        user = None
        if by:
            user = get_user_model().objects.filter(username=by).first()
            if user is None:
                raise CommandError(f"No user {by}")
        # Stored and claimed like an upload; the task that the accept enqueues finds it claimed, or runs it
        # in-process (no broker) before the claim below, which then does nothing.
        with open(file, "rb") as raw, transaction.atomic():
            run = pnd_import_accept(upload=File(raw, name=file.name), by=user, file_name=file.name)
        pnd_import_run(import_id=run.pk, by=user)
        run = PNDImport.objects.get(pk=run.pk)
        self.stdout.write(
            f"{run.get_status_display()}: {run.rows_read} rows read, {run.rows_saved} saved, "
            f"{run.rows_unchanged} already recorded, {run.rows_rejected} rejected, {run.hits} new hits."
        )
        if run.error:
            self.stderr.write(run.error)
        if errors and run.errors_file:
            with pnd_storage().open(run.errors_file, "rb") as src, open(errors, "wb") as out:
                shutil.copyfileobj(src, out)
            self.stdout.write(f"Rejected rows: {errors}")
