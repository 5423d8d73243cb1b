import time

from django.core.management.base import BaseCommand

from cases.fairness.monthly import allegation_months_refresh, allegation_months_refresh_stale


class Command(BaseCommand):
    help = "Rebuild the monthly summary of allegations the fairness monitoring page and the dashboard read."

    def add_arguments(self, parser):
        parser.add_argument("--stale", action="store_true", help="only the months marked as changed")

    def handle(self, *args, stale=False, **options):
        start = time.perf_counter()
        rows = allegation_months_refresh_stale() if stale else allegation_months_refresh()
        self.stdout.write(f"{rows} summary rows written in {time.perf_counter() - start:.1f} s")
