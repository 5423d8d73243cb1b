"""python manage.py seed_demo [--scale tiny|small|met] [--seed N] [--reset]

Builds the demo force: the parts each app registers with cases.demo (cases/demo/registry.py), in order,
dated back from today. bin/demo calls it on every start: when the demo data is already there it says so
and leaves it alone, unless --reset is given."""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection

from cases.demo import (
    DEMO_PASSWORD,
    SCALES,
    demo_force_create,
    demo_force_exists,
    demo_force_reset,
    demo_logins_create,
    login_notes,
)


class Command(BaseCommand):
    help = "Create deterministic demo data shaped after the Met's published figures, and demo logins (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            "--size",
            dest="scale",
            choices=list(SCALES),
            default="small",
            help="small: about 2,000 people (the demo); met: 50,000 (benchmarks); tiny: 500 (tests).",
        )
        parser.add_argument("--seed", type=int, default=2023, help="The same seed always gives the same data.")
        parser.add_argument("--reset", action="store_true", help="Delete the domain data first.")

    def handle(self, *args, scale, seed, reset, **options):
        started = time.monotonic()

        def log(message):
            self.stdout.write(f"[{time.monotonic() - started:6.1f}s] {message}")
            self.stdout.flush()

        if demo_force_exists():
            if not reset:
                self.stdout.write("The demo data is already there; nothing to do (use --reset to rebuild it).")
                if settings.DEBUG:
                    self._print_logins(
                        get_user_model()
                        .objects.filter(username__startswith="demo-")
                        .order_by("username")
                        .values_list("username", flat=True)
                    )
                return
            demo_force_reset(log=log)
        built = demo_force_create(people=SCALES[scale], seed=seed, log=log)
        log(f"Demo force built: scale {scale}, seed {seed}, {built.figures.people:,} people, as of {built.today}.")
        for line in built.summary:
            log(line)
        # Bulk inserts send no save signals, so the risk engine has not seen the new rows yet.
        from cases.risk.services import risk_recompute_all

        summary = risk_recompute_all()
        log(f"Risk flags computed: {summary}.")
        if connection.vendor == "postgresql":
            # Fresh planner statistics: a just-loaded table looks empty to the planner until analysed.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            log("Tables analysed.")
        if not settings.DEBUG:
            self.stdout.write(
                self.style.WARNING("DEBUG is off (production mode): no demo logins created. Create real accounts.")
            )
            return
        self._print_logins(demo_logins_create(log=log))

    def _print_logins(self, usernames):
        usernames = list(usernames)
        if not usernames:
            return
        self.stdout.write(self.style.SUCCESS("Demo logins (one per role), all with the same password:"))
        for username in usernames:
            self.stdout.write(f"  {username}")
        self.stdout.write(f"  password: {DEMO_PASSWORD}")
        for line in login_notes(usernames):
            self.stdout.write(line)
